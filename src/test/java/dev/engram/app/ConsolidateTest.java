package dev.engram.app;

import dev.engram.EngramException;
import dev.engram.ExitCode;
import dev.engram.io.Npy;
import dev.engram.store.AssociationKind;
import dev.engram.store.Binding;
import dev.engram.store.Concept;
import dev.engram.store.NewTrace;
import dev.engram.store.Space;
import dev.engram.store.SpaceVersion;
import dev.engram.store.Store;
import dev.engram.store.StoreLocation;
import dev.engram.store.StoreSummary;
import dev.engram.store.Trace;
import dev.engram.store.TraceVector;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Consolidation on small seeded data: a vector space trained on one kind of signal (points near
 * one plane in 8-d), then given another kind (near another plane), which it is consolidated to
 * learn. Each test works on its own copy of the store so built.
 */
class ConsolidateTest {
    private static final int DIM = 8;
    private static final int PER_KIND = 200;

    @TempDir
    static Path shared;
    static StoreLocation base;
    static Encode.Encoded newKind;

    @TempDir
    Path tmp;

    /** {@code n} points x = W z + noise, z in 2-d: one "kind" per W. */
    private static float[][] kind(long seed, int n) {
        Random random = new Random(seed);
        double[][] w = new double[DIM][2];
        for (double[] row : w) {
            row[0] = random.nextGaussian() * 3;
            row[1] = random.nextGaussian() * 3;
        }
        float[][] points = new float[n][DIM];
        for (int i = 0; i < n; i++) {
            double z0 = random.nextGaussian();
            double z1 = random.nextGaussian();
            for (int j = 0; j < DIM; j++) {
                points[i][j] = (float) (w[j][0] * z0 + w[j][1] * z1 + 0.05 * random.nextGaussian() + 4 * seed);
            }
        }
        return points;
    }

