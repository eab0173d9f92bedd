package dev.engram.dim;

import dev.engram.knn.Hnsw;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.ByteBuffersDirectory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Approximate k-nearest neighbours from an in-memory Lucene HNSW graph (Malkov & Yashunin,
 * "Efficient and robust approximate nearest neighbor search using Hierarchical Navigable Small
 * World graphs", IEEE TPAMI 42(4), 2020), with the settings of the store's vector indexes
 * ({@link Hnsw}: M = 16, construction beam 100, 100 candidates per query). The distances of
 * the neighbours found are recomputed in double from the coordinates, so only the neighbour
 * lists are approximate, never the distances.
 *
 * <p>An approximate list that misses a point's true nearest neighbour makes r1 too large and so
 * r2/r1 too small: the estimate moves. {@link #compare} states by how much, on a seeded sample
 * of points whose exact lists are found by brute force.
 */
public final class ApproximateNeighbours {
    private static final String VECTOR = "v";
    private static final String ID = "id";

    private ApproximateNeighbours() {
    }

    /** Like {@link Neighbours#search(float[][], int, Neighbours.Progress)}; progress counts points (added, then queried). */
    public static Neighbours.Result search(float[][] points, int k, Neighbours.Progress progress) {
        Neighbours.checkShape(points);
        int n = points.length;
        if (k < 1 || n <= k) {
            return Neighbours.search(points, k);
        }
        long total = 2L * n;
        int step = Math.max(1, n / 100);
        try (ByteBuffersDirectory directory = new ByteBuffersDirectory()) {
            IndexWriterConfig config = Hnsw.writerConfig().setRAMBufferSizeMB(512);
            try (IndexWriter writer = new IndexWriter(directory, config)) {
                for (int i = 0; i < n; i++) {
                    Document doc = new Document();
                    doc.add(new NumericDocValuesField(ID, i));
                    doc.add(new KnnFloatVectorField(VECTOR, points[i], VectorSimilarityFunction.EUCLIDEAN));
                    writer.addDocument(doc);
                    if ((i + 1) % step == 0) {
                        progress.done(i + 1, total);
                    }
                }
                writer.commit();
            }
            try (DirectoryReader reader = DirectoryReader.open(directory)) {
                int[] idOfDoc = idsByDoc(reader);
                IndexSearcher searcher = new IndexSearcher(reader);
                double[] distances = new double[n * k];
                int[] indices = new int[n * k];
                AtomicInteger queried = new AtomicInteger();
                IntStream.range(0, n).parallel().forEach(p -> {
                    query(searcher, idOfDoc, points, p, k, distances, indices);
                    int done = queried.incrementAndGet();
                    if (done % step == 0) {
                        synchronized (progress) {
                            progress.done(n + done, total);
                        }
                    }
                });
                int duplicates = 0;
                for (int p = 0; p < n; p++) {
                    duplicates += distances[p * k] == 0 ? 1 : 0;
                }
                return new Neighbours.Result(k, distances, indices, duplicates);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int[] idsByDoc(DirectoryReader reader) throws IOException {
        int[] ids = new int[reader.maxDoc()];
        for (LeafReaderContext leaf : reader.leaves()) {
            NumericDocValues values = leaf.reader().getNumericDocValues(ID);
            for (int doc = values.nextDoc(); doc != NumericDocValues.NO_MORE_DOCS; doc = values.nextDoc()) {
                ids[leaf.docBase + doc] = (int) values.longValue();
            }
        }
        return ids;
    }

    private static void query(IndexSearcher searcher, int[] idOfDoc, float[][] points, int p, int k,
                              double[] distances, int[] indices) {
        int candidates = Hnsw.candidates(k + 1); // the point itself is among the hits
        TopDocs top;
        try {
            top = searcher.search(new KnnFloatVectorQuery(VECTOR, points[p], candidates), candidates);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        double[] d = new double[top.scoreDocs.length];
        int[] ids = new int[top.scoreDocs.length];
        int found = 0;
        for (ScoreDoc hit : top.scoreDocs) {
            int id = idOfDoc[hit.doc];
            if (id != p) {
                ids[found] = id;
                d[found++] = Neighbours.squaredDistance(points[p], points[id]);
            }
        }
        Integer[] order = new Integer[found];
        for (int i = 0; i < found; i++) {
            order[i] = i;
        }
        final double[] dd = d;
        final int[] ii = ids;
        Arrays.sort(order, (a, b) -> dd[a] != dd[b] ? Double.compare(dd[a], dd[b]) : Integer.compare(ii[a], ii[b]));
        if (found < k) {
            // The graph gave fewer than k others (tiny or disconnected data): fall back to exact for this point.
            Neighbours.Result exact = exactFor(points, new int[] {p}, k);
            System.arraycopy(exact.distances(), 0, distances, p * k, k);
            System.arraycopy(exact.indices(), 0, indices, p * k, k);
            return;
        }
        for (int r = 0; r < k; r++) {
            distances[p * k + r] = Math.sqrt(d[order[r]]);
            indices[p * k + r] = ids[order[r]];
        }
    }

    /** Exact neighbour lists of the chosen points only (brute force, in double): row i is point {@code which[i]}. */
    static Neighbours.Result exactFor(float[][] points, int[] which, int k) {
        double[] distances = new double[which.length * k];
        int[] indices = new int[which.length * k];
        IntStream.range(0, which.length).parallel().forEach(i -> {
            double[] best = new double[k];
            int[] bestIds = new int[k];
            Neighbours.bruteForce(points, which[i], k, best, bestIds);
            for (int r = 0; r < k; r++) {
                distances[i * k + r] = Math.sqrt(best[r]);
                indices[i * k + r] = bestIds[r];
            }
        });
        int duplicates = 0;
        for (int i = 0; i < which.length; i++) {
            duplicates += distances[i * k] == 0 ? 1 : 0;
        }
        return new Neighbours.Result(k, distances, indices, duplicates);
    }

    /**
     * How far the approximate lists are from the exact ones, on {@code sample} seeded points:
     * recall@k (the share of each exact list that the approximate list holds, averaged), and the
     * sample's TwoNN maximum-likelihood and MLE (k = {@code mleK}, harmonic) estimates from either list.
     */
    public record Comparison(int sample, int k, double recall, double twoNNExact, double twoNNApproximate,
                             double mleExact, double mleApproximate) {
    }

    public static Comparison compare(float[][] points, Neighbours.Result approximate, int sample, long seed,
                                     int mleK) {
        int n = points.length;
        int k = approximate.k();
        int s = Math.min(sample, n);
        int[] all = IntStream.range(0, n).toArray();
        Random random = new Random(seed);
        for (int i = 0; i < s; i++) {
            int j = i + random.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        int[] which = Arrays.copyOf(all, s);
        Neighbours.Result exact = exactFor(points, which, k);
        double[] approxDistances = new double[s * k];
        int[] approxIndices = new int[s * k];
        double recall = 0;
        for (int i = 0; i < s; i++) {
            int p = which[i];
            System.arraycopy(approximate.distances(), p * k, approxDistances, i * k, k);
            System.arraycopy(approximate.indices(), p * k, approxIndices, i * k, k);
            int hits = 0;
            for (int r = 0; r < k; r++) {
                int id = exact.index(i, r);
                for (int q = 0; q < k; q++) {
                    if (approximate.index(p, q) == id) {
                        hits++;
                        break;
                    }
                }
            }
            recall += (double) hits / k;
        }
        Neighbours.Result approx = new Neighbours.Result(k, approxDistances, approxIndices, 0);
        return new Comparison(s, k, recall / s, twoNNMle(exact), twoNNMle(approx),
                mle(exact, mleK), mle(approx, mleK));
    }

    /** TwoNN's maximum-likelihood estimate (N − 1)/Σ log(r2/r1) over the rows of the table. */
    private static double twoNNMle(Neighbours.Result r) {
        if (r.k() < 2) {
            return Double.NaN;
        }
        double sum = 0;
        int used = 0;
        for (int p = 0; p < r.size(); p++) {
            if (r.distance(p, 0) > 0) {
                sum += Math.log(r.distance(p, 1) / r.distance(p, 0));
                used++;
            }
        }
        return sum > 0 ? (used - 1) / sum : Double.NaN;
    }

    /** Levina–Bickel with the harmonic-mean combination over the rows of the table. */
    private static double mle(Neighbours.Result r, int k) {
        return k < 2 || r.k() < k ? Double.NaN : MaximumLikelihood.estimate(r, k,
                MaximumLikelihood.Combination.HARMONIC_MEAN).dimension();
    }
}
