package dev.engram.dim;

import dev.engram.EngramException;
import dev.engram.ExitCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NeighboursTest {

    @Test
    void pointsOnALineHaveTheirHandComputedNeighbours() {
        // 0, 1, 3, 7, 15: the gaps 1, 2, 4, 8 make every nearest and second-nearest unambiguous.
        float[][] line = {{0}, {1}, {3}, {7}, {15}};

        Neighbours.Result result = Neighbours.search(line, 2);

        assertEquals(5, result.size());
        assertArrayEquals(new int[] {1, 2, 0, 2, 1, 0, 2, 1, 3, 2}, result.indices());
        assertArrayEquals(new double[] {1, 3, 1, 2, 2, 3, 4, 6, 8, 12}, result.distances(), 1e-12);
        assertEquals(0, result.duplicatePoints());
    }

    @Test
    void distancesAreEuclideanInSeveralDimensions() {
        // A 3-4-5 right triangle and a far point, nearest to the triangle's top corner.
        float[][] points = {{0, 0}, {3, 0}, {0, 4}, {100, 100}};

        Neighbours.Result result = Neighbours.search(points, 2);

        assertArrayEquals(new int[] {1, 2, 0, 2, 0, 1, 2, 1}, result.indices());
        assertArrayEquals(new double[] {3, 4, 3, 5, 4, 5, Math.hypot(100, 96), Math.hypot(97, 100)},
                result.distances(), 1e-12);
    }

    /** Sizes that cross tile boundaries (256 points), leave partial tiles and odd remainders. */
    @ParameterizedTest
    @CsvSource({
            "2, 1, 1, 1",
            "30, 3, 1, 2",
            "257, 5, 20, 3",
            "700, 100, 7, 4",
            "600, 37, 2, 5",
    })
    void matchesBruteForceOnRandomData(int n, int dim, int k, long seed) {
        float[][] points = RandomPoints.uniform(new Random(seed), n, dim);

        assertMatchesBruteForce(points, k);
    }

    @Test
    void translationFarFromTheOriginDoesNotCostAccuracy() {
        float[][] points = RandomPoints.uniform(new Random(6), 500, 16);
        for (float[] row : points) {
            for (int d = 0; d < row.length; d++) {
                row[d] += 5000;
            }
        }

        assertMatchesBruteForce(points, 3);
    }

    @Test
    void tightClustersFarApartAreStillExact() {
        // Neighbour gaps of about 1e-2 next to a spread of 1e3: below what the float ranking can
        // resolve, so every point must take the double-precision path and still come out exact.
        Random random = new Random(7);
        float[][] points = new float[300][8];
        for (int i = 0; i < points.length; i++) {
            float centre = (i % 3 - 1) * 1000f;
            for (int d = 0; d < 8; d++) {
                points[i][d] = centre + random.nextFloat() * 1e-2f;
            }
        }

        assertMatchesBruteForce(points, 4);
    }

    @Test
    void duplicatesAreFoundAtDistanceZeroAndCounted() {
        float[][] points = RandomPoints.uniform(new Random(8), 400, 10);
        // Three copies of point 0, two of point 1: five extra rows, 7 points with a twin.
        float[][] withCopies = Arrays.copyOf(points, 405);
        withCopies[400] = points[0].clone();
        withCopies[401] = points[0].clone();
        withCopies[402] = points[0].clone();
        withCopies[403] = points[1].clone();
        withCopies[404] = points[1].clone();

        Neighbours.Result result = Neighbours.search(withCopies, 3);

        assertEquals(7, result.duplicatePoints());
        assertArrayEquals(new int[] {400, 401, 402}, row(result.indices(), 0, 3));
        assertArrayEquals(new double[] {0, 0, 0}, row(result.distances(), 0, 3));
        assertArrayEquals(new int[] {0, 400, 402}, row(result.indices(), 401, 3));
        assertEquals(0, result.distance(403, 0));
        assertEquals(0, result.distance(403, 1));
        assertTrue(result.distance(403, 2) > 0);
        assertTrue(Arrays.stream(result.distances()).allMatch(Double::isFinite));
    }

    @Test
    void tooFewPointsIsNothingToDo() {
        float[][] points = {{0, 0}, {1, 1}, {2, 2}};

        EngramException e = assertThrows(EngramException.class, () -> Neighbours.search(points, 3));

        assertEquals(ExitCode.NOTHING_TO_DO, e.exitCode());
        assertEquals("finding 3 neighbours of each point needs more than 3 points, got 3", e.getMessage());
        assertEquals(ExitCode.NOTHING_TO_DO,
                assertThrows(EngramException.class, () -> Neighbours.search(new float[0][], 1)).exitCode());
    }

    @Test
    void malformedPointsAreInvalidInput() {
        float[][] ragged = {{0, 0}, {1}};
        float[][] notFinite = {{0, 0}, {1, Float.NaN}};
        float[][] empty = {{}, {}};

        assertInvalid("point 1 has 1 coordinates but point 0 has 2", () -> Neighbours.search(ragged, 1));
        assertInvalid("coordinate 1 of point 1 is NaN", () -> Neighbours.search(notFinite, 1));
        assertInvalid("the points have no coordinates", () -> Neighbours.search(empty, 1));
        assertInvalid("at least 1", () -> Neighbours.search(new float[][] {{0}, {1}}, 0));
    }

    private static void assertInvalid(String expectedStart, Runnable call) {
        EngramException e = assertThrows(EngramException.class, call::run);
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains(expectedStart), e.getMessage());
    }

    /** Same index lists (ordered by distance, then index), distances to 1e-5 relative. */
    private static void assertMatchesBruteForce(float[][] points, int k) {
        Neighbours.Result result = Neighbours.search(points, k);

        assertEquals(points.length, result.size());
        assertEquals(k, result.k());
        for (int p = 0; p < points.length; p++) {
            int[] expected = bruteForce(points, p, k);
            assertArrayEquals(expected, row(result.indices(), p, k), "neighbours of point " + p);
            for (int r = 0; r < k; r++) {
                double want = Math.sqrt(squaredDistance(points[p], points[expected[r]]));
                assertEquals(want, result.distance(p, r), 1e-5 * want, "distance " + r + " of point " + p);
            }
        }
    }

    private static int[] bruteForce(float[][] points, int p, int k) {
        double[] distance = new double[points.length];
        for (int q = 0; q < points.length; q++) {
            distance[q] = squaredDistance(points[p], points[q]);
        }
        return IntStream.range(0, points.length)
                .filter(q -> q != p)
                .boxed()
                .sorted(Comparator.<Integer>comparingDouble(q -> distance[q]).thenComparingInt(q -> q))
                .limit(k)
                .mapToInt(Integer::intValue)
                .toArray();
    }

    private static double squaredDistance(float[] a, float[] b) {
        double sum = 0;
        for (int d = 0; d < a.length; d++) {
            double t = (double) a[d] - (double) b[d];
            sum += t * t;
        }
        return sum;
    }

    private static int[] row(int[] table, int point, int k) {
        return Arrays.copyOfRange(table, point * k, point * k + k);
    }

    private static double[] row(double[] table, int point, int k) {
        return Arrays.copyOfRange(table, point * k, point * k + k);
    }
}
