package dev.engram.dim;

import dev.engram.EngramException;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/**
 * The correlation dimension of Grassberger and Procaccia, "Measuring the strangeness of strange
 * attractors", Physica D 9 (1983): the correlation integral C(r), the fraction of pairs of
 * points closer than r, grows as r^d on a d-dimensional set, so d is the slope of log C against
 * log r.
 *
 * <p>Two radii and the slope between them, as scikit-dimension's {@code skdim.id.CorrInt}
 * (after Hino's R package {@code IDmining}) defines them, with its defaults k1 = 10, k2 = 20:
 * <ul>
 *   <li>r1 and r2 are the medians over all points of the distance to their k1-th and k2-th
 *       nearest neighbour (the point itself not counted; numpy's median, which averages the two
 *       middle values of an even count);</li>
 *   <li>C(r) = (number of ordered pairs (i, j), i ≠ j, at distance strictly less than r) / N²:
 *       N² and not N(N − 1), and each unordered pair counted twice, as
 *       {@code (pairwise_distances < r).sum() − N} counts them; neither factor affects the
 *       slope;</li>
 *   <li>d = (log C(r2) − log C(r1)) / (log r2 − log r1).</li>
 * </ul>
 * Exact copies of a point count as pairs at distance 0, as they do there. scikit-dimension
 * silently lowers k2 to N − 1 and k1 to k2 − 1 when they do not fit; here that is an error.
 *
 * <p>Counting takes every pair once, on the float tiles and kernel that {@link Neighbours} uses;
 * a pair whose float distance is too close to r to be sure of its side is measured again in
 * double, so the counts are exact.
 */
public final class CorrelationDimension {

    public static final int DEFAULT_K1 = 10;
    public static final int DEFAULT_K2 = 20;

    private CorrelationDimension() {
    }

    /**
     * @param r1      median distance to the k1-th neighbour
     * @param r2      median distance to the k2-th neighbour
     * @param pairs1  unordered pairs of points closer than r1
     * @param pairs2  unordered pairs of points closer than r2
     * @param c1      C(r1) = 2·pairs1 / N²
     * @param c2      C(r2) = 2·pairs2 / N²
     */
    public record Result(double dimension, int k1, int k2, double r1, double r2, long pairs1, long pairs2,
                         double c1, double c2) {
    }

    public static Result estimate(float[][] points) {
        return estimate(points, DEFAULT_K1, DEFAULT_K2);
    }

    public static Result estimate(float[][] points, int k1, int k2) {
        checkRanks(k1, k2);
        Neighbours.checkShape(points);
        if (points.length <= k2) {
            throw EngramException.nothingToDo("the correlation dimension with k2=" + k2 + " needs more than " + k2
                    + " points, got " + points.length + ": use a smaller k2 or more points");
        }
        return estimate(points, Neighbours.search(points, k2), k1, k2);
    }

    /** From neighbours already found (at least k2 per point) of the same points. */
    public static Result estimate(float[][] points, Neighbours.Result neighbours, int k1, int k2) {
        checkRanks(k1, k2);
        int dim = Neighbours.checkShape(points);
        int n = points.length;
        if (neighbours.size() != n) {
            throw new IllegalArgumentException("the neighbour table has " + neighbours.size()
                    + " points, the data " + n);
        }
        if (neighbours.k() < k2) {
            throw new IllegalArgumentException(
                    "the neighbour table has " + neighbours.k() + " neighbours per point, k2=" + k2 + " asked");
        }
        double r1 = medianDistance(neighbours, k1);
        double r2 = medianDistance(neighbours, k2);
        if (r1 == 0) {
            throw EngramException.invalidInput("at least half of the points have " + k1
                    + " exact copies or more, so the radius r1 is 0: remove the duplicates or use a larger k1");
        }
        if (r1 == r2) {
            throw EngramException.invalidInput("the median distances to the " + k1 + "th and " + k2
                    + "th neighbours are equal (" + r1 + "): the correlation integral has no slope to measure");
        }
        long[] ordered = countPairsCloserThan(points, dim, r1, r2);
        if (ordered[0] == 0) {
            throw EngramException.invalidInput("no two points are closer than r1 = " + r1
                    + ": the correlation integral has no slope to measure");
        }
        double n2 = (double) n * n;
        double c1 = ordered[0] / n2;
        double c2 = ordered[1] / n2;
        double dimension = (Math.log(c2) - Math.log(c1)) / Math.log(r2 / r1);
        return new Result(dimension, k1, k2, r1, r2, ordered[0] / 2, ordered[1] / 2, c1, c2);
    }

