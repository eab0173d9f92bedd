package dev.engram.dim;

import java.util.Random;

/** Seeded point clouds whose intrinsic dimension is known, made in the test rather than shipped. */
final class RandomPoints {

    private RandomPoints() {
    }

    static float[][] uniform(Random random, int n, int dim) {
        float[][] points = new float[n][dim];
        for (float[] row : points) {
            for (int d = 0; d < dim; d++) {
                row[d] = random.nextFloat();
            }
        }
        return points;
    }

    /**
     * Uniform in the unit cube of dimension {@code intrinsic}, mapped into {@code ambient}
     * dimensions by a random orthonormal frame and shifted, so that no coordinate axis lines up
     * with the cube.
     */
    static float[][] rotatedCube(Random random, int n, int intrinsic, int ambient) {
        double[][] frame = orthonormalFrame(random, intrinsic, ambient);
        double[] shift = new double[ambient];
        for (int d = 0; d < ambient; d++) {
            shift[d] = random.nextGaussian();
        }
        float[][] points = new float[n][ambient];
        double[] u = new double[intrinsic];
        for (float[] row : points) {
            for (int i = 0; i < intrinsic; i++) {
                u[i] = random.nextDouble();
            }
            for (int d = 0; d < ambient; d++) {
                double x = shift[d];
                for (int i = 0; i < intrinsic; i++) {
                    x += frame[i][d] * u[i];
                }
                row[d] = (float) x;
            }
        }
        return points;
    }

    /** Uniform on the unit 2-sphere in three dimensions. */
    static float[][] sphere(Random random, int n) {
        float[][] points = new float[n][3];
        for (float[] row : points) {
            double x = random.nextGaussian();
            double y = random.nextGaussian();
            double z = random.nextGaussian();
            double r = Math.sqrt(x * x + y * y + z * z);
            row[0] = (float) (x / r);
            row[1] = (float) (y / r);
            row[2] = (float) (z / r);
        }
        return points;
    }

    /** Gram–Schmidt on Gaussian vectors: {@code count} orthonormal vectors of length {@code dim}. */
    private static double[][] orthonormalFrame(Random random, int count, int dim) {
        double[][] frame = new double[count][dim];
        for (int i = 0; i < count; i++) {
            double[] v = frame[i];
            for (int d = 0; d < dim; d++) {
                v[d] = random.nextGaussian();
            }
            for (int j = 0; j < i; j++) {
                double dot = 0;
                for (int d = 0; d < dim; d++) {
                    dot += v[d] * frame[j][d];
                }
                for (int d = 0; d < dim; d++) {
                    v[d] -= dot * frame[j][d];
                }
            }
            double norm = 0;
            for (double x : v) {
                norm += x * x;
            }
            norm = Math.sqrt(norm);
            for (int d = 0; d < dim; d++) {
                v[d] /= norm;
            }
        }
        return frame;
    }
}
