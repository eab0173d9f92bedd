package dev.engram.dim;

import dev.engram.EngramException;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * The points, centred on their mean and copied in float into tiles of {@link #TILE} points laid
 * out dimension-major, and the dot-product kernel over pairs of tiles: the fast half of every
 * all-pairs scan in this package ({@link Neighbours}, {@link CorrelationDimension}). The scans
 * rank or classify pairs by the float expansion ||p||² + ||x||² − 2p·x and settle whatever
 * {@link #error(int)} leaves in doubt from the raw coordinates in double, so their answers are
 * exact.
 */
final class Tiles {

    /**
     * Points per tile, the trip count of the vectorised inner loop. Shorter loops spend much of
     * their time outside the unrolled vector body (64 ran several times slower than 256); longer
     * ones gained nothing measurable on 72 or 784 dimensions.
     */
    static final int TILE = 256;

    private static final double FLOAT_ROUNDOFF = 0x1p-24;

    /** Float squared norms and dot products must stay far from overflow. */
    private static final double MAX_SQUARED_NORM = Float.MAX_VALUE / 16.0;

    final int n;
    final int dim;
    final int count;
    /** tiles[t][d][j]: coordinate d, centred, of point t * TILE + j; zero past the last point. */
    final float[][][] tiles;
    /** Squared norms of the centred float points, +∞ for padding so that it never ranks. */
    final float[][] tileNorms;
    /** The same squared norms in double, by point. */
    final double[] norms;
    final double maxNorm;

    Tiles(float[][] points, int dim) {
        this.n = points.length;
        this.dim = dim;
        this.count = (n + TILE - 1) / TILE;

        // Centring keeps the norms, and so the cancellation error of the expansion, as small
        // as the spread of the data allows (distances do not change under translation).
        double[] mean = new double[dim];
        for (float[] row : points) {
            for (int d = 0; d < dim; d++) {
                mean[d] += row[d];
            }
        }
        for (int d = 0; d < dim; d++) {
            mean[d] /= n;
        }
        tiles = new float[count][][];
        tileNorms = new float[count][TILE];
        norms = new double[n];
        // The transposing copy writes with a stride; on MNIST-sized data it is worth a core.
        IntStream.range(0, count).parallel().forEach(t -> {
            float[][] tile = new float[dim][TILE];
            Arrays.fill(tileNorms[t], Float.POSITIVE_INFINITY);
            for (int j = 0, p = t * TILE; j < TILE && p < n; j++, p++) {
                float[] row = points[p];
                double norm = 0;
                for (int d = 0; d < dim; d++) {
                    float c = (float) (row[d] - mean[d]);
                    tile[d][j] = c;
                    norm += (double) c * c;
                }
                norms[p] = norm;
                tileNorms[t][j] = (float) norm;
            }
            tiles[t] = tile;
        });
        double max = 0;
        for (double norm : norms) {
            max = Math.max(max, norm);
        }
        if (max > MAX_SQUARED_NORM) {
            throw EngramException.invalidInput("coordinates too large for single-precision search (squared"
                    + " distance from their mean up to " + String.format("%.3g", max) + "): rescale the data");
        }
        this.maxNorm = max;
    }

    /**
     * Every unordered pair of tiles (i <= j), as two parallel arrays {i..., j...}: the work list
     * of a symmetric all-pairs pass, which computes each tile pair once.
     */
    int[][] pairs() {
        int total = count * (count + 1) / 2;
        int[] first = new int[total];
        int[] second = new int[total];
        for (int i = 0, at = 0; i < count; i++) {
            for (int j = i; j < count; j++, at++) {
                first[at] = i;
                second[at] = j;
            }
        }
        return new int[][] {first, second};
    }

    /** Points in tile t (the last tile may be short). */
    int length(int t) {
        return Math.min(TILE, n - t * TILE);
    }

    /**
     * A bound on the error of the float squared distance between p and any other point x,
     * ||p||² + ||x||² − 2p·x: the dot product is off by at most γ_d(||p||² + ||x||²) (γ_d ≈ d·u,
     * Higham, "Accuracy and Stability of Numerical Algorithms", §3.1), the norms, the
     * subtraction and the centring by a few u(||p||² + ||x||²) more (u = 2^-24). Twice the
     * worst-case sum gives a safety margin.
     */
    double error(int p) {
        return (2.0 * dim + 16.0) * FLOAT_ROUNDOFF * (norms[p] + maxNorm);
    }

    /**
     * Dot products of points r..r+3 of tile a with the first len points of tile b, into
     * dots[0..3]. Rows past the end of tile a are its zero padding, harmless to compute.
     */
    void dot4(int a, int r, int b, int len, float[][] dots) {
        if (Fma.FAST) {
            dot4(tiles[a], r, tiles[b], len, dots[0], dots[1], dots[2], dots[3]);
        } else {
            dot4NoFma(tiles[a], r, tiles[b], len, dots[0], dots[1], dots[2], dots[3]);
        }
    }

    /**
     * Math.fma is one instruction where the CPU has FMA (every x86-64-v3 and ARMv8 machine) but a
     * BigDecimal computation where it has not, which would make the kernel a thousand times slower.
     * HotSpot says which through its UseFMA flag; where that cannot be asked, assume FMA.
     */
    private static final class Fma {
        static final boolean FAST = detect();

        private static boolean detect() {
            try {
                var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
                return bean == null || !"false".equals(bean.getVMOption("UseFMA").getValue());
            } catch (RuntimeException | LinkageError e) {
                return true;
            }
        }
    }

    /**
     * Four dimensions per pass, each inner-loop access at index j of its own array: C2 only
     * vectorises a loop when it can see that its loads and stores cannot overlap across
     * iterations, which offsets into one shared array would hide.
     */
    private static void dot4(float[][] a, int r, float[][] b, int len,
                             float[] c0, float[] c1, float[] c2, float[] c3) {
        Arrays.fill(c0, 0, len, 0f);
        Arrays.fill(c1, 0, len, 0f);
        Arrays.fill(c2, 0, len, 0f);
        Arrays.fill(c3, 0, len, 0f);
        int dim = a.length;
        int d = 0;
        for (; d + 3 < dim; d += 4) {
            // pQD: coordinate d+D of point r+Q
            float[] a0 = a[d], a1 = a[d + 1], a2 = a[d + 2], a3 = a[d + 3];
            float p00 = a0[r], p01 = a1[r], p02 = a2[r], p03 = a3[r];
            float p10 = a0[r + 1], p11 = a1[r + 1], p12 = a2[r + 1], p13 = a3[r + 1];
            float p20 = a0[r + 2], p21 = a1[r + 2], p22 = a2[r + 2], p23 = a3[r + 2];
            float p30 = a0[r + 3], p31 = a1[r + 3], p32 = a2[r + 3], p33 = a3[r + 3];
            float[] x0 = b[d], x1 = b[d + 1], x2 = b[d + 2], x3 = b[d + 3];
            for (int j = 0; j < len; j++) {
                float v0 = x0[j], v1 = x1[j], v2 = x2[j], v3 = x3[j];
                c0[j] = Math.fma(p03, v3, Math.fma(p02, v2, Math.fma(p01, v1, Math.fma(p00, v0, c0[j]))));
                c1[j] = Math.fma(p13, v3, Math.fma(p12, v2, Math.fma(p11, v1, Math.fma(p10, v0, c1[j]))));
                c2[j] = Math.fma(p23, v3, Math.fma(p22, v2, Math.fma(p21, v1, Math.fma(p20, v0, c2[j]))));
                c3[j] = Math.fma(p33, v3, Math.fma(p32, v2, Math.fma(p31, v1, Math.fma(p30, v0, c3[j]))));
            }
        }
        for (; d < dim; d++) {
            float[] ad = a[d];
            float p0 = ad[r], p1 = ad[r + 1], p2 = ad[r + 2], p3 = ad[r + 3];
            float[] x = b[d];
            for (int j = 0; j < len; j++) {
                float v = x[j];
                c0[j] = Math.fma(p0, v, c0[j]);
                c1[j] = Math.fma(p1, v, c1[j]);
                c2[j] = Math.fma(p2, v, c2[j]);
                c3[j] = Math.fma(p3, v, c3[j]);
            }
        }
    }

    /** dot4 for CPUs without FMA; one dimension per pass is the form C2 vectorises without fma. */
    private static void dot4NoFma(float[][] a, int r, float[][] b, int len,
                                  float[] c0, float[] c1, float[] c2, float[] c3) {
        Arrays.fill(c0, 0, len, 0f);
        Arrays.fill(c1, 0, len, 0f);
        Arrays.fill(c2, 0, len, 0f);
        Arrays.fill(c3, 0, len, 0f);
        for (int d = 0; d < a.length; d++) {
            float[] ad = a[d];
            float p0 = ad[r], p1 = ad[r + 1], p2 = ad[r + 2], p3 = ad[r + 3];
            float[] x = b[d];
            for (int j = 0; j < len; j++) {
                float v = x[j];
                c0[j] += p0 * v;
                c1[j] += p1 * v;
                c2[j] += p2 * v;
                c3[j] += p3 * v;
            }
        }
    }
}
