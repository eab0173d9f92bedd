package dev.engram.store.server.solr;

import dev.engram.EngramException;
import dev.engram.ExitCode;
import dev.engram.store.Neighbour;
import dev.engram.store.Space;
import dev.engram.store.Trace;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SolrVectorIndex} against a real 2-node SolrCloud ({@link SolrCloudTestCluster}): nearest
 * neighbours and their distances against exact ones computed here, counts and sequence numbers,
 * rebuilds, and recall on one shard and on two.
 */
@ExtendWith(SolrCloudTestCluster.class)
class SolrVectorIndexTest {
    private static final double DISTANCE_TOLERANCE = 1e-5;

    private static SolrCluster oneShard;
    private static SolrCluster twoShards;
    private static SolrCluster replicated;

    @BeforeAll
    static void connect() {
        oneShard = SolrCluster.connect(SolrCloudTestCluster.zkHost(), new SolrCluster.Layout(1, 1), null);
        twoShards = SolrCluster.connect(SolrCloudTestCluster.zkHost(), new SolrCluster.Layout(2, 1), null);
        // Two shards of two replicas on two nodes: every node holds a replica of every shard.
        replicated = SolrCluster.connect(SolrCloudTestCluster.zkHost(), new SolrCluster.Layout(2, 2), null);
    }

