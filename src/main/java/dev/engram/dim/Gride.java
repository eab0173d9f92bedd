package dev.engram.dim;

import dev.engram.EngramException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Gride, the generalised ratio ID estimator of Denti, Doimo, Laio and Mira, "The generalized
 * ratios intrinsic dimension estimator", Sci. Rep. 12:20005 (2022), doi:10.1038/s41598-022-20991-1.
 *
 * <p>TwoNN's ratio r2/r1 generalises to mu = r_n2 / r_n1 for any neighbour ranks n1 < n2: under a
 * locally constant density its law has density
 * <pre>  f(mu) = d (mu^d − 1)^(n2−n1−1) / (B(n2 − n1, n1) mu^((n2−1)d + 1)),  mu > 1,  </pre>
 * whatever the density, and the dimension d maximises the likelihood of the N observed ratios.
 * Larger ranks look at the data from farther away, and average out noise that TwoNN (n1 = 1,
 * n2 = 2) takes for extra dimensions; so the ID as a function of scale n1 = 1, 2, 4, …, with
 * n2 = 2·n1, shows at which scale the data has which dimension.
 *
 * <p>Definitions follow DADApy's {@code IdEstimation.return_id_scaling_gride} (its defaults:
 * {@code range_max=64}, so n2 ≤ 64) and the helpers it calls:
 * <ul>
 *   <li>ranks count neighbours, not the point itself (DADApy's distance column n is the n-th
 *       neighbour: its column 0 is the point); the scales are n1 = 2^i for every i with
 *       n2 = 2^(i+1) ≤ the largest rank, min(range_max, N − 1);</li>
 *   <li>{@code _filter_mus}: a ratio of exactly 1 is raised by 10 machine epsilons, and ratios at
 *       or above median + 20·(95th percentile − median) (numpy's linear percentiles) are left
 *       out, as most likely the work of overlapping points;</li>
 *   <li>{@code _neg_dloglik_did}: the estimate is the root of the derivative of the log-likelihood,
 *       Σ [(1 − n2 + n1)/(1 − mu^−d) + n2 − 1] log mu − (N − 1)/d = 0, with 1 − mu^−d raised to
 *       2·10^−7 where smaller. (N − 1) rather than the N of the plain likelihood is DADApy's bias
 *       correction; for n1 = 1, n2 = 2 the root is (N − 1)/Σ log mu, TwoNN's
 *       maximum-likelihood estimate. DADApy bisects on [0.001, 1000] to 10^−7; the derivative
 *       falls strictly in d (both terms do), so the root is unique and is bracketed here on
 *       (0, ∞) and bisected to the last bits;</li>
 *   <li>the error is Fisher's, 1/√J with J = N/d² + (n2 − n1 − 1) Σ mu^−d (log mu / (1 − mu^−d))²
 *       over the ratios before the outlier filter, 1 − mu^−d raised to 5 machine epsilons
 *       ({@code _fisher_info_scaling} with the {@code 5 * self.eps} DADApy passes);</li>
 *   <li>the scale's distance is the mean of r_n1 and r_n2 over all points (DADApy's
 *       {@code rs_scaling}).</li>
 * </ul>
 * One departure, for duplicated points: DADApy raises zero distances to machine epsilon, which
 * turns a point with r_n1 = 0 into a huge ratio that the filter then usually drops. Here points
 * with r_n1 = 0 are left out of that scale and counted, as TwoNN and MLE do.
 */
public final class Gride {

    /** DADApy's {@code range_max}: the largest neighbour rank n2 used. */
    public static final int DEFAULT_MAX_RANK = 64;

    private static final double MACHINE_EPSILON = Math.ulp(1.0);
    /** DADApy's {@code eps}, which also sets the floor on 1 − mu^−d. */
    private static final double REGULARISATION = 1e-7;

    private Gride() {
    }

