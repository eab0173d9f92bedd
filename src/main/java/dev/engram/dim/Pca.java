package dev.engram.dim;

import dev.engram.EngramException;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Intrinsic dimension from the spectrum of the covariance matrix, globally and in each point's
 * neighbourhood.
 *
 * <p>The count is the criterion of Fukunaga and Olsen, "An algorithm for finding intrinsic
 * dimensionality of data", IEEE Trans. Computers C-20 (1971): the number of eigenvalues above a
 * fraction alpha of the largest. It follows scikit-dimension's {@code skdim.id.lPCA} with its
 * default {@code ver="FO"}, {@code alphaFO=0.05}: the eigenvalues are scikit-learn's
 * {@code PCA().explained_variance_} (those of the covariance with denominator n − 1, of which
 * there are min(n, d)), an eigenvalue counts when strictly greater than alpha times the largest,
 * and the reported gap is the ratio of the last counted eigenvalue to the next one (or of the
 * last two, when all are counted), as lPCA's {@code gap_}.
 *
 * <p>Alongside it, the participation ratio (Σλ)²/Σλ² (the effective number of dimensions
 * of the spectrum; Gao, Trautmann, Yu, Santhanam, Ryu, Shenoy and Ganguli, "A theory of
 * multineuronal dimensionality, dynamics and measurement", bioRxiv 214262, 2017), reported as a
 * real number; lPCA's {@code ver="participation_ratio"} returns its integer part. It is computed
 * as trace²/‖C‖²_F, which needs no eigenvalues.
 *
 * <p>Local PCA is lPCA used pointwise, as scikit-dimension's {@code fit_pw} does: for each point,
 * the same count on its k nearest neighbours, the point itself not included (the neighbour
 * table of {@code kneighbors()} leaves it out), centred on their own mean. The default k = 100 is
 * {@code fit_pw}'s. A global linear count overstates the dimension of a curved manifold (a circle
 * needs two axes); locally the manifold is nearly flat, as long as k points span a patch small
 * next to its curvature and large next to its noise.
 */
public final class Pca {

    /** scikit-dimension's {@code alphaFO}. */
    public static final double DEFAULT_ALPHA = 0.05;

    /** scikit-dimension's {@code fit_pw(n_neighbors=100)}. */
    public static final int DEFAULT_NEIGHBOURS = 100;

    private Pca() {
    }

    /**
     * @param dimension          the count of eigenvalues above alpha times the largest
     * @param participationRatio (Σλ)²/Σλ², between 1 and the number of non-zero eigenvalues
     * @param gap                λ_dimension / λ_(dimension+1) (1-based; infinite when the next one is 0,
     *                           NaN for one-dimensional data)
     * @param eigenvalues        the covariance eigenvalues, descending, min(n, d) of them (the rest are 0)
     */
    public record Result(int dimension, double participationRatio, double gap, double alpha, double[] eigenvalues) {
    }

    /**
     * @param dimensions          each point's count, by point
     * @param participationRatios each point's participation ratio, by point
     * @param meanDimension       the mean of the counts (scikit-dimension's default {@code comb="mean"})
     * @param medianDimension     their median ({@code comb="median"})
     * @param meanParticipationRatio the mean of the participation ratios
     */
    public record LocalResult(int k, double alpha, int[] dimensions, double[] participationRatios,
                              double meanDimension, double medianDimension, double meanParticipationRatio) {
    }

    public static Result estimate(float[][] points) {
        return estimate(points, DEFAULT_ALPHA);
    }

    public static Result estimate(float[][] points, double alpha) {
        checkAlpha(alpha);
        int dim = Neighbours.checkShape(points);
        if (points.length < 2) {
            throw EngramException.nothingToDo("PCA needs at least 2 points, got " + points.length);
        }
        double[][] covariance = covariance(points, IntStream.range(0, points.length).toArray(), dim);
        double[] eigenvalues = SymmetricEigen.eigenvalues(covariance);
        // Round-off leaves the zero eigenvalues of a rank-deficient matrix slightly negative.
        for (int i = 0; i < eigenvalues.length; i++) {
            eigenvalues[i] = Math.max(eigenvalues[i], 0);
        }
        if (eigenvalues[0] == 0) {
            throw EngramException.invalidInput("all " + points.length
                    + " points are the same: there is no variance to find a dimension in");
        }
        return result(eigenvalues, alpha, participationRatio(covariance));
    }

    public static LocalResult local(float[][] points) {
        Neighbours.checkShape(points);
        if (points.length <= DEFAULT_NEIGHBOURS) {
            throw tooFewForLocal(points.length, DEFAULT_NEIGHBOURS);
        }
        return local(points, Neighbours.search(points, DEFAULT_NEIGHBOURS), DEFAULT_NEIGHBOURS, DEFAULT_ALPHA);
    }

    public static LocalResult local(float[][] points, int k, double alpha) {
        checkK(k);
        checkAlpha(alpha);
        Neighbours.checkShape(points);
        if (points.length <= k) {
            throw tooFewForLocal(points.length, k);
        }
        return local(points, Neighbours.search(points, k), k, alpha);
    }

