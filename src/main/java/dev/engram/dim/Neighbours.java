package dev.engram.dim;

import dev.engram.EngramException;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * Exact k-nearest-neighbour search under the Euclidean distance, by brute force: every pair of
 * points is looked at once. Intrinsic-dimension estimators need exact neighbours (an approximate
 * index that misses the true nearest neighbour inflates r2/r1 and biases the estimate), and at the
 * sizes {@code engram dim} works on (tens of thousands of points) a well-blocked O(n²d) scan
 * takes seconds.
 *
 * <p>How it stays fast and exact:
 * <ul>
 *   <li>Squared distances are ranked through ||x||² + ||y||² − 2x·y, with the dot products
 *       computed in float over tiles of 256 points laid out dimension-major, so that the
 *       inner loop is an element-wise multiply-add that C2 turns into SIMD code.</li>
 *   <li>The distance matrix is symmetric, so only tile pairs (I, J) with I ≤ J are computed; each
 *       product feeds the candidate lists of both points. Each worker thread keeps its own lists
 *       for every point (no locks), merged at the end.</li>
 *   <li>Each list keeps k + 8 candidates. The float ranking has a bounded error;
 *       after the scan, the kept candidates' distances are recomputed in double from the raw
 *       coordinates, and a point's answer is accepted only if no point outside its list could
 *       be closer than its k-th neighbour given that bound. Otherwise (rare: heavy ties, or
 *       distances tiny next to the spread of the data) that point is searched again in double.</li>
 * </ul>
 */
public final class Neighbours {

    /** Candidates kept beyond k, so that the exactness check nearly always passes (on uniform data: always). */
    private static final int SLACK = 8;

    private Neighbours() {
    }

    /**
     * The k nearest other points of each point: for point {@code p} and rank {@code r} (0 is the
     * nearest), {@code distances[p * k + r]} and {@code indices[p * k + r]}. Each point's row is
     * sorted by distance, then by index (except that when more than k other points are exact
     * copies of a point, which k of them are listed is unspecified). The arrays are shared, not
     * copied (they can be large): treat them as read-only. {@code duplicatePoints} counts the
     * points that have at least one exact copy elsewhere in the data (nearest distance 0).
     */
    public record Result(int k, double[] distances, int[] indices, int duplicatePoints) {
        public Result {
            if (k < 1 || distances.length != indices.length || distances.length % k != 0) {
                throw new IllegalArgumentException(
                        "neighbour table of " + distances.length + " distances and " + indices.length
                                + " indices does not hold k=" + k + " per point");
            }
        }

        public int size() {
            return indices.length / k;
        }

        public double distance(int point, int rank) {
            return distances[point * k + rank];
        }

        public int index(int point, int rank) {
            return indices[point * k + rank];
        }
    }

    /**
     * Runs on the common fork-join pool (plus the calling thread).
     *
     * @param points n rows of d finite coordinates; not modified
     * @param k      neighbours per point, 1 ≤ k < n
     */
    public static Result search(float[][] points, int k) {
        return search(points, k, Progress.NONE);
    }

    /** Hears how far a long search has got, in units of work (tile pairs). */
    @FunctionalInterface
    public interface Progress {
        /** Called from any worker thread, never from two at once, at most about 200 times a search. */
        void done(long done, long total);

        Progress NONE = (done, total) -> { };
    }

    /** {@link #search(float[][], int)}, telling {@code progress} as tile pairs are scanned. */
    public static Result search(float[][] points, int k, Progress progress) {
        if (k < 1) {
            throw EngramException.invalidInput("the number of neighbours must be at least 1, got " + k);
        }
        int dim = checkShape(points);
        if (points.length <= k) {
            throw EngramException.nothingToDo(
                    "finding " + k + " neighbours of each point needs more than " + k + " points, got "
                            + points.length);
        }
        return new Search(points, dim, k).run(progress);
    }

    /** Returns the number of coordinates per point. */
    public static int checkShape(float[][] points) {
        if (points == null || points.length == 0) {
            throw EngramException.nothingToDo("there are no points to work on");
        }
        int dim = points[0].length;
        if (dim == 0) {
            throw EngramException.invalidInput("the points have no coordinates");
        }
        for (int i = 0; i < points.length; i++) {
            float[] row = points[i];
            if (row.length != dim) {
                throw EngramException.invalidInput("point " + i + " has " + row.length
                        + " coordinates but point 0 has " + dim + ": every point needs the same number");
            }
            for (int d = 0; d < dim; d++) {
                if (!Float.isFinite(row[d])) {
                    throw EngramException.invalidInput("coordinate " + d + " of point " + i + " is " + row[d]
                            + ": coordinates must be finite numbers");
                }
            }
        }
        return dim;
    }

