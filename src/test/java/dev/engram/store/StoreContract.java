package dev.engram.store;

import dev.engram.EngramException;
import dev.engram.ExitCode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Store contract, stated as tests: every backend passes them by extending this class and
 * saying where a fresh store lives ({@link #location()}) and how to make one look written by a
 * newer engram ({@link #markNewerFormat}). Everything here goes through {@link Store} and
 * {@link StoreLocation} only (docs/architecture.md, "The Store contract").
 */
public abstract class StoreContract {
    private final List<Store> opened = new ArrayList<>();

    /** An empty location, new for each test, where no store exists yet. */
    protected abstract StoreLocation location();

    /** Makes the (closed) store at the location claim a format version newer than this engram reads. */
    protected abstract void markNewerFormat(StoreLocation location) throws Exception;

    private StoreLocation location;

    private StoreLocation here() {
        if (location == null) {
            location = location();
        }
        return location;
    }

    protected Store create() {
        Store store = here().openOrCreate();
        opened.add(store);
        return store;
    }

    /** Closes every store this test opened and opens the location again. */
    protected Store reopen() {
        closeAll();
        Store store = here().open();
        opened.add(store);
        return store;
    }

    @AfterEach
    void closeAll() {
        opened.forEach(Store::close);
        opened.clear();
    }

    // --- helpers

    public static List<NewTrace> randomTraces(int n, int dim, long seed, String prefix) {
        Random random = new Random(seed);
        List<NewTrace> traces = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            traces.add(new NewTrace(prefix + i, -1, prefix + "-hash-" + i, gaussian(random, dim), random.nextDouble(),
                    0));
        }
        return traces;
    }

    protected static float[] gaussian(Random random, int dim) {
        float[] v = new float[dim];
        for (int j = 0; j < dim; j++) {
            v[j] = (float) random.nextGaussian();
        }
        return v;
    }

    protected static Space space(Store store, String name, int dimension) {
        return store.write(tx -> tx.createSpace(name, "vector", "test", dimension, "euclidean", "{}"));
    }

    protected static List<Store.StoredTrace> add(Store store, Space space, List<NewTrace> traces) {
        return store.write(tx -> tx.addTraces(Map.of(space, traces))).get(space);
    }

    private static void assertExit(ExitCode code, Runnable action) {
        EngramException e = assertThrows(EngramException.class, action::run);
        assertEquals(code, e.exitCode(), e.getMessage());
    }

    // --- opening

    @Test
    void aStoreExistsOnceCreatedAndOnlyThen() {
        assertFalse(here().exists());
        assertExit(ExitCode.STORE_UNAVAILABLE, () -> here().open());
        assertFalse(here().exists(), "a failed open must not create a store");
        create();
        assertTrue(here().exists());
        assertTrue(reopen().spaces().isEmpty());
    }

    @Test
    void aStoreWrittenByANewerEngramIsRefused() throws Exception {
        space(create(), "s", 2);
        closeAll();
        markNewerFormat(here());
        assertExit(ExitCode.STORE_INCOMPATIBLE, () -> here().open());
    }

    // --- units of work

    @Test
    void aUnitOfWorkThatThrowsLeavesNothing() {
        Store store = create();
        Space space = space(store, "s", 4);
        List<NewTrace> traces = randomTraces(5, 4, 1, "t");
        RuntimeException boom = new RuntimeException("boom");
        RuntimeException thrown = assertThrows(RuntimeException.class, () -> store.write(tx -> {
            long event = tx.createEvent("e", Instant.parse("2026-01-01T00:00:00Z"), "test");
            List<NewTrace> inEvent = traces.stream().map(t -> t.inEvent(event)).toList();
            List<Store.StoredTrace> stored = tx.addTraces(Map.of(space, inEvent)).get(space);
            Concept c = tx.conceptNamed("c");
            tx.bind(List.of(new Binding(c.id(), stored.getFirst().trace().id(), AssociationKind.LABEL, 0.5)));
            tx.createSpace("other", "vector", "test", 2, "euclidean", "{}");
            tx.addDimReport("space:s", "twonn", "{}", 5, 1, 2.0);
            throw boom;
        }));
        assertEquals(boom, thrown);
        assertNothingStored(store, traces.getFirst().vector());
        assertNothingStored(reopen(), traces.getFirst().vector());
    }

    private static void assertNothingStored(Store s, float[] query) {
        Space again = s.space("s").orElseThrow();
        assertEquals(0, s.traceCount(again));
        assertTrue(s.nearest(again, query, 5).isEmpty());
        assertTrue(s.concepts().isEmpty());
        assertTrue(s.eventTraces(null).isEmpty());
        assertTrue(s.dimReports().isEmpty());
        assertTrue(s.space("other").isEmpty());
    }

    @Test
    void aFailedUnitLeavesTheStoreUsable() {
        Store store = create();
        Space space = space(store, "s", 2);
        List<NewTrace> batch = new ArrayList<>(randomTraces(2, 2, 1, "ok"));
        batch.add(new NewTrace("a", -1, "a", new float[] {1, 2, 3}, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> add(store, space, batch));
        assertEquals(0, store.traceCount(space), "the good traces before the bad one are not stored either");
        assertTrue(store.nearest(space, new float[2], 5).isEmpty());
        add(store, space, randomTraces(3, 2, 1, "t"));
        assertEquals(3, store.traceCount(space));
    }

    @Test
    void aUnitWhoseWriteFailedCannotCommitEvenIfTheWorkCaughtTheFailure() {
        Store store = create();
        Space space = space(store, "s", 2);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.write(tx -> {
            tx.addTraces(Map.of(space, randomTraces(2, 2, 1, "ok")));
            try {
                tx.addTraces(Map.of(space, List.of(randomTraces(1, 2, 2, "fine").getFirst(),
                        new NewTrace("bad", -1, "bad", new float[3], 0, 0))));
            } catch (IllegalArgumentException ignored) {
                // carrying on after a failed write is what the contract refuses
            }
            return tx.conceptNamed("after");
        }));
        assertTrue(e.getMessage().contains("abandoned"), e.getMessage());
        assertEquals(0, store.traceCount(space));
        assertTrue(store.concepts().isEmpty());
    }

    @Test
    void aCheckedExceptionThrownFromTheWorkRollsItBackToo() {
        Store store = create();
        Exception e = assertThrows(Exception.class, () -> store.write(tx -> {
            tx.conceptNamed("ghost");
            return sneaky(new IOException("disk gone"));
        }));
        assertTrue(e instanceof IOException, e.toString());
        store.write(tx -> tx.conceptNamed("real"));
        assertEquals(List.of("real"), reopen().concepts().stream().map(Concept::label).toList());
    }

    @SuppressWarnings("unchecked")
    private static <T, E extends Throwable> T sneaky(Throwable t) throws E {
        throw (E) t;
    }

    @Test
    void aTransactionIsDeadOnceItsUnitHasEnded() {
        Store store = create();
        Transaction[] captured = new Transaction[1];
        store.write(tx -> {
            captured[0] = tx;
            return tx.conceptNamed("inside");
        });
        assertThrows(IllegalStateException.class, () -> captured[0].conceptNamed("outside"));
        assertEquals(List.of("inside"), reopen().concepts().stream().map(Concept::label).toList());
    }

    @Test
    void percentilesAfterARolledBackUnitAreThoseOfTheCommittedTraces() {
        Store store = create();
        Space space = space(store, "s", 1);
        add(store, space, List.of(new NewTrace("a", -1, "a", new float[] {1}, 0.1, 0),
                new NewTrace("b", -1, "b", new float[] {2}, 0.2, 0)));
        assertThrows(RuntimeException.class, () -> store.write(tx -> {
            tx.addTraces(Map.of(space, List.of(new NewTrace("c", -1, "c", new float[] {3}, 0.0, 0),
                    new NewTrace("d", -1, "d", new float[] {4}, 0.0, 0))));
            store.surprisePercentile(space, 0.05);
            throw new RuntimeException("changed my mind");
        }));
        assertEquals(0.0, store.surprisePercentile(space, 0.05));
        assertEquals(0.5, store.surprisePercentile(space, 0.1));
    }

    @Test
    void aSpaceNameIsOnePathSegment() {
        Store store = create();
        for (String bad : new String[] {"a/b", "..", ".hidden", "a\\b", " ", "x".repeat(201)}) {
            assertExit(ExitCode.INVALID_INPUT, () -> store.write(tx -> tx.createSpace(bad, "vector", "test", 2,
                    "euclidean", "{}")));
        }
        assertTrue(store.spaces().isEmpty());
    }

    @Test
    void unitsOfWorkDoNotNest() {
        Store store = create();
        assertThrows(IllegalStateException.class, () -> store.write(tx -> store.write(inner -> null)));
        space(store, "s", 2);
        assertEquals(1, store.spaces().size());
    }

    @Test
    void whatWasCommittedComesBackAfterReopeningWithTheSameIds() {
        Store store = create();
        Space space = space(store, "s", 3);
        List<NewTrace> traces = new ArrayList<>(randomTraces(4, 3, 1, "t"));
        traces.add(new NewTrace("words", 2, "words-hash", new float[] {1, 2, 3}, 0.25, 0, "a few words"));
        long[] event = new long[1];
        List<Store.StoredTrace> stored = store.write(tx -> {
            event[0] = tx.createEvent("cat", Instant.parse("2026-11-24T10:00:00Z"), "manifest#1");
            return tx.addTraces(Map.of(space, traces.stream().map(t -> t.inEvent(event[0])).toList())).get(space);
        });
        Concept cat = store.write(tx -> {
            Concept c = tx.conceptNamed("cat");
            tx.bind(List.of(new Binding(c.id(), stored.get(4).trace().id(), AssociationKind.SYNCHRONY, 0.5)));
            return c;
        });
        DimReport report = store.write(tx -> tx.addDimReport("space:s", "mle", "{\"k\":20}", 5, 42, 2.5));

        Store again = reopen();
        Space s = again.space("s").orElseThrow();
        assertEquals(space, s);
        for (Store.StoredTrace st : stored) {
            Trace t = again.trace(st.trace().id()).orElseThrow();
            assertEquals(st.trace().source(), t.source());
            assertEquals(st.trace().sourceIndex(), t.sourceIndex());
            assertEquals(st.trace().contentHash(), t.contentHash());
            assertArrayEquals(st.trace().vector(), t.vector());
            assertEquals(st.trace().surprise(), t.surprise());
            assertEquals(st.trace().content(), t.content());
            assertEquals(st.trace().createdAt(), t.createdAt());
        }
        assertEquals("a few words", again.trace(stored.get(4).trace().id()).orElseThrow().content());
        assertEquals(cat, again.concept("cat").orElseThrow());
        assertEquals(cat, again.concept(cat.id()).orElseThrow());
        assertEquals(List.of(report), again.dimReports());
        assertEquals(Map.of(event[0], "cat"), again.eventNames(List.of(event[0])));
        assertEquals(stored.stream().map(t -> t.trace().id()).toList(), again.eventTraces(s).get(event[0]));
        assertEquals(Set.of(stored.get(4).trace().id()), again.boundTraceIds(s));
        assertEquals(5, again.nearest(s, traces.getFirst().vector(), 10).size());
        StoreSummary summary = again.summary();
        assertEquals(1, summary.events());
        assertEquals(1, summary.concepts());
        assertEquals(1, summary.associations());
        assertEquals(1, summary.dimReports());
        assertEquals(5, summary.spaces().getFirst().traces());
    }

    // --- traces

    @Test
    void theSameContentTwiceIsOneTraceJoinedToEachEvent() {
        Store store = create();
        Space space = space(store, "s", 4);
        List<NewTrace> traces = randomTraces(3, 4, 1, "t");
        traces.add(traces.getFirst());
        List<Store.StoredTrace> stored = add(store, space, traces);
        assertEquals(List.of(true, true, true, false), stored.stream().map(Store.StoredTrace::created).toList());
        assertEquals(stored.get(0).trace().id(), stored.get(3).trace().id());
        assertEquals(3, store.traceCount(space));
        long event = store.write(tx -> {
            long e = tx.createEvent(null, null, "again");
            assertFalse(tx.addTraces(Map.of(space, List.of(traces.getFirst().inEvent(e)))).get(space)
                    .getFirst().created());
            return e;
        });
        assertEquals(List.of(stored.getFirst().trace().id()), store.eventTraces(null).get(event));
        assertEquals(3, store.nearest(space, traces.getFirst().vector(), 10).size());
    }

    @Test
    void tracesAreFoundByIdAndSource() {
        Store store = create();
        Space space = space(store, "s", 2);
        List<Store.StoredTrace> stored = add(store, space, List.of(
                new NewTrace("/a.png", -1, "h1", new float[] {0, 1}, 0.1, 0),
                new NewTrace("/b.idx", 7, "h2", new float[] {1, 0}, 0.2, 0)));
        long a = stored.get(0).trace().id();
        long b = stored.get(1).trace().id();
        assertEquals(Map.of("/a.png", a, "/b.idx#7", b), store.traceIdsBySource(space));
        assertEquals(List.of(b, a), store.traces(List.of(b, 999_999L, a)).stream().map(Trace::id).toList());
        assertTrue(store.trace(999_999L).isEmpty());
        List<Long> visited = new ArrayList<>();
        store.forEachTrace(space, t -> visited.add(t.id()));
        assertEquals(List.of(a, b), visited);
    }

    @Test
    void percentilesOfSurprise() {
        Store store = create();
        Space space = space(store, "s", 1);
        assertTrue(Double.isNaN(store.surprisePercentile(space, 1)));
        List<NewTrace> traces = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            traces.add(new NewTrace("t" + i, -1, "h" + i, new float[] {i}, i / 10.0, 0));
        }
        add(store, space, traces);
        assertEquals(0.0, store.surprisePercentile(space, 0.05));
        assertEquals(0.5, store.surprisePercentile(space, 0.2));
        assertEquals(1.0, store.surprisePercentile(space, 9));
        add(store, space, List.of(new NewTrace("t5", -1, "h5", new float[] {5}, 0.0, 0)));
        assertEquals(0.2, store.surprisePercentile(space, 0.05), 1e-12, "new traces count at once");
    }

    // --- nearest neighbours

    @Test
    void nearestNeighboursAreOrderedAndCompleteOnSmallSpaces() {
        Store store = create();
        Space space = space(store, "s", 8);
        List<Store.StoredTrace> stored = add(store, space, randomTraces(60, 8, 3, "t"));
        Random random = new Random(4);
        for (int q = 0; q < 20; q++) {
            float[] query = gaussian(random, 8);
            for (int k : new int[] {1, 7, 60}) {
                List<Neighbour> found = store.nearest(space, query, k);
                List<Trace> exact = stored.stream().map(Store.StoredTrace::trace)
                        .sorted(Comparator.comparingDouble(t -> Vectors.distance(t.vector(), query))).limit(k).toList();
                assertEquals(k, found.size());
                for (int i = 0; i < k; i++) {
                    assertEquals(Vectors.distance(exact.get(i).vector(), query), found.get(i).distance(), 1e-4);
                }
            }
        }
        assertEquals(60, store.nearest(space, new float[8], 100).size(), "k above the count gives every trace");
    }

    @Test
    void theNearestOfManyVectorsAreEachOnesNearestInOrder() {
        Store store = create();
        Space space = space(store, "s", 8);
        add(store, space, randomTraces(3000, 8, 3, "t"));
        store = reopen(); // a fresh process: the batch opens the index itself
        Random random = new Random(5);
        float[][] queries = new float[500][];
        for (int q = 0; q < queries.length; q++) {
            queries[q] = gaussian(random, 8);
        }
        List<List<Neighbour>> all = store.nearest(space, queries, 10);
        assertEquals(queries.length, all.size());
        for (int q = 0; q < queries.length; q++) {
            assertEquals(store.nearest(space, queries[q], 10), all.get(q), "query " + q);
        }
        assertEquals(List.of(), store.nearest(space, new float[0][], 10));
        assertThrows(IllegalArgumentException.class, () -> reopen().nearest(space, new float[][] {new float[3]}, 1));
    }

    @Test
    void aReindexedSpaceHoldsEveryCommittedTraceAndFindsEachAtDistanceZero() {
        Store store = create();
        Space space = space(store, "s", 8);
        List<Store.StoredTrace> stored = add(store, space, randomTraces(40, 8, 5, "t"));
        Space empty = space(store, "empty", 4);
        assertEquals(40, store.reindex(space));
        assertEquals(0, store.reindex(empty));
        store = reopen();
        for (Store.StoredTrace s : stored) {
            List<Neighbour> nearest = store.nearest(space, s.trace().vector(), 1);
            assertEquals(s.trace().id(), nearest.getFirst().traceId());
            assertEquals(0, nearest.getFirst().distance(), 1e-6);
        }
        assertEquals(List.of(), store.nearest(empty, new float[4], 3));
    }

    @Test
    void approximateNeighboursAgreeWithExactSearch() {
        Store store = create();
        Space space = space(store, "s", 16);
        List<Store.StoredTrace> stored = add(store, space, randomTraces(5000, 16, 1, "t"));
        Random random = new Random(2);
        double recall = 0;
        int queries = 200;
        for (int q = 0; q < queries; q++) {
            float[] query = gaussian(random, 16);
            Set<Long> exact = new HashSet<>(stored.stream().map(Store.StoredTrace::trace)
                    .sorted(Comparator.comparingDouble(t -> Vectors.distance(t.vector(), query)))
                    .limit(10).map(Trace::id).toList());
            List<Neighbour> approximate = store.nearest(space, query, 10);
            assertEquals(10, approximate.size());
            for (int i = 1; i < approximate.size(); i++) {
                assertTrue(approximate.get(i).distance() >= approximate.get(i - 1).distance());
            }
            recall += approximate.stream().filter(n -> exact.contains(n.traceId())).count() / 10.0;
        }
        recall /= queries;
        // HNSW is approximate: compare with a recall threshold, never with one exact list.
        assertTrue(recall >= 0.95, "recall@10 " + recall);
    }

    @Test
    void reportedDistancesAreEuclidean() {
        Store store = create();
        Space space = space(store, "s", 2);
        add(store, space, List.of(new NewTrace("a", -1, "a", new float[] {3, 4}, 0, 0)));
        assertEquals(5.0, store.nearest(space, new float[] {0, 0}, 1).getFirst().distance(), 1e-5);
    }

    @Test
    void aMetricEngramCannotHonourIsRefused() {
        Store store = create();
        assertExit(ExitCode.INVALID_INPUT, () -> store.write(tx -> tx.createSpace("s", "vector", "test", 2,
                "manhattan", "{}")));
        assertTrue(store.spaces().isEmpty());
    }

    // --- concepts and associations

    @Test
    void bindingAgainStrengthensByTheHebbianRuleAndKeepsTheStrongestKind() {
        Store store = create();
        Space space = space(store, "s", 2);
        long trace = add(store, space, randomTraces(1, 2, 1, "t")).getFirst().trace().id();
        Concept c = store.write(tx -> tx.conceptNamed("c"));
        assertEquals(1, (int) store.write(tx -> tx.bind(List.of(new Binding(c.id(), trace, AssociationKind.LOCALITY, 0.5)))));
        Association first = store.associationsOf(List.of(trace)).get(trace).getFirst();
        assertEquals(0.5, first.weight(), 1e-12);
        assertEquals(1, first.count());
        assertEquals(AssociationKind.LOCALITY, first.kind());

        assertEquals(0, (int) store.write(tx -> tx.bind(List.of(new Binding(c.id(), trace, AssociationKind.LABEL, 0.5)))));
        Association second = store.associationsOf(List.of(trace)).get(trace).getFirst();
        assertEquals(0.75, second.weight(), 1e-12);
        assertEquals(2, second.count());
        assertEquals(AssociationKind.LABEL, second.kind());
        assertEquals(first.firstAt(), second.firstAt());

        store.write(tx -> tx.bind(List.of(new Binding(c.id(), trace, AssociationKind.SYNCHRONY, 1.0))));
        Association third = reopen().associationsOf(List.of(trace)).get(trace).getFirst();
        assertEquals(1.0, third.weight(), 1e-12);
        assertEquals(3, third.count());
        assertEquals(AssociationKind.LABEL, third.kind(), "a label outranks synchrony");
    }

    @Test
    void manyBindingsInOneCallStoreWhatOneCallEachWouldStore() {
        Store together = create();
        Space space = space(together, "s", 2);
        // More pairs than one read of associations takes (4,096), one pair bound thrice.
        List<Long> traces = add(together, space, randomTraces(5000, 2, 3, "t")).stream()
                .map(t -> t.trace().id()).toList();
        Concept c = together.write(tx -> tx.conceptNamed("c"));
        Concept d = together.write(tx -> tx.conceptNamed("d"));
        together.write(tx -> tx.bind(List.of(new Binding(d.id(), traces.getFirst(), AssociationKind.LOCALITY, 0.2))));
        List<Binding> bindings = new ArrayList<>();
        for (long trace : traces) {
            bindings.add(new Binding(c.id(), trace, AssociationKind.SYNCHRONY, 0.3));
        }
        bindings.add(new Binding(d.id(), traces.getFirst(), AssociationKind.LABEL, 0.5));
        bindings.add(new Binding(c.id(), traces.getLast(), AssociationKind.LABEL, 0.5));
        bindings.add(new Binding(c.id(), traces.getLast(), AssociationKind.LOCALITY, 0.5));

        assertEquals(traces.size(), (int) together.write(tx -> tx.bind(bindings)), "new pairs");
        Association last = together.associationsOf(List.of(traces.getLast())).get(traces.getLast()).getFirst();
        // 0.3, then 0.3 + 0.5 * 0.7 = 0.65, then 0.65 + 0.5 * 0.35 = 0.825 (Hebbian.strengthen)
        assertEquals(Hebbian.strengthen(Hebbian.strengthen(Hebbian.strengthen(0, 0.3), 0.5), 0.5), last.weight(), 1e-12);
        assertEquals(3, last.count());
        assertEquals(AssociationKind.LABEL, last.kind());
        Association first = together.associationsOf(List.of(traces.getFirst())).get(traces.getFirst()).stream()
                .filter(a -> a.conceptId() == d.id()).findFirst().orElseThrow();
        assertEquals(Hebbian.strengthen(Hebbian.strengthen(0, 0.2), 0.5), first.weight(), 1e-12);
        assertEquals(2, first.count());
        assertEquals(AssociationKind.LABEL, first.kind());
        assertEquals(traces.size(), together.members(c, 10_000).size());
    }

    @Test
    void forgottenTracesAreGoneFromRecordIndexAndEvents() {
        Store store = create();
        Space space = space(store, "s", 3);
        Space other = space(store, "o", 3);
        long event = store.write(tx -> tx.createEvent("e", null, "test"));
        List<NewTrace> inEvent = randomTraces(200, 3, 11, "t").stream().map(t -> t.inEvent(event)).toList();
        List<Long> ids = add(store, space, inEvent).stream().map(t -> t.trace().id()).toList();
        long elsewhere = add(store, other, randomTraces(1, 3, 12, "x")).getFirst().trace().id();
        Concept c = store.write(tx -> tx.conceptNamed("c"));
        store.write(tx -> tx.bind(ids.stream().map(id -> new Binding(c.id(), id, AssociationKind.LABEL, 0.5)).toList()));
        List<Long> gone = ids.subList(0, 100);

        // Unknown ids and another space's are ignored.
        assertEquals(100, (int) store.write(tx -> tx.forgetTraces(space, concat(gone, List.of(elsewhere, 999_999L)))));
        assertEquals(100, store.traceCount(space));
        assertEquals(1, store.traceCount(other));
        assertTrue(store.traces(gone).isEmpty());
        assertTrue(store.associationsOf(gone).values().stream().allMatch(List::isEmpty));
        assertEquals(100, store.members(c, 1000).size());
        assertEquals(new HashSet<>(ids.subList(100, 200)), new HashSet<>(store.eventTraces(space).get(event)));
        for (NewTrace t : inEvent.subList(0, 100)) {
            for (Neighbour n : store.nearest(space, t.vector(), 5)) {
                assertFalse(gone.contains(n.traceId()), "a forgotten trace is never found again");
            }
        }
        // After reopening, the index and the record still agree (no rebuild needed, none of them back).
        Store again = reopen();
        Space s = again.space("s").orElseThrow();
        assertEquals(100, again.traceCount(s));
        assertEquals(ids.get(100), again.nearest(s, inEvent.get(100).vector(), 1).getFirst().traceId());
        // One unit does not add to a space and forget from it.
        assertThrows(IllegalStateException.class, () -> again.write(tx -> {
            tx.addTraces(Map.of(s, randomTraces(1, 3, 13, "y")));
            return tx.forgetTraces(s, List.of(ids.get(150)));
        }));
        assertEquals(100, again.traceCount(s));
    }

    private static List<Long> concat(List<Long> a, List<Long> b) {
        List<Long> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @Test
    void aForgottenConceptLeavesItsChildrenToItsParentAndAForgottenSpaceLeavesNothing() {
        Store store = create();
        Space space = space(store, "s", 2);
        store.write(tx -> {
            tx.writeModel("s", 1, dir -> Files.writeString(dir.resolve("weights"), "w"));
            return null;
        });
        long trace = add(store, space, randomTraces(3, 2, 21, "t")).getFirst().trace().id();
        Concept top = store.write(tx -> tx.conceptNamed("top"));
        Concept middle = store.write(tx -> tx.conceptNamed("middle"));
        Concept leaf = store.write(tx -> tx.conceptNamed("leaf"));
        store.write(tx -> {
            tx.setParent(middle, top);
            tx.setParent(leaf, middle);
            return tx.bind(List.of(new Binding(middle.id(), trace, AssociationKind.LABEL, 0.5)));
        });
        store.write(tx -> {
            tx.forgetConcept(middle);
            return null;
        });
        assertTrue(store.concept("middle").isEmpty());
        assertEquals(top.id(), store.concept("leaf").orElseThrow().parentId());
        assertTrue(store.associationsOf(List.of(trace)).getOrDefault(trace, List.of()).isEmpty());

        store.write(tx -> tx.bind(List.of(new Binding(leaf.id(), trace, AssociationKind.LABEL, 0.5))));
        store.write(tx -> {
            tx.forgetSpace(space);
            return null;
        });
        assertTrue(store.space("s").isEmpty());
        assertFalse(store.models().exists("s", 1));
        assertTrue(store.members(leaf, 10).isEmpty());
        assertEquals(List.of(), store.spaces());
        // The name is free again, for a space that starts empty.
        Space fresh = space(store, "s", 2);
        assertEquals(0, store.traceCount(fresh));
        assertTrue(store.nearest(fresh, new float[] {0, 0}, 3).isEmpty());
        add(store, fresh, randomTraces(2, 2, 22, "n"));
        assertEquals(2, reopen().traceCount(fresh));
    }

    @Test
    void anotherStoresRecordKeepsItsTimesAndJoinsWhatIsHeld() {
        Store store = create();
        Space space = space(store, "s", 2);
        Instant then = Instant.parse("2025-01-02T03:04:05.123456Z");
        Instant later = Instant.parse("2025-06-01T00:00:00Z");
        NewTrace old = randomTraces(1, 2, 7, "old").getFirst();
        long trace = store.write(tx -> tx.addTraces(Map.of(space, List.of(new NewTrace(old.source(), old.sourceIndex(),
                old.contentHash(), old.vector(), old.surprise(), 0, null, then))))).get(space).getFirst().trace().id();
        assertEquals(then, store.trace(trace).orElseThrow().createdAt());

        Concept named = store.write(tx -> tx.addConcept("remembered", then));
        assertEquals(then, store.concept("remembered").orElseThrow().createdAt());
        assertEquals(named.id(), store.write(tx -> tx.addConcept("remembered", later)).id(), "a name is one concept");
        assertEquals(then, store.concept("remembered").orElseThrow().createdAt(), "its own time stays");
        Concept unnamed = store.write(tx -> tx.addConcept(null, later));
        assertNull(unnamed.name());
        assertEquals(later, store.concept(unnamed.id()).orElseThrow().createdAt());

        Association given = new Association(named.id(), trace, AssociationKind.SYNCHRONY, 0.3, 2, then, then);
        assertEquals(1, (int) store.write(tx -> tx.merge(List.of(given))));
        assertEquals(given, store.associationsOf(List.of(trace)).get(trace).getFirst(), "stored as given");
        Association other = new Association(named.id(), trace, AssociationKind.LABEL, 0.2, 5, later, later);
        assertEquals(0, (int) store.write(tx -> tx.merge(List.of(other, given))));
        Association joined = store.associationsOf(List.of(trace)).get(trace).getFirst();
        assertEquals(new Association(named.id(), trace, AssociationKind.LABEL, 0.3, 5, then, later), joined);
        store.write(tx -> tx.merge(List.of(joined)));
        assertEquals(joined, store.associationsOf(List.of(trace)).get(trace).getFirst(), "joining is idempotent");

        DimReport report = store.write(tx -> tx.addDimReport(new DimReport(0, "space:s", "twonn", "{}", 10, 1, 2.5, then)));
        assertEquals(List.of(report), store.dimReports());
        assertEquals(then, store.dimReports().getFirst().createdAt());
    }

    @Test
    void membersAreTheStrongestAssociationsPerSpace() {
        Store store = create();
        Space images = space(store, "images", 2);
        Space words = space(store, "words", 2);
        List<Store.StoredTrace> pictures = add(store, images, randomTraces(4, 2, 1, "p"));
        long word = add(store, words, randomTraces(1, 2, 2, "w")).getFirst().trace().id();
        Concept c = store.write(tx -> {
            Concept concept = tx.conceptNamed("c");
            List<Binding> bindings = new ArrayList<>();
            for (int i = 0; i < pictures.size(); i++) {
                bindings.add(new Binding(concept.id(), pictures.get(i).trace().id(), AssociationKind.LABEL,
                        0.9 - 0.1 * i));
            }
            bindings.add(new Binding(concept.id(), word, AssociationKind.SYNCHRONY, 0.1));
            tx.bind(bindings);
            return concept;
        });
        List<Association> strongest = store.members(c, 2);
        assertEquals(List.of(pictures.get(0).trace().id(), pictures.get(1).trace().id()),
                strongest.stream().map(Association::traceId).toList());
        List<Association> perSpace = store.membersPerSpace(c, 1);
        assertEquals(List.of(pictures.get(0).trace().id(), word), perSpace.stream().map(Association::traceId).toList());
    }

    @Test
    void conceptNamesFollowTheRules() {
        Store store = create();
        for (String bad : new String[] {"", "  ", "#3", "x".repeat(201)}) {
            assertExit(ExitCode.INVALID_INPUT, () -> store.write(tx -> tx.conceptNamed(bad)));
        }
        Concept unnamed = store.write(Transaction::createUnnamedConcept);
        assertEquals("#" + unnamed.id(), unnamed.label());
        assertEquals(unnamed, store.concept("#" + unnamed.id()).orElseThrow());
        Concept sandal = store.write(tx -> tx.conceptNamed("sandal"));
        assertEquals(sandal, store.write(tx -> tx.conceptNamed("sandal")), "a name names one concept");
        assertExit(ExitCode.INVALID_INPUT, () -> store.write(tx -> tx.renameConcept(unnamed, "sandal")));
        Concept named = store.write(tx -> tx.renameConcept(unnamed, "boot"));
        assertEquals("boot", named.label());
        assertEquals(named.id(), reopen().concept("boot").orElseThrow().id());
        assertEquals(List.of("boot", "sandal"), store().concepts().stream().map(Concept::label).sorted().toList());
    }

    private Store store() {
        return opened.getLast();
    }

    @Test
    void theHierarchyHasNoCycles() {
        Store store = create();
        Concept footwear = store.write(tx -> tx.conceptNamed("footwear"));
        Concept shoe = store.write(tx -> tx.conceptNamed("shoe"));
        Concept sandal = store.write(tx -> tx.conceptNamed("sandal"));
        store.write(tx -> {
            tx.setParent(shoe, footwear);
            tx.setParent(sandal, shoe);
            return null;
        });
        assertEquals(List.of("shoe", "footwear"), store.parentChain(sandal).stream().map(Concept::label).toList());
        assertExit(ExitCode.INVALID_INPUT, () -> store.write(tx -> {
            tx.setParent(footwear, sandal);
            return null;
        }));
        assertExit(ExitCode.INVALID_INPUT, () -> store.write(tx -> {
            tx.setParent(shoe, shoe);
            return null;
        }));
        assertTrue(store.parentChain(footwear).isEmpty(), "a refused parent is not set");
    }

    @Test
    void childrenAndAllConcepts() {
        Store store = create();
        Concept[] c = store.write(tx -> new Concept[] {tx.conceptNamed("footwear"), tx.conceptNamed("shoe"),
                tx.conceptNamed("boot"), tx.conceptNamed("sandal"), tx.createUnnamedConcept()});
        Concept footwear = c[0];
        Concept shoe = c[1];
        Concept sandal = c[3];
        String unnamed = c[4].label();
        store.write(tx -> {
            tx.setParent(shoe, footwear);
            tx.setParent(c[2], footwear);
            tx.setParent(sandal, shoe);
            tx.setParent(c[4], footwear);
            return null;
        });
        assertEquals(List.of("shoe", "boot", unnamed), labels(store.children(footwear)));
        assertEquals(List.of("sandal"), labels(store.children(shoe)));
        assertEquals(List.of(), store.children(sandal));
        // Moving a concept moves it between its old and new parent's children.
        store.write(tx -> {
            tx.setParent(sandal, footwear);
            return null;
        });
        assertEquals(List.of(), store.children(shoe));
        assertEquals(List.of("shoe", "boot", "sandal", unnamed), labels(store.children(footwear)));
        assertEquals(List.of("footwear", "shoe", "boot", "sandal", unnamed), labels(store.concepts()));
    }

    @Test
    void aUnitSeesTheConceptsItCreated() {
        Store store = create();
        store.write(tx -> {
            Concept made = tx.conceptNamed("made");
            assertEquals(made, tx.concept("made").orElseThrow());
            assertEquals(made, tx.concept(made.id()).orElseThrow());
            Concept parent = tx.conceptNamed("parent");
            tx.setParent(made, parent);
            assertEquals(List.of(parent.id()), tx.parentChain(made).stream().map(Concept::id).toList());
            return null;
        });
    }

    @Test
    void readsThroughTheStoreDuringAUnitSeeItsWritesAndNothingOfItIfItFails() {
        Store store = create();
        Space s = store.write(tx -> tx.createSpace("s", "vector", "test", 2, "euclidean", "{}"));
        long trace = store.write(tx -> tx.addTraces(Map.of(s, List.of(new NewTrace("a", -1, "ha",
                new float[] {0, 0}, 0, 0))))).get(s).getFirst().trace().id();
        assertThrows(IllegalStateException.class, () -> store.write(tx -> {
            Concept made = tx.conceptNamed("made");
            tx.bind(List.of(new Binding(made.id(), trace, AssociationKind.LABEL, 0.5)));
            assertEquals(made, store.concept("made").orElseThrow(), "the store reads in the open unit");
            assertEquals(Set.of(trace), store.boundTraceIds(s));
            assertEquals(made.id(), store.associationsOf(List.of(trace)).get(trace).getFirst().conceptId());
            throw new IllegalStateException("the unit fails");
        }));
        assertTrue(store.concept("made").isEmpty());
        assertTrue(store.boundTraceIds(s).isEmpty(), "nothing of the failed unit is left");
    }

    private static List<String> labels(List<Concept> concepts) {
        return concepts.stream().map(Concept::label).toList();
    }

    // --- models

    @Test
    void modelsAreKeptByVersionWrittenWithTheirUnitAndReplacedWhole() {
        Store store = create();
        ModelRepository models = store.models();
        assertFalse(models.exists("s", 1));
        assertExit(ExitCode.STORE_UNAVAILABLE, () -> models.read("s", 1, dir -> null));
        writeModel(store, "s", 1, dir -> Files.writeString(dir.resolve("weights"), "one"));
        assertEquals("one", models.read("s", 1, dir -> Files.readString(dir.resolve("weights"))));
        assertThrows(RuntimeException.class, () -> writeModel(store, "s", 1, dir -> {
            Files.writeString(dir.resolve("weights"), "half");
            throw new IOException("disk full");
        }));
        assertEquals("one", models.read("s", 1, dir -> Files.readString(dir.resolve("weights"))),
                "a failed write keeps the model that was there");
        assertThrows(IllegalStateException.class, () -> store.write(tx -> {
            tx.writeModel("s", 1, dir -> Files.writeString(dir.resolve("weights"), "three"));
            throw new IllegalStateException("the unit fails after writing the model");
        }));
        assertEquals("one", models.read("s", 1, dir -> Files.readString(dir.resolve("weights"))),
                "a unit that fails takes its model back");
        assertThrows(IllegalStateException.class, () -> store.write(tx -> {
            tx.writeModel("s", 2, dir -> Files.writeString(dir.resolve("weights"), "new"));
            throw new IllegalStateException("the unit fails after writing the model");
        }));
        assertFalse(models.exists("s", 2), "a new version written by a failed unit is gone");
        writeModel(store, "s", 1, dir -> Files.writeString(dir.resolve("other"), "two"));
        assertEquals(List.of("other"), models.read("s", 1, dir -> {
            try (var files = Files.list(dir)) {
                return files.map(p -> p.getFileName().toString()).toList();
            }
        }), "a new model replaces the old one whole");
        assertEquals("two", reopen().models().read("s", 1, dir -> Files.readString(dir.resolve("other"))));
    }

    private static void writeModel(Store store, String space, int version, ModelRepository.Writer files) {
        store.write(tx -> {
            tx.writeModel(space, version, files);
            return null;
        });
    }

    // --- restoring another store's record (engram copy)

    /** A record as another store would hold it: ids with gaps, a concept whose parent came later. */
    private record Record(Space space, List<Event> events, List<Trace> traces, Map<Long, List<Long>> perceived,
                          List<Concept> concepts, List<Association> associations, DimReport report,
                          Restore.Ceilings highest) {
    }

    private static Record record() {
        Instant t0 = Instant.parse("2026-11-20T08:00:00.123456Z");
        Space space = new Space(3, "s", "vector", "test", 3, "euclidean", 2, "{\"a\":1}", t0);
        List<Event> events = List.of(new Event(5, "cat", t0.minusSeconds(60), "manifest#1"),
                new Event(9, null, null, "file.npy"));
        Random random = new Random(7);
        List<Trace> traces = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            traces.add(new Trace(10 + 2L * i, 3, "file.npy", i, "hash-" + i, gaussian(random, 3), 0.1 * i,
                    t0.plusSeconds(i), i == 4 ? "some words" : null));
        }
        List<Concept> concepts = List.of(new Concept(2, "cat", 7, t0), new Concept(4, null, 0, t0.plusSeconds(1)),
                new Concept(7, "animal", 0, t0.plusSeconds(2)));
        List<Association> associations = List.of(
                new Association(2, 10, AssociationKind.LABEL, 0.75, 3, t0, t0.plusSeconds(5)),
                new Association(4, 12, AssociationKind.SYNCHRONY, 0.25, 1, t0, t0));
        DimReport report = new DimReport(6, "space:s", "mle", "{\"k\":20}", 5, 42, 2.5, t0.plusSeconds(9));
        return new Record(space, events, traces, Map.of(5L, List.of(10L, 12L), 9L, List.of(18L)), concepts,
                associations, report, new Restore.Ceilings(3, 9, 18, 7, 6));
    }

    private static void restore(Store store, Record r) {
        store.write(tx -> {
            Restore restore = tx.restore(r.highest());
            restore.space(r.space());
            restore.events(r.events());
            restore.concepts(r.concepts());
            restore.traces(r.space(), r.traces());
            restore.perceived(r.perceived());
            restore.associations(r.associations());
            restore.dimReport(r.report());
            return null;
        });
    }

    @Test
    void aRestoredRecordKeepsItsIdsAndTimesAndNewIdsComeAfterIt() {
        Record r = record();
        restore(create(), r);
        Store store = reopen();
        assertEquals(List.of(r.space()), store.spaces());
        List<Event> events = new ArrayList<>();
        store.forEachEvent(events::add);
        assertEquals(r.events(), events);
        List<Trace> traces = new ArrayList<>();
        store.forEachTrace(r.space(), traces::add);
        assertEquals(r.traces().size(), traces.size());
        for (int i = 0; i < traces.size(); i++) {
            Trace want = r.traces().get(i);
            Trace got = traces.get(i);
            assertArrayEquals(want.vector(), got.vector());
            assertEquals(new Trace(want.id(), want.spaceId(), want.source(), want.sourceIndex(), want.contentHash(),
                    null, want.surprise(), want.createdAt(), want.content()), new Trace(got.id(), got.spaceId(),
                    got.source(), got.sourceIndex(), got.contentHash(), null, got.surprise(), got.createdAt(),
                    got.content()));
        }
        assertEquals(r.concepts(), store.concepts());
        assertEquals(List.of(r.concepts().get(2)), store.parentChain(r.concepts().getFirst()));
        Map<Long, List<Association>> associations = store.associationsOf(List.of(10L, 12L, 14L));
        assertEquals(List.of(r.associations().get(0)), associations.get(10L));
        assertEquals(List.of(r.associations().get(1)), associations.get(12L));
        assertEquals(2, associations.size());
        assertEquals(r.perceived().get(5L), store.eventTraces(null).get(5L));
        assertEquals(r.perceived().get(9L), store.eventTraces(null).get(9L));
        assertEquals(List.of(r.report()), store.dimReports());
        assertEquals(r.highest(), store.highestIds());
        for (Trace t : r.traces()) {
            Neighbour nearest = store.nearest(r.space(), t.vector(), 1).getFirst();
            assertEquals(t.id(), nearest.traceId(), "the restored traces are in the space's vector index");
        }

        Space next = space(store, "t", 3);
        assertTrue(next.id() > 3, "a new space's id comes after the restored ones: " + next.id());
        long trace = add(store, r.space(), randomTraces(1, 3, 2, "new")).getFirst().trace().id();
        assertTrue(trace > 18, "a new trace's id comes after the restored ones: " + trace);
        assertTrue(store.write(Transaction::createUnnamedConcept).id() > 7);
        assertTrue(store.write(tx -> tx.createEvent(null, null, "x")) > 9);
        assertTrue(store.write(tx -> tx.addDimReport("space:s", "mle", "{}", 5, 1, 2.0)).id() > 6);
        assertEquals(6, store.nearest(r.space(), r.traces().getFirst().vector(), 10).size());
    }

    @Test
    void aRestoreIntoAStoreThatHoldsAnythingIsRefusedAndChangesNothing() {
        Store store = create();
        Concept only = store.write(tx -> tx.conceptNamed("only"));
        assertExit(ExitCode.STORE_NOT_EMPTY, () -> restore(store, record()));
        Store again = reopen();
        assertEquals(List.of(only), again.concepts());
        assertTrue(again.spaces().isEmpty());
        assertEquals(new Restore.Ceilings(0, 0, 0, only.id(), 0), again.highestIds());
    }

    @Test
    void aRestoreThatFailsPartWayLeavesTheStoreEmptyAndUsable() {
        Store store = create();
        Record r = record();
        assertThrows(RuntimeException.class, () -> store.write(tx -> {
            Restore restore = tx.restore(r.highest());
            restore.space(r.space());
            restore.traces(r.space(), r.traces());
            restore.traces(r.space(), r.traces().subList(0, 1)); // the same id twice
            return null;
        }));
        Store again = reopen();
        assertTrue(again.spaces().isEmpty());
        assertEquals(0, again.summary().events());
        restore(again, r);
        assertEquals(5, again.traceCount(r.space()));
    }

    // --- model versions (engram consolidate)

    private static List<TraceVector> moved(Store store, Space space, float shift) {
        List<TraceVector> vectors = new ArrayList<>();
        store.forEachTrace(space, t -> {
            float[] v = t.vector().clone();
            for (int j = 0; j < v.length; j++) {
                v[j] += shift;
            }
            vectors.add(new TraceVector(t.id(), v, t.surprise() + shift));
        });
        return vectors;
    }

    @Test
    void aNewModelVersionMovesEveryPointKeepsTheOldOnesAndCanBeUndone() {
        Store store = create();
        Space v1 = space(store, "s", 3);
        List<Store.StoredTrace> stored = add(store, v1, randomTraces(30, 3, 5, "t"));
        Concept c = store.write(tx -> tx.conceptNamed("c"));
        store.write(tx -> tx.bind(List.of(new Binding(c.id(), stored.getFirst().trace().id(), AssociationKind.LABEL,
                0.5))));
        Map<Long, TraceVector> before = store.vectors(v1, 1);
        List<TraceVector> next = moved(store, v1, 100);
        Space v2 = store.write(tx -> tx.changeVersion(v1, new SpaceVersion(2, "{\"v\":2}", "{\"new\":30}", null),
                next));
        assertEquals(2, v2.modelVersion());
        assertEquals("{\"v\":2}", v2.config());

        Store again = reopen();
        Space s = again.space("s").orElseThrow();
        assertEquals(v2, s);
        assertEquals(List.of(1, 2), again.versions(s).stream().map(SpaceVersion::version).toList());
        assertEquals("{}", again.versions(s).getFirst().config(), "the first version's config is the space's was");
        assertEquals("{\"new\":30}", again.versions(s).get(1).consolidation());
        for (TraceVector v : next) {
            Trace t = again.trace(v.traceId()).orElseThrow();
            assertArrayEquals(v.vector(), t.vector());
            assertEquals(v.surprise(), t.surprise());
            assertArrayEquals(before.get(v.traceId()).vector(), again.vectors(s, 1).get(v.traceId()).vector());
            assertEquals(v.traceId(), again.nearest(s, v.vector(), 1).getFirst().traceId(),
                    "the index holds the new points");
        }
        assertEquals(30, again.vectors(s, 2).size());
        assertEquals(stored.stream().map(t -> t.trace().id()).toList(),
                again.traces(stored.stream().map(t -> t.trace().id()).toList()).stream().map(Trace::id).toList());
        assertEquals(Set.of(stored.getFirst().trace().id()), again.boundTraceIds(s));

        // Back to v1: its points again, v2's kept.
        Space back = again.write(tx -> tx.changeVersion(s, again.versions(s).getFirst(),
                List.copyOf(again.vectors(s, 1).values())));
        assertEquals(1, back.modelVersion());
        assertEquals("{}", back.config());
        for (TraceVector v : before.values()) {
            assertArrayEquals(v.vector(), again.trace(v.traceId()).orElseThrow().vector());
            assertEquals(v.traceId(), again.nearest(back, v.vector(), 1).getFirst().traceId());
        }
        assertArrayEquals(next.getFirst().vector(), again.vectors(back, 2).get(next.getFirst().traceId()).vector());
        assertEquals(List.of(1, 2), again.versions(back).stream().map(SpaceVersion::version).toList());
    }

    @Test
    void aVersionChangeFromAStaleViewOrWithoutEveryPointIsRefusedAndChangesNothing() {
        Store store = create();
        Space v1 = space(store, "s", 3);
        add(store, v1, randomTraces(5, 3, 6, "t"));
        List<TraceVector> next = moved(store, v1, 1);
        // Fewer points than traces: traces were stored since they were computed.
        assertExit(ExitCode.STORE_UNAVAILABLE, () -> store.write(tx -> tx.changeVersion(v1,
                new SpaceVersion(2, "{}", null, null), next.subList(1, next.size()))));
        List<TraceVector> stranger = new ArrayList<>(next);
        stranger.set(0, new TraceVector(9999, next.getFirst().vector(), 0));
        assertThrows(IllegalArgumentException.class, () -> store.write(tx -> tx.changeVersion(v1,
                new SpaceVersion(2, "{}", null, null), stranger)));
        assertEquals(1, store.space("s").orElseThrow().modelVersion());
        store.write(tx -> tx.changeVersion(v1, new SpaceVersion(2, "{}", null, null), next));
        assertExit(ExitCode.STORE_UNAVAILABLE, () -> store.write(tx -> tx.changeVersion(v1,
                new SpaceVersion(3, "{}", null, null), next)));
        Space now = reopen().space("s").orElseThrow();
        assertEquals(2, now.modelVersion());
        assertEquals(List.of(1, 2), reopen().versions(now).stream().map(SpaceVersion::version).toList());
    }

    @Test
    void aRestoredRecordKeepsItsModelVersionsAndEarlierPoints() {
        Record r = record();
        Store store = create();
        store.write(tx -> {
            Restore restore = tx.restore(r.highest());
            restore.space(r.space());
            restore.versions(r.space(), List.of(new SpaceVersion(1, "{}", null, r.space().createdAt()),
                    new SpaceVersion(2, r.space().config(), "{\"replayed\":3}", r.space().createdAt().plusSeconds(7))));
            restore.traces(r.space(), r.traces());
            restore.vectors(r.space(), 1, List.of(new TraceVector(10, new float[] {1, 2, 3}, 0.5)));
            return null;
        });
        Store again = reopen();
        assertEquals(List.of(new SpaceVersion(1, "{}", null, r.space().createdAt()),
                new SpaceVersion(2, r.space().config(), "{\"replayed\":3}", r.space().createdAt().plusSeconds(7))),
                again.versions(r.space()));
        assertArrayEquals(new float[] {1, 2, 3}, again.vectors(r.space(), 1).get(10L).vector());
        assertEquals(1, again.vectors(r.space(), 1).size());
        assertEquals(5, again.vectors(r.space(), 2).size());
    }
}
