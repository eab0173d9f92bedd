package dev.engram.app;

import dev.engram.EngramException;
import dev.engram.ExitCode;
import dev.engram.store.Store;
import dev.engram.store.StoreLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The encode use case, called in process on real stores and real encoders. */
class EncodeTest {
    private static final InputStream NO_STDIN = InputStream.nullInputStream();

    @TempDir
    Path tmp;

    @Test
    void aDirectoryMakesANewSpaceNamedAfterItsModalityAndTheSameInputsAgainAreTheSameTraces() {
        Bars.draw(tmp.resolve("in"), "row", 4, 1);
        Bars.draw(tmp.resolve("in"), "column", 4, 2);
        StoreLocation location = Bars.store(tmp.resolve("store"));
        Bars.Notes notes = new Bars.Notes();

        Encode.Result first = Encode.run(location, Bars.encode(List.of(), List.of(tmp.resolve("in").toString()),
                null, false, 2, NO_STDIN), notes);

        assertEquals(1, first.spaces().size());
        Encode.Encoded encoded = first.spaces().getFirst();
        assertEquals("image", encoded.space().name());
        assertEquals("image", encoded.space().modality());
        assertEquals(8, encoded.traces().size());
        assertEquals(8, encoded.created());
        assertEquals(8, encoded.spaceTraces());
        for (Encode.Stored s : encoded.traces()) {
            assertEquals(0, s.event());
            assertTrue(s.surprisePercentile() > 0 && s.surprisePercentile() <= 1, s::toString);
        }
        assertTrue(notes.notes.contains("read 8 image inputs for space 'image'"), notes.notes::toString);
        assertTrue(notes.notes.stream().anyMatch(n -> n.startsWith("training a 4-dimensional autoencoder for new"
                + " image space 'image' on 8 distinct inputs")), notes.notes::toString);

        Encode.Result again = Encode.run(location, Bars.encode(List.of("image"),
                List.of(tmp.resolve("in").toString()), null, false, 2, NO_STDIN), Progress.SILENT);
        Encode.Encoded same = again.spaces().getFirst();
        assertEquals(0, same.created());
        assertEquals(ids(encoded), ids(same));
        assertEquals(8, same.spaceTraces());
    }

    @Test
    void anEventsInputsAreStoredTogetherEachInTheSpaceOfItsModality() throws IOException {
        StringBuilder manifest = new StringBuilder();
        for (String kind : Bars.KINDS) {
            List<Path> pictures = Bars.draw(tmp.resolve("events"), kind, 3, kind.length());
            for (Path picture : pictures) {
                manifest.append(String.format("{\"text\": \"a bar in a %s\", \"image\": \"%s\", \"concept\": \"%s\"}%n",
                        kind, tmp.resolve("events").relativize(picture), kind));
            }
        }
        Path file = Files.writeString(tmp.resolve("events").resolve("events.jsonl"), manifest);
        StoreLocation location = Bars.store(tmp.resolve("store"));
        Bars.Notes notes = new Bars.Notes();

        Encode.Result result = Encode.run(location, Bars.encode(List.of("image=bars"), List.of(), file, true, 2,
                NO_STDIN), notes);

        assertEquals(List.of("bars", "text"), result.spaces().stream().map(e -> e.space().name()).toList(),
                "spaces in the order of the modalities, whatever the order of the fields");
        Encode.Encoded images = result.spaces().get(0);
        Encode.Encoded texts = result.spaces().get(1);
        assertEquals(6, images.traces().size());
        assertEquals(6, texts.traces().size(), "one per event");
        assertEquals(2, texts.created(), "the same words twice are one trace");
        for (int i = 0; i < 6; i++) {
            long event = images.traces().get(i).event();
            assertTrue(event > 0);
            assertEquals(event, texts.traces().get(i).event(), "an event's image and text share it");
        }
        assertTrue(notes.notes.contains("shaping space 'bars' by 2 concepts known for 6 of 6 inputs (weight 0.1000)"),
                notes.notes::toString);
        assertTrue(notes.notes.stream().anyMatch(n -> n.startsWith("new text space 'text'")), notes.notes::toString);
        try (Store store = location.open()) {
            Map<Long, List<Long>> events = store.eventTraces(null);
            assertEquals(6, events.size());
            assertTrue(events.values().stream().allMatch(traces -> traces.size() == 2), events::toString);
        }
    }

    @Test
    void pathsOnStandardInputAreReadAsTheFirstPathTells() {
        List<Path> pictures = Bars.draw(tmp.resolve("in"), "row", 3, 5);
        String lines = pictures.stream().map(Path::toString).collect(Collectors.joining("\n", "\n", "\n"));
        InputStream stdin = new ByteArrayInputStream(lines.getBytes(StandardCharsets.UTF_8));
        Encode.Result result = Encode.run(Bars.store(tmp.resolve("store")), Bars.encode(List.of("lines"),
                List.of("-"), null, false, 2, stdin), Progress.SILENT);
        assertEquals("image", result.spaces().getFirst().space().modality());
        assertEquals(3, result.spaces().getFirst().traces().size());
    }

    @Test
    void anInputWhoseKindCannotBeToldIsRefusedAndNoStoreIsMade() throws IOException {
        Path unknown = Files.writeString(tmp.resolve("measurements.dat"), "0.1 0.2 0.3\n");
        StoreLocation location = Bars.store(tmp.resolve("store"));
        EngramException e = assertThrows(EngramException.class, () -> Encode.run(location,
                Bars.encode(List.of(), List.of(unknown.toString()), null, false, 2, NO_STDIN), Progress.SILENT));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertTrue(e.getMessage().startsWith(unknown + ": cannot tell what kind of input this is"), e.getMessage());
        assertFalse(location.exists());

        InputStream words = new ByteArrayInputStream("some words\n".getBytes(StandardCharsets.UTF_8));
        EngramException text = assertThrows(EngramException.class, () -> Encode.run(location,
                Bars.encode(List.of(), List.of("-"), null, false, 2, words), Progress.SILENT));
        assertEquals(ExitCode.INVALID_INPUT, text.exitCode());
        assertTrue(text.getMessage().contains("--modality text"), text.getMessage());
        assertFalse(location.exists());
    }

    @Test
    void aBadInputAnywhereStoresNothing() throws IOException {
        StoreLocation location = Bars.store(tmp.resolve("store"));
        Encode.run(location, Bars.encode(List.of(), List.of(Bars.draw(tmp.resolve("in"), "row", 4, 7).getFirst()
                .getParent().toString()), null, false, 2, NO_STDIN), Progress.SILENT);
        Path broken = Files.writeString(tmp.resolve("in").resolve("row").resolve("broken.png"), "not a picture");
        Bars.draw(tmp.resolve("more"), "column", 2, 8);
        List<String> inputs = List.of(tmp.resolve("more").toString(), broken.toString());
        EngramException e = assertThrows(EngramException.class, () -> Encode.run(location,
                Bars.encode(List.of(), inputs, null, false, 2, NO_STDIN), Progress.SILENT));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        try (Store store = location.open()) {
            assertEquals(4, store.traceCount(store.space("image").orElseThrow()), "the columns were not stored");
        }
    }

    private static List<Long> ids(Encode.Encoded encoded) {
        return encoded.traces().stream().map(s -> s.trace().id()).toList();
    }
}
