package dev.engram.nativeimage;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

import java.util.Arrays;

/**
 * The all-pairs scan's kernels (dev.engram.dim.Tiles.dot4, Neighbours.Candidates.below and
 * anyBelow) written with the Vector API for the native executable. On the JVM, C2 turns the plain
 * loops of those methods into SIMD code; GraalVM's native-image compiler does not vectorise loops,
 * but it does compile the Vector API to SIMD instructions (-H:+VectorAPISupport), so the
 * executable runs these instead (native/README.md, "Substitutions"). Each computes exactly what
 * the method it replaces computes: the same fused multiply-adds in the same order, the same float
 * subtractions and comparisons, lane by lane.
 *
 * <p>The image is compiled for x86-64-v3 (AVX2 and FMA), so 8 floats a vector. No vector leaves the
 * method that makes it: the image's compiler turns the API into SIMD code only where a vector's
 * whole life is inside one compiled method (a helper returning a FloatVector, which it did not
 * inline, made it run the API's Java fallback instead: a search 25 times slower than with these).
 */
final class SimdKernels {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final int LANES = 8;

    private SimdKernels() {
    }

    /**
     * Tiles.dot4: dot products of points r..r+3 of tile a with the first len points of tile b. Tiles
     * hold {@code Tiles.TILE} points each, a whole number of vectors, zeros past the last point; so the
     * last vector of a short tile reads padding and writes products past len, which no caller reads
     * (past len a tile's squared norms are +∞, so nothing there ranks).
     */
    static void dot4(float[][] a, int r, float[][] b, int len, float[] c0, float[] c1, float[] c2, float[] c3) {
        int end = (len + LANES - 1) / LANES * LANES;
        if (end > c0.length || end > b[0].length) {
            throw new AssertionError("tiles of " + b[0].length + " points are not a whole number of vectors");
        }
        Arrays.fill(c0, 0, end, 0f);
        Arrays.fill(c1, 0, end, 0f);
        Arrays.fill(c2, 0, end, 0f);
        Arrays.fill(c3, 0, end, 0f);
        int dim = a.length;
        int d = 0;
        for (; d + 3 < dim; d += 4) {
            float[] a0 = a[d], a1 = a[d + 1], a2 = a[d + 2], a3 = a[d + 3];
            // qQD: coordinate d+D of point r+Q, in every lane
            FloatVector q00 = FloatVector.broadcast(F, a0[r]), q01 = FloatVector.broadcast(F, a1[r]);
            FloatVector q02 = FloatVector.broadcast(F, a2[r]), q03 = FloatVector.broadcast(F, a3[r]);
            FloatVector q10 = FloatVector.broadcast(F, a0[r + 1]), q11 = FloatVector.broadcast(F, a1[r + 1]);
            FloatVector q12 = FloatVector.broadcast(F, a2[r + 1]), q13 = FloatVector.broadcast(F, a3[r + 1]);
            FloatVector q20 = FloatVector.broadcast(F, a0[r + 2]), q21 = FloatVector.broadcast(F, a1[r + 2]);
            FloatVector q22 = FloatVector.broadcast(F, a2[r + 2]), q23 = FloatVector.broadcast(F, a3[r + 2]);
            FloatVector q30 = FloatVector.broadcast(F, a0[r + 3]), q31 = FloatVector.broadcast(F, a1[r + 3]);
            FloatVector q32 = FloatVector.broadcast(F, a2[r + 3]), q33 = FloatVector.broadcast(F, a3[r + 3]);
            float[] x0 = b[d], x1 = b[d + 1], x2 = b[d + 2], x3 = b[d + 3];
            for (int j = 0; j < end; j += LANES) {
                FloatVector v0 = FloatVector.fromArray(F, x0, j), v1 = FloatVector.fromArray(F, x1, j);
                FloatVector v2 = FloatVector.fromArray(F, x2, j), v3 = FloatVector.fromArray(F, x3, j);
                v3.fma(q03, v2.fma(q02, v1.fma(q01, v0.fma(q00, FloatVector.fromArray(F, c0, j))))).intoArray(c0, j);
                v3.fma(q13, v2.fma(q12, v1.fma(q11, v0.fma(q10, FloatVector.fromArray(F, c1, j))))).intoArray(c1, j);
                v3.fma(q23, v2.fma(q22, v1.fma(q21, v0.fma(q20, FloatVector.fromArray(F, c2, j))))).intoArray(c2, j);
                v3.fma(q33, v2.fma(q32, v1.fma(q31, v0.fma(q30, FloatVector.fromArray(F, c3, j))))).intoArray(c3, j);
            }
        }
        for (; d < dim; d++) {
            float[] ad = a[d];
            FloatVector q0 = FloatVector.broadcast(F, ad[r]), q1 = FloatVector.broadcast(F, ad[r + 1]);
            FloatVector q2 = FloatVector.broadcast(F, ad[r + 2]), q3 = FloatVector.broadcast(F, ad[r + 3]);
            float[] x = b[d];
            for (int j = 0; j < end; j += LANES) {
                FloatVector v = FloatVector.fromArray(F, x, j);
                v.fma(q0, FloatVector.fromArray(F, c0, j)).intoArray(c0, j);
                v.fma(q1, FloatVector.fromArray(F, c1, j)).intoArray(c1, j);
                v.fma(q2, FloatVector.fromArray(F, c2, j)).intoArray(c2, j);
                v.fma(q3, FloatVector.fromArray(F, c3, j)).intoArray(c3, j);
            }
        }
    }

