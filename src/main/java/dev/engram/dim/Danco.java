package dev.engram.dim;

import dev.engram.EngramException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * DANCo, "Dimensionality from Angle and Norm Concentration": Ceruti, Bassis, Rozza, Lombardi,
 * Casiraghi and Campadelli, "DANCo: An intrinsic dimensionality estimator exploiting angle and
 * norm concentration", Pattern Recognition 47 (2014), doi:10.1016/j.patcog.2014.02.013.
 *
 * <p>In high dimension both the distances to neighbours and the angles between them concentrate,
 * and the ML estimators built on either are biased down. DANCo does not correct the bias by a
 * formula: it measures three statistics on the data, then the same statistics on uniform
 * samples of the unit ball of every candidate dimension 1..D with the same number of points and
 * neighbours, and answers the candidate whose statistics are closest in Kullback–Leibler
 * divergence. The three statistics, for k neighbours:
 * <ul>
 *   <li>the MIND_ML estimate: ρ = r_1 / r_(k+1) for each point, and the d in [0, D] maximising
 *       N log(kd) + (d − 1) Σ log ρ + (k − 1) Σ log(1 − ρ^d) (ρ^d is Beta(1, k) under a locally
 *       uniform density). The log-likelihood is concave in d, so its maximum is the root of its
 *       derivative, or D when the derivative is still positive there; it is found by bisection
 *       rather than by the L-BFGS-B run the reference codes start from the best integer;</li>
 *   <li>the angles θ between the vectors from each point to each pair of its first k neighbours
 *       fitted with a von Mises law per point, ν = atan(Σ sin θ / Σ cos θ) and τ = A⁻¹(η) with
 *       η the mean resultant length and A⁻¹ the approximation of Best and Fisher (1981), as in
 *       the R code; μ_ν and μ_τ are their means over the points (μ_τ = 1 for 1-dimensional
 *       data);</li>
 *   <li>the divergence between data (dhat, ν, τ) and calibration (dcal, ν', τ') is
 *       KL_d + KL_ν,τ with, for q = dcal/dhat,
 *       KL_d = H_k q − log q − (k − 1) Σ_(i=0..k) (−1)^i C(k, i) ψ(1 + i/q), and
 *       KL_ν,τ = log(I0(τ')/I0(τ)) + (I1(τ)/I0(τ)) (τ − τ' cos(ν − ν')). As written there
 *       (and here), KL_d is not 0 when the estimates agree but H_k + (k − 1)/k, since
 *       Σ (−1)^i C(k, i) ψ(1 + i) = −1/k; q = 1 is still its minimum, so the constant moves no
 *       answer. I0 and I1 are taken in scaled form, so concentrations past I0's overflow
 *       (τ ≈ 713) stay finite where scikit-dimension clips them to the largest double.</li>
 * </ul>
 *
 * <p>Definitions follow Kerstin Johnsson's R package {@code intrinsicDimension}
 * ({@code dancoDimEst}), which scikit-dimension's {@code skdim.id.DANCo} ports, with its default
 * k = 10. Calibration sets are drawn uniformly in the unit ball, as both do ({@code hyperBall}).
 * The one place the two differ is the bound on the MIND_ML estimate of a calibration set of
 * dimension d: the R code's {@code increaseMaxDimByOne} uses 2d + 5, the largest dimension such
 * a set could plausibly be mistaken for. scikit-dimension calls its
 * {@code _dancoDimEstNoCalibration(X, D, n_jobs)} with R's argument order
 * {@code (data, k, 2d + 5)}, so D receives k and n_jobs receives 2d + 5: every calibration
 * estimate is capped at k = 10, from about d = 10 up all calibration sets look alike, and its
 * DANCo cannot answer much above 10. This class uses the R bound.
 *
 * <p>Choices of this class, each a setting:
 * <ul>
 *   <li>The candidates 1..D: both references take D from the caller (scikit-dimension defaults
 *       it to the ambient dimension, and calibrates every one: for 784-dimensional data, 784
 *       calibration sets). By default D here is the ambient dimension capped at ⌈2·dhat + 5⌉,
 *       the same margin R allows a calibration set's estimate, with dhat the data's MIND_ML
 *       estimate (bounded by the ambient dimension). That estimate falls below the truth in high
 *       dimension, by half at worst on the benchmarks (38 for the 70-cube M10d), and is rarely
 *       much above it, so the truth stays among the candidates.</li>
 *   <li>The data are subsampled to {@link #DEFAULT_SAMPLE_SIZE} points (seeded) when larger,
 *       and every calibration set has that many points. Calibrating at the size of the data is
 *       what makes the comparison fair, since the neighbourhoods of N points in a d-ball reach
 *       its boundary more the smaller N is; the cost is one neighbour search per candidate
 *       dimension at that size, so 2,000 points keep the 71 calibration sets of the 70-cube to
 *       about two seconds on two cores. Calibrations are cached by (points, k, dimension, seed)
 *       for the process, so further estimates at the same size reuse them.</li>
 *   <li>The fractal (non-integer) answer is scikit-dimension's: the divergence interpolated by a
 *       cubic spline through the candidates (scipy's {@code interp1d(kind="cubic")}, a
 *       not-a-knot spline; quadratic through 3, linear through 2) and minimised next to the best
 *       candidate. The R code answers only the integer.</li>
 * </ul>
 * Points whose nearest neighbour is an exact copy (ρ = 0), or whose k + 1 neighbours are all
 * equally far (ρ = 1, the likelihood is −∞ for every d) are left out and counted.
 */
public final class Danco {

    public static final int DEFAULT_NEIGHBOURS = 10;
    public static final int DEFAULT_SAMPLE_SIZE = 2000;
    public static final long DEFAULT_SEED = 20140201L;

    /** Calibrations kept for the process; each is three numbers. */
    private static final int CACHE_LIMIT = 100_000;
    private static final Map<CalibrationKey, Statistics> CALIBRATIONS = new ConcurrentHashMap<>();

    /** A point's vectors to its neighbours must not all point the same way; τ = A⁻¹(η) is infinite at η = 1. */
    private static final double MAX_RESULTANT_LENGTH = 1 - 0x1p-40;

    private Danco() {
    }

    /**
     * @param k             neighbours per point, at least 2
     * @param maxDimension  the largest candidate D; 0 for the default, min(ambient, ⌈2·dhat + 5⌉)
     * @param sampleSize    the data are subsampled to this many points when larger, and
     *                      calibrated at the size used
     * @param seed          for the subsample and the calibration sets
     */
    public record Settings(int k, int maxDimension, int sampleSize, long seed) {
        public static Settings defaults() {
            return new Settings(DEFAULT_NEIGHBOURS, 0, DEFAULT_SAMPLE_SIZE, DEFAULT_SEED);
        }

        public Settings withMaxDimension(int maxDimension) {
            return new Settings(k, maxDimension, sampleSize, seed);
        }

        public Settings withSampleSize(int sampleSize) {
            return new Settings(k, maxDimension, sampleSize, seed);
        }

        public Settings withSeed(long seed) {
            return new Settings(k, maxDimension, sampleSize, seed);
        }
    }

    /**
     * The three statistics of one data set.
     *
     * @param mlDimension MIND_ML's dhat
     * @param meanNu      μ_ν, the mean von Mises location of the neighbour angles
     * @param meanTau     μ_τ, their mean concentration
     */
    public record Statistics(double mlDimension, double meanNu, double meanTau) {
    }

    /**
     * @param dimension        the candidate with the smallest divergence (the R code's answer)
     * @param fractalDimension the minimum of the interpolated divergence (scikit-dimension's default answer)
     * @param klDivergence     the divergence at {@code dimension}
     * @param klDivergences    the divergence of each candidate 1..D, at index d − 1
     * @param data             the data's statistics
     * @param calibration      each candidate's statistics, at index d − 1
     * @param pointsUsed       points analysed (the subsample, less those dropped)
     * @param pointsDropped    points left out for ρ = 0 or ρ = 1
     */
    public record Result(int dimension, double fractalDimension, double klDivergence, double[] klDivergences,
                         Statistics data, List<Statistics> calibration, int k, int pointsUsed, int pointsDropped) {
        public Result {
            calibration = List.copyOf(calibration);
        }
    }

    public static Result estimate(float[][] points) {
        return estimate(points, Settings.defaults());
    }

    public static Result estimate(float[][] points, Settings settings) {
        checkSettings(settings);
        Neighbours.checkShape(points);
        float[][] used = points;
        if (points.length > settings.sampleSize()) {
            used = subsample(points, settings.sampleSize(), new SplittableRandom(settings.seed()));
        }
        checkEnoughPoints(used.length, settings.k());
        return estimate(used, Neighbours.search(used, settings.k() + 1), settings);
    }

    /**
     * From neighbours already found (at least k + 1 per point): all the points are used, whatever
     * the sample size, and the calibration sets have as many points.
     */
    public static Result estimate(float[][] points, Neighbours.Result neighbours, Settings settings) {
        checkSettings(settings);
        int ambient = Neighbours.checkShape(points);
        int n = points.length;
        int k = settings.k();
        if (neighbours.size() != n) {
            throw new IllegalArgumentException("the neighbour table has " + neighbours.size()
                    + " points, the data " + n);
        }
        if (neighbours.k() < k + 1) {
            throw new IllegalArgumentException("the neighbour table has " + neighbours.k()
                    + " neighbours per point, DANCo with k=" + k + " needs " + (k + 1));
        }
        checkEnoughPoints(n, k);

        int bound = settings.maxDimension() > 0 ? settings.maxDimension() : ambient;
        Measured measured = measure(points, neighbours, k, bound, ambient == 1);
        Statistics data = measured.statistics();
        int candidates = settings.maxDimension() > 0 ? settings.maxDimension()
                : Math.max(1, Math.min(ambient, (int) Math.ceil(2 * data.mlDimension() + 5)));

        List<Statistics> calibration = new ArrayList<>(candidates);
        double[] kl = new double[candidates];
        int best = 0;
        for (int d = 1; d <= candidates; d++) {
            Statistics reference = calibrate(n, k, d, settings.seed());
            calibration.add(reference);
            kl[d - 1] = divergence(data, reference, k);
            if (kl[d - 1] < kl[best]) {
                best = d - 1;
            }
        }
        if (!Double.isFinite(kl[best])) {
            throw EngramException.invalidInput("DANCo's divergences are not finite numbers (data statistics "
                    + data + "): the data are too degenerate for it");
        }
        double fractal = splineMinimum(kl, best);
        return new Result(best + 1, fractal, kl[best], kl, data, calibration, k, measured.used(), n - measured.used());
    }

    /** The statistics of a uniform sample of n points in the unit d-ball, with R's bound 2d + 5 on its dhat. */
    static Statistics calibrate(int n, int k, int d, long seed) {
        CalibrationKey key = new CalibrationKey(n, k, d, seed);
        Statistics cached = CALIBRATIONS.get(key);
        if (cached != null) {
            return cached;
        }
        float[][] ball = ball(n, d, new SplittableRandom(seed * 0x9E3779B97F4A7C15L + d));
        Statistics statistics = measure(ball, Neighbours.search(ball, k + 1), k, 2 * d + 5, d == 1).statistics();
        if (CALIBRATIONS.size() >= CACHE_LIMIT) {
            CALIBRATIONS.clear();
        }
        CALIBRATIONS.put(key, statistics);
        return statistics;
    }

    private record CalibrationKey(int n, int k, int d, long seed) {
    }

    private record Measured(Statistics statistics, int used) {
    }

    /** dhat (bounded by D), μ_ν and μ_τ of a point set, from its first k + 1 neighbours. */
    private static Measured measure(float[][] points, Neighbours.Result neighbours, int k, int bound,
                                    boolean oneDimensional) {
        int n = points.length;
        double[] logRho = new double[n];
        double[] nu = new double[n];
        double[] tau = new double[n];
        boolean[] keep = new boolean[n];
        IntStream.range(0, n).parallel().forEach(p -> {
            double r1 = neighbours.distance(p, 0);
            double rk = neighbours.distance(p, k);
            if (r1 == 0 || r1 == rk) {
                return;
            }
            keep[p] = true;
            logRho[p] = Math.log(r1 / rk);
            double[] vonMises = vonMises(points, p, neighbours, k);
            nu[p] = vonMises[0];
            tau[p] = vonMises[1];
        });
        int used = 0;
        double sumNu = 0;
        double sumTau = 0;
        double[] kept = new double[n];
        for (int p = 0; p < n; p++) {
            if (keep[p]) {
                kept[used++] = logRho[p];
                sumNu += nu[p];
                sumTau += tau[p];
            }
        }
        if (used == 0) {
            throw EngramException.invalidInput("every point either sits on a copy of itself or has its " + (k + 1)
                    + " nearest neighbours all equally far: DANCo has nothing to measure");
        }
        double dhat = mindMl(Arrays.copyOf(kept, used), k, bound);
        double meanTau = oneDimensional ? 1 : sumTau / used;
        return new Measured(new Statistics(dhat, sumNu / used, meanTau), used);
    }

    /**
     * MIND_ML: the d in (0, bound] maximising N log(kd) + (d − 1) Σ log ρ + (k − 1) Σ log(1 − ρ^d).
     * The derivative N/d + Σ log ρ − (k − 1) Σ ρ^d log ρ / (1 − ρ^d) falls from +∞ to Σ log ρ &lt; 0.
     */
    static double mindMl(double[] logRho, int k, double bound) {
        if (derivative(bound, logRho, k) >= 0) {
            return bound;
        }
        double low = 0;
        double high = bound;
        for (int i = 0; i < 200; i++) {
            double middle = (low + high) / 2;
            if (middle <= low || middle >= high) {
                break;
            }
            if (derivative(middle, logRho, k) > 0) {
                low = middle;
            } else {
                high = middle;
            }
        }
        return (low + high) / 2;
    }

    private static double derivative(double d, double[] logRho, int k) {
        double sum = 0;
        for (double l : logRho) {
            double power = Math.exp(d * l);
            // ρ^d / (1 − ρ^d) with 1 − ρ^d = −expm1(d log ρ), exact when ρ^d is close to 1.
            sum += l - (k - 1) * power * l / -Math.expm1(d * l);
        }
        return logRho.length / d + sum;
    }

    /** (ν, τ) of the angles between the vectors from p to each pair of its first k neighbours. */
    private static double[] vonMises(float[][] points, int p, Neighbours.Result neighbours, int k) {
        float[] origin = points[p];
        int dim = origin.length;
        double[][] vectors = new double[k][dim];
        double[] lengths = new double[k];
        for (int a = 0; a < k; a++) {
            float[] other = points[neighbours.index(p, a)];
            double squared = 0;
            for (int c = 0; c < dim; c++) {
                double v = (double) other[c] - origin[c];
                vectors[a][c] = v;
                squared += v * v;
            }
            lengths[a] = Math.sqrt(squared);
        }
        double sumSin = 0;
        double sumCos = 0;
        int pairs = 0;
        for (int a = 0; a < k; a++) {
            for (int b = a + 1; b < k; b++) {
                double dot = 0;
                for (int c = 0; c < dim; c++) {
                    dot += vectors[a][c] * vectors[b][c];
                }
                // Round-off can take the cosine just past ±1 (scikit-dimension clips at 1).
                double cos = Math.max(-1, Math.min(1, dot / (lengths[a] * lengths[b])));
                double theta = Math.acos(cos);
                sumSin += Math.sin(theta);
                sumCos += Math.cos(theta);
                pairs++;
            }
        }
        double nu = Math.atan(sumSin / sumCos);
        double meanSin = sumSin / pairs;
        double meanCos = sumCos / pairs;
        double eta = Math.min(Math.sqrt(meanCos * meanCos + meanSin * meanSin), MAX_RESULTANT_LENGTH);
        return new double[] {nu, inverseA(eta)};
    }

    /** A⁻¹(η), the ML concentration of a von Mises law of mean resultant length η (Best and Fisher 1981). */
    static double inverseA(double eta) {
        if (eta < 0.53) {
            return 2 * eta + eta * eta * eta + 5 * Math.pow(eta, 5) / 6;
        }
        if (eta < 0.85) {
            return -0.4 + 1.39 * eta + 0.43 / (1 - eta);
        }
        return 1 / (eta * eta * eta - 4 * eta * eta + 3 * eta);
    }

    /** KL_d + KL_ν,τ between the data (first) and a calibration set. */
    static double divergence(Statistics data, Statistics calibration, int k) {
        return divergenceOfDimension(data.mlDimension(), calibration.mlDimension(), k)
                + divergenceOfAngles(data.meanNu(), calibration.meanNu(), data.meanTau(), calibration.meanTau());
    }

    static double divergenceOfDimension(double dhat, double dcal, int k) {
        double harmonic = 0;
        for (int i = 1; i <= k; i++) {
            harmonic += 1.0 / i;
        }
        double q = dcal / dhat;
        double sum = 0;
        double binomial = 1;
        for (int i = 0; i <= k; i++) {
            sum += (i % 2 == 0 ? 1 : -1) * binomial * SpecialFunctions.digamma(1 + i / q);
            binomial = binomial * (k - i) / (i + 1);
        }
        return harmonic * q - Math.log(q) - (k - 1) * sum;
    }

    static double divergenceOfAngles(double nu1, double nu2, double tau1, double tau2) {
        return SpecialFunctions.logBesselI0(tau2) - SpecialFunctions.logBesselI0(tau1)
                + SpecialFunctions.besselRatio(tau1) * (tau1 - tau2 * Math.cos(nu1 - nu2));
    }

    /** n points uniform in the unit d-ball: a Gaussian direction, radius U^(1/d) ({@code hyperBall}). */
    static float[][] ball(int n, int d, SplittableRandom random) {
        float[][] points = new float[n][d];
        double[] v = new double[d];
        for (float[] row : points) {
            double norm = 0;
            for (int c = 0; c < d; c++) {
                v[c] = random.nextGaussian();
                norm += v[c] * v[c];
            }
            double scale = Math.pow(random.nextDouble(), 1.0 / d) / Math.sqrt(norm);
            for (int c = 0; c < d; c++) {
                row[c] = (float) (v[c] * scale);
            }
        }
        return points;
    }

    private static float[][] subsample(float[][] points, int size, SplittableRandom random) {
        int[] order = IntStream.range(0, points.length).toArray();
        float[][] sample = new float[size][];
        for (int i = 0; i < size; i++) {
            int j = i + random.nextInt(points.length - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
            sample[i] = points[order[i]];
        }
        return sample;
    }

    /**
     * The minimum, near candidate {@code best} (0-based), of the spline through the divergences at
     * 1..D: over [best − 1, best + 1] (1-based, clipped to [1, D]), where scipy's minimiser,
     * started at the best candidate, ends.
     */
    static double splineMinimum(double[] kl, int best) {
        int count = kl.length;
        if (count == 1) {
            return 1;
        }
        if (count == 2) {
            return best + 1;
        }
        double[] second = count == 3 ? parabolaSecondDerivatives(kl) : notAKnotSecondDerivatives(kl);
        double bestX = best + 1;
        double bestValue = kl[best];
        for (int interval = Math.max(0, best - 1); interval <= Math.min(count - 2, best); interval++) {
            // On [i, i+1] (0-based knots), with t = x − i:
            // S(t) = y_i + (y_{i+1} − y_i − (2M_i + M_{i+1})/6) t + M_i/2 t² + (M_{i+1} − M_i)/6 t³.
            double y0 = kl[interval];
            double y1 = kl[interval + 1];
            double m0 = second[interval];
            double m1 = second[interval + 1];
            double b = y1 - y0 - (2 * m0 + m1) / 6;
            double c = m0 / 2;
            double e = (m1 - m0) / 6;
            // S'(t) = b + 2c t + 3e t² = 0.
            for (double t : quadraticRoots(3 * e, 2 * c, b)) {
                if (t > 0 && t < 1) {
                    double value = y0 + t * (b + t * (c + t * e));
                    if (value < bestValue) {
                        bestValue = value;
                        bestX = interval + t + 1;
                    }
                }
            }
        }
        return bestX;
    }

    private static double[] quadraticRoots(double a, double b, double c) {
        if (Math.abs(a) < 1e-300) {
            return Math.abs(b) < 1e-300 ? new double[0] : new double[] {-c / b};
        }
        double discriminant = b * b - 4 * a * c;
        if (discriminant < 0) {
            return new double[0];
        }
        double root = Math.sqrt(discriminant);
        // The stable pair: q = −(b + sign(b)√Δ)/2, roots q/a and c/q.
        double q = -(b + Math.copySign(root, b)) / 2;
        return q == 0 ? new double[] {0} : new double[] {q / a, c / q};
    }

    /** Second derivatives at the knots of the parabola through three points (constant). */
    private static double[] parabolaSecondDerivatives(double[] y) {
        double m = y[0] - 2 * y[1] + y[2];
        return new double[] {m, m, m};
    }

    /**
     * Second derivatives at the knots 0..n−1 (unit spacing) of the not-a-knot cubic spline: the
     * usual M_(i−1) + 4M_i + M_(i+1) = 6(y_(i+1) − 2y_i + y_(i−1)) inside, and a continuous
     * third derivative at the second and the second-last knots, M_0 − 2M_1 + M_2 = 0 and
     * M_(n−3) − 2M_(n−2) + M_(n−1) = 0. Solved by Gaussian elimination with partial pivoting.
     */
    static double[] notAKnotSecondDerivatives(double[] y) {
        int n = y.length;
        double[][] a = new double[n][n + 1];
        a[0][0] = 1;
        a[0][1] = -2;
        a[0][2] = 1;
        for (int i = 1; i < n - 1; i++) {
            a[i][i - 1] = 1;
            a[i][i] = 4;
            a[i][i + 1] = 1;
            a[i][n] = 6 * (y[i + 1] - 2 * y[i] + y[i - 1]);
        }
        a[n - 1][n - 3] = 1;
        a[n - 1][n - 2] = -2;
        a[n - 1][n - 1] = 1;
        for (int col = 0; col < n; col++) {
            int pivot = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) {
                    pivot = r;
                }
            }
            double[] t = a[col];
            a[col] = a[pivot];
            a[pivot] = t;
            for (int r = col + 1; r < n; r++) {
                double f = a[r][col] / a[col][col];
                if (f != 0) {
                    for (int c = col; c <= n; c++) {
                        a[r][c] -= f * a[col][c];
                    }
                }
            }
        }
        double[] m = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double s = a[r][n];
            for (int c = r + 1; c < n; c++) {
                s -= a[r][c] * m[c];
            }
            m[r] = s / a[r][r];
        }
        return m;
    }

    private static void checkSettings(Settings settings) {
        if (settings.k() < 2) {
            throw EngramException.invalidInput("DANCo needs at least 2 neighbours per point, got k=" + settings.k());
        }
        if (settings.maxDimension() < 0) {
            throw EngramException.invalidInput("the largest candidate dimension must be positive (or 0 for the"
                    + " default), got " + settings.maxDimension());
        }
        if (settings.sampleSize() <= settings.k() + 1) {
            throw EngramException.invalidInput("DANCo's sample size must exceed k + 1 = " + (settings.k() + 1)
                    + ", got " + settings.sampleSize());
        }
    }

    private static void checkEnoughPoints(int n, int k) {
        if (n <= k + 1) {
            throw EngramException.nothingToDo("DANCo with k=" + k + " needs more than " + (k + 1)
                    + " points, got " + n + ": use fewer neighbours or more points");
        }
    }
}
