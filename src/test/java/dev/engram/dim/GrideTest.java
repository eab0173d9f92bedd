package dev.engram.dim;

import dev.engram.EngramException;
import dev.engram.ExitCode;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static dev.engram.dim.TwoNNTest.assertBetween;
import static java.lang.Math.log;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GrideTest {

    /** 0, 1, 3, 7, 15: every neighbour rank is unambiguous. */
    private static final float[][] LINE = {{0}, {1}, {3}, {7}, {15}};

    /**
     * With n1 = 1, n2 = 2 the term in (n2 − n1 − 1) vanishes and the likelihood equation is
     * Σ log mu = (N − 1)/d: TwoNN's maximum-likelihood estimate. On 0, 1, 3 the ratios are 3, 2
     * and 3/2, so d = 2/log 9, and the Fisher error is d/√N.
     */
    @Test
    void theFirstScaleIsTwoNNsMaximumLikelihoodInClosedForm() {
        float[][] line = {{0}, {1}, {3}};

        Gride.Scale scale = Gride.atScale(Neighbours.search(line, 2), 1, 2);

        double d = 2 / log(9);
        assertEquals(d, scale.dimension(), 1e-12);
        assertEquals(d / Math.sqrt(3), scale.error(), 1e-12);
        assertEquals(TwoNN.estimate(line, 0).maximumLikelihood(), scale.dimension(), 1e-12);
        // Mean of (r1 + r2)/2: ((1 + 3) + (1 + 2) + (2 + 3)) / 6.
        assertEquals(12 / 6.0, scale.distance(), 1e-15);
        assertEquals(3, scale.pointsUsed());
        assertEquals(0, scale.outliersDropped());
    }

    /**
     * n2 = n1 + 1 also has a closed form, d = (N − 1)/(n1 Σ log mu). On 0, 1, 3, 7, 15 the
     * 2nd and 3rd neighbour distances are (3, 7), (2, 6), (3, 4), (6, 7), (12, 14).
     */
    @Test
    void adjacentRanksHaveAClosedFormToo() {
        Gride.Scale scale = Gride.atScale(Neighbours.search(LINE, 4), 2, 3);

        double sumLog = log(7.0 / 3) + log(3) + log(4.0 / 3) + 2 * log(7.0 / 6);
        assertEquals(4 / (2 * sumLog), scale.dimension(), 1e-12);
    }

    /**
     * For n2 = 2·n1 there is no closed form; the answer must be where DADApy's log-likelihood
     * (N − 1) log d + (n2 − n1 − 1) Σ log(mu^d − 1) − ((n2 − 1)d + 1) Σ log mu, the function its
     * derivative equation comes from, is largest.
     */
    @Test
    void atLargerScalesTheAnswerMaximisesTheLikelihood() {
        float[][] points = RandomPoints.rotatedCube(new Random(51), 500, 3, 6);
        Neighbours.Result neighbours = Neighbours.search(points, 8);

        for (int n1 : new int[] {2, 4}) {
            int n2 = 2 * n1;
            Gride.Scale scale = Gride.atScale(neighbours, n1, n2);
            double[] mu = new double[points.length];
            for (int p = 0; p < points.length; p++) {
                mu[p] = neighbours.distance(p, n2 - 1) / neighbours.distance(p, n1 - 1);
            }
            assertEquals(0, scale.outliersDropped());
            double best = logLikelihood(scale.dimension(), mu, n1, n2);
            for (double step : new double[] {1e-3, 1e-2, 0.1}) {
                assertTrue(best > logLikelihood(scale.dimension() + step, mu, n1, n2));
                assertTrue(best > logLikelihood(scale.dimension() - step, mu, n1, n2));
            }
            assertEquals(0, Gride.negativeDerivative(scale.dimension(), Arrays.stream(mu).map(Math::log).toArray(),
                    n1, n2), 1e-8 * points.length);
        }
    }

    private static double logLikelihood(double d, double[] mu, int n1, int n2) {
        double sum = (mu.length - 1) * log(d);
        for (double m : mu) {
            sum += (n2 - n1 - 1) * log(Math.pow(m, d) - 1) - ((n2 - 1) * d + 1) * log(m);
        }
        return sum;
    }

    /** numpy.percentile's default: linear interpolation between the closest ranks. */
    @Test
    void percentilesInterpolateLikeNumpy() {
        double[] sorted = {1.5, 2, 3};

        assertEquals(2, Gride.percentile(sorted, 50));
        assertEquals(2.9, Gride.percentile(sorted, 95), 1e-15);
        assertEquals(1.5, Gride.percentile(sorted, 0));
        assertEquals(3, Gride.percentile(sorted, 100));
    }

    /** Ratios at or past median + 20·(95th percentile − median) are dropped as overlapping points. */
    @Test
    void outlyingRatiosAreFiltered() {
        double[] mu = new double[100];
        for (int i = 0; i < 100; i++) {
            mu[i] = 1.1 + i / 1000.0;
        }
        mu[7] = 50;
        mu[8] = 3;

        double[] kept = Gride.filterOutliers(mu);

        // Median 1.1515, 95th percentile 1.19605 (the 3 and the 50 sit above both): limit 2.0425.
        assertEquals(98, kept.length);
        assertTrue(Arrays.stream(kept).allMatch(m -> m < 2));
    }

    @Test
    void scalesDoubleWhileTheSecondRankFits() {
        float[][] points = RandomPoints.sphere(new Random(52), 300);

        List<Gride.Scale> all = Gride.estimate(points).scales();
        assertEquals(List.of(1, 2, 4, 8, 16, 32), all.stream().map(Gride.Scale::n1).toList());
        assertEquals(List.of(2, 4, 8, 16, 32, 64), all.stream().map(Gride.Scale::n2).toList());

        Neighbours.Result twenty = Neighbours.search(points, 20);
        assertEquals(List.of(1, 2, 4, 8), Gride.estimate(twenty, 64).scales().stream().map(Gride.Scale::n1).toList());
        assertEquals(List.of(1), Gride.estimate(twenty, 3).scales().stream().map(Gride.Scale::n1).toList());

        // With 40 points the largest rank is 39: up to n2 = 32.
        assertEquals(5, Gride.estimate(Arrays.copyOf(points, 40)).scales().size());
    }

    @Test
    void sharedNeighbourTableGivesTheSameScales() {
        float[][] points = RandomPoints.sphere(new Random(53), 400);

        assertEquals(Gride.estimate(points, 16), Gride.estimate(Neighbours.search(points, 40), 16));
    }

    /**
     * On the 2-sphere (4000 points), over seeds 1–6 every scale n1 = 1..32 gave 1.94–2.11, the
     * first (noisiest) scale 1.94–2.11 and the others within 1.96–2.08, with errors 0.01–0.03.
     * The band 1.85–2.15 is several errors wide.
     */
    @Test
    void theSphereIsTwoDimensionalAtEveryScale() {
        Gride.Result result = Gride.estimate(RandomPoints.sphere(new Random(54), 4000));

        for (Gride.Scale scale : result.scales()) {
            assertBetween(1.85, 2.15, scale.dimension());
            assertBetween(0.005, 0.05, scale.error());
        }
        double[] distances = result.scales().stream().mapToDouble(Gride.Scale::distance).toArray();
        for (int i = 1; i < distances.length; i++) {
            assertTrue(distances[i] > distances[i - 1], "the scale grows with the ranks");
        }
    }

    /**
     * A unit square in 10 dimensions with Gaussian noise of σ = 0.002 on every coordinate, 4000
     * points: the nearest neighbours (about 0.009 apart) see the noise's 10 dimensions, farther
     * ones the square. Over seeds 1–6 the scale n1 = 1 gave 3.8–4.0 and n1 = 32 gave 1.95–1.98.
     * This is what Gride is for.
     */
    @Test
    void noiseInflatesTheSmallScalesOnly() {
        Random random = new Random(55);
        float[][] points = new float[4000][10];
        for (float[] p : points) {
            p[0] = random.nextFloat();
            p[1] = random.nextFloat();
            for (int d = 0; d < 10; d++) {
                p[d] += (float) (0.002 * random.nextGaussian());
            }
        }

        List<Gride.Scale> scales = Gride.estimate(points).scales();

        assertBetween(3.3, 4.5, scales.get(0).dimension());
        assertBetween(1.85, 2.15, scales.get(5).dimension());
        for (int i = 1; i < scales.size(); i++) {
            assertTrue(scales.get(i).dimension() < scales.get(i - 1).dimension());
        }
    }

    @Test
    void duplicatedPointsAreDroppedAndCounted() {
        float[][] points = RandomPoints.sphere(new Random(56), 500);
        float[][] withCopies = Arrays.copyOf(points, 520);
        for (int i = 0; i < 20; i++) {
            withCopies[500 + i] = points[i].clone();
        }

        Gride.Scale first = Gride.estimate(withCopies, 4).scales().get(0);
        Gride.Scale second = Gride.estimate(withCopies, 4).scales().get(1);

        assertEquals(40, first.duplicatesDropped());
        assertEquals(480, first.pointsUsed() + first.outliersDropped());
        assertEquals(0, second.duplicatesDropped(), "their second neighbour is not a copy");
        assertBetween(1.7, 2.3, first.dimension());
    }

    @Test
    void badInputIsRefused() {
        Neighbours.Result neighbours = Neighbours.search(LINE, 4);

        assertEquals(ExitCode.INVALID_INPUT,
                assertThrows(EngramException.class, () -> Gride.atScale(neighbours, 2, 2)).exitCode());
        assertEquals(ExitCode.INVALID_INPUT,
                assertThrows(EngramException.class, () -> Gride.atScale(neighbours, 0, 2)).exitCode());
        assertEquals(ExitCode.INVALID_INPUT,
                assertThrows(EngramException.class, () -> Gride.estimate(LINE, 1)).exitCode());
        EngramException two = assertThrows(EngramException.class, () -> Gride.estimate(new float[][] {{0}, {1}}));
        assertEquals(ExitCode.NOTHING_TO_DO, two.exitCode());
        assertEquals("Gride needs at least 3 points, got 2", two.getMessage());
    }

    @Test
    void aRegularGridIsRefusedRatherThanAnsweredWithAnEnormousDimension() {
        // Each corner's two nearest neighbours are both at distance 1: every ratio is 1, which
        // DADApy nudges up by 10 machine epsilons and answers with its upper bound, 1000.
        float[][] square = {{0, 0}, {1, 0}, {0, 1}, {1, 1}};

        EngramException e = assertThrows(EngramException.class, () -> Gride.estimate(square, 2));

        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
    }
}
