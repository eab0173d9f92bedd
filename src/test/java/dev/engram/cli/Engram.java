package dev.engram.cli;

import dev.engram.Json;
import dev.engram.bench.KillHarness;
import dev.engram.store.Store;
import dev.engram.store.Stores;
import dev.engram.store.Space;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Test support: runs engram in process and makes small image sets whose classes an autoencoder separates. */
final class Engram {
    /** The three classes of the synthetic set: a horizontal bar, a vertical bar, a filled square. */
    static final List<String> CLASSES = List.of("hbar", "vbar", "square");
    static final int SIZE = 16;

    private Engram() {
    }

    record Run(int exit, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** Runs {@code command} on {@code store} with the given arguments. */
    static Run on(Path store, String command, String... args) {
        List<String> all = new ArrayList<>(List.of(command, "--store", store.toString()));
        all.addAll(List.of(args));
        return run(all.toArray(String[]::new));
    }

    /** The run's stdout as JSON Lines, one object per line. */
    static List<com.google.gson.JsonObject> json(Run run) {
        return run.outLines().stream().map(l -> com.google.gson.JsonParser.parseString(l).getAsJsonObject()).toList();
    }

    /** Writes {@code perClass} PNGs of each class under {@code dir/CLASS/NNN.png}. */
    static Path images(Path dir, int perClass, long seed) {
        Random random = new Random(seed);
        for (String c : CLASSES) {
            for (int i = 0; i < perClass; i++) {
                write(dir.resolve(c).resolve(String.format("%03d.png", i)), draw(c, random));
            }
        }
        return dir;
    }

    static BufferedImage draw(String kind, Random random) {
        BufferedImage image = new BufferedImage(SIZE, SIZE, BufferedImage.TYPE_BYTE_GRAY);
        int at = 3 + random.nextInt(SIZE - 6);
        for (int y = 0; y < SIZE; y++) {
            for (int x = 0; x < SIZE; x++) {
                boolean on = switch (kind) {
                    case "hbar" -> Math.abs(y - at) <= 1;
                    case "vbar" -> Math.abs(x - at) <= 1;
                    default -> Math.abs(x - at) <= 3 && Math.abs(y - SIZE / 2) <= 3;
                };
                int v = on ? 200 + random.nextInt(56) : random.nextInt(30);
                image.getRaster().setSample(x, y, 0, v);
            }
        }
        return image;
    }

    static void write(Path file, BufferedImage image) {
        try {
            Files.createDirectories(file.getParent());
            ImageIO.write(image, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code text} to {@code file}, making its folder first. */
    static void writeString(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A store with space {@code shapes} trained on the images under {@code train} for
     * {@code epochs} epochs and bound by folder: the starting point tests copy.
     */
    static Path trainedStore(Path store, Path train, int epochs) {
        Run encode = run("encode", "--store", store.toString(), "--space", "shapes", "--epochs",
                Integer.toString(epochs), "--batch-size", "8", train.toString());
        org.junit.jupiter.api.Assertions.assertEquals(0, encode.exit(), encode::toString);
        Run bind = run("bind", "--store", store.toString(), "--from-dirs");
        org.junit.jupiter.api.Assertions.assertEquals(0, bind.exit(), bind::toString);
        return store;
    }

    static void copyTree(Path from, Path to) {
        try {
            KillHarness.copyTree(from, to);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Everything a store knows, as text: the summary, every trace (id, space, source, hash,
     * surprise), every association and every dim report. Two equal snapshots mean nothing
     * stored was lost or changed.
     */
    static String snapshot(Path store) {
        StringBuilder text = new StringBuilder();
        try (Store db = Stores.at(store.toString(), Duration.ofSeconds(10)).open()) {
            text.append(Json.LINES.toJson(db.summary())).append('\n');
            List<Long> ids = new ArrayList<>();
            for (Space space : db.spaces()) {
                db.forEachTrace(space, t -> {
                    ids.add(t.id());
                    text.append(t.id()).append(' ').append(t.sourceLabel()).append(' ').append(t.contentHash())
                            .append(' ').append(t.surprise()).append('\n');
                });
            }
            db.associationsOf(ids).entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                    .forEach(e -> e.getValue().forEach(a -> text.append(a.conceptId()).append('-').append(a.traceId())
                            .append(' ').append(a.kind()).append(' ').append(a.weight()).append(' ')
                            .append(a.count()).append('\n')));
            db.dimReports().forEach(r -> text.append(r.id()).append(' ').append(r.estimate()).append('\n'));
        }
        return text.toString();
    }
}
