package dev.engram.dim;

import dev.engram.EngramException;
import dev.engram.ExitCode;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;
import java.util.SplittableRandom;

import static dev.engram.dim.TwoNNTest.assertBetween;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tests share the default calibration seed, so that calibration sets made by one are reused
 * by the next (the cache lives for the JVM); each still passes alone, only slower.
 */
class DancoTest {

    private static final Danco.Settings DEFAULTS = Danco.Settings.defaults();

    /**
     * The data DANCo calibrates on, drawn afresh: it must recognise them. Over data seeds 1–6
     * (1000 points) the 4-ball gave 4 every time (fractal 4.00) and the 9-ball 9 (fractal
     * 8.67–9.00).
     */
    @Test
    void freshSamplesOfTheUnitBallAreRecognisedExactly() {
        for (int d : new int[] {4, 9}) {
            Danco.Result result = Danco.estimate(Danco.ball(1000, d, new SplittableRandom(700 + d)), DEFAULTS);

            assertEquals(d, result.dimension());
            assertBetween(d - 0.5, d + 0.5, result.fractalDimension());
            assertEquals(1000, result.pointsUsed());
        }
    }

    /**
     * Over seeds 1–6 (1000 points): the 2-sphere 2 (fractal 2.18–2.21, the spline leans toward
     * 3), the affine 3-space M2 3 (fractal 2.83–2.92).
     */
    @Test
    void lowDimensionalManifoldsMeasureTheirDimension() {
        Danco.Result sphere = Danco.estimate(RandomPoints.sphere(new Random(61), 1000));
        assertEquals(2, sphere.dimension());
        assertBetween(1.8, 2.5, sphere.fractalDimension());

        Danco.Result affine = Danco.estimate(Manifolds.Benchmark.M2_AFFINE_3TO5.sample(1000, 61));
        assertEquals(3, affine.dimension());
        assertBetween(2.6, 3.3, affine.fractalDimension());
    }

    /**
     * The 17-dimensional cube surface M10b (2000 points), where maximum likelihood falls far
     * short: over seeds 1–6 DANCo gave 17 five times and 18 once (fractal 16.85–17.58) while its
     * own MIND_ML estimate was 13.4–14.1. scikit-dimension's port, with every calibration
     * estimate capped at k = 10, could not tell 17 from the dimensions around it.
     */
    @Test
    void aSeventeenDimensionalCubeIsMeasuredWhereMaximumLikelihoodFallsShort() {
        Danco.Result result = Danco.estimate(Manifolds.Benchmark.M10B_CUBIC.sample(2000, 62));

        assertBetween(16, 18, result.dimension());
        assertBetween(16, 18.5, result.fractalDimension());
        assertBetween(12.5, 15, result.data().mlDimension());
    }

    /** R's bound 2d + 5 on a calibration set's estimate, not scikit-dimension's accidental k = 10. */
    @Test
    void calibrationEstimatesAreNotCappedAtK() {
        Danco.Statistics twenty = Danco.calibrate(1000, 10, 20, DEFAULTS.seed());

        assertBetween(13, 20, twenty.mlDimension());
        // A 1-dimensional set is bounded at 2·1 + 5 = 7 and has μ_τ = 1 by definition.
        assertEquals(1, Danco.calibrate(1000, 10, 1, DEFAULTS.seed()).meanTau());
    }

    @Test
    void candidatesRunToTwiceTheMlEstimatePlusFiveOrTheAmbientDimension() {
        Danco.Result sphere = Danco.estimate(RandomPoints.sphere(new Random(63), 500));
        // ⌈2·dhat + 5⌉ ≥ 9 for dhat near 2, so the ambient 3 is the cap.
        assertEquals(3, sphere.klDivergences().length);
        assertEquals(3, sphere.calibration().size());

        float[][] cube = RandomPoints.rotatedCube(new Random(64), 500, 3, 30);
        Danco.Result result = Danco.estimate(cube);
        assertEquals((int) Math.ceil(2 * result.data().mlDimension() + 5), result.klDivergences().length);

        Danco.Result wider = Danco.estimate(cube, DEFAULTS.withMaxDimension(15));
        assertEquals(15, wider.klDivergences().length);
        assertEquals(result.dimension(), wider.dimension());
    }

    @Test
    void theSameSeedGivesTheSameAnswer() {
        float[][] points = Manifolds.Benchmark.M5B_HELIX2D.sample(3000, 65);
        Danco.Settings small = DEFAULTS.withSampleSize(600);

        Danco.Result first = Danco.estimate(points, small);
        Danco.Result second = Danco.estimate(points, small);
        Danco.Result other = Danco.estimate(points, small.withSeed(66));

        assertEquals(600, first.pointsUsed(), "subsampled");
        assertEquals(first.fractalDimension(), second.fractalDimension());
        assertArrayEquals(first.klDivergences(), second.klDivergences());
        assertEquals(first.data(), second.data());
        assertNotEquals(first.data(), other.data(), "another seed, another subsample");
    }

    @Test
    void sharedNeighbourTableGivesTheSameEstimate() {
        float[][] points = RandomPoints.sphere(new Random(67), 400);

        Danco.Result direct = Danco.estimate(points);
        Danco.Result shared = Danco.estimate(points, Neighbours.search(points, 20), DEFAULTS);

        assertEquals(direct.data(), shared.data());
        assertArrayEquals(direct.klDivergences(), shared.klDivergences());
    }

