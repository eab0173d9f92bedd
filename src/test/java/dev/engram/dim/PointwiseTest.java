package dev.engram.dim;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static java.lang.Math.log;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PointwiseTest {
    private static final float[][] LINE = {{0}, {1}, {3}};

    @Test
    void perPointMleOnALineOfThreeByHand() {
        // k = 2: m = 1 / log(T2/T1). Point 0: T = 1, 3. Point 1: T = 1, 2. Point 3: T = 2, 3.
        double[] m = Pointwise.mle(Neighbours.search(LINE, 2), 2);

        assertArrayEquals(new double[] {1 / log(3), 1 / log(2), 1 / log(1.5)}, m, 1e-12);
    }

    @Test
    void perPointMleAveragesToTheGlobalHarmonicMean() {
        Random random = new Random(1);
        Neighbours.Result n = Neighbours.search(RandomPoints.uniform(random, 500, 3), 10);
        double sumInverse = 0;
        for (double v : Pointwise.mle(n, 10)) {
            sumInverse += 1 / v;
        }

        assertEquals(MaximumLikelihood.estimate(n, 10, MaximumLikelihood.Combination.HARMONIC_MEAN).dimension(),
                500 / sumInverse, 1e-9);
    }

    @Test
    void localTwoNNPoolsThePointsRatioWithItsNeighbours() {
        // mu: point 0 → 3/1, point 1 → 2/1, point 3 → 3/2. With k = 1 each point pools its own
        // ratio and its nearest neighbour's: 0 with 1, 1 with 0 (tie 1 vs 2: 0 is nearer), 3 with 1.
        double[] d = Pointwise.twoNN(Neighbours.search(LINE, 2), 1);

        assertArrayEquals(new double[] {1 / log(6), 1 / log(6), 1 / log(3)}, d, 1e-12);
    }

    @Test
    void localEstimatesOnAUniformSquareCentreOnTwo() {
        Random random = new Random(2);
        Neighbours.Result n = Neighbours.search(RandomPoints.rotatedCube(random, 2000, 2, 6), 20);

        Pointwise.Summary mle = Pointwise.summary(Pointwise.mle(n, 20), 10);
        Pointwise.Summary twoNN = Pointwise.summary(Pointwise.twoNN(n, 20), 10);

        assertTrue(mle.quantiles()[2] > 1.8 && mle.quantiles()[2] < 2.3, "median mle-local " + mle.quantiles()[2]);
        assertTrue(twoNN.quantiles()[2] > 1.7 && twoNN.quantiles()[2] < 2.4, "median twonn-local " + twoNN.quantiles()[2]);
        assertEquals(2000, mle.count());
    }

    @Test
    void summaryOfFourValuesByHand() {
        double[] values = {4, 1, 3, 2, Double.POSITIVE_INFINITY, Double.NaN};

        Pointwise.Summary s = Pointwise.summary(values, 3);

        assertEquals(4, s.count());
        assertEquals(1, s.unbounded());
        assertEquals(1, s.undefined());
        assertEquals(2.5, s.mean(), 1e-15);
        assertEquals(Math.sqrt(5.0 / 3), s.sd(), 1e-15);
        // numpy.percentile([1, 2, 3, 4], [5, 25, 50, 75, 95]) = 1.15, 1.75, 2.5, 3.25, 3.85
        assertArrayEquals(new double[] {1.15, 1.75, 2.5, 3.25, 3.85}, s.quantiles(), 1e-12);
        // Bins [1, 2), [2, 3), [3, 4]: the maximum falls in the last.
        assertArrayEquals(new int[] {1, 1, 2}, s.histogram());
        assertEquals("▅▅█", s.sparkline());
    }

    @Test
    void allEquallyFarNeighboursGiveAnUnboundedValueNotNaN() {
        // Point 1 of {0, 1, 2} has both neighbours at distance 1: log(T2/T1) = 0.
        double[] m = Pointwise.mle(Neighbours.search(new float[][] {{0}, {1}, {2}}, 2), 2);

        assertEquals(Double.POSITIVE_INFINITY, m[1]);
        assertEquals(1, Pointwise.summary(m, 4).unbounded());
    }
}