    /** Squared distance in double from the raw coordinates; four sums break the add latency chain. */
    static double squaredDistance(float[] a, float[] b) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int d = 0;
        for (; d + 3 < a.length; d += 4) {
            double t0 = (double) a[d] - b[d];
            double t1 = (double) a[d + 1] - b[d + 1];
            double t2 = (double) a[d + 2] - b[d + 2];
            double t3 = (double) a[d + 3] - b[d + 3];
            s0 += t0 * t0;
            s1 += t1 * t1;
            s2 += t2 * t2;
            s3 += t3 * t3;
        }
        for (; d < a.length; d++) {
            double t = (double) a[d] - b[d];
            s0 += t * t;
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static final class Search {
        private final float[][] points;
        private final int n;
        private final int k;
        private final int kept;
        private final Tiles tiles;

        Search(float[][] points, int dim, int k) {
            this.points = points;
            this.n = points.length;
            this.k = k;
            this.kept = Math.min(k + SLACK, n - 1);
            this.tiles = new Tiles(points, dim);
        }

        Result run(Progress progress) {
            int[][] tilePairs = tiles.pairs();
            int[] pairI = tilePairs[0];
            int[] pairJ = tilePairs[1];
            int pairs = pairI.length;
            int workers = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), pairs));
            Candidates[] lists = new Candidates[workers];
            AtomicInteger next = new AtomicInteger();
            AtomicInteger scanned = new AtomicInteger();
            // Report about every half percent: often enough for a smooth bar, rarely enough to cost nothing.
            int step = Math.max(1, pairs / 200);
            // Workers pull tile pairs from one counter: the pairs differ in cost (the last tile
            // may be short), and a static split would leave a core idle at the end.
            IntStream.range(0, workers).parallel().forEach(w -> {
                Candidates mine = new Candidates(n, kept);
                lists[w] = mine;
                for (int at = next.getAndIncrement(); at < pairs; at = next.getAndIncrement()) {
                    scan(pairI[at], pairJ[at], mine);
                    int done = scanned.incrementAndGet();
                    if (done % step == 0 || done == pairs) {
                        synchronized (progress) {
                            progress.done(done, pairs);
                        }
                    }
                }
            });