    @Test
    void duplicatedPointsAreDroppedAndCounted() {
        float[][] points = RandomPoints.sphere(new Random(68), 500);
        float[][] withCopies = Arrays.copyOf(points, 510);
        for (int i = 0; i < 10; i++) {
            withCopies[500 + i] = points[i].clone();
        }

        Danco.Result result = Danco.estimate(withCopies);

        assertEquals(20, result.pointsDropped());
        assertEquals(490, result.pointsUsed());
        assertEquals(2, result.dimension());
    }

    /**
     * As written in R and in scikit-dimension, KL_d is not 0 at q = dcal/dhat = 1 but
     * H_k + (k − 1)/k (Σ (−1)^i C(k, i) ψ(1 + i) = −1/k); that is still its minimum, so the
     * constant does not move DANCo's answer.
     */
    @Test
    void theDimensionTermIsSmallestWhenTheEstimatesAgree() {
        double atOne = Danco.divergenceOfDimension(7, 7, 10);

        double harmonic = 0;
        for (int i = 1; i <= 10; i++) {
            harmonic += 1.0 / i;
        }
        assertEquals(harmonic + 0.9, atOne, 1e-12);
        for (double q : new double[] {0.8, 0.95, 0.99, 1.01, 1.05, 1.25}) {
            assertTrue(Danco.divergenceOfDimension(7, 7 * q, 10) > atOne, "q = " + q);
        }
    }

    @Test
    void theAngleTermIsZeroForEqualLawsAndPositiveOtherwise() {
        assertEquals(0, Danco.divergenceOfAngles(1.2, 1.2, 9, 9), 1e-12);
        assertTrue(Danco.divergenceOfAngles(1.2, 1.3, 9, 9) > 0);
        assertTrue(Danco.divergenceOfAngles(1.2, 1.2, 9, 11) > 0);
        // Concentrations past I0's overflow (about 713) stay finite.
        assertTrue(Double.isFinite(Danco.divergenceOfAngles(1.2, 1.2, 900, 1000)));
    }

    /** Best and Fisher's A⁻¹ is an approximation: A(A⁻¹(η)) = η to within about 1%. */
    @Test
    void theVonMisesConcentrationInvertsTheMeanResultantLength() {
        for (double eta = 0.05; eta < 0.99; eta += 0.02) {
            double tau = Danco.inverseA(eta);
            assertEquals(eta, SpecialFunctions.besselRatio(tau), 0.01 * eta + 0.002, "η = " + eta);
        }
    }

    /** ρ^d is Beta(1, k) under the model: ρ = (1 − (1 − U)^(1/k))^(1/d). */
    @Test
    void mindMlRecoversTheDimensionOfModelRatios() {
        SplittableRandom random = new SplittableRandom(69);
        int k = 10;
        double d = 7;
        double[] logRho = new double[200_000];
        for (int i = 0; i < logRho.length; i++) {
            double beta = 1 - Math.pow(1 - random.nextDouble(), 1.0 / k);
            logRho[i] = Math.log(beta) / d;
        }

        assertEquals(d, Danco.mindMl(logRho, k, 50), 0.05);
        assertEquals(5, Danco.mindMl(logRho, k, 5), "capped at the bound");
    }

    /** A not-a-knot spline reproduces cubics, so the minimum of a sampled parabola is exact. */
    @Test
    void theSplineMinimumOfASampledParabolaIsItsVertex() {
        double[] kl = new double[8];
        for (int i = 0; i < 8; i++) {
            double x = i + 1;
            kl[i] = (x - 3.3) * (x - 3.3) + 4;
        }

        assertEquals(3.3, Danco.splineMinimum(kl, 2), 1e-12);
        // Three candidates: the parabola through them.
        assertEquals(2 + 1.0 / 6, Danco.splineMinimum(new double[] {3, 1, 2}, 1), 1e-12);
        // Two: linear, so the better knot.
        assertEquals(2, Danco.splineMinimum(new double[] {3, 1}, 1));
        assertEquals(1, Danco.splineMinimum(new double[] {3}, 0));
    }

    @Test
    void notAKnotSecondDerivativesOfACubicAreExact() {
        double[] y = new double[9];
        for (int i = 0; i < 9; i++) {
            y[i] = 0.5 * i * i * i - 2 * i * i + i - 3;
        }

        double[] second = Danco.notAKnotSecondDerivatives(y);

        for (int i = 0; i < 9; i++) {
            assertEquals(3.0 * i - 4, second[i], 1e-9);
        }
    }

    @Test
    void badSettingsAndTooFewPointsAreRefused() {
        float[][] points = RandomPoints.sphere(new Random(70), 11);

        assertEquals(ExitCode.INVALID_INPUT, assertThrows(EngramException.class,
                () -> Danco.estimate(points, new Danco.Settings(1, 0, 100, 1))).exitCode());
        assertEquals(ExitCode.INVALID_INPUT, assertThrows(EngramException.class,
                () -> Danco.estimate(points, DEFAULTS.withMaxDimension(-1))).exitCode());
        assertEquals(ExitCode.INVALID_INPUT, assertThrows(EngramException.class,
                () -> Danco.estimate(points, DEFAULTS.withSampleSize(11))).exitCode());
        EngramException few = assertThrows(EngramException.class, () -> Danco.estimate(points));
        assertEquals(ExitCode.NOTHING_TO_DO, few.exitCode());
        assertEquals("DANCo with k=10 needs more than 11 points, got 11: use fewer neighbours or more points",
                few.getMessage());

        float[][] copies = new float[40][];
        for (int i = 0; i < 40; i++) {
            copies[i] = new float[] {i % 2, 0};
        }
        assertEquals(ExitCode.INVALID_INPUT,
                assertThrows(EngramException.class, () -> Danco.estimate(copies)).exitCode());
    }
}
