package dev.engram.dim;

import dev.engram.EngramException;
import dev.engram.ExitCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static dev.engram.dim.TwoNNTest.assertBetween;
import static java.lang.Math.log;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CorrelationDimensionTest {

    /**
     * 0, 1, …, 99 on a line. A point with at least m others on each side has its (2m−1)-th and
     * 2m-th neighbours at distance m: the 10th at 5 for points 5..94, the 20th at 10 for points
     * 10..89, so the medians are r1 = 5 and r2 = 10. Pairs strictly closer than r are those
     * |i − j| ≤ ⌈r⌉ − 1: Σ_(m=1..4) 2(100 − m) = 780 ordered pairs below 5 and
     * Σ_(m=1..9) 2(100 − m) = 1710 below 10 (the pairs at exactly 5 and 10 do not count).
     */
    @Test
    void integerPointsOnALineGiveTheHandCountedSlope() {
        float[][] line = new float[100][];
        for (int i = 0; i < 100; i++) {
            line[i] = new float[] {i};
        }

        CorrelationDimension.Result result = CorrelationDimension.estimate(line);

        assertEquals(5, result.r1());
        assertEquals(10, result.r2());
        assertEquals(390, result.pairs1());
        assertEquals(855, result.pairs2());
        assertEquals(780 / 10000.0, result.c1(), 1e-15);
        assertEquals(1710 / 10000.0, result.c2(), 1e-15);
        assertEquals(log(1710.0 / 780) / log(2), result.dimension(), 1e-12);
        assertEquals(10, result.k1());
        assertEquals(20, result.k2());
    }

    /** numpy's median of an even count averages the two middle values. */
    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        // 0, 1, 3, 7: first-neighbour distances 1, 1, 2, 4 → median (1 + 2)/2.
        Neighbours.Result neighbours = Neighbours.search(new float[][] {{0}, {1}, {3}, {7}}, 1);

        assertEquals(1.5, CorrelationDimension.medianDistance(neighbours, 1));
    }

    /**
     * Points on a small integer grid, so that very many pairs sit exactly at the radii asked
     * (integers and their square roots); sizes past a tile of 256 points, so that off-diagonal
     * tiles are counted too. The float kernel must send every such pair to the exact check.
     */
    @ParameterizedTest
    @CsvSource({"40, 2, 1", "300, 3, 2", "700, 5, 3"})
    void pairCountsAreExactEvenWithManyPairsAtTheRadius(int n, int dim, long seed) {
        Random random = new Random(seed);
        float[][] points = new float[n][dim];
        for (float[] p : points) {
            for (int d = 0; d < dim; d++) {
                p[d] = random.nextInt(6);
            }
        }
        double[] radii = {1, Math.sqrt(2), 2, Math.sqrt(5), 3, 2.5};

        long[] counts = CorrelationDimension.countPairsCloserThan(points, dim, radii);

        long[] expected = new long[radii.length];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (i != j) {
                    double distance = Math.sqrt(Neighbours.squaredDistance(points[i], points[j]));
                    for (int r = 0; r < radii.length; r++) {
                        if (distance < radii[r]) {
                            expected[r]++;
                        }
                    }
                }
            }
        }
        assertArrayEquals(expected, counts);
    }

    /** Over seeds 1–6: 0.991–1.002 (this seed: 1.00). */
    @Test
    void aSegmentIsOneDimensional() {
        Random random = new Random(41);
        float[][] points = new float[2000][1];
        for (float[] p : points) {
            p[0] = random.nextFloat();
        }

        assertBetween(0.95, 1.05, CorrelationDimension.estimate(points).dimension());
    }

    /**
     * Over seeds 1–6, the sphere (4000 points) gave 1.98–2.01 and the Swiss roll M7 (2500
     * points) 1.92–1.96; the affine 3-space M2 (4000 points) 2.84–2.89, the usual shortfall of
     * the correlation integral at these radii: small enough a band to tell 3 from 2 or 4.
     */
    @Test
    void lowDimensionalManifoldsMeasureTheirDimension() {
        assertBetween(1.9, 2.1, CorrelationDimension.estimate(RandomPoints.sphere(new Random(42), 4000)).dimension());
        assertBetween(1.85, 2.15, CorrelationDimension.estimate(Manifolds.Benchmark.M7_ROLL.sample(2500, 3)).dimension());
        assertBetween(2.7, 3.1,
                CorrelationDimension.estimate(Manifolds.Benchmark.M2_AFFINE_3TO5.sample(4000, 3)).dimension());
    }

    @Test
    void sharedNeighbourTableGivesTheSameEstimate() {
        float[][] points = RandomPoints.sphere(new Random(43), 600);

        CorrelationDimension.Result direct = CorrelationDimension.estimate(points, 5, 12);
        CorrelationDimension.Result shared = CorrelationDimension.estimate(points, Neighbours.search(points, 30), 5, 12);

        assertEquals(direct, shared);
    }

    @Test
    void duplicatedPointsCountAsPairsAtDistanceZero() {
        float[][] line = new float[60][];
        for (int i = 0; i < 50; i++) {
            line[i] = new float[] {i};
        }
        for (int i = 50; i < 60; i++) {
            line[i] = new float[] {i - 50};
        }

        CorrelationDimension.Result result = CorrelationDimension.estimate(line, 2, 4);

        // The 10 pairs of copies are among the pairs closer than either radius.
        long below1 = 0;
        long below2 = 0;
        long copies = 0;
        for (int i = 0; i < 60; i++) {
            for (int j = i + 1; j < 60; j++) {
                double distance = Math.abs(line[i][0] - line[j][0]);
                below1 += distance < result.r1() ? 1 : 0;
                below2 += distance < result.r2() ? 1 : 0;
                copies += distance == 0 ? 1 : 0;
            }
        }
        assertEquals(10, copies);
        assertEquals(below1, result.pairs1());
        assertEquals(below2, result.pairs2());
    }

    @Test
    void badRanksAndTooFewPointsAreRefused() {
        float[][] points = RandomPoints.sphere(new Random(44), 20);

        assertEquals(ExitCode.INVALID_INPUT,
                assertThrows(EngramException.class, () -> CorrelationDimension.estimate(points, 0, 5)).exitCode());
        assertEquals(ExitCode.INVALID_INPUT,
                assertThrows(EngramException.class, () -> CorrelationDimension.estimate(points, 5, 5)).exitCode());
        EngramException few = assertThrows(EngramException.class, () -> CorrelationDimension.estimate(points));
        assertEquals(ExitCode.NOTHING_TO_DO, few.exitCode());
        assertEquals("the correlation dimension with k2=20 needs more than 20 points, got 20:"
                + " use a smaller k2 or more points", few.getMessage());
    }

    @Test
    void dataWithoutASlopeIsRefused() {
        // Three copies of each of 10 points: every point's first two neighbours are at 0, so r1 = 0.
        float[][] copies = new float[30][];
        for (int i = 0; i < 30; i++) {
            copies[i] = new float[] {i % 10, 0};
        }
        EngramException zero = assertThrows(EngramException.class, () -> CorrelationDimension.estimate(copies, 2, 5));
        assertEquals(ExitCode.INVALID_INPUT, zero.exitCode());

        // A square grid: the 3rd and 4th neighbours of most points are both at distance 1.
        float[][] grid = new float[100][];
        for (int i = 0; i < 100; i++) {
            grid[i] = new float[] {i / 10, i % 10};
        }
        EngramException flat = assertThrows(EngramException.class, () -> CorrelationDimension.estimate(grid, 3, 4));
        assertEquals(ExitCode.INVALID_INPUT, flat.exitCode());
    }
}
