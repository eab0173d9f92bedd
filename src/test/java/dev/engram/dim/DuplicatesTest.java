package dev.engram.dim;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static java.lang.Math.log;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DuplicatesTest {

    @Test
    void copiesAreMergedIntoTheirFirstOccurrence() {
        float[][] points = {{0}, {1}, {1}, {3}, {0}, {-0f}};

        Duplicates.Result r = Duplicates.merge(points);

        assertEquals(3, r.points().length);
        assertEquals(3, r.duplicates());
        assertArrayEquals(new int[] {0, 1, 3}, r.original());
        // 0.0 and -0.0 are one point: their distance is 0.
        assertArrayEquals(new int[] {0, 1, 1, 2, 0, 0}, r.copyOf());
    }

    @Test
    void distinctPointsComeBackUntouched() {
        float[][] points = {{0, 1}, {1, 0}, {1, 1}};

        assertSame(points, Duplicates.merge(points).points());
    }

    @Test
    void afterMergingTheLineOfThreeGivesItsHandWorkedTwoNN() {
        // {0, 1, 1, 3} merges to {0, 1, 3}: mu = 3, 2, 1.5, and (N - 1) / sum log mu = 2 / log 9.
        float[][] points = Duplicates.merge(new float[][] {{0}, {1}, {1}, {3}}).points();

        TwoNN.Result r = TwoNN.estimate(points, 0);

        assertEquals(2 / log(9), r.maximumLikelihood(), 1e-12);
        assertEquals(0, r.duplicatesDropped());
    }

    /**
     * Without merging, every estimator still guards itself: no NaN, no infinity, whatever share of
     * the points are copies (here 100 pairs and a triple among 303 points).
     */
    @Test
    void estimatorsGivenDuplicatesDirectlyStayFinite() {
        Random random = new Random(3);
        float[][] base = RandomPoints.uniform(random, 200, 3);
        float[][] points = new float[303][];
        for (int i = 0; i < 200; i++) {
            points[i] = base[i];
        }
        for (int i = 0; i < 100; i++) {
            points[200 + i] = base[i].clone();
        }
        points[300] = base[0].clone();
        points[301] = new float[] {5, 5, 5};
        points[302] = new float[] {5, 5, 5.5f};
        Neighbours.Result neighbours = Neighbours.search(points, 20);

        TwoNN.Result twoNN = TwoNN.estimate(neighbours, 0.1);
        MaximumLikelihood.Result mle = MaximumLikelihood.estimate(neighbours, 20,
                MaximumLikelihood.Combination.HARMONIC_MEAN);
        MaximumLikelihood.Result mean = MaximumLikelihood.estimate(neighbours, 20, MaximumLikelihood.Combination.MEAN);
        Gride.Result gride = Gride.estimate(neighbours, 16);

        assertTrue(Double.isFinite(twoNN.dimension()) && Double.isFinite(twoNN.maximumLikelihood()));
        assertEquals(201, twoNN.duplicatesDropped());
        assertTrue(Double.isFinite(mle.dimension()) && Double.isFinite(mean.dimension()));
        for (Gride.Scale s : gride.scales()) {
            assertTrue(Double.isFinite(s.dimension()) && Double.isFinite(s.error()), s.toString());
        }
        for (double v : Pointwise.mle(neighbours, 20)) {
            assertTrue(Double.isNaN(v) || v > 0 && v < Double.POSITIVE_INFINITY);
        }
        double[] local = Pointwise.twoNN(neighbours, 20);
        Pointwise.Summary s = Pointwise.summary(local, 10);
        // The 201 copies have no ratio of their own; a point whose whole neighbourhood is copies has
        // nothing to pool either (here two of them): undefined, not NaN in the summary.
        assertTrue(s.undefined() >= 201, "undefined " + s.undefined());
        assertTrue(Double.isFinite(s.mean()));
    }

    @Test
    void mergingBeforeTheSearchMatchesMeasuringTheDistinctPoints() {
        Random random = new Random(5);
        float[][] base = RandomPoints.uniform(random, 300, 2);
        float[][] doubled = new float[600][];
        for (int i = 0; i < 300; i++) {
            doubled[i] = base[i];
            doubled[300 + i] = base[i].clone();
        }

        double merged = TwoNN.estimate(Duplicates.merge(doubled).points(), 0.1).dimension();

        assertEquals(TwoNN.estimate(base, 0.1).dimension(), merged, 1e-12);
    }
}