    /** Neighbours.Candidates.below: bit l set iff norms[j + l] - 2 * dots[j + l] < threshold, l < run. */
    static long below(float[] norms, float[] dots, int j, float threshold, int run) {
        requireWholeVectors(run);
        long bits = 0;
        for (int l = 0; l < run; l += LANES) {
            FloatVector key = FloatVector.fromArray(F, norms, j + l).sub(FloatVector.fromArray(F, dots, j + l).mul(2f));
            bits |= key.compare(VectorOperators.LT, threshold).toLong() << l;
        }
        return bits;
    }

    /** Neighbours.Candidates.anyBelow: bit l set iff some nQ - 2 * dQ[j + l] < thresholds[at + l], l < run. */
    static long anyBelow(float n0, float n1, float n2, float n3, float[] d0, float[] d1, float[] d2, float[] d3,
                         int j, float[] thresholds, int at, int run) {
        requireWholeVectors(run);
        FloatVector m0 = FloatVector.broadcast(F, n0), m1 = FloatVector.broadcast(F, n1);
        FloatVector m2 = FloatVector.broadcast(F, n2), m3 = FloatVector.broadcast(F, n3);
        long bits = 0;
        for (int l = 0; l < run; l += LANES) {
            FloatVector t = FloatVector.fromArray(F, thresholds, at + l);
            int i = j + l;
            VectorMask<Float> hit = m0.sub(FloatVector.fromArray(F, d0, i).mul(2f)).compare(VectorOperators.LT, t)
                    .or(m1.sub(FloatVector.fromArray(F, d1, i).mul(2f)).compare(VectorOperators.LT, t))
                    .or(m2.sub(FloatVector.fromArray(F, d2, i).mul(2f)).compare(VectorOperators.LT, t))
                    .or(m3.sub(FloatVector.fromArray(F, d3, i).mul(2f)).compare(VectorOperators.LT, t));
            bits |= hit.toLong() << l;
        }
        return bits;
    }

    /** A run is a constant; the check folds away when it holds (and fails at once when it does not). */
    private static void requireWholeVectors(int run) {
        if (run % LANES != 0 || run > Long.SIZE) {
            throw new AssertionError("a filter run of " + run + " keys is not a whole number of " + LANES + "-float vectors");
        }
    }
}
