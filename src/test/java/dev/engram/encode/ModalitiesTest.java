package dev.engram.encode;

import dev.engram.EngramException;
import dev.engram.ExitCode;
import dev.engram.store.NewTrace;
import dev.engram.store.Store;
import dev.engram.store.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What every registered modality must do, checked for each: a modality added to
 * {@link Modalities} without a {@link Sample} here fails {@link #everyModalityHasASample}.
 */
class ModalitiesTest {
    private static final Path SPEECH = Path.of("sample-data", "fashion", "speech");

    @TempDir
    Path dir;

    /** Three distinct inputs of a modality as one argument, and an event's field for the first of them. */
    interface Sample {
        /** Writes the inputs under {@code dir}; returns the argument that names them. */
        String argument(Path dir) throws IOException;

        /** Writes what the field needs under {@code dir}; returns the field's JSON value. */
        String field(Path dir) throws IOException;
    }

    private static final Map<String, Sample> SAMPLES = Map.of(
            "image", new Sample() {
                @Override
                public String argument(Path dir) throws IOException {
                    for (int i = 0; i < 3; i++) {
                        png(dir.resolve("pictures").resolve(i + ".png"), i);
                    }
                    return dir.resolve("pictures").toString();
                }

                @Override
                public String field(Path dir) throws IOException {
                    png(dir.resolve("seen.png"), 0);
                    return "\"seen.png\"";
                }
            },
            "text", new Sample() {
                @Override
                public String argument(Path dir) throws IOException {
                    List<String> texts = List.of("a red sandal", "a warm coat", "a leather bag");
                    Files.createDirectories(dir.resolve("texts"));
                    for (int i = 0; i < texts.size(); i++) {
                        Files.writeString(dir.resolve("texts").resolve(i + ".txt"), texts.get(i));
                    }
                    return dir.resolve("texts").toString();
                }

                @Override
                public String field(Path dir) {
                    return "\"a red sandal\"";
                }
            },
            "audio", new Sample() {
                @Override
                public String argument(Path dir) throws IOException {
                    Files.createDirectories(dir.resolve("sounds"));
                    for (String voice : List.of("gb-f2", "rp-m3", "us-m1")) {
                        Files.copy(SPEECH.resolve("bag").resolve(voice + ".wav"),
                                dir.resolve("sounds").resolve(voice + ".wav"));
                    }
                    return dir.resolve("sounds").toString();
                }

                @Override
                public String field(Path dir) throws IOException {
                    Files.copy(SPEECH.resolve("bag").resolve("gb-f2.wav"), dir.resolve("heard.wav"));
                    return "\"heard.wav\"";
                }
            },
            "vector", new Sample() {
                @Override
                public String argument(Path dir) throws IOException {
                    return Files.writeString(dir.resolve("rows.csv"), "1,2,3\n4,5,6.5\n-7,8,9\n").toString();
                }

                @Override
                public String field(Path dir) {
                    return "[1, 2, 3]";
                }
            });

    @Test
    void everyModalityHasASample() {
        assertEquals(SAMPLES.keySet(), Modalities.all().stream().map(Modality::id).collect(Collectors.toSet()));
    }

    @Test
    void idsAndExtensionsAreUniqueAndExtensionsTellTheirModality() {
        Set<String> ids = new HashSet<>();
        Set<String> extensions = new HashSet<>();
        for (Modality<?> m : Modalities.all()) {
            assertTrue(ids.add(m.id()), "id " + m.id() + " twice");
            assertEquals(m, Modalities.of(m.id()));
            for (String extension : m.extensions()) {
                assertTrue(extension.startsWith(".") && extension.equals(extension.toLowerCase()), extension);
                assertTrue(extensions.add(extension), "extension " + extension + " twice");
                assertEquals(m, Modalities.byExtension("X" + extension.toUpperCase()).orElseThrow());
            }
        }
    }

    @Test
    void anUnknownModalityIsInvalidInputNamingTheKnownOnes() {
        EngramException e = assertThrows(EngramException.class, () -> Modalities.of("x"));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertEquals("unknown modality 'x' (known: image, text, audio, vector)", e.getMessage());
    }

    @Test
    void everyModalityRoundTripsItsManifestField() throws IOException {
        for (Modality<?> m : Modalities.all()) {
            Path here = Files.createDirectories(dir.resolve(m.id()));
            Path manifest = Files.writeString(here.resolve("events.jsonl"),
                    "{\"" + m.id() + "\": " + SAMPLES.get(m.id()).field(here) + ", \"concept\": \"bag\"}\n");
            Manifest.Event event = Manifest.read(manifest).events().getFirst();
            assertEquals(List.of(m), List.copyOf(event.inputs().keySet()), m.id());
            Inputs<?> fromField = m.read(new Sources(List.of(), List.of(), List.of(event.inputs().get(m))),
                    Reading.inputs(null, null, InputStream.nullInputStream()));
            Inputs<?> fromArgument = m.read(new Sources(List.of(), List.of(SAMPLES.get(m.id()).argument(here)),
                    List.of()), Reading.inputs(null, null, InputStream.nullInputStream()));
            assertEquals(1, fromField.size(), m.id() + ": a field is one input");
            assertEquals(fromArgument.items().getFirst().contentHash(), fromField.items().getFirst().contentHash(),
                    m.id() + ": the field's content is the same input read from a file");
        }
    }

    @Test
    void everyModalityMakesASpaceAndEveryDecoderWritesAReconstruction() throws IOException {
        try (Store store = Stores.at(dir.resolve("store").toString(), Duration.ofSeconds(10)).openOrCreate()) {
            for (Modality<?> m : Modalities.all()) {
                makeAndReconstruct(store, m);
            }
        }
    }

    private <I extends Input> void makeAndReconstruct(Store store, Modality<I> m) throws IOException {
        Path here = Files.createDirectories(dir.resolve(m.id()));
        Inputs<I> inputs = m.read(new Sources(List.of(), List.of(SAMPLES.get(m.id()).argument(here)), List.of()),
                Reading.inputs(null, null, InputStream.nullInputStream()));
        assertEquals(3, inputs.distinct().size(), m.id());
        NewSpace settings = new NewSpace(2, new TrainingOptions(1, 2, 0.001, 1), concepts -> {
            throw new AssertionError("not shaped");
        }, new NewSpace.Listener() {
            @Override
            public void note(String format, Object... args) {
            }

            @Override
            public void epoch(int epoch, int epochs, double loss, double seconds) {
            }
        });
        try (SpaceEncoder<I> encoder = m.create(store, "new-" + m.id(), inputs, settings)) {
            assertEquals(m.id(), encoder.space().modality());
            List<NewTrace> traces = encoder.traces(inputs.items());
            assertEquals(3, traces.size());
            assertTrue(traces.stream().allMatch(t -> t.vector().length == encoder.space().dimension()
                    && t.surprise() >= 0), m.id());
            SpaceEncoder.Encoded encoded = encoder.encode(inputs.items());
            assertEquals(encoder.decoder().isPresent(), m.reconstructions().isPresent(),
                    m.id() + ": a decoder exactly where there is a writer");
            if (encoder.decoder().isEmpty()) {
                assertNull(encoded.reconstructions(), m.id());
                store.write(encoder::record);
                return;
            }
            float[] decoded = encoder.decoder().get().decode(encoded.vectors())[0];
            ReconstructionWriter writer = m.reconstructions().get();
            Path file = here.resolve("reconstruction" + writer.extension());
            writer.write(encoder.space(), decoded, file);
            assertTrue(Files.size(file) > 0, m.id());
            assertEquals(encoded.reconstructions()[0].length, decoded.length, m.id());
            assertFalse(encoder.space().recorded(), "a new space is recorded by the unit that stores its traces");
            store.write(encoder::record);
        }
        try (SpaceEncoder<I> reopened = m.open(store, store.space("new-" + m.id()).orElseThrow())) {
            assertEquals(inputs.items().getFirst().contentHash(), reopened.traces(inputs.items()).getFirst()
                    .contentHash());
        }
    }

    @Test
    void aFileIsToldByItsNameElseByItsFirstBytesElseRefused() throws IOException {
        Path wav = Files.copy(SPEECH.resolve("bag").resolve("gb-f2.wav"), dir.resolve("recording"));
        assertEquals("audio", Modalities.ofPath(wav).id(), "a WAV file by its RIFF/WAVE header");
        Path png = png(dir.resolve("picture"), 1);
        assertEquals("image", Modalities.ofPath(png).id(), "a PNG by its signature");
        assertEquals("text", Modalities.ofPath(Files.writeString(dir.resolve("notes.TXT"), "x")).id());

        Path unknown = Files.writeString(dir.resolve("notes.dat"), "these are not pixels");
        EngramException e = assertThrows(EngramException.class, () -> Modalities.ofPath(unknown));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertFalse(e.getMessage().contains("\n"));
        assertTrue(e.getMessage().startsWith(unknown + ": cannot tell"), e.getMessage());

        Path empty = Files.createDirectories(dir.resolve("empty"));
        Files.writeString(empty.resolve(".hidden.png"), "");
        assertEquals(ExitCode.NOTHING_TO_DO, assertThrows(EngramException.class,
                () -> Modalities.ofPath(empty)).exitCode(), "hidden files are not searched");
        assertEquals(ExitCode.INVALID_INPUT, assertThrows(EngramException.class,
                () -> Modalities.ofPath(dir.resolve("missing.png"))).exitCode());
        Files.copy(wav, Files.createDirectories(dir.resolve("mixed/b")).resolve("b.wav"));
        png(dir.resolve("mixed/a/a.png"), 2);
        assertEquals("image", Modalities.ofPath(dir.resolve("mixed")).id(), "a directory's first file in path order");
    }

    private static Path png(Path file, int seed) {
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_BYTE_GRAY);
        Random random = new Random(seed);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                image.getRaster().setSample(x, y, 0, random.nextInt(256));
            }
        }
        try {
            Files.createDirectories(file.getParent());
            ImageIO.write(image, "png", file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
