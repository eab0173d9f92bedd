package dev.engram.dim;

import dev.engram.EngramException;

import java.util.Arrays;

/**
 * The TwoNN estimator of Facco, d'Errico, Rodriguez and Laio, "Estimating the intrinsic
 * dimension of datasets by a minimal neighborhood information", Sci. Rep. 7:12140 (2017),
 * doi:10.1038/s41598-017-11873-y.
 *
 * <p>If the density is roughly constant over the scale of each point's second neighbour, the
 * ratio mu = r2/r1 of the distances to a point's two nearest neighbours follows a Pareto law
 * with exponent d, whatever the density: F(mu) = 1 − mu^(−d). So −log(1 − F(mu)) = d·log(mu),
 * a line through the origin whose slope is the dimension.
 *
 * <p>The fit follows the paper, as DADApy's {@code compute_id_2NN} and scikit-dimension's
 * {@code skdim.id.TwoNN} do: sort the N values of mu, drop the largest {@code discardFraction} of
 * them (the tail is where the constant-density assumption fails first), and regress
 * y = −log(1 − i/N) on x = log(mu_(i)), the i-th smallest, for i = 1 .. floor(N(1 −
 * discardFraction)), by least squares through the origin. N is the count before discarding, so
 * the empirical F(mu_(i)) = i/N stays that of the whole sample. (scikit-dimension used i − 1 in
 * place of i until its fix of July 2024, "Fix TwoNN Off by One Error", PR #28; on 20,000 points
 * the two differ by 1.6e-4 relative.) With nothing discarded the largest mu is left out all the
 * same: its F is 1, and −log(0) cannot be fitted.
 *
 * <p>One departure, for duplicated points: scikit-dimension would divide by r1 = 0. Here points
 * with r1 = 0 are left out (N counts only the others) and reported, since a duplicate says
 * nothing about the dimension and its infinite mu would decide the fit on its own.
 */
public final class TwoNN {

    public static final double DEFAULT_DISCARD_FRACTION = 0.1;

    private TwoNN() {
    }

    /**
     * @param dimension           the fitted slope
     * @param maximumLikelihood   the maximum-likelihood estimate (N − 1)/Σ log mu over all N
     *                            points used (none discarded: the Pareto likelihood is that of
     *                            the whole sample; N − 1 rather than N makes it unbiased, since
     *                            Σ log mu follows a Gamma(N, d) law and E[1/Σ] = d/(N − 1))
     * @param pointsUsed          N: points whose mu entered the empirical distribution
     * @param pointsFitted        the points left in the fit after discarding the largest mu
     * @param duplicatesDropped   points left out because another point sits exactly on them
     * @param x                   log(mu), ascending, one per fitted point (for plotting)
     * @param y                   −log(1 − i/N), i = 1, 2, …: the matching fit targets
     */
    public record Result(double dimension, double maximumLikelihood, int pointsUsed, int pointsFitted,
                         int duplicatesDropped, double[] x, double[] y) implements Estimator.Fit {
    }

    public static Result estimate(float[][] points) {
        return estimate(points, DEFAULT_DISCARD_FRACTION);
    }

    public static Result estimate(float[][] points, double discardFraction) {
        checkDiscardFraction(discardFraction);
        Neighbours.checkShape(points);
        if (points.length < 3) {
            throw tooFew(points.length, 0);
        }
        return estimate(Neighbours.search(points, 2), discardFraction);
    }

    /** From neighbours already found (at least two per point), for example by a larger search shared with MLE. */
    public static Result estimate(Neighbours.Result neighbours, double discardFraction) {
        checkDiscardFraction(discardFraction);
        if (neighbours.k() < 2) {
            throw new IllegalArgumentException("TwoNN needs two neighbours per point, the table has " + neighbours.k());
        }
        int n = neighbours.size();
        double[] mu = new double[n];
        int used = 0;
        for (int p = 0; p < n; p++) {
            double r1 = neighbours.distance(p, 0);
            if (r1 > 0) {
                mu[used++] = neighbours.distance(p, 1) / r1;
            }
        }
        int duplicates = n - used;
        if (used < 3) {
            throw tooFew(n, duplicates);
        }
        mu = Arrays.copyOf(mu, used);
        Arrays.sort(mu);

        double sumLog = 0;
        for (double m : mu) {
            sumLog += Math.log(m);
        }
        // Same truncation as int(N * (1 - discard_fraction)) in scikit-dimension and DADApy; never
        // the largest mu, whose empirical F is 1.
        int fitted = Math.min((int) (used * (1 - discardFraction)), used - 1);
        if (fitted < 2) {
            throw EngramException.nothingToDo("discarding a fraction " + discardFraction + " of " + used
                    + " points leaves " + fitted + " to fit the TwoNN line; at least 2 are needed");
        }
        double[] x = new double[fitted];
        double[] y = new double[fitted];
        double xy = 0;
        double xx = 0;
        for (int i = 0; i < fitted; i++) {
            x[i] = Math.log(mu[i]);
            y[i] = -Math.log1p(-(double) (i + 1) / used);
            xy += x[i] * y[i];
            xx += x[i] * x[i];
        }
        if (xx == 0) {
            throw EngramException.invalidInput("for every fitted point the two nearest neighbours are equally far"
                    + " (points on a regular grid?): TwoNN cannot estimate a dimension from such data");
        }
        // sumLog > 0 here: the fitted mu are the smallest, and not all of them are 1.
        return new Result(xy / xx, (used - 1) / sumLog, used, fitted, duplicates, x, y);
    }

    private static void checkDiscardFraction(double discardFraction) {
        if (!(discardFraction >= 0 && discardFraction < 1)) {
            throw EngramException.invalidInput(
                    "the fraction of points to discard must be at least 0 and below 1, got " + discardFraction);
        }
    }

    private static EngramException tooFew(int n, int duplicates) {
        String why = duplicates == 0 ? "got " + n
                : "got " + n + " of which " + duplicates + " sit exactly on another point and do not count";
        return EngramException.nothingToDo("TwoNN needs at least 3 distinct points, " + why);
    }
}
