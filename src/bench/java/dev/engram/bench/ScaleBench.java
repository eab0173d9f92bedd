package dev.engram.bench;

import dev.engram.Json;
import dev.engram.io.Npy;
import dev.engram.store.AssociationKind;
import dev.engram.store.Binding;
import dev.engram.store.NewTrace;
import dev.engram.store.Neighbour;
import dev.engram.store.Space;
import dev.engram.store.Store;
import dev.engram.store.Stores;
import dev.engram.store.Vectors;
import dev.engram.store.server.ServerStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * One backend's figures for bin/bench scale: loads N seeded vectors of a Gaussian mixture into a
 * new space of the store {@code --store} names (a directory, or a server address), straight
 * through the Store contract (no encoder: the vector modality would train an autoencoder first,
 * and that is not the store), then searches it with new points of the same mixture. Every backend
 * run with the same {@code --traces --dim --seed} gets the same vectors and the same queries.
 * Prints one JSON object on stdout.
 *
 * <ul>
 *   <li>load: {@code --batch} traces per unit of work ({@code Store.write} with
 *       {@code addTraces}); the time runs until the index holds them all (the server store's
 *       writer adds its outbox to Solr after each commit; one more catch-up is timed at the end
 *       and must find nothing left).</li>
 *   <li>bind: every trace bound by label to one of {@code --concepts} concepts ({@code
 *       scale-0}, ...: trace i to concept i mod C, spread evenly and unrelated to the clusters;
 *       the store's cost is measured, not recall's accuracy), {@code --batch} bindings per unit
 *       of work ({@code Store.write} with {@code bind}); {@code --concepts 0} binds nothing.</li>
 *   <li>recall: {@code --queries} single {@code nearest(k=10)} calls one after another, after
 *       {@code --warmup} calls not counted: throughput, median and p95 latency, and recall@10
 *       against exact search over the same vectors in this JVM (a returned trace counts when it
 *       is in the exact top 10 or no farther than the exact 10th).</li>
 *   <li>peak_rss_mb: this JVM's high-water mark (Linux; the embedded store's whole cost, the
 *       server store's client only).</li>
 * </ul>
 *
 * <pre>
 * ScaleBench --store SPEC --traces N --dim D [--seed 42] [--clusters C] [--batch 1000] [--queries 1000]
 *            [--warmup 100] [--concepts 1000] [--space bench] [--npy FILE]
 * </pre>
 * A space {@code --space} that exists already is added to (its dimension must be {@code --dim}):
 * bin/bench scale --curve loads a space {@code engram encode} trained, so that one-cue
 * {@code engram recall} processes can be timed against the million traces.
 * {@code --npy FILE} also writes the vectors as a float32 .npy (nothing is measured then but the writing).
 */
public final class ScaleBench {
    private static final int K = 10;

    private ScaleBench() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = HnswRecall.options(args);
        int n = Integer.parseInt(opts.getOrDefault("--traces", "100000"));
        int dim = Integer.parseInt(opts.getOrDefault("--dim", "16"));
        long seed = Long.parseLong(opts.getOrDefault("--seed", "42"));
        int clusters = Integer.parseInt(opts.getOrDefault("--clusters", Integer.toString(Math.max(8, (int) Math.sqrt(n) / 4))));
        int batch = Integer.parseInt(opts.getOrDefault("--batch", "1000"));
        int nQueries = Integer.parseInt(opts.getOrDefault("--queries", "1000"));
        int warmup = Integer.parseInt(opts.getOrDefault("--warmup", "100"));
        String spaceName = opts.getOrDefault("--space", "bench");
        int concepts = Integer.parseInt(opts.getOrDefault("--concepts", "1000"));