    private static Path npy(Path file, float[][] points) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            Npy.write(points, out);
        }
        return file;
    }

    private static Encode.Encoded encode(StoreLocation store, Path file) {
        return Encode.run(store, new Encode.Request(List.of("signals"), null, List.of(file.toString()), List.of(),
                null, null, 2, null, 60, 32, 0.01, 1, false, 0.1, InputStream.nullInputStream()),
                Progress.SILENT).spaces().getFirst();
    }

    @BeforeAll
    static void learnOneKindThenSeeAnother() throws IOException {
        base = Bars.store(shared.resolve("base"));
        encode(base, npy(shared.resolve("a.npy"), kind(1, PER_KIND)));
        try (Store store = base.open()) {
            Space space = store.space("signals").orElseThrow();
            List<Binding> labels = new ArrayList<>();
            Concept a = store.write(tx -> tx.conceptNamed("a"));
            store.forEachTrace(space, t -> labels.add(new Binding(a.id(), t.id(), AssociationKind.LABEL, 0.5)));
            store.write(tx -> tx.bind(labels));
        }
        newKind = encode(base, npy(shared.resolve("b.npy"), kind(2, PER_KIND)));
    }

    /** A copy of the store built above, for one test to change. */
    private StoreLocation copy() {
        StoreLocation copy = Bars.store(tmp.resolve("store-" + System.nanoTime()));
        Copy.run(base, copy, Progress.SILENT);
        return copy;
    }

    private static Consolidate.Request request(double replay, boolean generated) {
        return new Consolidate.Request("signals", replay, Consolidate.Priority.RECENCY,
                generated ? Consolidate.ReplayInputs.GENERATED : Consolidate.ReplayInputs.AUTO, 60, null, null, 7, 0,
                false, null);
    }

    /** The mean surprise (reconstruction error) of the traces of the first kind (ids of the first encode). */
    private static double oldKindError(StoreLocation location) {
        try (Store store = location.open()) {
            Space space = store.space("signals").orElseThrow();
            List<Trace> traces = new ArrayList<>();
            store.forEachTrace(space, traces::add);
            return traces.subList(0, PER_KIND).stream().mapToDouble(Trace::surprise).average().orElseThrow();
        }
    }

    private static double newKindError(StoreLocation location) {
        try (Store store = location.open()) {
            Space space = store.space("signals").orElseThrow();
            List<Trace> traces = new ArrayList<>();
            store.forEachTrace(space, traces::add);
            return traces.subList(PER_KIND, 2 * PER_KIND).stream().mapToDouble(Trace::surprise).average()
                    .orElseThrow();
        }
    }

    @Test
    void theNewKindIsNovelToTheSpace() {
        assertEquals(PER_KIND, newKind.created());
        assertTrue(newKind.novel() > PER_KIND * 0.9, newKind.novel() + " of " + PER_KIND + " novel");
    }

    @Test
    void consolidationLearnsTheNewKeepsIdsAndBindingsAndTheVersionBefore() {
        StoreLocation store = copy();
        Map<Long, TraceVector> before;
        String recordBefore;
        try (Store s = store.open()) {
            Space space = s.space("signals").orElseThrow();
            before = s.vectors(space, 1);
            recordBefore = s.boundTraceIds(space) + " " + s.eventTraces(space) + " " + s.concepts();
        }
        double newBefore = newKindError(store);
        Consolidate.Result result = Consolidate.run(store, request(0.5, false), Progress.SILENT);
        assertTrue(result.changed());
        Consolidate.Plan plan = result.plan();
        assertEquals(1, plan.fromVersion());
        assertEquals(2, plan.toVersion());
        assertEquals(PER_KIND, plan.fresh());
        assertEquals(PER_KIND, plan.replayed(), "a replay share of 0.5: as many older traces as new ones");
        assertEquals(2 * PER_KIND, plan.freshRaw() + plan.replayedRaw(), "every input was read again");
        assertEquals(2 * PER_KIND, result.reencodedRaw());
        assertEquals(60, result.lossPerEpoch().size());
        try (Store s = store.open()) {
            Space space = s.space("signals").orElseThrow();
            assertEquals(2, space.modelVersion());
            assertEquals(recordBefore, s.boundTraceIds(space) + " " + s.eventTraces(space) + " " + s.concepts());
            assertEquals(before.keySet(), s.vectors(space, 2).keySet(), "the same trace ids");
            for (TraceVector v : before.values()) {
                assertArrayEquals(v.vector(), s.vectors(space, 1).get(v.traceId()).vector(), "v1's points are kept");
            }
            assertFalse(java.util.Arrays.equals(before.values().iterator().next().vector(),
                    s.vectors(space, 2).values().iterator().next().vector()), "v2 has points of its own");
            assertTrue(s.models().exists("signals", 1) && s.models().exists("signals", 2));
            List<SpaceVersion> versions = s.versions(space);
            assertEquals(List.of(1, 2), versions.stream().map(SpaceVersion::version).toList());
            assertTrue(versions.get(1).consolidation().contains("\"replayed\":" + PER_KIND), versions.get(1)::toString);
        }
        StoreSummary summary = Info.summary(store);
        assertEquals(2, summary.spaces().getFirst().versions().size());
        assertEquals(60L, summary.spaces().getFirst().versions().get(1).provenance().get("epochs"));
        assertTrue(newKindError(store) < newBefore / 2,
                "the new kind is learnt: its error " + newKindError(store) + " against " + newBefore + " before");
    }

    @Test
    void replayKeepsTheOldKindWhereTrainingOnTheNewAloneForgetsIt() {
        StoreLocation replay = copy();
        StoreLocation alone = copy();
        double before = oldKindError(replay);
        Consolidate.run(replay, request(0.5, false), Progress.SILENT);
        Consolidate.run(alone, request(0, false), Progress.SILENT);
        double withReplay = oldKindError(replay);
        double without = oldKindError(alone);
        assertTrue(without > before * 2, "without replay the old kind is forgotten: error " + without
                + " against " + before + " before");
        assertTrue(withReplay < without / 2, "replay keeps it: error " + withReplay + " against " + without
                + " without replay (" + before + " before)");
    }

    @Test
    void generativeReplayStandsInWhenTheOldInputsAreGone() throws IOException {
        StoreLocation store = copy();
        Path a = shared.resolve("a.npy");
        Path aside = tmp.resolve("a.npy");
        Files.move(a, aside);
        Consolidate.Result result;
        try {
            result = Consolidate.run(store, request(0.5, false), Progress.SILENT);
        } finally {
            Files.move(aside, a);
        }
        assertEquals(PER_KIND, result.plan().replayedGenerated());
        assertEquals(0, result.plan().replayedRaw());
        assertEquals(PER_KIND, result.reencodedGenerated(), "the old kind is encoded again from reconstructions");
        StoreLocation alone = copy();
        Consolidate.run(alone, request(0, false), Progress.SILENT);
        assertTrue(oldKindError(store) < oldKindError(alone), "generative replay keeps the old kind better ("
                + oldKindError(store) + ") than none (" + oldKindError(alone) + ")");

        // Asked for: reconstructions replayed although the inputs are there.
        Consolidate.Result generated = Consolidate.run(copy(), request(0.5, true), Progress.SILENT);
        assertEquals(PER_KIND, generated.plan().replayedGenerated());
        assertEquals(2 * PER_KIND, generated.reencodedRaw(), "but every trace is encoded again from its raw input");
    }

    @Test
    void restoreMakesAnEarlierVersionCurrentWithItsOwnPoints() {
        StoreLocation store = copy();
        Consolidate.run(store, request(0.5, false), Progress.SILENT);
        Map<Long, TraceVector> v1;
        Map<Long, TraceVector> v2;
        try (Store s = store.open()) {
            Space space = s.space("signals").orElseThrow();
            v1 = s.vectors(space, 1);
            v2 = s.vectors(space, 2);
        }
        Consolidate.Result back = Consolidate.run(store, restore(1), Progress.SILENT);
        assertTrue(back.changed());
        try (Store s = store.open()) {
            Space space = s.space("signals").orElseThrow();
            assertEquals(1, space.modelVersion());
            for (Trace t : s.traces(new ArrayList<>(v1.keySet()))) {
                assertArrayEquals(v1.get(t.id()).vector(), t.vector());
                assertEquals(t.id(), s.nearest(space, t.vector(), 1).getFirst().traceId());
            }
        }
        Consolidate.run(store, restore(2), Progress.SILENT);
        try (Store s = store.open()) {
            Space space = s.space("signals").orElseThrow();
            assertEquals(2, space.modelVersion());
            for (Trace t : s.traces(new ArrayList<>(v2.keySet()))) {
                assertArrayEquals(v2.get(t.id()).vector(), t.vector());
            }
        }
        assertEquals(ExitCode.UNKNOWN_NAME, assertThrows(EngramException.class,
                () -> Consolidate.run(store, restore(3), Progress.SILENT)).exitCode());
        assertEquals(ExitCode.NOTHING_TO_DO, assertThrows(EngramException.class,
                () -> Consolidate.run(store, restore(2), Progress.SILENT)).exitCode());
    }

    private static Consolidate.Request restore(int version) {
        return new Consolidate.Request("signals", 0.5, Consolidate.Priority.RECENCY, Consolidate.ReplayInputs.AUTO,
                null, null, null, 7, 0, false, version);
    }

    @Test
    void aTraceStoredWhileTheNextVersionTrainsLeavesTheSpaceAsItWas() {
        StoreLocation store = copy();
        Map<Long, TraceVector> before;
        try (Store s = store.open()) {
            before = s.vectors(s.space("signals").orElseThrow(), 1);
        }
        Progress intruder = new Progress() {
            boolean done;

            @Override
            public void note(String format, Object... args) {
                if (!done && format.startsWith("epoch ")) {
                    done = true;
                    try (Store other = store.open()) {
                        Space space = other.space("signals").orElseThrow();
                        other.write(tx -> tx.addTraces(Map.of(space, List.of(new NewTrace("elsewhere", -1,
                                "elsewhere-hash", new float[2], 0.5, 0)))));
                    }
                }
            }

            @Override
            public void progress(String label, long done, long total) {
            }

            @Override
            public void clearProgress() {
            }
        };
        EngramException e = assertThrows(EngramException.class,
                () -> Consolidate.run(store, request(0.5, false), intruder));
        assertEquals(ExitCode.STORE_UNAVAILABLE, e.exitCode());
        assertTrue(e.getMessage().contains("got 1 traces from another engram process meanwhile"), e.getMessage());
        try (Store s = store.open()) {
            Space space = s.space("signals").orElseThrow();
            assertEquals(1, space.modelVersion());
            assertFalse(s.models().exists("signals", 2), "the unit's model went with it");
            Map<Long, TraceVector> after = s.vectors(space, 1);
            for (TraceVector v : before.values()) {
                assertArrayEquals(v.vector(), after.get(v.traceId()).vector());
            }
            assertEquals(1, s.versions(space).size());
            assertEquals(2 * PER_KIND + 1, s.traceCount(space));
        }
    }

    @Test
    void whenNovelDryRunAndNothingNew() {
        StoreLocation store = copy();
        Consolidate.Result waiting = Consolidate.run(store, new Consolidate.Request("signals", 0.5,
                Consolidate.Priority.SURPRISE, Consolidate.ReplayInputs.AUTO, 5, null, null, 7, PER_KIND + 1, false,
                null), Progress.SILENT);
        assertFalse(waiting.changed());
        assertTrue(waiting.skipped().contains("fewer than --when-novel " + (PER_KIND + 1)), waiting.skipped());
        Consolidate.Result dry = Consolidate.run(store, new Consolidate.Request("signals", 0.5,
                Consolidate.Priority.SURPRISE, Consolidate.ReplayInputs.AUTO, 5, null, null, 7, 0, true, null),
                Progress.SILENT);
        assertFalse(dry.changed());
        assertEquals(PER_KIND, dry.plan().replayed());
        try (Store s = store.open()) {
            assertEquals(1, s.space("signals").orElseThrow().modelVersion());
        }
        Consolidate.run(store, request(0.5, false), Progress.SILENT);
        assertEquals(ExitCode.NOTHING_TO_DO, assertThrows(EngramException.class,
                () -> Consolidate.run(store, request(0.5, false), Progress.SILENT)).exitCode(),
                "nothing was stored since v2");
    }
}
