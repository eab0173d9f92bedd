package dev.engram.dim;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PCA and t-SNE layouts against what they are known to do. */
class ProjectionTest {
    /** Three tight, far-apart Gaussian clusters of 50 points in 10-d. */
    private static float[][] clusters(Random random) {
        float[][] points = new float[150][10];
        for (int i = 0; i < points.length; i++) {
            int c = i / 50;
            for (int j = 0; j < 10; j++) {
                points[i][j] = (float) ((j == c ? 20 : 0) + random.nextGaussian());
            }
        }
        return points;
    }

    @Test
    void pcaFindsTheDirectionsOfLargestSpread() {
        // Points on a line along (3, 4) / 5 with a small spread along (-4, 3) / 5.
        Random random = new Random(1);
        float[][] points = new float[200][2];
        for (float[] p : points) {
            double a = random.nextGaussian() * 10;
            double b = random.nextGaussian() * 0.5;
            p[0] = (float) (5 + a * 0.6 - b * 0.8);
            p[1] = (float) (-2 + a * 0.8 + b * 0.6);
        }
        double[][] xy = Projection.pca(points);
        double varFirst = 0;
        double varSecond = 0;
        for (double[] row : xy) {
            varFirst += row[0] * row[0];
            varSecond += row[1] * row[1];
        }
        assertTrue(varFirst > 100 * varSecond, varFirst + " vs " + varSecond);
        // The first coordinate is the projection on the line's direction (sign fixed: largest component positive).
        double[] v = Projection.topEigenvector(new double[][] {{0.36, 0.48}, {0.48, 0.64}}, null);
        assertEquals(0.6, v[0], 1e-9);
        assertEquals(0.8, v[1], 1e-9);
    }

    @Test
    void tsneKeepsClustersApartAndInventsFewNeighbours() {
        float[][] points = clusters(new Random(7));
        double[][] xy = Projection.tsne(points, 30, 42);
        // Every point's nearest neighbour in the layout is of its own cluster.
        for (int i = 0; i < xy.length; i++) {
            int nearest = -1;
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < xy.length; j++) {
                double d = Math.pow(xy[i][0] - xy[j][0], 2) + Math.pow(xy[i][1] - xy[j][1], 2);
                if (j != i && d < best) {
                    best = d;
                    nearest = j;
                }
            }
            assertEquals(i / 50, nearest / 50, "point " + i);
        }
        double t = Projection.trustworthiness(points, xy, 5);
        assertTrue(t > 0.9, "trustworthiness " + t);
        // Seeded: the same layout again.
        assertEquals(xy[17][0], Projection.tsne(points, 30, 42)[17][0], 0);
    }

    @Test
    void trustworthinessIsOneForAFaithfulLayoutAndLowerForAShuffledOne() {
        Random random = new Random(3);
        float[][] plane = new float[60][2];
        double[][] same = new double[60][2];
        double[][] shuffled = new double[60][2];
        for (int i = 0; i < plane.length; i++) {
            plane[i][0] = (float) random.nextGaussian();
            plane[i][1] = (float) random.nextGaussian();
            same[i][0] = plane[i][0];
            same[i][1] = plane[i][1];
        }
        for (int i = 0; i < plane.length; i++) {
            shuffled[i] = same[(i * 7 + 3) % plane.length];
        }
        assertEquals(1.0, Projection.trustworthiness(plane, same, 5), 1e-12);
        assertTrue(Projection.trustworthiness(plane, shuffled, 5) < 0.8);
    }
}