    @AfterAll
    static void close() {
        for (SolrCluster c : new SolrCluster[]{oneShard, twoShards, replicated}) {
            if (c != null) {
                c.close();
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"euclidean", "cosine"})
    void searchFindsTheExactNearestNeighboursWithTheirDistances(String metric) {
        Random random = new Random(11);
        List<Trace> traces = traces(random, 1, 150, 8);
        Space space = space(metric, 8);
        try (SolrVectorIndex index = oneShard.index("exact_" + metric, space)) {
            index.add(traces);
            for (int q = 0; q < 20; q++) {
                float[] query = q < 5 ? traces.get(q * 7).vector() : vector(random, 8);
                List<Neighbour> hits = index.search(query, 10);
                List<Neighbour> exact = exact(traces, query, 10, metric);
                assertEquals(ids(exact), ids(hits), "query " + q);
                for (int i = 0; i < hits.size(); i++) {
                    assertEquals(exact.get(i).distance(), hits.get(i).distance(), DISTANCE_TOLERANCE,
                            "distance of hit " + i + " of query " + q);
                }
            }
            // k beyond the number of traces: all of them, nearest first.
            List<Neighbour> all = index.search(traces.get(0).vector(), 200);
            assertEquals(150, all.size());
            assertEquals(traces.get(0).id(), all.get(0).traceId());
            assertEquals(0, all.get(0).distance(), DISTANCE_TOLERANCE);
        }
    }

    @Test
    void countsAndSequenceNumbersFollowTheAdds() {
        Random random = new Random(12);
        try (SolrVectorIndex index = twoShards.index("counts", space("euclidean", 4))) {
            assertEquals(-1, index.committedCount(), "no collection yet");
            assertEquals(-1, index.maxSeq());
            assertEquals(List.of(), index.search(vector(random, 4), 5));
            assertFalse(twoShards.hasCollection("counts"), "reading does not create the collection");

            List<Trace> first = traces(random, 1, 30, 4);
            index.addSequenced(entries(first, 1000));
            assertTrue(twoShards.hasCollection("counts"));
            assertEquals(30, index.committedCount());
            assertEquals(1029, index.maxSeq());

            List<Trace> second = traces(random, 31, 5, 4);
            index.addSequenced(entries(second, 2000));
            assertEquals(35, index.committedCount());
            assertEquals(2004, index.maxSeq());

            // A retried batch replaces its documents: no duplicates.
            index.addSequenced(entries(second, 2000));
            assertEquals(35, index.committedCount());

            // Plain add: the trace id is its sequence number.
            index.add(traces(random, 5000, 1, 4));
            assertEquals(36, index.committedCount());
            assertEquals(5000, index.maxSeq());
            index.add(List.of());
            assertEquals(36, index.committedCount());
        }
    }

    @Test
    void rebuildReplacesTheWholeIndex() {
        Random random = new Random(13);
        try (SolrVectorIndex index = twoShards.index("rebuild", space("euclidean", 6))) {
            List<Trace> old = traces(random, 1, 50, 6);
            index.add(old);
            assertEquals(50, index.committedCount());

            List<Trace> record = traces(random, 100, 21, 6);
            index.rebuildSequenced(entries(record, 7));
            assertEquals(21, index.committedCount());
            assertEquals(27, index.maxSeq());
            Set<Long> ids = new HashSet<>(ids(record));
            for (Neighbour hit : index.search(old.get(0).vector(), 30)) {
                assertTrue(ids.contains(hit.traceId()), "trace " + hit.traceId() + " survived the rebuild");
            }

            index.rebuild(List.of());
            assertEquals(0, index.committedCount());
            assertEquals(-1, index.maxSeq());
            assertEquals(List.of(), index.search(old.get(0).vector(), 5));
        }
    }

    @Test
    void aSearchRightAfterAnAddSeesItOnEveryReplica() {
        Random random = new Random(14);
        try (SolrVectorIndex index = replicated.index("visible", space("euclidean", 5))) {
            for (int i = 1; i <= 15; i++) {
                Trace trace = traces(random, i, 1, 5).getFirst();
                index.add(List.of(trace));
                // Queries go to any replica of each shard: several, so that both are asked.
                for (int q = 0; q < 4; q++) {
                    List<Neighbour> hits = index.search(trace.vector(), 1);
                    assertEquals(trace.id(), hits.getFirst().traceId(), "add " + i + ", query " + q);
                    assertEquals(0, hits.getFirst().distance(), DISTANCE_TOLERANCE);
                    assertEquals(i, index.committedCount(), "add " + i + ", count " + q);
                }
            }
        }
    }

    @Test
    void oneShardAndTwoShardsFindTheSameNeighbours() {
        Random random = new Random(15);
        int n = 2000;
        int dimension = 16;
        int k = 10;
        List<Trace> traces = traces(random, 1, n, dimension);
        Space space = space("euclidean", dimension);
        try (SolrVectorIndex one = oneShard.index("recall_1", space);
             SolrVectorIndex two = twoShards.index("recall_2", space)) {
            one.add(traces);
            two.add(traces);
            assertEquals(n, one.committedCount());
            assertEquals(n, two.committedCount());
            int queries = 200;
            double recallOne = 0;
            double recallTwo = 0;
            double agreement = 0;
            for (int q = 0; q < queries; q++) {
                float[] query = vector(random, dimension);
                Set<Long> exact = new HashSet<>(ids(exact(traces, query, k, "euclidean")));
                List<Long> fromOne = ids(one.search(query, k));
                List<Long> fromTwo = ids(two.search(query, k));
                assertEquals(k, fromOne.size());
                assertEquals(k, fromTwo.size());
                recallOne += overlap(exact, fromOne) / k;
                recallTwo += overlap(exact, fromTwo) / k;
                agreement += overlap(new HashSet<>(fromOne), fromTwo) / k;
            }
            recallOne /= queries;
            recallTwo /= queries;
            agreement /= queries;
            System.out.printf(Locale.ROOT, "SolrVectorIndexTest: %d random %d-d vectors, %d queries: recall@%d"
                            + " 1 shard %.4f, 2 shards %.4f; top-%d agreement between them %.4f%n",
                    n, dimension, queries, k, recallOne, recallTwo, k, agreement);
            assertTrue(recallOne >= 0.95, "recall@10 on 1 shard: " + recallOne);
            assertTrue(recallTwo >= 0.95, "recall@10 on 2 shards: " + recallTwo);
            assertTrue(agreement >= 0.95, "1 and 2 shards agree on " + agreement + " of the top 10");
        }
    }

    @Test
    void withANodeStoppedEveryShardIsStillSearchedOnItsOtherReplica() {
        Random random = new Random(17);
        List<Trace> traces = traces(random, 1, 200, 5);
        try (SolrVectorIndex index = replicated.index("failover", space("euclidean", 5))) {
            index.add(traces);
            float[] query = vector(random, 5);
            List<Long> before = ids(index.search(query, 10));
            SolrCloudTestCluster.stopNode(1);
            try {
                assertEquals(before, ids(index.search(query, 10)));
                assertEquals(200, index.committedCount());
            } finally {
                SolrCloudTestCluster.startNode(1);
                SolrCloudTestCluster.awaitActive();
            }
            assertEquals(before, ids(index.search(query, 10)));
        }
    }

    @Test
    void aDeletedCollectionHasNoCount() {
        Random random = new Random(18);
        try (SolrVectorIndex index = oneShard.index("deleted", space("euclidean", 3))) {
            index.add(traces(random, 1, 3, 3));
            assertEquals(3, index.committedCount());
        }
        oneShard.deleteCollection("deleted");
        assertFalse(oneShard.hasCollection("deleted"));
        try (SolrVectorIndex index = oneShard.index("deleted", space("euclidean", 3))) {
            assertEquals(-1, index.committedCount());
        }
    }

    @Test
    void aVectorOfAnotherDimensionIsRefused() {
        try (SolrVectorIndex index = oneShard.index("shape", space("euclidean", 3))) {
            EngramException e = assertThrows(EngramException.class, () -> index.search(new float[4], 1));
            assertEquals(ExitCode.WRONG_SHAPE, e.exitCode());
            Trace wrong = new Trace(1, 1, "x", -1, "h1", new float[2], 0, Instant.EPOCH);
            assertEquals(ExitCode.WRONG_SHAPE,
                    assertThrows(EngramException.class, () -> index.add(List.of(wrong))).exitCode());
        }
    }

    @Test
    void aCollectionOfAnotherDimensionIsRefused() {
        Random random = new Random(16);
        try (SolrVectorIndex index = oneShard.index("dimension", space("euclidean", 3))) {
            index.add(traces(random, 1, 2, 3));
        }
        try (SolrVectorIndex index = oneShard.index("dimension", space("euclidean", 4))) {
            EngramException e = assertThrows(EngramException.class, () -> index.add(traces(random, 9, 1, 4)));
            assertEquals(ExitCode.STORE_INCOMPATIBLE, e.exitCode());
        }
    }

    private static Space space(String metric, int dimension) {
        return new Space(1, "test-" + metric + "-" + dimension, "vector", "none", dimension, metric, 1, "{}",
                Instant.EPOCH);
    }

    private static List<Trace> traces(Random random, long firstId, int count, int dimension) {
        List<Trace> traces = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            long id = firstId + i;
            traces.add(new Trace(id, 1, "source-" + id, -1, "hash-" + id, vector(random, dimension), 0,
                    Instant.EPOCH));
        }
        return traces;
    }

