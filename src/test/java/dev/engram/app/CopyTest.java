package dev.engram.app;

import dev.engram.EngramException;
import dev.engram.ExitCode;
import dev.engram.recall.Recaller;
import dev.engram.store.Store;
import dev.engram.store.StoreDump;
import dev.engram.store.StoreLocation;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The copy use case between two embedded stores: a memory of pictures and captions, bound by
 * synchrony and labels, with a hierarchy and a dim report, copied whole. (The server store's
 * round trip, a directory into PostgreSQL and SolrCloud and back, is in ServerStoreIT.)
 */
class CopyTest {
    @TempDir
    static Path shared;
    static StoreLocation original;
    static Path cues;

    @TempDir
    Path tmp;

    @BeforeAll
    static void perceiveAndBind() throws IOException {
        original = Bars.memory(shared);
        cues = shared.resolve("cues");
        Bars.draw(cues, "row", 2, 21);
        Bars.draw(cues, "column", 2, 22);
    }

    private static String dump(StoreLocation location) {
        try (Store store = location.open()) {
            return StoreDump.of(store);
        }
    }

    /** What recall answers, without the vectors: cue, surprise, neighbours and concepts with their members. */
    private static List<String> recall(StoreLocation location) {
        List<String> answers = new ArrayList<>();
        try (Store store = location.open()) {
            Recall.run(store, new Recall.Request(List.of(cues.toString(), "trace:1", "row"),
                    List.of("a bar in a column"), null, List.of(), 3, 3, 3, true, null, false,
                    InputStream.nullInputStream()), Progress.SILENT, r -> {
                Recaller.Recollection c = r.recollection();
                StringBuilder line = new StringBuilder(c.cue() + " " + c.kind() + " " + c.surprise() + " "
                        + c.surprisePercentile());
                c.neighbours().forEach(h -> line.append(" n").append(h.trace().id()).append('@').append(h.distance())
                        .append(h.concepts()));
                c.concepts().forEach(s -> line.append(" c").append(s.concept()).append('=').append(s.score())
                        .append(s.parents()).append(s.siblings()).append(s.members().stream()
                                .map(m -> m.trace().id() + ":" + m.association()).toList()));
                answers.add(line.toString());
            });
        }
        return answers;
    }

    @Test
    void aCopyHoldsTheSameRecordWithTheSameIdsAndRecallsTheSame() {
        StoreLocation copy = Bars.store(tmp.resolve("copy"));
        Copy.Copied copied = Copy.run(original, copy, Progress.SILENT);
        String want = dump(original);
        assertEquals(want, dump(copy));
        assertTrue(want.contains("model image v1"), "the image space's model files are compared too");
        assertEquals(List.of("image", "text"), copied.spaces().stream().map(Copy.SpaceCopied::space).toList());
        assertEquals(List.of(1), copied.spaces().getFirst().modelVersions());
        assertEquals(1, copied.dimReports());
        List<String> recalled = recall(original);
        assertEquals(7, recalled.size());
        assertEquals(recalled, recall(copy));

        // And back: a copy of the copy is the original again, and both still take new writes.
        StoreLocation back = Bars.store(tmp.resolve("back"));
        Copy.run(copy, back, Progress.SILENT);
        assertEquals(want, dump(back));
        try (Store store = back.open()) {
            long highest = store.highestIds().concepts();
            assertTrue(store.write(tx -> tx.conceptNamed("fresh")).id() > highest);
        }
    }

    @Test
    void aStoreThatHoldsAnythingIsNotCopiedIntoAndStaysAsItWas() {
        StoreLocation full = Bars.store(tmp.resolve("full"));
        try (Store store = full.openOrCreate()) {
            store.write(tx -> tx.conceptNamed("mine"));
        }
        String before = dump(full);
        EngramException e = assertThrows(EngramException.class, () -> Copy.run(original, full, Progress.SILENT));
        assertEquals(ExitCode.STORE_NOT_EMPTY, e.exitCode());
        assertTrue(e.getMessage().contains("is not empty (0 spaces, 0 events, 1 concepts, 0 dim reports)"),
                e.getMessage());
        assertEquals(before, dump(full));
    }

    @Test
    void nothingIsCopiedFromAnEmptyOrMissingStoreNorOntoItself() {
        StoreLocation empty = Bars.store(tmp.resolve("empty"));
        empty.openOrCreate().close();
        StoreLocation to = Bars.store(tmp.resolve("to"));
        assertEquals(ExitCode.NOTHING_TO_DO, assertThrows(EngramException.class,
                () -> Copy.run(empty, to, Progress.SILENT)).exitCode());
        assertEquals(ExitCode.STORE_UNAVAILABLE, assertThrows(EngramException.class,
                () -> Copy.run(Bars.store(tmp.resolve("missing")), to, Progress.SILENT)).exitCode());
        assertFalse(to.exists(), "no destination is made when there is nothing to copy");
        assertEquals(ExitCode.INVALID_INPUT, assertThrows(EngramException.class,
                () -> Copy.run(original, Bars.store(shared.resolve("store")), Progress.SILENT)).exitCode());
    }
}