    /**
     * The estimate at one scale.
     *
     * @param distance          mean over all points of (r_n1 + r_n2)/2
     * @param dimension         the maximum-likelihood dimension
     * @param error             its standard error from the Fisher information
     * @param pointsUsed        the ratios that entered the likelihood
     * @param outliersDropped   ratios left out by the outlier filter
     * @param duplicatesDropped points left out because r_n1 = 0
     */
    public record Scale(int n1, int n2, double distance, double dimension, double error, int pointsUsed,
                        int outliersDropped, int duplicatesDropped) {
    }

    /** The ID by scale, n1 = 1, 2, 4, … ascending. */
    public record Result(List<Scale> scales) implements Estimator.Fit {
        public Result {
            scales = List.copyOf(scales);
        }
    }

    public static Result estimate(float[][] points) {
        return estimate(points, DEFAULT_MAX_RANK);
    }

    /** @param maxRank the largest rank n2, at least 2; capped at N − 1 */
    public static Result estimate(float[][] points, int maxRank) {
        checkMaxRank(maxRank);
        Neighbours.checkShape(points);
        if (points.length < 3) {
            throw EngramException.nothingToDo("Gride needs at least 3 points, got " + points.length);
        }
        return estimate(Neighbours.search(points, Math.min(maxRank, points.length - 1)), maxRank);
    }

    /** From neighbours already found: scales up to n2 ≤ min(maxRank, neighbours per point). */
    public static Result estimate(Neighbours.Result neighbours, int maxRank) {
        checkMaxRank(maxRank);
        int largest = Math.min(maxRank, neighbours.k());
        if (largest < 2) {
            throw new IllegalArgumentException("Gride needs two neighbours per point, the table has " + neighbours.k());
        }
        List<Scale> scales = new ArrayList<>();
        for (int n1 = 1; 2 * n1 <= largest; n1 *= 2) {
            scales.add(atScale(neighbours, n1, 2 * n1));
        }
        return new Result(scales);
    }

    /** The estimate from the ratios r_n2 / r_n1 for any ranks 1 ≤ n1 < n2 (scikit-dimension's {@code Gride(n1, n2)}). */
    public static Scale atScale(Neighbours.Result neighbours, int n1, int n2) {
        if (n1 < 1 || n2 <= n1) {
            throw EngramException.invalidInput("Gride needs neighbour ranks 1 ≤ n1 < n2, got n1=" + n1 + " and n2=" + n2);
        }
        if (neighbours.k() < n2) {
            throw new IllegalArgumentException(
                    "the neighbour table has " + neighbours.k() + " neighbours per point, n2=" + n2 + " asked");
        }
        int n = neighbours.size();
        double[] mu = new double[n];
        int used = 0;
        int tied = 0;
        double distanceSum = 0;
        for (int p = 0; p < n; p++) {
            double r1 = neighbours.distance(p, n1 - 1);
            double r2 = neighbours.distance(p, n2 - 1);
            distanceSum += (r1 + r2) / 2;
            if (r1 > 0) {
                double ratio = r2 / r1;
                if (ratio == 1) {
                    tied++;
                    ratio = 1 + 10 * MACHINE_EPSILON;
                }
                mu[used++] = ratio;
            }
        }
        int duplicates = n - used;
        if (used < 2) {
            throw EngramException.nothingToDo("Gride at ranks " + n1 + " and " + n2 + " needs at least 2 points with"
                    + " a neighbour at non-zero distance, got " + used
                    + (duplicates > 0 ? " (" + duplicates + " sit on " + n1 + " or more copies of themselves)" : ""));
        }
        if (tied == used) {
            throw EngramException.invalidInput("for every point the " + n1 + "th and " + n2
                    + "th neighbours are equally far (points on a regular grid?): Gride cannot estimate a dimension");
        }
        mu = Arrays.copyOf(mu, used);
        double[] kept = filterOutliers(mu);
        double[] logMu = new double[kept.length];
        for (int i = 0; i < kept.length; i++) {
            logMu[i] = Math.log(kept[i]);
        }
        double dimension = maximumLikelihood(logMu, n1, n2);
        double error = 1 / Math.sqrt(fisherInformation(mu, dimension, n1, n2));
        return new Scale(n1, n2, distanceSum / n, dimension, error, kept.length, used - kept.length, duplicates);
    }