        Mixture mixture = new Mixture(dim, clusters, seed);
        float[][] data = mixture.sample(n, seed + 1);
        if (opts.containsKey("--npy")) {
            writeNpy(Path.of(opts.get("--npy")), data);
            return;
        }
        String spec = opts.get("--store");
        if (spec == null) {
            throw new IllegalArgumentException("--store SPEC is required");
        }
        float[][] queries = mixture.sample(nQueries + warmup, seed + 2);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("traces", n);
        json.put("dim", dim);
        json.put("clusters", clusters);
        json.put("seed", seed);
        json.put("batch", batch);
        try (Store store = Stores.at(spec, Duration.ofSeconds(120)).openOrCreate()) {
            // --- load
            long t0 = System.nanoTime();
            Space space = store.space(spaceName)
                    .orElseGet(() -> store.write(tx -> tx.createSpace(spaceName, "vector", "bench", dim, "euclidean", "{}")));
            if (space.dimension() != dim) {
                throw new IllegalArgumentException("space " + spaceName + " holds " + space.dimension() + "-d vectors, not " + dim);
            }
            long[] earlier = store.traceIdsBySource(space).values().stream().mapToLong(Long::longValue).sorted().toArray();
            long[] ids = new long[n];
            for (int from = 0; from < n; from += batch) {
                int start = from;
                int end = Math.min(n, from + batch);
                List<NewTrace> traces = new ArrayList<>(end - start);
                for (int i = start; i < end; i++) {
                    traces.add(new NewTrace("bench-scale", i, String.format(Locale.ROOT, "bench-%016x-%d", seed, i),
                            data[i], 0.0, 0L));
                }
                List<Store.StoredTrace> stored = store.write(tx -> tx.addTraces(Map.of(space, traces))).get(space);
                for (int i = start; i < end; i++) {
                    ids[i] = stored.get(i - start).trace().id();
                }
            }
            long leftOver = store instanceof ServerStore server ? server.catchUp(space) : 0;
            double loadSeconds = (System.nanoTime() - t0) / 1e9;
            json.put("load_s", loadSeconds);
            json.put("load_traces_per_s", n / loadSeconds);
            json.put("index_left_behind_by_writers", leftOver);
            System.err.printf(Locale.ROOT, "  loaded %,d traces in %.1f s (%,.0f traces/s)%n", n, loadSeconds, n / loadSeconds);

            // --- bind
            if (concepts > 0) {
                long b0 = System.nanoTime();
                long[] conceptIds = store.write(tx -> {
                    long[] c = new long[concepts];
                    for (int j = 0; j < concepts; j++) {
                        c[j] = tx.conceptNamed("scale-" + j).id();
                    }
                    return c;
                });
                // The space's earlier traces too (bin/bench scale --curve recalls them), after the new ones.
                long[] all = java.util.stream.LongStream.concat(Arrays.stream(ids), Arrays.stream(earlier)).toArray();
                for (int from = 0; from < all.length; from += batch) {
                    List<Binding> bindings = new ArrayList<>();
                    for (int i = from; i < Math.min(all.length, from + batch); i++) {
                        bindings.add(new Binding(conceptIds[i % concepts], all[i], AssociationKind.LABEL, 0.5)); // bind's default --rate
                    }
                    store.write(tx -> tx.bind(bindings));
                }
                double bindSeconds = (System.nanoTime() - b0) / 1e9;
                json.put("concepts", concepts);
                json.put("bind_s", bindSeconds);
                json.put("bindings", all.length);
                json.put("bind_per_s", all.length / bindSeconds);
                System.err.printf(Locale.ROOT, "  bound %,d traces to %,d concepts in %.1f s (%,.0f bindings/s)%n",
                        all.length, concepts, bindSeconds, all.length / bindSeconds);
            }

            // --- recall
            Map<Long, Integer> row = new HashMap<>();
            for (int i = 0; i < n; i++) {
                row.put(ids[i], i);
            }
            for (int q = 0; q < warmup; q++) {
                store.nearest(space, queries[q], K);
            }
            long[] nanos = new long[nQueries];
            List<List<Neighbour>> answers = new ArrayList<>(nQueries);
            long r0 = System.nanoTime();
            for (int q = 0; q < nQueries; q++) {
                long a = System.nanoTime();
                answers.add(store.nearest(space, queries[warmup + q], K));
                nanos[q] = System.nanoTime() - a;
            }
            double recallSeconds = (System.nanoTime() - r0) / 1e9;
            double recallSum = 0;
            for (int q = 0; q < nQueries; q++) {
                recallSum += recallAtK(data, ids, queries[warmup + q], answers.get(q), row);
            }
            Arrays.sort(nanos);
            json.put("queries", nQueries);
            json.put("recall_queries_per_s", nQueries / recallSeconds);
            json.put("recall_at_10", recallSum / nQueries);
            json.put("latency_median_ms", nanos[nQueries / 2] / 1e6);
            json.put("latency_p95_ms", nanos[(int) Math.min(nQueries - 1, Math.ceil(nQueries * 0.95) - 1)] / 1e6);
            json.put("stored_traces", store.traceCount(space));
            json.put("traces_before", earlier.length);
        }
        json.put("peak_rss_mb", peakRssMegabytes());
        System.out.println(Json.LINES.toJson(json));
    }

    /** A seeded Gaussian mixture: centres uniform in [-10, 10]^dim, unit spread around each. */
    private record Mixture(int dim, float[][] centres) {
        Mixture(int dim, int clusters, long seed) {
            this(dim, centres(dim, clusters, new Random(seed)));
        }

        private static float[][] centres(int dim, int clusters, Random random) {
            float[][] c = new float[clusters][dim];
            for (float[] centre : c) {
                for (int j = 0; j < dim; j++) {
                    centre[j] = (float) (random.nextDouble() * 20 - 10);
                }
            }
            return c;
        }

        float[][] sample(int count, long seed) {
            Random random = new Random(seed);
            float[][] out = new float[count][dim];
            for (float[] v : out) {
                float[] centre = centres[random.nextInt(centres.length)];
                for (int j = 0; j < dim; j++) {
                    v[j] = centre[j] + (float) random.nextGaussian();
                }
            }
            return out;
        }
    }

    /** The share of the exact k nearest that {@code approx} found (ties with the k-th count). */
    private static double recallAtK(float[][] data, long[] ids, float[] q, List<Neighbour> approx, Map<Long, Integer> row) {
        HnswRecall.Exact exact = HnswRecall.exactTopK(data, ids, q, -1, K);
        double kth = exact.distances()[exact.distances().length - 1];
        int hits = 0;
        for (Neighbour nb : approx.subList(0, Math.min(K, approx.size()))) {
            Integer r = row.get(nb.traceId());
            if (r != null && (exact.ids().contains(nb.traceId()) || Vectors.distance(data[r], q) <= kth * (1 + 1e-6))) {
                hits++;
            }
        }
        return (double) hits / exact.distances().length;
    }

    private static void writeNpy(Path file, float[][] data) throws java.io.IOException {
        try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(file))) {
            Npy.write(data, out);
        }
    }

    /** This JVM's peak resident set (VmHWM, Linux), MiB, or -1. */
    private static long peakRssMegabytes() {
        return (long) SolrCloudProcess.residentMegabytes(ProcessHandle.current().pid(), "VmHWM:");
    }
}