            double[] distances = new double[n * k];
            int[] indices = new int[n * k];
            IntStream.range(0, n).parallel().forEach(p -> finish(p, lists, distances, indices));
            int duplicates = 0;
            for (int p = 0; p < n; p++) {
                if (distances[p * k] == 0) {
                    duplicates++;
                }
            }
            return new Result(k, distances, indices, duplicates);
        }

        /** Offers every pair (p in tile ti, x in tile tj) to the candidate lists of p and of x. */
        private void scan(int ti, int tj, Candidates lists) {
            float[] aNorms = tiles.tileNorms[ti];
            float[] bNorms = tiles.tileNorms[tj];
            int aBase = ti * Tiles.TILE;
            int bBase = tj * Tiles.TILE;
            int aLen = tiles.length(ti);
            int bLen = tiles.length(tj);
            float[][] dots = lists.dots;
            for (int r = 0; r < aLen; r += 4) {
                // Four points at a time: each load of the other tile feeds four products.
                tiles.dot4(ti, r, tj, bLen, dots);
                for (int q = 0; q < 4 && r + q < aLen; q++) {
                    lists.offerTile(aBase + r + q, dots[q], bNorms, bBase, bLen);
                }
                if (ti != tj) {
                    // The same products, seen from the other tile's points. Within a diagonal tile
                    // the loop above already saw every ordered pair.
                    lists.offerToTile(aBase + r, aNorms[r], aNorms[r + 1], aNorms[r + 2], aNorms[r + 3], dots,
                            bBase, bLen);
                }
            }
        }

        /**
         * Merges the workers' lists for point p, recomputes the kept candidates' distances exactly,
         * and checks that the float ranking cannot have dropped a closer point.
         */
        private void finish(int p, Candidates[] lists, double[] distances, int[] indices) {
            float[] keys = new float[kept];
            int[] ids = new int[kept];
            Arrays.fill(keys, Float.POSITIVE_INFINITY);
            Arrays.fill(ids, -1);
            int seen = 0;
            for (Candidates list : lists) {
                if (list == null) {
                    continue;
                }
                int off = p * kept;
                for (int t = 0; t < kept && list.ids[off + t] >= 0; t++, seen++) {
                    float key = list.keys[off + t];
                    if (key < keys[kept - 1]) {
                        insert(keys, ids, 0, kept, key, list.ids[off + t]);
                    }
                }
            }
            int found = Math.min(seen, kept);
            double[] exact = new double[found];
            int[] order = Arrays.copyOf(ids, found);
            for (int t = 0; t < found; t++) {
                exact[t] = squaredDistance(points[p], points[order[t]]);
            }
            sortByDistanceThenIndex(exact, order);

            double kth = exact[k - 1];
            boolean verified = seen == n - 1 || kth == 0 || kth < bound(p, keys[kept - 1]);
            if (!verified) {
                bruteForce(p, exact, order);
            }
            for (int t = 0; t < k; t++) {
                distances[p * k + t] = Math.sqrt(exact[t]);
                indices[p * k + t] = order[t];
            }
        }

        /**
         * Every point outside p's merged list ranked at or above its last key (a worker only
         * drops a candidate whose key is no better than the last key it keeps, and the merge
         * keeps the best of those). The float key of x is ||x||² − 2p·x, so any such x is at
         * true squared distance at least ||p||² + lastKey − E, with E from {@link Tiles#error}.
         */
        private double bound(int p, float lastKey) {
            return tiles.norms[p] + lastKey - tiles.error(p);
        }

        /** The fallback: every other point, in double. */
        private void bruteForce(int p, double[] exact, int[] order) {
            Neighbours.bruteForce(points, p, k, exact, order);
        }
    }

    /**
     * The k nearest other points of p by scanning them all in double: squared distances into
     * {@code best[0..k)}, their indices into {@code bestIds}, ties to the lower index.
     */
    static void bruteForce(float[][] points, int p, int k, double[] best, int[] bestIds) {
        Arrays.fill(best, 0, k, Double.POSITIVE_INFINITY);
        Arrays.fill(bestIds, 0, k, Integer.MAX_VALUE);
        float[] row = points[p];
        for (int x = 0; x < points.length; x++) {
            if (x == p) {
                continue;
            }
            double s = squaredDistance(row, points[x]);
            // Scanning x upwards, "strictly closer" keeps the lower index among equals.
            if (s < best[k - 1]) {
                int i = k - 1;
                while (i > 0 && best[i - 1] > s) {
                    best[i] = best[i - 1];
                    bestIds[i] = bestIds[i - 1];
                    i--;
                }
                best[i] = s;
                bestIds[i] = x;
            }
        }
    }

    /**
     * Per-worker candidate lists: for point p, slots [p * kept, (p + 1) * kept), sorted by key.
     *
     * <p>The ranking key of x in p's list is ||x||² − 2p·x: the squared distance less ||p||², which
     * is the same for all of p's candidates. Keys are negative as often as not; no clamping at 0
     * is needed because no key reaches the result ({@link Search#finish} recomputes every returned
     * distance from the coordinates). The two offer methods are the hot loops of the search, kept
     * small so that the JIT compiles them early in a run.
     */
    private static final class Candidates {
        /** Keys per filter run (bits of a long); divides {@link Tiles#TILE}. */
        private static final int RUN = 64;

        static {
            if (Tiles.TILE % RUN != 0) {
                throw new AssertionError("a filter run of " + RUN + " keys must divide a tile of " + Tiles.TILE);
            }
        }

        final int kept;
        final float[] keys;
        final int[] ids;
        /**
         * The last key of each point's list, kept contiguous so that checks against it are cheap;
         * padded to whole tiles with −∞, which no key is below.
         */
        final float[] worst;
        final float[][] dots = new float[4][Tiles.TILE];

        Candidates(int n, int kept) {
            this.kept = kept;
            keys = new float[n * kept];
            ids = new int[n * kept];
            Arrays.fill(keys, Float.POSITIVE_INFINITY);
            Arrays.fill(ids, -1);
            worst = new float[(n + Tiles.TILE - 1) / Tiles.TILE * Tiles.TILE];
            Arrays.fill(worst, 0, n, Float.POSITIVE_INFINITY);
            Arrays.fill(worst, n, worst.length, Float.NEGATIVE_INFINITY);
        }

        /**
         * Offers the points of a tile (first index base, len points, squared norms norms, dot products
         * with p dots) to p's list. Past len the norms are +∞ (padding), so those keys never pass.
         */
        void offerTile(int p, float[] dots, float[] norms, int base, int len) {
            int off = p * kept;
            int last = off + kept - 1;
            float worst = this.worst[p];
            for (int j0 = 0; j0 < len; j0 += RUN) {
                for (long hits = below(norms, dots, j0, worst); hits != 0; hits &= hits - 1) {
                    int j = j0 + Long.numberOfTrailingZeros(hits);
                    float key = norms[j] - 2f * dots[j];
                    if (key < worst && base + j != p) {
                        insert(keys, ids, off, kept, key, base + j);
                        worst = keys[last];
                    }
                }
            }
            this.worst[p] = worst;
        }

        /**
         * Offers points p..p+3 (squared norms n0..n3, dot products dots[0..3]) to the lists of the
         * points of a tile (first index base, len points).
         */
        void offerToTile(int p, float n0, float n1, float n2, float n3, float[][] dots, int base, int len) {
            float[] d0 = dots[0], d1 = dots[1], d2 = dots[2], d3 = dots[3];
            for (int j0 = 0; j0 < len; j0 += RUN) {
                for (long hits = anyBelow(n0, n1, n2, n3, d0, d1, d2, d3, j0, worst, base + j0); hits != 0;
                        hits &= hits - 1) {
                    int j = j0 + Long.numberOfTrailingZeros(hits);
                    int x = base + j;
                    int off = x * kept;
                    int last = off + kept - 1;
                    float w = worst[x];
                    float key = n0 - 2f * d0[j];
                    if (key < w) {
                        insert(keys, ids, off, kept, key, p);
                        w = keys[last];
                    }
                    key = n1 - 2f * d1[j];
                    if (key < w) {
                        insert(keys, ids, off, kept, key, p + 1);
                        w = keys[last];
                    }
                    key = n2 - 2f * d2[j];
                    if (key < w) {
                        insert(keys, ids, off, kept, key, p + 2);
                        w = keys[last];
                    }
                    key = n3 - 2f * d3[j];
                    if (key < w) {
                        insert(keys, ids, off, kept, key, p + 3);
                        w = keys[last];
                    }
                    worst[x] = w;
                }
            }
        }

        /*
         * The filter: which keys of a run of RUN pass a threshold, as a bit mask. Nearly none do once
         * the lists have filled (a point's list takes a few points in a thousand), and testing a run
         * in a loop with no other work, then visiting only the set bits, is cheaper than a branch per
         * key in the loop that also inserts: 0.30 s instead of 0.33 s for the whole scan of 20,000 × 11
         * points (k = 21), warm, on 2 cores. (The Vector API's compares made the warm scan 0.21 s, but
         * a run of the command 0.05-0.15 s slower: it is slow until C2 has compiled it.)
         */

        /** Bit l set iff {@code norms[j + l] - 2 * dots[j + l] < threshold}, for l < RUN. */
        private static long below(float[] norms, float[] dots, int j, float threshold) {
            long bits = 0;
            for (int l = 0; l < RUN; l++) {
                if (norms[j + l] - 2f * dots[j + l] < threshold) {
                    bits |= 1L << l;
                }
            }
            return bits;
        }

        /** Bit l set iff some {@code nQ - 2 * dQ[j + l]} is below {@code thresholds[at + l]}, for l < RUN. */
        private static long anyBelow(float n0, float n1, float n2, float n3, float[] d0, float[] d1, float[] d2,
                                     float[] d3, int j, float[] thresholds, int at) {
            long bits = 0;
            for (int l = 0; l < RUN; l++) {
                float t = thresholds[at + l];
                int i = j + l;
                if (n0 - 2f * d0[i] < t || n1 - 2f * d1[i] < t || n2 - 2f * d2[i] < t || n3 - 2f * d3[i] < t) {
                    bits |= 1L << l;
                }
            }
            return bits;
        }
    }

    /** Puts (key, id) into the sorted list at off, dropping its last entry. */
    private static void insert(float[] keys, int[] ids, int off, int length, float key, int id) {
        int i = off + length - 1;
        while (i > off && keys[i - 1] > key) {
            keys[i] = keys[i - 1];
            ids[i] = ids[i - 1];
            i--;
        }
        keys[i] = key;
        ids[i] = id;
    }

    private static void sortByDistanceThenIndex(double[] distances, int[] ids) {
        for (int i = 1; i < distances.length; i++) {
            double s = distances[i];
            int id = ids[i];
            int j = i;
            while (j > 0 && (distances[j - 1] > s || (distances[j - 1] == s && ids[j - 1] > id))) {
                distances[j] = distances[j - 1];
                ids[j] = ids[j - 1];
                j--;
            }
            distances[j] = s;
            ids[j] = id;
        }
    }
}