    /** DADApy's {@code _filter_mus}: keeps the ratios below median + 20·(95th percentile − median). */
    static double[] filterOutliers(double[] mu) {
        double[] sorted = mu.clone();
        Arrays.sort(sorted);
        double median = percentile(sorted, 50);
        double limit = 20 * (percentile(sorted, 95) - median) + median;
        return Arrays.stream(mu).filter(m -> m < limit).toArray();
    }

    /** numpy.percentile with its default linear interpolation, of sorted values. */
    static double percentile(double[] sorted, double q) {
        double position = q / 100 * (sorted.length - 1);
        int below = (int) Math.floor(position);
        int above = Math.min(below + 1, sorted.length - 1);
        double fraction = position - below;
        return sorted[below] + fraction * (sorted[above] - sorted[below]);
    }

    /** The root in d of the derivative of the log-likelihood (DADApy's {@code _neg_dloglik_did} = 0). */
    static double maximumLikelihood(double[] logMu, int n1, int n2) {
        int count = logMu.length;
        if (count < 2) {
            throw EngramException.nothingToDo("Gride at ranks " + n1 + " and " + n2
                    + " has fewer than 2 ratios left after the outlier filter");
        }
        double sumLog = 0;
        for (double l : logMu) {
            sumLog += l;
        }
        if (!(sumLog > 0)) {
            throw EngramException.invalidInput("after the outlier filter, every point's " + n1 + "th and " + n2
                    + "th neighbours are equally far: Gride cannot estimate a dimension");
        }
        // g(d) = Σ[(1 − n2 + n1)/(1 − mu^−d) + n2 − 1] log mu − (N − 1)/d, minus the derivative
        // of the log-likelihood, rises strictly from −∞ (d → 0) to n1·Σ log mu > 0 (d → ∞): one
        // root. Bracket it by halving and doubling, then bisect to adjacent doubles.
        double low = 1;
        double high = 1;
        while (negativeDerivative(low, logMu, n1, n2) > 0) {
            low /= 2;
        }
        while (negativeDerivative(high, logMu, n1, n2) < 0) {
            high *= 2;
        }
        if (low == high) {
            return low;
        }
        for (int i = 0; i < 200; i++) {
            double middle = (low + high) / 2;
            if (middle <= low || middle >= high) {
                break;
            }
            if (negativeDerivative(middle, logMu, n1, n2) < 0) {
                low = middle;
            } else {
                high = middle;
            }
        }
        return (low + high) / 2;
    }

    static double negativeDerivative(double d, double[] logMu, int n1, int n2) {
        double sum = 0;
        for (double l : logMu) {
            // 1 − mu^−d = −expm1(−d log mu), exact where mu is close to 1.
            double oneMinus = Math.max(-Math.expm1(-d * l), 2 * REGULARISATION);
            sum += ((1 - n2 + n1) / oneMinus + n2 - 1) * l;
        }
        return sum - (logMu.length - 1) / d;
    }

    /** DADApy's {@code _fisher_info_scaling} at d, over all the ratios (before the outlier filter). */
    static double fisherInformation(double[] mu, double d, int n1, int n2) {
        double sum = 0;
        for (double m : mu) {
            double l = Math.log(m);
            double power = Math.exp(-d * l);
            double oneMinus = Math.max(-Math.expm1(-d * l), 5 * MACHINE_EPSILON);
            double factor = l / oneMinus;
            sum += factor * factor * power;
        }
        return mu.length / (d * d) + (n2 - n1 - 1) * sum;
    }

    private static void checkMaxRank(int maxRank) {
        if (maxRank < 2) {
            throw EngramException.invalidInput("Gride needs a largest neighbour rank of at least 2, got " + maxRank);
        }
    }
}
