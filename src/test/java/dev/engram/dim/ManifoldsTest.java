package dev.engram.dim;

import dev.engram.EngramException;
import dev.engram.ExitCode;
import dev.engram.dim.Manifolds.Benchmark;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManifoldsTest {

    private static final int N = 400;
    private static final double TOLERANCE = 1e-5;

    /** scikit-dimension's table, in its order: name, intrinsic dimension, ambient dimension. */
    @Test
    void theTableIsScikitDimensions() {
        String expected = "M1_Sphere 10 11, M2_Affine_3to5 3 5, M3_Nonlinear_4to6 4 6, M4_Nonlinear 4 8,"
                + " M5a_Helix1d 1 3, M5b_Helix2d 2 3, M6_Nonlinear 6 36, M7_Roll 2 3, M8_Nonlinear 12 72,"
                + " M9_Affine 20 20, M10a_Cubic 10 11, M10b_Cubic 17 18, M10c_Cubic 24 25, M10d_Cubic 70 71,"
                + " M11_Moebius 2 3, M12_Norm 20 20, M13a_Scurve 2 3, M13b_Spiral 1 13, Mbeta 10 40,"
                + " Mn1_Nonlinear 18 72, Mn2_Nonlinear 24 96, Mp1_Paraboloid 3 12, Mp2_Paraboloid 6 21,"
                + " Mp3_Paraboloid 9 30";
        String actual = String.join(", ", Arrays.stream(Benchmark.values())
                .map(b -> b.id() + " " + b.intrinsicDimension() + " " + b.ambientDimension()).toList());

        assertEquals(expected, actual);
    }

    @ParameterizedTest
    @EnumSource(Benchmark.class)
    void everyManifoldHasItsShapeIsFiniteAndIsReproducible(Benchmark manifold) {
        float[][] points = manifold.sample(N, 1);

        assertEquals(N, points.length);
        for (float[] p : points) {
            assertEquals(manifold.ambientDimension(), p.length);
            for (float x : p) {
                assertTrue(Float.isFinite(x));
            }
        }
        assertArrayEquals(points, manifold.sample(N, 1));
        assertFalse(Arrays.deepEquals(points, manifold.sample(N, 2)));
    }

    @Test
    void theSphereIsTheUnitTenSphere() {
        for (float[] p : Benchmark.M1_SPHERE.sample(N, 3)) {
            assertEquals(1, norm(p, 0, 11), TOLERANCE);
        }
    }

    @Test
    void theAffineSpacesAreAffine() {
        assertEquals(3, Pca.estimate(Benchmark.M2_AFFINE_3TO5.sample(N, 4)).dimension());
        for (float[] p : Benchmark.M9_AFFINE.sample(N, 4)) {
            for (float x : p) {
                assertTrue(x >= -2.5 && x < 2.5);
            }
        }
    }

    /** M4, M6, M8: coordinates 2i, 2i+1 are p_(i+1)(cos 2πp_i, sin 2πp_i), repeated dim/(2d) times. */
    @Test
    void theNonlinearManifoldsRepeatCirclesOfTheNextParameterAsRadius() {
        for (Benchmark b : new Benchmark[] {Benchmark.M4_NONLINEAR, Benchmark.M6_NONLINEAR, Benchmark.M8_NONLINEAR}) {
            int d = b.intrinsicDimension();
            for (float[] p : b.sample(N, 5)) {
                double[] angle = new double[d];
                double[] radius = new double[d];
                for (int c = 0; c < d; c++) {
                    radius[c] = Math.hypot(p[2 * c], p[2 * c + 1]);
                    angle[c] = Math.atan2(p[2 * c + 1], p[2 * c]);
                }
                for (int c = 0; c < d; c++) {
                    // The radius of circle c is the parameter of circle c + 1, which sets its angle.
                    double next = radius[c];
                    double turn = angle[(c + 1) % d] / (2 * Math.PI);
                    assertEquals(next, turn < 0 ? turn + 1 : turn, 1e-4, b.id());
                }
                for (int j = 2 * d; j < p.length; j++) {
                    assertEquals(p[j - 2 * d], p[j]);
                }
            }
        }
    }

    @Test
    void theCurvesAndSurfacesFollowTheirEquations() {
        for (float[] p : Benchmark.M5A_HELIX1D.sample(N, 6)) {
            // (√(x² + y²) − 2)² + z² = cos² 8t + sin² 8t
            double r = Math.hypot(p[0], p[1]);
            assertEquals(1, (r - 2) * (r - 2) + p[2] * p[2], TOLERANCE);
        }
        for (float[] p : Benchmark.M5B_HELIX2D.sample(N, 6)) {
            // The angle of (x, y) is 2z.
            double angle = 2 * p[2];
            assertEquals(Math.hypot(p[0], p[1]) * Math.cos(angle), p[0], 1e-3);
        }
        for (float[] p : Benchmark.M7_ROLL.sample(N, 6)) {
            double t = Math.hypot(p[0], p[2]);
            assertTrue(t >= 1.5 * Math.PI - TOLERANCE && t <= 4.5 * Math.PI + TOLERANCE);
            assertEquals(t * Math.cos(t), p[0], 1e-4);
            assertTrue(p[1] >= 0 && p[1] < 21);
        }
        for (float[] p : Benchmark.M11_MOEBIUS.sample(N, 6)) {
            // width = 1 + 0.5 rad cos 5φ, z = 0.5 rad sin 5φ, so (width − 1)² + z² = (rad/2)² ≤ 1/4.
            double phi = Math.atan2(p[1], p[0]);
            double width = Math.hypot(p[0], p[1]);
            double halfRad = (width - 1) / Math.cos(5 * phi);
            assertTrue((width - 1) * (width - 1) + p[2] * p[2] <= 0.25 + TOLERANCE);
            if (Math.abs(Math.cos(5 * phi)) > 0.1) {
                assertEquals(halfRad * Math.sin(5 * phi), p[2], 1e-4);
            }
        }
        for (float[] p : Benchmark.M13A_SCURVE.sample(N, 6)) {
            // x = sin t, |z| = 1 − cos t.
            assertEquals(1, p[0] * p[0] + (1 - Math.abs(p[2])) * (1 - Math.abs(p[2])), TOLERANCE);
            assertTrue(p[1] >= 0 && p[1] < 2);
        }
        for (float[] p : Benchmark.M13B_SPIRAL.sample(N, 6)) {
            assertEquals(100, Math.hypot(p[0], p[1]), 1e-3);
            assertEquals(100 * Math.cos(p[2]), p[0], 1e-2);
            for (int j = 3; j < 13; j++) {
                assertEquals(0, p[j]);
            }
        }
    }

    /** The surface of the (d+1)-cube, filled face by face: axis 0 at 0, axis 0 at 1, axis 1 at 0, … */
    @Test
    void theCubesAreCubeSurfacesFilledFaceByFace() {
        for (Benchmark b : new Benchmark[] {Benchmark.M10A_CUBIC, Benchmark.M10D_CUBIC}) {
            int d = b.intrinsicDimension();
            float[][] points = b.sample(1000, 7);
            int perFace = 1000 / (2 * (d + 1)) + 1;
            for (int i = 0; i < points.length; i++) {
                int face = i / perFace;
                int axis = face / 2;
                assertEquals(face % 2, points[i][axis], b.id() + " point " + i);
                for (float x : points[i]) {
                    assertTrue(x >= 0 && x <= 1);
                }
            }
        }
    }

    @Test
    void theGaussianIsStandard() {
        float[][] points = Benchmark.M12_NORM.sample(5000, 8);
        double sum = 0;
        double squares = 0;
        for (float[] p : points) {
            for (float x : p) {
                sum += x;
                squares += x * x;
            }
        }
        int count = 5000 * 20;
        assertEquals(0, sum / count, 0.02);
        assertEquals(1, squares / count, 0.02);
    }

    /** Campadelli's Mbeta and Mn: two blocks of d coordinates from X, then the same two again. */
    @Test
    void campadellisManifoldsRepeatTwoBlocks() {
        for (float[] p : Benchmark.MBETA.sample(N, 9)) {
            for (int c = 0; c < 10; c++) {
                assertEquals(p[c], p[20 + c]);
                assertEquals(p[10 + c], p[30 + c]);
            }
        }
        for (float[] p : Benchmark.MN1_NONLINEAR.sample(N, 9)) {
            for (int c = 0; c < 18; c++) {
                assertEquals(p[c], p[36 + c]);
                assertEquals(p[18 + c], p[54 + c]);
            }
        }
    }

    /** [X, sin X, X²] with X_d = Σ_(i<d) X_i², and 0 &lt; X_i &lt; 1. */
    @Test
    void theParaboloidsAreParaboloids() {
        for (Benchmark b : new Benchmark[] {Benchmark.MP1_PARABOLOID, Benchmark.MP3_PARABOLOID}) {
            int d = b.intrinsicDimension();
            int w = d + 1;
            for (float[] p : b.sample(N, 10)) {
                double sumSquares = 0;
                for (int c = 0; c < d; c++) {
                    assertTrue(p[c] > 0 && p[c] < 1);
                    sumSquares += (double) p[c] * p[c];
                }
                assertEquals(sumSquares, p[d], 1e-5);
                for (int c = 0; c < w; c++) {
                    assertEquals(Math.sin(p[c]), p[w + c], 1e-6);
                    assertEquals((double) p[c] * p[c], p[2 * w + c], 1e-5);
                }
            }
        }
    }

    @Test
    void noiseIsUniformOfTheGivenWidth() {
        float[][] clean = Manifolds.sample(Benchmark.M7_ROLL, N, 11, 0);
        float[][] noisy = Manifolds.sample(Benchmark.M7_ROLL, N, 11, 0.1);

        double largest = 0;
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < 3; j++) {
                largest = Math.max(largest, Math.abs(noisy[i][j] - clean[i][j]));
            }
        }
        assertTrue(largest <= 0.05 + TOLERANCE && largest > 0.04, "largest offset " + largest);
    }

    /** Beta(10, 0.5) for Mbeta: mean a/(a+b), variance ab/((a+b)²(a+b+1)); gamma of a small shape too. */
    @Test
    void theBetaAndGammaSamplersHaveTheirMoments() {
        SplittableRandom random = new SplittableRandom(12);
        int n = 200_000;
        double sum = 0;
        double squares = 0;
        double gammaSum = 0;
        for (int i = 0; i < n; i++) {
            double b = Manifolds.beta(random, 10, 0.5);
            sum += b;
            squares += b * b;
            gammaSum += Manifolds.gamma(random, 0.5);
        }
        double mean = sum / n;
        assertEquals(10 / 10.5, mean, 0.001);
        assertEquals(5 / (10.5 * 10.5 * 11.5), squares / n - mean * mean, 0.0002);
        assertEquals(0.5, gammaSum / n, 0.01);
    }

    @Test
    void manifoldsAreFoundByEitherName() {
        assertSame(Benchmark.M10A_CUBIC, Benchmark.named("M10a_Cubic"));
        assertSame(Benchmark.M10A_CUBIC, Benchmark.named("m10a_cubic"));
        assertSame(Benchmark.MP2_PARABOLOID, Benchmark.named("MP2_PARABOLOID"));

        EngramException e = assertThrows(EngramException.class, () -> Benchmark.named("M14_Torus"));
        assertEquals(ExitCode.UNKNOWN_NAME, e.exitCode());
        assertTrue(e.getMessage().startsWith("no benchmark manifold is named 'M14_Torus'; they are M1_Sphere, "));
    }

    @Test
    void badArgumentsAreRefused() {
        assertEquals(ExitCode.INVALID_INPUT, assertThrows(EngramException.class,
                () -> Benchmark.M1_SPHERE.sample(0, 1)).exitCode());
        assertEquals(ExitCode.INVALID_INPUT, assertThrows(EngramException.class,
                () -> Manifolds.sample(Benchmark.M1_SPHERE, 10, 1, -1)).exitCode());
        assertEquals(ExitCode.INVALID_INPUT, assertThrows(EngramException.class,
                () -> Manifolds.sample(Benchmark.M1_SPHERE, 10, 1, Double.NaN)).exitCode());
    }

    private static double norm(float[] p, int from, int to) {
        double s = 0;
        for (int j = from; j < to; j++) {
            s += (double) p[j] * p[j];
        }
        return Math.sqrt(s);
    }
}
