package dev.engram.dim;

import java.util.Random;
import java.util.stream.IntStream;

/**
 * Points laid out in two dimensions, to be looked at (engram map): the first two principal
 * components, or t-SNE (van der Maaten &amp; Hinton, "Visualizing Data using t-SNE", JMLR 9, 2008),
 * exact, with the optimisation schedule of the authors' reference implementation and of
 * scikit-learn's {@code TSNE}: perplexity-calibrated Gaussian affinities, early exaggeration 12
 * for the first 250 of 1,000 iterations, momentum 0.5 then 0.8, per-coordinate gains, learning
 * rate {@code max(N / 12 / 4, 50)} (scikit-learn's "auto", after Belkina et al., Nat. Commun. 10,
 * 2019) and a PCA start scaled to a standard deviation of 1e-4 (Kobak &amp; Linderman, Nat.
 * Biotechnol. 39, 2021). Exact t-SNE costs N^2 per iteration; callers sample a few thousand
 * points.
 */
public final class Projection {
    public static final double DEFAULT_PERPLEXITY = 30;
    static final int ITERATIONS = 1000;
    static final int EXAGGERATED = 250;
    static final double EXAGGERATION = 12;

    private Projection() {
    }

    /** The points' coordinates on their first two principal components (centred), one row per point. */
    public static double[][] pca(float[][] points) {
        int n = points.length;
        int d = points[0].length;
        double[] mean = new double[d];
        for (float[] p : points) {
            for (int j = 0; j < d; j++) {
                mean[j] += p[j] / (double) n;
            }
        }
        double[][] covariance = new double[d][d];
        for (float[] p : points) {
            for (int a = 0; a < d; a++) {
                double da = p[a] - mean[a];
                for (int b = a; b < d; b++) {
                    covariance[a][b] += da * (p[b] - mean[b]);
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = 0; b < a; b++) {
                covariance[a][b] = covariance[b][a];
            }
        }
        double[] first = topEigenvector(covariance, null);
        double[] second = d > 1 ? topEigenvector(covariance, first) : new double[d];
        double[][] out = new double[n][2];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                double c = points[i][j] - mean[j];
                out[i][0] += c * first[j];
                out[i][1] += c * second[j];
            }
        }
        return out;
    }

    /**
     * The leading eigenvector of a symmetric positive semi-definite matrix, orthogonal to
     * {@code against} if given, by power iteration from a fixed start; its sign made so that its
     * largest component is positive, so that layouts do not flip between runs.
     */
    static double[] topEigenvector(double[][] m, double[] against) {
        int d = m.length;
        double[] v = new double[d];
        for (int j = 0; j < d; j++) {
            v[j] = 1 + j * 1e-3;
        }
        for (int iteration = 0; iteration < 1000; iteration++) {
            if (against != null) {
                double dot = dot(v, against);
                for (int j = 0; j < d; j++) {
                    v[j] -= dot * against[j];
                }
            }
            double[] next = new double[d];
            for (int a = 0; a < d; a++) {
                double s = 0;
                for (int b = 0; b < d; b++) {
                    s += m[a][b] * v[b];
                }
                next[a] = s;
            }
            double norm = Math.sqrt(dot(next, next));
            if (norm == 0) {
                break;
            }
            double change = 0;
            for (int j = 0; j < d; j++) {
                next[j] /= norm;
                change += Math.abs(next[j] - v[j]);
            }
            v = next;
            if (change < 1e-12) {
                break;
            }
        }
        if (against != null) {
            double dot = dot(v, against);
            for (int j = 0; j < d; j++) {
                v[j] -= dot * against[j];
            }
        }
        double norm = Math.sqrt(dot(v, v));
        int largest = 0;
        for (int j = 0; j < d; j++) {
            v[j] = norm == 0 ? 0 : v[j] / norm;
            if (Math.abs(v[j]) > Math.abs(v[largest])) {
                largest = j;
            }
        }
        if (v[largest] < 0) {
            for (int j = 0; j < d; j++) {
                v[j] = -v[j];
            }
        }
        return v;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int j = 0; j < a.length; j++) {
            s += a[j] * b[j];
        }
        return s;
    }

    /** t-SNE of the points (see the class comment); needs more points than 3 x perplexity. */
    public static double[][] tsne(float[][] points, double perplexity, long seed) {
        int n = points.length;
        if (n < 2) {
            return new double[n][2];
        }
        double effective = Math.min(perplexity, (n - 1) / 3.0);
        double[] p = affinities(points, effective);
        double[][] y = pca(points);
        double sd = 0;
        for (double[] row : y) {
            sd += row[0] * row[0] / n;
        }
        sd = Math.sqrt(sd);
        Random random = new Random(seed);
        for (double[] row : y) {
            for (int c = 0; c < 2; c++) {
                // Scaled to 1e-4; a tiny seeded jitter parts points that coincide.
                row[c] = (sd > 0 ? row[c] / sd : 0) * 1e-4 + random.nextGaussian() * 1e-8;
            }
        }
        double rate = Math.max(n / EXAGGERATION / 4, 50);
        double[][] gains = new double[n][2];
        double[][] update = new double[n][2];
        for (double[] g : gains) {
            g[0] = 1;
            g[1] = 1;
        }
        double[][] gradient = new double[n][2];
        double[] q = new double[n * n]; // the gradient's scratch, reused by every iteration
        for (int iteration = 0; iteration < ITERATIONS; iteration++) {
            double exaggeration = iteration < EXAGGERATED ? EXAGGERATION : 1;
            double momentum = iteration < EXAGGERATED ? 0.5 : 0.8;
            gradient(p, y, exaggeration, q, gradient);
            for (int i = 0; i < n; i++) {
                for (int c = 0; c < 2; c++) {
                    boolean sameSign = (gradient[i][c] > 0) == (update[i][c] > 0);
                    gains[i][c] = Math.max(0.01, sameSign ? gains[i][c] * 0.8 : gains[i][c] + 0.2);
                    update[i][c] = momentum * update[i][c] - rate * gains[i][c] * gradient[i][c];
                    y[i][c] += update[i][c];
                }
            }
        }
        return y;
    }

    /**
     * The symmetric joint probabilities P (row-major, n x n): each point's Gaussian conditional
     * probabilities with the bandwidth whose perplexity is {@code perplexity} (binary search on the
     * precision), then (P_j|i + P_i|j) / 2n.
     */
    static double[] affinities(float[][] points, double perplexity) {
        int n = points.length;
        double[] d2 = new double[n * n];
        IntStream.range(0, n).parallel().forEach(i -> {
            for (int j = 0; j < n; j++) {
                d2[i * n + j] = dev.engram.store.Vectors.squaredDistance(points[i], points[j]);
            }
        });
        double[] conditional = new double[n * n];
        double target = Math.log(perplexity);
        IntStream.range(0, n).parallel().forEach(i -> {
            double beta = 1;
            double lo = Double.NEGATIVE_INFINITY;
            double hi = Double.POSITIVE_INFINITY;
            double[] row = new double[n];
            double minD = Double.POSITIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    minD = Math.min(minD, d2[i * n + j]);
                }
            }
            for (int step = 0; step < 100; step++) {
                double sum = 0;
                double weighted = 0;
                for (int j = 0; j < n; j++) {
                    // Shifted by the nearest distance: the same probabilities, no underflow.
                    row[j] = j == i ? 0 : Math.exp(-beta * (d2[i * n + j] - minD));
                    sum += row[j];
                    weighted += row[j] * (d2[i * n + j] - minD);
                }
                double entropy = Math.log(sum) + beta * weighted / sum;
                for (int j = 0; j < n; j++) {
                    row[j] /= sum;
                }
                double diff = entropy - target;
                if (Math.abs(diff) < 1e-5) {
                    break;
                }
                if (diff > 0) {
                    lo = beta;
                    beta = hi == Double.POSITIVE_INFINITY ? beta * 2 : (beta + hi) / 2;
                } else {
                    hi = beta;
                    beta = lo == Double.NEGATIVE_INFINITY ? beta / 2 : (beta + lo) / 2;
                }
            }
            System.arraycopy(row, 0, conditional, i * n, n);
        });
        double[] p = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                p[i * n + j] = Math.max((conditional[i * n + j] + conditional[j * n + i]) / (2.0 * n), 1e-12);
            }
        }
        return p;
    }

    /**
     * dC/dy of t-SNE's Kullback-Leibler cost, with P multiplied by {@code exaggeration};
     * {@code q} (n x n) receives the unnormalised affinities, every off-diagonal entry written anew.
     */
    private static void gradient(double[] p, double[][] y, double exaggeration, double[] q, double[][] out) {
        int n = y.length;
        double total = IntStream.range(0, n).parallel().mapToDouble(i -> {
            double s = 0;
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    double dx = y[i][0] - y[j][0];
                    double dy = y[i][1] - y[j][1];
                    double w = 1 / (1 + dx * dx + dy * dy);
                    q[i * n + j] = w;
                    s += w;
                }
            }
            return s;
        }).sum();
        IntStream.range(0, n).parallel().forEach(i -> {
            double gx = 0;
            double gy = 0;
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    double w = q[i * n + j];
                    double f = (exaggeration * p[i * n + j] - w / total) * w;
                    gx += f * (y[i][0] - y[j][0]);
                    gy += f * (y[i][1] - y[j][1]);
                }
            }
            out[i][0] = 4 * gx;
            out[i][1] = 4 * gy;
        });
    }

    /**
     * Trustworthiness (Venna &amp; Kaski, 2001, as scikit-learn's {@code trustworthiness}): 1
     * minus a penalty for points among a point's k nearest in the layout that are not among its
     * k nearest in the original space, weighted by their original rank. 1 for a layout that
     * invents no neighbours.
     */
    public static double trustworthiness(float[][] points, double[][] layout, int k) {
        int n = points.length;
        double penalty = 0;
        for (int i = 0; i < n; i++) {
            int fi = i;
            Integer[] original = IntStream.range(0, n).filter(j -> j != fi).boxed().toArray(Integer[]::new);
            java.util.Arrays.sort(original, java.util.Comparator.comparingDouble(j ->
                    dev.engram.store.Vectors.squaredDistance(points[fi], points[j])));
            int[] rank = new int[n];
            for (int r = 0; r < original.length; r++) {
                rank[original[r]] = r + 1;
            }
            Integer[] embedded = IntStream.range(0, n).filter(j -> j != fi).boxed().toArray(Integer[]::new);
            java.util.Arrays.sort(embedded, java.util.Comparator.comparingDouble(j ->
                    Math.pow(layout[fi][0] - layout[j][0], 2) + Math.pow(layout[fi][1] - layout[j][1], 2)));
            for (int r = 0; r < k; r++) {
                penalty += Math.max(0, rank[embedded[r]] - k);
            }
        }
        return 1 - 2.0 / (n * k * (2.0 * n - 3 * k - 1)) * penalty;
    }
}
