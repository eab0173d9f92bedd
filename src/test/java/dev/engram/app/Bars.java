package dev.engram.app;

import dev.engram.bind.Binder;
import dev.engram.store.Concept;
import dev.engram.store.Store;
import dev.engram.store.StoreLocation;
import dev.engram.store.Stores;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Test inputs that a tiny autoencoder tells apart after a few epochs: 8×8 pictures of one
 * bright bar, lying ({@code row}) or standing ({@code column}), at a random place; and a
 * {@link Progress} that keeps the notes it is given.
 */
final class Bars {
    static final List<String> KINDS = List.of("row", "column");

    private Bars() {
    }

    /** {@code count} PNGs of a bar of this kind in {@code dir/KIND/N.png}; returns the files. */
    static List<Path> draw(Path dir, String kind, int count, long seed) {
        Random random = new Random(seed);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
            int at = 1 + random.nextInt(6);
            for (int y = 0; y < 8; y++) {
                for (int x = 0; x < 8; x++) {
                    boolean on = (kind.equals("row") ? y : x) == at;
                    image.getRaster().setSample(x, y, 0, on ? 230 + random.nextInt(26) : random.nextInt(20));
                }
            }
            Path file = dir.resolve(kind).resolve(i + ".png");
            try {
                Files.createDirectories(file.getParent());
                ImageIO.write(image, "png", file.toFile());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            files.add(file);
        }
        return files;
    }

    /**
     * Events of a picture and its caption ("a bright bar in a row"), labelled with the bar's
     * kind: {@code count} of each kind drawn into {@code dir}, listed in {@code dir/events.jsonl},
     * which is returned.
     */
    static Path events(Path dir, int count) {
        StringBuilder manifest = new StringBuilder();
        for (String kind : KINDS) {
            for (Path picture : draw(dir, kind, count, kind.length())) {
                manifest.append(String.format("{\"image\": \"%s\", \"text\": \"a bright bar in a %s\","
                        + " \"concept\": \"%s\"}%n", dir.relativize(picture), kind, kind));
            }
        }
        try {
            return Files.writeString(dir.resolve("events.jsonl"), manifest);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static StoreLocation store(Path dir) {
        return Stores.at(dir.toString(), Duration.ofSeconds(10));
    }

    /**
     * A whole small memory in {@code dir}/store: six events of a picture and its caption, bound by
     * synchrony, "row" and "column" under a parent "bar", an unnamed concept and a dim report.
     */
    static StoreLocation memory(Path dir) throws IOException {
        Path file = events(dir.resolve("events"), 6);
        StoreLocation location = store(dir.resolve("store"));
        Encode.run(location, encode(List.of(), List.of(), file, false, 20, InputStream.nullInputStream()),
                Progress.SILENT);
        try (Store store = location.open()) {
            new Binder(store, 0.5).synchrony(null);
            store.write(tx -> {
                Concept bar = tx.conceptNamed("bar");
                tx.setParent(tx.concept("row").orElseThrow(), bar);
                tx.setParent(tx.concept("column").orElseThrow(), bar);
                tx.createUnnamedConcept();
                return tx.addDimReport("space:image", "twonn", "{}", 12, 1, 1.5);
            });
        }
        return location;
    }

    /** An encode request that trains a new space small and briefly. */
    static Encode.Request encode(List<String> spaces, List<String> inputs, Path manifest, boolean shaped, int epochs,
                                 InputStream stdin) {
        return new Encode.Request(spaces, null, inputs, List.of(), manifest, null, 4, null, epochs, 4, 0.01, 1,
                shaped, 0.1, stdin);
    }

    /** Keeps the notes; progress bars are not kept. */
    static final class Notes implements Progress {
        final List<String> notes = new ArrayList<>();

        @Override
        public void note(String format, Object... args) {
            notes.add(String.format(java.util.Locale.ROOT, format, args));
        }

        @Override
        public void progress(String label, long done, long total) {
        }

        @Override
        public void clearProgress() {
        }
    }
}