    /** numpy.median of the distances to the k-th neighbour (1-based). */
    static double medianDistance(Neighbours.Result neighbours, int k) {
        int n = neighbours.size();
        double[] values = new double[n];
        for (int p = 0; p < n; p++) {
            values[p] = neighbours.distance(p, k - 1);
        }
        Arrays.sort(values);
        return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    }

    /**
     * The number of ordered pairs (i ≠ j) at distance strictly less than each radius, where the
     * distance is Math.sqrt of the double squared distance, as the neighbour table's distances
     * are.
     */
    static long[] countPairsCloserThan(float[][] points, int dim, double... radii) {
        return new Count(points, dim, radii).run();
    }

    private static final class Count {
        private final float[][] points;
        private final Tiles tiles;
        private final double[] radii;
        private final double[] squared;

        Count(float[][] points, int dim, double[] radii) {
            this.points = points;
            this.tiles = new Tiles(points, dim);
            this.radii = radii;
            this.squared = new double[radii.length];
            for (int i = 0; i < radii.length; i++) {
                squared[i] = radii[i] * radii[i];
            }
        }

        long[] run() {
            int[][] tilePairs = tiles.pairs();
            int[] pairI = tilePairs[0];
            int[] pairJ = tilePairs[1];
            int pairs = pairI.length;
            int workers = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), pairs));
            long[][] counts = new long[workers][];
            AtomicInteger next = new AtomicInteger();
            IntStream.range(0, workers).parallel().forEach(w -> {
                long[] mine = new long[radii.length];
                float[][] dots = new float[4][Tiles.TILE];
                for (int at = next.getAndIncrement(); at < pairs; at = next.getAndIncrement()) {
                    scan(pairI[at], pairJ[at], dots, mine);
                }
                counts[w] = mine;
            });
            long[] total = new long[radii.length];
            for (long[] c : counts) {
                for (int i = 0; i < total.length; i++) {
                    total[i] += c[i];
                }
            }
            return total;
        }

        /**
         * Counts the pairs (p in tile ti, x in tile tj), each twice when the tiles differ (the
         * ordered pairs (p, x) and (x, p)); a diagonal tile sees both orders by itself.
         */
        private void scan(int ti, int tj, float[][] dots, long[] counts) {
            float[] aNorms = tiles.tileNorms[ti];
            float[] bNorms = tiles.tileNorms[tj];
            int aBase = ti * Tiles.TILE;
            int bBase = tj * Tiles.TILE;
            int aLen = tiles.length(ti);
            int bLen = tiles.length(tj);
            int weight = ti == tj ? 1 : 2;
            int radiusCount = radii.length;
            float[] sure = new float[radiusCount];
            float[] out = new float[radiusCount];
            for (int r = 0; r < aLen; r += 4) {
                tiles.dot4(ti, r, tj, bLen, dots);
                for (int q = 0; q < 4 && r + q < aLen; q++) {
                    int p = aBase + r + q;
                    // Float squared distances below sure[i] are below r_i² for certain, those above
                    // out[i] above it; the band between is settled in double. The margins take the
                    // float rounding of the thresholds themselves into account.
                    double error = tiles.error(p);
                    for (int i = 0; i < radiusCount; i++) {
                        sure[i] = Math.nextDown((float) (squared[i] - error));
                        out[i] = Math.nextUp((float) (squared[i] + error));
                    }
                    float pNorm = aNorms[r + q];
                    float[] dot = dots[q];
                    for (int j = 0; j < bLen; j++) {
                        int x = bBase + j;
                        if (x == p) {
                            continue;
                        }
                        float s = pNorm + bNorms[j] - 2f * dot[j];
                        for (int i = 0; i < radiusCount; i++) {
                            if (s < sure[i]) {
                                counts[i] += weight;
                            } else if (s <= out[i]
                                    && Math.sqrt(Neighbours.squaredDistance(points[p], points[x])) < radii[i]) {
                                counts[i] += weight;
                            }
                        }
                    }
                }
            }
        }
    }

    private static void checkRanks(int k1, int k2) {
        if (k1 < 1 || k2 <= k1) {
            throw EngramException.invalidInput("the correlation dimension needs neighbour ranks 1 ≤ k1 < k2, got k1="
                    + k1 + " and k2=" + k2);
        }
    }
}
