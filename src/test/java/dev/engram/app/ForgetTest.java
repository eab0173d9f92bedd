package dev.engram.app;

import dev.engram.EngramException;
import dev.engram.ExitCode;
import dev.engram.io.Directories;
import dev.engram.recall.Recaller;
import dev.engram.store.NewTrace;
import dev.engram.store.Space;
import dev.engram.store.Store;
import dev.engram.store.StoreContract;
import dev.engram.store.StoreDump;
import dev.engram.store.StoreLocation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Forgetting traces, concepts and spaces, and getting the disk back. */
class ForgetTest {
    @TempDir
    Path tmp;

    private static String dump(StoreLocation location) {
        try (Store store = location.open()) {
            return StoreDump.of(store);
        }
    }

    private static Forget.Request traces(List<String> sources, List<String> concepts, List<String> spaces, boolean dryRun) {
        return new Forget.Request(List.of(), sources, concepts, spaces, null, null, List.of(), List.of(), dryRun, false);
    }

    @Test
    void aDryRunListsWhatWouldGoAndForgettingRemovesExactlyThat() throws IOException {
        StoreLocation memory = Bars.memory(tmp);
        String before = dump(memory);
        List<Forget.Gone> listed = new ArrayList<>();
        Forget.Forgotten dry = Forget.run(memory, traces(List.of(), List.of("row"), List.of("image"), true),
                listed::add, Progress.SILENT);
        assertTrue(dry.dryRun());
        assertEquals(before, dump(memory), "a dry run changes nothing");
        assertFalse(listed.isEmpty());
        assertTrue(listed.stream().allMatch(g -> g.space().equals("image")));

        Forget.Forgotten done = Forget.run(memory, traces(List.of(), List.of("row"), List.of("image"), false), g -> { },
                Progress.SILENT);
        assertEquals(Map.of("image", (long) listed.size()), done.tracesBySpace());
        try (Store store = memory.open()) {
            Space image = store.space("image").orElseThrow();
            assertTrue(store.traces(listed.stream().map(Forget.Gone::trace).toList()).isEmpty());
            // Recall of a row picture finds no forgotten trace, and no longer a row among the images.
            Path cues = Bars.draw(tmp.resolve("cues"), "row", 2, 31).getFirst().getParent();
            List<Long> found = new ArrayList<>();
            Recall.run(store, new Recall.Request(List.of(cues.toString()), List.of(), null, List.of("image"), 5, 3, 3,
                    false, null, false, InputStream.nullInputStream()), Progress.SILENT, r -> {
                Recaller.Recollection c = r.recollection();
                c.neighbours().forEach(h -> found.add(h.trace().id()));
            });
            assertFalse(found.isEmpty());
            assertTrue(found.stream().noneMatch(id -> listed.stream().anyMatch(g -> g.trace() == id)), found.toString());
            assertTrue(store.traceCount(image) > 0, "the columns stay");
        }
    }

    @Test
    void wholeConceptsAndSpacesGoAndUnknownNamesChangeNothing() throws IOException {
        StoreLocation memory = Bars.memory(tmp);
        String before = dump(memory);
        assertEquals(ExitCode.UNKNOWN_NAME, assertThrows(EngramException.class, () -> Forget.run(memory,
                new Forget.Request(List.of(), List.of(), List.of(), List.of(), null, null, List.of("nope"), List.of(),
                        false, false), g -> { }, Progress.SILENT)).exitCode());
        assertEquals(ExitCode.INVALID_INPUT, assertThrows(EngramException.class, () -> Forget.run(memory,
                new Forget.Request(List.of(), List.of(), List.of(), List.of(), null, null, List.of(), List.of(), false,
                        false), g -> { }, Progress.SILENT)).exitCode());
        assertEquals(before, dump(memory));

        Forget.run(memory, new Forget.Request(List.of(), List.of(), List.of(), List.of(), null, null, List.of("bar"),
                List.of("text"), false, false), g -> { }, Progress.SILENT);
        try (Store store = memory.open()) {
            assertTrue(store.space("text").isEmpty());
            assertTrue(store.concept("bar").isEmpty());
            assertEquals(0, store.concept("row").orElseThrow().parentId(), "row's parent was bar, which had none");
            assertTrue(store.space("image").isPresent());
        }
    }

    /** The README's figure: a store of 40,000 16-d traces, half of it forgotten, then compacted. */
    @Test
    void forgettingHalfAStoreAndCompactingGivesTheDiskBack() {
        StoreLocation location = Bars.store(tmp.resolve("big"));
        try (Store store = location.openOrCreate()) {
            Space space = store.write(tx -> tx.createSpace("v", "vector", "test", 16, "euclidean", "{}"));
            List<NewTrace> all = StoreContract.randomTraces(40_000, 16, 5, "t");
            for (int from = 0; from < all.size(); from += 10_000) {
                List<NewTrace> part = all.subList(from, from + 10_000);
                store.write(tx -> tx.addTraces(Map.of(space, part)));
            }
        }
        long loaded = Directories.size(tmp.resolve("big"));
        try (Store store = location.open()) {
            store.compact(); // so that only forgetting makes the difference below
        }
        long before = Directories.size(tmp.resolve("big"));
        Forget.Forgotten forgotten = Forget.run(location, new Forget.Request(List.of(), List.of(tmp.resolve("nowhere")
                .toString()), List.of(), List.of(), null, null, List.of(), List.of(), false, false), g -> { }, Progress.SILENT);
        assertEquals(Map.of(), forgotten.tracesBySpace(), "no trace came from there");
        List<Long> half = new ArrayList<>();
        try (Store store = location.open()) {
            store.forEachTrace(store.space("v").orElseThrow(), t -> {
                if (t.id() % 2 == 0) {
                    half.add(t.id());
                }
            });
        }
        forgotten = Forget.run(location, new Forget.Request(half, List.of(), List.of(), List.of(), null, null, List.of(),
                List.of(), false, true), g -> { }, Progress.SILENT);
        assertEquals(Map.of("v", 20_000L), forgotten.tracesBySpace());
        long after = Directories.size(tmp.resolve("big"));
        System.err.printf("store of 40,000 16-d traces: %,d bytes as loaded, %,d compacted; half forgotten and"
                + " compacted: %,d bytes%n", loaded, before, after);
        assertTrue(after < before * 0.7, before + " -> " + after);
        try (Store store = location.open()) {
            Space v = store.space("v").orElseThrow();
            assertEquals(20_000, store.traceCount(v));
            List<NewTrace> all = StoreContract.randomTraces(40_000, 16, 5, "t");
            // Trace i has id i + 1: a kept trace (odd id) finds itself; a forgotten one a kept neighbour, never itself.
            assertEquals(0.0, store.nearest(v, all.get(0).vector(), 1).getFirst().distance(), 1e-6);
            assertTrue(store.nearest(v, all.get(1).vector(), 1).getFirst().distance() > 0);
        }
    }
}
