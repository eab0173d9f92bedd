package dev.engram.bench;

import dev.engram.Json;
import dev.engram.store.Store;
import dev.engram.store.Stores;
import dev.engram.store.Vectors;
import dev.engram.store.Neighbour;
import dev.engram.store.Space;
import dev.engram.store.Trace;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Recall@k of a space's HNSW index ({@code Store.nearest}) against exact brute-force search over
 * the same vectors, averaged over random queries. Prints one JSON object on stdout.
 *
 * <p>Queries are either the vectors of traces in another store that came from one source (for
 * Fashion-MNIST: a copy of the store into which the test images were encoded, so the queries are
 * genuinely new points), or, without {@code --queries-from}, stored vectors of the space itself,
 * each query's own trace excluded from both result lists.
 *
 * <p>A returned neighbour counts as correct when it is in the exact top k or lies no farther than
 * the exact k-th neighbour (a tie), as in Lucene's own recall tests.
 *
 * <pre>
 * HnswRecall --store DIR --space NAME [--queries-from DIR --query-source PATH] [--n 1000] [--k 10] [--seed 42]
 *            [--dump DIR]
 * </pre>
 *
 * <p>{@code --dump DIR} also writes the stored vectors and the queries as {@code DIR/base.npy} and
 * {@code DIR/queries.npy} (float32), for a reference library to search the same points
 * ({@code bench/hnsw_reference.py}).
 */
public final class HnswRecall {
    private HnswRecall() {
    }

    public static void main(String[] args) throws java.io.IOException {
        Map<String, String> opts = options(args);
        Path storeDir = Path.of(required(opts, "--store"));
        String spaceName = required(opts, "--space");
        int n = Integer.parseInt(opts.getOrDefault("--n", "1000"));
        int k = Integer.parseInt(opts.getOrDefault("--k", "10"));
        long seed = Long.parseLong(opts.getOrDefault("--seed", "42"));
        String queriesFrom = opts.get("--queries-from");
        String querySource = opts.get("--query-source");
        if ((queriesFrom == null) != (querySource == null)) {
            throw new IllegalArgumentException("--queries-from and --query-source go together");
        }
        Duration wait = Duration.ofSeconds(60);

        try (Store store = Stores.at(storeDir.toString(), wait).open()) {
            Space space = store.space(spaceName)
                    .orElseThrow(() -> new IllegalArgumentException("no space " + spaceName + " in " + storeDir));
            List<Long> ids = new ArrayList<>();
            List<float[]> vectors = new ArrayList<>();
            store.forEachTrace(space, t -> {
                ids.add(t.id());
                vectors.add(t.vector());
            });
            long[] idArray = ids.stream().mapToLong(Long::longValue).toArray();
            float[][] data = vectors.toArray(float[][]::new);
            Map<Long, Integer> row = new HashMap<>();
            for (int i = 0; i < idArray.length; i++) {
                row.put(idArray[i], i);
            }

            // Queries: (vector, id to exclude or -1).
            List<float[]> queries = new ArrayList<>();
            List<Long> exclude = new ArrayList<>();
            Random random = new Random(seed);
            if (queriesFrom != null) {
                String wanted = Path.of(querySource).toAbsolutePath().normalize().toString();
                List<float[]> candidates = new ArrayList<>();
                try (Store other = Stores.at(queriesFrom, wait).open()) {
                    Space otherSpace = other.space(spaceName).orElseThrow(() -> new IllegalArgumentException(
                            "no space " + spaceName + " in " + queriesFrom));
                    other.forEachTrace(otherSpace, t -> {
                        if (t.source().equals(wanted)) {
                            candidates.add(t.vector());
                        }
                    });
                }
                if (candidates.isEmpty()) {
                    throw new IllegalArgumentException("no trace of source " + wanted + " in " + queriesFrom);
                }
                Collections.shuffle(candidates, random);
                for (float[] q : candidates.subList(0, Math.min(n, candidates.size()))) {
                    queries.add(q);
                    exclude.add(-1L);
                }
            } else {
                List<Integer> order = new ArrayList<>();
                for (int i = 0; i < data.length; i++) {
                    order.add(i);
                }
                Collections.shuffle(order, random);
                for (int i : order.subList(0, Math.min(n, order.size()))) {
                    queries.add(data[i]);
                    exclude.add(idArray[i]);
                }
            }

            String dump = opts.get("--dump");
            if (dump != null) {
                Path dir = java.nio.file.Files.createDirectories(Path.of(dump));
                try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(dir.resolve("base.npy"))) {
                    dev.engram.io.Npy.write(data, out);
                }
                try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(dir.resolve("queries.npy"))) {
                    dev.engram.io.Npy.write(queries.toArray(float[][]::new), out);
                }
            }

