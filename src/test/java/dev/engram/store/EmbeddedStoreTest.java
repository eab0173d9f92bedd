package dev.engram.store;

import dev.engram.EngramException;
import dev.engram.ExitCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EmbeddedStoreTest {
    @TempDir
    Path dir;

    private EmbeddedStore open() {
        return EmbeddedStore.open(dir, EmbeddedStore.Mode.CREATE, Duration.ofSeconds(5));
    }

    private static List<NewTrace> randomTraces(int n, int dim, long seed, String prefix) {
        Random random = new Random(seed);
        List<NewTrace> traces = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] v = new float[dim];
            for (int j = 0; j < dim; j++) {
                v[j] = (float) random.nextGaussian();
            }
            traces.add(new NewTrace(prefix + i, -1, prefix + "-hash-" + i, v, random.nextDouble(), 0));
        }
        return traces;
    }

    @Test
    void approximateNeighboursAgreeWithExactSearch() {
        try (EmbeddedStore store = open()) {
            Space space = store.createSpace("s", "vector", "test", 16, "euclidean", "{}");
            List<NewTrace> traces = randomTraces(5000, 16, 1, "t");
            List<Store.StoredTrace> stored = store.addTraces(space, traces);
            Random random = new Random(2);
            double recall = 0;
            int queries = 200;
            for (int q = 0; q < queries; q++) {
                float[] query = new float[16];
                for (int j = 0; j < 16; j++) {
                    query[j] = (float) random.nextGaussian();
                }
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
    }

    @Test
    void reportedDistancesAreEuclidean() {
        try (EmbeddedStore store = open()) {
            Space space = store.createSpace("s", "vector", "test", 2, "euclidean", "{}");
            store.addTraces(space, List.of(new NewTrace("a", -1, "a", new float[] {3, 4}, 0, 0)));
            Neighbour n = store.nearest(space, new float[] {0, 0}, 1).getFirst();
            assertEquals(5.0, n.distance(), 1e-5);
        }
    }

    @Test
    void theSameContentTwiceIsOneTrace() {
        try (EmbeddedStore store = open()) {
            Space space = store.createSpace("s", "vector", "test", 4, "euclidean", "{}");
            List<NewTrace> traces = randomTraces(3, 4, 1, "t");
            traces.add(traces.getFirst());
            List<Store.StoredTrace> stored = store.addTraces(space, traces);
            assertEquals(List.of(true, true, true, false), stored.stream().map(Store.StoredTrace::created).toList());
            assertEquals(stored.get(0).trace().id(), stored.get(3).trace().id());
            assertEquals(3, store.traceCount(space));
            assertFalse(store.addTraces(space, traces.subList(0, 1)).getFirst().created());
            assertEquals(3, store.nearest(space, traces.getFirst().vector(), 10).size());
        }
    }

    @Test
    void anIndexBehindTheRecordIsRebuiltOnOpen() throws IOException {
        Path snapshot = dir.resolveSibling(dir.getFileName() + "-old-index");
        try (EmbeddedStore store = open()) {
            Space space = store.createSpace("s", "vector", "test", 8, "euclidean", "{}");
            store.addTraces(space, randomTraces(20, 8, 1, "a"));
        }
        copy(dir.resolve("index"), snapshot);
        List<NewTrace> later = randomTraces(10, 8, 2, "b");
        try (EmbeddedStore store = open()) {
            store.addTraces(store.space("s").orElseThrow(), later);
        }
        // As if the process died after committing to H2 but before Lucene committed.
        deleteTree(dir.resolve("index"));
        copy(snapshot, dir.resolve("index"));
        try (EmbeddedStore store = open()) {
            Space space = store.space("s").orElseThrow();
            assertEquals(30, store.nearest(space, later.getFirst().vector(), 100).size());
            Neighbour self = store.nearest(space, later.getFirst().vector(), 1).getFirst();
            assertEquals(0, self.distance(), 1e-6);
        }
        deleteTree(dir.resolve("index"));
        try (EmbeddedStore store = open()) {
            assertEquals(30, store.nearest(store.space("s").orElseThrow(), later.getFirst().vector(), 100).size());
        }
    }

    @Test
    void percentilesOfSurprise() {
        try (EmbeddedStore store = open()) {
            Space space = store.createSpace("s", "vector", "test", 1, "euclidean", "{}");
            List<NewTrace> traces = new ArrayList<>();
            for (int i = 1; i <= 4; i++) {
                traces.add(new NewTrace("t" + i, -1, "h" + i, new float[] {i}, i / 10.0, 0));
            }
            store.addTraces(space, traces);
            assertEquals(0.0, store.surprisePercentile(space, 0.05));
            assertEquals(0.5, store.surprisePercentile(space, 0.2));
            assertEquals(1.0, store.surprisePercentile(space, 9));
        }
    }

    @Test
    void hebbianRule() {
        assertEquals(0.5, Hebbian.strengthen(0, 0.5));
        assertEquals(0.75, Hebbian.strengthen(0.5, 0.5));
        assertEquals(1.0, Hebbian.strengthen(0.3, 1.0));
        assertThrows(IllegalArgumentException.class, () -> Hebbian.strengthen(0, 0));
    }

    @Test
    @SuppressWarnings("try") // the lock is held for the body, never referenced
    void aSecondOpenInTheSameProcessWaitsThenGivesUp() {
        try (EmbeddedStore ignored = open()) {
            EngramException e = assertThrows(EngramException.class,
                    () -> EmbeddedStore.open(dir, EmbeddedStore.Mode.EXISTING, Duration.ofMillis(300)));
            assertEquals(ExitCode.STORE_UNAVAILABLE, e.exitCode());
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().equals("write.lock")) {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
