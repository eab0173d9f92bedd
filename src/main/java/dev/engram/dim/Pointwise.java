package dev.engram.dim;

import java.util.Arrays;

/**
 * Local intrinsic dimension, one value per point, and its distribution.
 *
 * <ul>
 *   <li>{@link #mle}: Levina and Bickel's per-point estimate m_k(x) (NIPS 2004, eq. 8), the
 *       quantity {@link MaximumLikelihood} averages: [ (1/(k−1)) Σ_{j<k} log(T_k/T_j) ]^−1.</li>
 *   <li>{@link #twoNN}: TwoNN's maximum-likelihood estimate (Facco et al. 2017) restricted to a
 *       neighbourhood: the ratios mu = r2/r1 of the point and its k nearest neighbours, n = k + 1
 *       values, give d = (n − 1) / Σ log mu (the unbiased Pareto estimate). Pooling the ratios of
 *       a neighbourhood is how Allegra, Facco, Denti, Laio and Mira make TwoNN local ("Data
 *       segmentation based on the local intrinsic dimension", Sci. Rep. 10:16449, 2020), there
 *       with a Bayesian coupling; this is its plain likelihood with no prior.</li>
 * </ul>
 * A point whose estimate is unbounded (all its neighbours equally far, or every ratio 1) gets
 * {@link Double#POSITIVE_INFINITY}; one with r1 = 0 (a duplicate that was not merged) gets NaN.
 * {@link #summary} leaves both out and counts them.
 */
public final class Pointwise {

    private Pointwise() {
    }

    /** Levina–Bickel m_k(x) for every point, from the first k neighbours of the table. */
    public static double[] mle(Neighbours.Result neighbours, int k) {
        if (k < 2 || neighbours.k() < k) {
            throw new IllegalArgumentException("per-point MLE needs 2 ≤ k ≤ " + neighbours.k() + ", got " + k);
        }
        int n = neighbours.size();
        double[] values = new double[n];
        for (int p = 0; p < n; p++) {
            if (neighbours.distance(p, 0) == 0) {
                values[p] = Double.NaN;
                continue;
            }
            double tk = neighbours.distance(p, k - 1);
            double sum = 0;
            for (int j = 0; j < k - 1; j++) {
                sum += Math.log(tk / neighbours.distance(p, j));
            }
            values[p] = sum == 0 ? Double.POSITIVE_INFINITY : (k - 1) / sum;
        }
        return values;
    }

    /** Local TwoNN over each point and its k nearest neighbours (k ≥ 1; the table needs max(k, 2)). */
    public static double[] twoNN(Neighbours.Result neighbours, int k) {
        if (k < 1 || neighbours.k() < Math.max(2, k)) {
            throw new IllegalArgumentException("local TwoNN needs 1 ≤ k ≤ " + neighbours.k() + ", got " + k);
        }
        int n = neighbours.size();
        double[] logMu = new double[n];
        for (int p = 0; p < n; p++) {
            double r1 = neighbours.distance(p, 0);
            logMu[p] = r1 > 0 ? Math.log(neighbours.distance(p, 1) / r1) : Double.NaN;
        }
        double[] values = new double[n];
        for (int p = 0; p < n; p++) {
            if (Double.isNaN(logMu[p])) {
                values[p] = Double.NaN;
                continue;
            }
            double sum = logMu[p];
            int count = 1;
            for (int j = 0; j < k; j++) {
                double l = logMu[neighbours.index(p, j)];
                // A neighbour that is itself a duplicate has no ratio; the others still count.
                if (!Double.isNaN(l)) {
                    sum += l;
                    count++;
                }
            }
            values[p] = count < 2 ? Double.NaN : sum == 0 ? Double.POSITIVE_INFINITY : (count - 1) / sum;
        }
        return values;
    }

    /**
     * The distribution of finite per-point values: mean, standard deviation (n − 1), quantiles
     * 5/25/50/75/95 (numpy's default linear interpolation) and a histogram of {@code bins} equal
     * bins from min to max.
     */
    public record Summary(int count, int unbounded, int undefined, double mean, double sd, double min, double max,
                          double[] quantiles, int[] histogram) {
        public static final double[] LEVELS = {5, 25, 50, 75, 95};

        /** The histogram as one line of block characters, each bin's height relative to the fullest. */
        public String sparkline() {
            String blocks = "▁▂▃▄▅▆▇█";
            int most = Arrays.stream(histogram).max().orElse(0);
            StringBuilder line = new StringBuilder();
            for (int c : histogram) {
                line.append(c == 0 ? ' ' : blocks.charAt((int) Math.round(7.0 * c / most)));
            }
            return line.toString();
        }
    }

    public static Summary summary(double[] values, int bins) {
        double[] finite = Arrays.stream(values).filter(Double::isFinite).sorted().toArray();
        int unbounded = (int) Arrays.stream(values).filter(v -> v == Double.POSITIVE_INFINITY).count();
        int undefined = (int) Arrays.stream(values).filter(Double::isNaN).count();
        int n = finite.length;
        if (n == 0) {
            return new Summary(0, unbounded, undefined, Double.NaN, Double.NaN, Double.NaN, Double.NaN,
                    new double[Summary.LEVELS.length], new int[bins]);
        }
        double mean = 0;
        for (double v : finite) {
            mean += v;
        }
        mean /= n;
        double squares = 0;
        for (double v : finite) {
            squares += (v - mean) * (v - mean);
        }
        double sd = n > 1 ? Math.sqrt(squares / (n - 1)) : 0;
        double[] quantiles = new double[Summary.LEVELS.length];
        for (int i = 0; i < quantiles.length; i++) {
            quantiles[i] = Gride.percentile(finite, Summary.LEVELS[i]);
        }
        double min = finite[0];
        double max = finite[n - 1];
        int[] histogram = new int[bins];
        for (double v : finite) {
            int b = max == min ? 0 : (int) ((v - min) / (max - min) * bins);
            histogram[Math.min(bins - 1, b)]++;
        }
        return new Summary(n, unbounded, undefined, mean, sd, min, max, quantiles, histogram);
    }
}