            // Warm up: the first search opens the index (and would rebuild it if H2 and Lucene disagreed).
            store.nearest(space, queries.getFirst(), k);

            double recallSum = 0;
            double recallMin = 1;
            int perfect = 0;
            int shortLists = 0;
            double maxDistanceError = 0;
            long hnswNanos = 0;
            long exactNanos = 0;
            for (int qi = 0; qi < queries.size(); qi++) {
                float[] q = queries.get(qi);
                long self = exclude.get(qi);

                long t0 = System.nanoTime();
                List<Neighbour> approx = store.nearest(space, q, self < 0 ? k : k + 1);
                long t1 = System.nanoTime();
                Exact exact = exactTopK(data, idArray, q, self, k);
                long t2 = System.nanoTime();
                hnswNanos += t1 - t0;
                exactNanos += t2 - t1;

                double[] exactDistances = exact.distances();
                double kth = exactDistances[exactDistances.length - 1];
                int hits = 0;
                int returned = 0;
                for (Neighbour nb : approx) {
                    if (nb.traceId() == self) {
                        continue;
                    }
                    if (returned == k) {
                        break;
                    }
                    returned++;
                    Integer r = row.get(nb.traceId());
                    if (r == null) {
                        continue; // not a trace of the record: never a correct answer
                    }
                    double d = Vectors.distance(data[r], q);
                    maxDistanceError = Math.max(maxDistanceError, Math.abs(d - nb.distance()));
                    if (exact.ids().contains(nb.traceId()) || d <= kth * (1 + 1e-6)) {
                        hits++;
                    }
                }
                if (returned < k) {
                    shortLists++;
                }
                double recall = (double) hits / exactDistances.length;
                recallSum += recall;
                recallMin = Math.min(recallMin, recall);
                perfect += hits == exactDistances.length ? 1 : 0;
            }

            Map<String, Object> json = new LinkedHashMap<>();
            json.put("space", spaceName);
            json.put("indexed", data.length);
            json.put("queries", queries.size());
            json.put("query_kind", queriesFrom != null ? "new points (" + querySource + ")" : "stored points, self excluded");
            json.put("k", k);
            json.put("recall_at_k", recallSum / queries.size());
            json.put("min_recall", recallMin);
            json.put("perfect_fraction", (double) perfect / queries.size());
            json.put("short_result_lists", shortLists);
            json.put("max_distance_error", maxDistanceError);
            json.put("hnsw_ms_per_query", hnswNanos / 1e6 / queries.size());
            json.put("exact_ms_per_query", exactNanos / 1e6 / queries.size());
            System.out.println(Json.LINES.toJson(json));
        }
    }

    /** The exact k nearest: their trace ids, and their distances nearest first. */
    record Exact(Set<Long> ids, double[] distances) {
    }

    /** Exact k nearest by Euclidean distance, excluding {@code self}. */
    static Exact exactTopK(float[][] data, long[] ids, float[] q, long self, int k) {
        int m = Math.min(k, self < 0 ? data.length : data.length - 1);
        int[] best = new int[m];
        double[] bestD = new double[m];
        Arrays.fill(bestD, Double.POSITIVE_INFINITY);
        for (int i = 0; i < data.length; i++) {
            if (ids[i] == self) {
                continue;
            }
            double d = Vectors.squaredDistance(data[i], q);
            if (d >= bestD[m - 1]) {
                continue;
            }
            int j = m - 1;
            while (j > 0 && bestD[j - 1] > d) {
                bestD[j] = bestD[j - 1];
                best[j] = best[j - 1];
                j--;
            }
            bestD[j] = d;
            best[j] = i;
        }
        Set<Long> exactIds = new HashSet<>();
        double[] distances = new double[m];
        for (int j = 0; j < m; j++) {
            exactIds.add(ids[best[j]]);
            distances[j] = Math.sqrt(bestD[j]);
        }
        return new Exact(exactIds, distances);
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value pairs, got '" + args[i] + "'");
            }
            opts.put(args[i], args[++i]);
        }
        return opts;
    }

    static String required(Map<String, String> opts, String name) {
        String value = opts.get(name);
        if (value == null) {
            throw new IllegalArgumentException("missing " + name);
        }
        return value;
    }
}
