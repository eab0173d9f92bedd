package dev.engram.app;

import dev.engram.EngramException;
import dev.engram.ExitCode;
import dev.engram.bind.Binder;
import dev.engram.recall.Recaller;
import dev.engram.store.Store;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The recall use case, called in process on one store: pictures of bars and their captions,
 * perceived together as events and bound by synchrony.
 */
class RecallTest {
    private static final InputStream NO_STDIN = InputStream.nullInputStream();

    @TempDir
    static Path shared;
    static Store store;
    static Path cues;

    @TempDir
    Path tmp;

    @BeforeAll
    static void perceiveAndBind() throws IOException {
        Path file = Bars.events(shared.resolve("events"), 8);
        Encode.run(Bars.store(shared.resolve("store")), Bars.encode(List.of(), List.of(), file, false, 30, NO_STDIN),
                Progress.SILENT);
        store = Bars.store(shared.resolve("store")).open();
        new Binder(store, 0.5).synchrony(null);
        cues = shared.resolve("cues");
        Bars.draw(cues, "row", 3, 21);
        Bars.draw(cues, "column", 3, 22);
    }

    @AfterAll
    static void close() {
        store.close();
    }

    private static Recall.Request request(List<String> cues, List<String> texts, Path reconstruct) {
        return request(cues, texts, reconstruct, NO_STDIN);
    }

    private static Recall.Request request(List<String> cues, List<String> texts, Path reconstruct, InputStream stdin) {
        return new Recall.Request(cues, texts, null, List.of(), 3, 2, 2, false, reconstruct, false, stdin);
    }

    private static List<Recall.Recalled> recall(Recall.Request request) {
        List<Recall.Recalled> recalled = new ArrayList<>();
        Recall.Result result = Recall.run(store, request, Progress.SILENT, recalled::add);
        assertEquals(recalled.size(), result.cues());
        return recalled;
    }

    private static String modality(int spaceId) {
        return store.spaces().stream().filter(s -> s.id() == spaceId).findFirst().orElseThrow().modality();
    }

    private static String top(Recall.Recalled r) {
        return r.recollection().top().concept().label();
    }

    @Test
    void heldBackPicturesRecallTheirConceptWithTheImagesAndTextsBoundToIt() {
        List<Recall.Recalled> recalled = recall(request(List.of(cues.toString()), List.of(), null));
        assertEquals(6, recalled.size());
        int right = 0;
        for (Recall.Recalled r : recalled) {
            Recaller.Recollection recollection = r.recollection();
            assertEquals("image", recollection.kind());
            assertTrue(recollection.surprise() > 0, recollection::toString);
            String truth = Path.of(recollection.cue()).getParent().getFileName().toString();
            right += top(r).equals(truth) ? 1 : 0;
            assertEquals(Set.of("image", "text"), recollection.top().members().stream()
                    .map(m -> modality(m.trace().spaceId())).collect(Collectors.toSet()), "members of both spaces");
        }
        assertTrue(right >= 5, right + " of 6 pictures recalled their bar");
    }

    @Test
    void cuesOfEachModalityComeFirstThenTracesAndConceptsInTheirOrder() {
        List<Recall.Recalled> recalled = recall(request(List.of("column", "trace:1",
                cues.resolve("row").resolve("0.png").toString(), "text:a bright bar in a row"),
                List.of("a bright bar in a column"), null));
        assertEquals(List.of("image", "text", "text", "concept", "trace"),
                recalled.stream().map(r -> r.recollection().kind()).toList());
        assertEquals(List.of("a bright bar in a column", "a bright bar in a row"),
                List.of(recalled.get(1).recollection().cue(), recalled.get(2).recollection().cue()));
        assertEquals("column", top(recalled.get(1)));
        assertEquals("row", top(recalled.get(2)));
        assertEquals(0.0, recalled.get(2).recollection().surprise(), 1e-6, "words stored verbatim are no surprise");
        assertEquals(1.0, recalled.get(3).recollection().top().score(), "a concept cue is its concept");
        assertEquals(0.0, recalled.get(4).recollection().neighbours().getFirst().distance(), 1e-6);
    }

    @Test
    void reconstructionsAreWrittenForTheCueAndTheRecalledTracesOfSpacesWithADecoder() throws IOException {
        Path out = tmp.resolve("out");
        List<Recall.Recalled> recalled = recall(request(List.of(cues.resolve("column").resolve("1.png").toString()),
                List.of("a bar"), out));
        Recall.Recalled image = recalled.get(0);
        assertEquals(out.resolve("cue-1.png"), image.reconstruction());
        assertTrue(Files.size(image.reconstruction()) > 0);
        assertTrue(!image.traces().isEmpty());
        for (var entry : image.traces().entrySet()) {
            assertEquals(out.resolve("trace-" + entry.getKey() + ".png"), entry.getValue());
            assertTrue(Files.size(entry.getValue()) > 0);
            assertEquals("image", modality(store.trace(entry.getKey()).orElseThrow().spaceId()),
                    "texts have no decoder");
        }
        assertNull(recalled.get(1).reconstruction(), "a text cue has none");
    }

    @Test
    void pathsOnStandardInputAreCuesOfTheirOwnKind() throws IOException {
        Path words = Files.writeString(tmp.resolve("words.txt"), "a bright bar in a column");
        String lines = cues.resolve("row").resolve("2.png") + "\n\n" + words + "\n";
        List<Recall.Recalled> recalled = recall(request(List.of("-"), List.of(), null,
                new ByteArrayInputStream(lines.getBytes(StandardCharsets.UTF_8))));
        assertEquals(List.of("image", "text"), recalled.stream().map(r -> r.recollection().kind()).toList());
        assertEquals("column", top(recalled.get(1)));
    }

    @Test
    void aCueWhoseKindCannotBeToldIsRefusedBeforeAnythingIsRecalled() throws IOException {
        Path unknown = Files.writeString(tmp.resolve("cue.bin"), "\u0001\u0002 not any kind of input");
        List<Recall.Recalled> recalled = new ArrayList<>();
        EngramException e = assertThrows(EngramException.class, () -> Recall.run(store,
                request(List.of(cues.toString(), unknown.toString()), List.of(), null), Progress.SILENT, recalled::add));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertTrue(e.getMessage().startsWith(unknown + ": cannot tell"), e.getMessage());
        assertTrue(recalled.isEmpty());
    }
}