    private static List<SolrVectorIndex.Entry> entries(List<Trace> traces, long firstSeq) {
        return IntStream.range(0, traces.size())
                .mapToObj(i -> new SolrVectorIndex.Entry(firstSeq + i, traces.get(i))).toList();
    }

    private static float[] vector(Random random, int dimension) {
        float[] v = new float[dimension];
        for (int i = 0; i < dimension; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return v;
    }

    /** The k nearest traces by brute force, in double precision. */
    private static List<Neighbour> exact(List<Trace> traces, float[] query, int k, String metric) {
        return traces.stream()
                .map(t -> new Neighbour(t.id(), distance(query, t.vector(), metric)))
                .sorted(Comparator.comparingDouble(Neighbour::distance))
                .limit(k)
                .toList();
    }

    private static double distance(float[] a, float[] b, String metric) {
        double dot = 0;
        double aa = 0;
        double bb = 0;
        double squared = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            squared += d * d;
            dot += (double) a[i] * b[i];
            aa += (double) a[i] * a[i];
            bb += (double) b[i] * b[i];
        }
        return switch (metric) {
            case "euclidean" -> Math.sqrt(squared);
            case "cosine" -> 1 - dot / Math.sqrt(aa * bb);
            default -> throw new IllegalArgumentException(metric);
        };
    }

    private static List<Long> ids(List<?> items) {
        return items.stream().map(o -> o instanceof Neighbour n ? n.traceId() : ((Trace) o).id()).toList();
    }

    private static double overlap(Set<Long> expected, List<Long> found) {
        return found.stream().filter(expected::contains).count();
    }
}