    /**
     * From neighbours already found; uses the first k of each point's list (the table may hold
     * more). A neighbourhood whose k points coincide has no variance; its count and participation
     * ratio are 0. Runs on the common fork-join pool.
     */
    public static LocalResult local(float[][] points, Neighbours.Result neighbours, int k, double alpha) {
        checkK(k);
        checkAlpha(alpha);
        int dim = Neighbours.checkShape(points);
        if (neighbours.size() != points.length) {
            throw new IllegalArgumentException("the neighbour table has " + neighbours.size()
                    + " points, the data " + points.length);
        }
        if (neighbours.k() < k) {
            throw new IllegalArgumentException(
                    "the neighbour table has " + neighbours.k() + " neighbours per point, k=" + k + " asked");
        }
        int n = points.length;
        int[] dimensions = new int[n];
        double[] ratios = new double[n];
        IntStream.range(0, n).parallel().forEach(p -> {
            int[] members = new int[k];
            for (int r = 0; r < k; r++) {
                members[r] = neighbours.index(p, r);
            }
            double[][] covariance = covariance(points, members, dim);
            // Only the count is wanted here, not the spectrum: the largest eigenvalue and one
            // Sturm count on the tridiagonal form cost a fraction of QL's full spectrum.
            SymmetricEigen.Tridiagonal t = SymmetricEigen.tridiagonal(covariance);
            double largest = t.largest();
            if (largest > 0) {
                dimensions[p] = t.countAbove(alpha * largest);
                ratios[p] = participationRatio(covariance);
            }
        });
        double sumDimension = 0;
        double sumRatio = 0;
        for (int p = 0; p < n; p++) {
            sumDimension += dimensions[p];
            sumRatio += ratios[p];
        }
        int[] sorted = dimensions.clone();
        Arrays.sort(sorted);
        double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
        return new LocalResult(k, alpha, dimensions, ratios, sumDimension / n, median, sumRatio / n);
    }

    /** The count and gap of a descending spectrum whose largest value is positive. */
    private static Result result(double[] eigenvalues, double alpha, double participationRatio) {
        double threshold = alpha * eigenvalues[0];
        int count = 0;
        for (double value : eigenvalues) {
            if (value > threshold) {
                count++;
            }
        }
        // lPCA: gaps = λ[:-1]/λ[1:]; gap = gaps[de-1] if de-1 < len(gaps) else gaps[-1].
        double gap;
        if (eigenvalues.length < 2) {
            gap = Double.NaN;
        } else {
            int at = Math.min(count, eigenvalues.length - 1);
            gap = eigenvalues[at - 1] / eigenvalues[at];
        }
        return new Result(count, participationRatio, gap, alpha, eigenvalues);
    }

    /**
     * (Σλ)²/Σλ² of the symmetric matrix whose lower triangle is given, without its eigenvalues:
     * Σλ is the trace and Σλ² the squared Frobenius norm.
     */
    static double participationRatio(double[][] lower) {
        double trace = 0;
        double squares = 0;
        for (int i = 0; i < lower.length; i++) {
            double[] row = lower[i];
            trace += row[i];
            squares += row[i] * row[i];
            for (int j = 0; j < i; j++) {
                squares += 2 * row[j] * row[j];
            }
        }
        return trace * trace / squares;
    }

    /**
     * The lower triangle of the covariance (denominator m − 1) of the m points listed, or, with
     * fewer points than dimensions, of their m × m Gram matrix (centred, same denominator), which
     * has the same non-zero eigenvalues and is cheaper (local PCA on 784-dimensional images with
     * k = 100). Either way its min(m, dim) eigenvalues are scikit-learn's explained variances.
     */
    static double[][] covariance(float[][] points, int[] members, int dim) {
        int m = members.length;
        double[] mean = new double[dim];
        for (int i : members) {
            float[] row = points[i];
            for (int d = 0; d < dim; d++) {
                mean[d] += row[d];
            }
        }
        for (int d = 0; d < dim; d++) {
            mean[d] /= m;
        }
        double[][] centred = new double[m][dim];
        for (int a = 0; a < m; a++) {
            float[] row = points[members[a]];
            double[] c = centred[a];
            for (int d = 0; d < dim; d++) {
                c[d] = row[d] - mean[d];
            }
        }
        double denominator = m - 1;
        if (m < dim) {
            double[][] gram = new double[m][m];
            for (int a = 0; a < m; a++) {
                for (int b = 0; b <= a; b++) {
                    gram[a][b] = dot(centred[a], centred[b]) / denominator;
                }
            }
            return gram;
        }
        // Lower triangle, one rank-1 update per point: each inner loop is a contiguous
        // multiply-add over a row, which vectorises (dot products down columns did not).
        double[][] covariance = new double[dim][dim];
        for (double[] c : centred) {
            for (int d = 0; d < dim; d++) {
                double[] row = covariance[d];
                double cd = c[d];
                for (int e = 0; e <= d; e++) {
                    row[e] += cd * c[e];
                }
            }
        }
        for (double[] row : covariance) {
            for (int e = 0; e < dim; e++) {
                row[e] /= denominator;
            }
        }
        return covariance;
    }

    private static double dot(double[] a, double[] b) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < a.length; i += 4) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (; i < a.length; i++) {
            s0 += a[i] * b[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static void checkAlpha(double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw EngramException.invalidInput("alpha, the fraction of the largest eigenvalue an eigenvalue must"
                    + " exceed to count, must be above 0 and below 1, got " + alpha);
        }
    }

    private static void checkK(int k) {
        if (k < 2) {
            throw EngramException.invalidInput("local PCA needs at least 2 neighbours per point, got k=" + k);
        }
    }

    private static EngramException tooFewForLocal(int n, int k) {
        return EngramException.nothingToDo("local PCA with k=" + k + " neighbours needs more than " + k
                + " points, got " + n + ": use fewer neighbours or more points");
    }
}
