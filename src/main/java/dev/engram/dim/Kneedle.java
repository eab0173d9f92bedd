package dev.engram.dim;

import java.util.OptionalInt;

/**
 * The knee of a decreasing, convex curve (reconstruction error against bottleneck size) by
 * Kneedle: Satopää, Albrecht, Irwin and Raghavan, "Finding a 'Kneedle' in a Haystack: Detecting
 * Knee Points in System Behavior", ICDCS Workshops 2011, doi:10.1109/ICDCSW.2011.20.
 *
 * <p>Both axes are scaled to [0, 1]; for a decreasing curve the difference curve is
 * D_i = (1 − x_i) − y_i, how far the curve lies below the chord from its first to its last point
 * (the paper's y_d = y_s − x_s after flipping y, which makes the curve increasing and concave).
 * A local maximum of D is a knee candidate, with threshold T = D_max − S · mean(x_{i+1} − x_i);
 * it is declared a knee if D falls below T before the next local maximum or the end of the
 * curve (the offline form of the paper's rule, sensitivity S = 1 by default). The first knee
 * declared is returned; none if the curve never bends (D ≤ 0 everywhere, e.g. a straight line).
 */
public final class Kneedle {

    public static final double DEFAULT_SENSITIVITY = 1;

    private Kneedle() {
    }

    /** The index of the knee of the points (x_i, y_i), x strictly ascending, y decreasing overall. */
    public static OptionalInt knee(double[] x, double[] y, double sensitivity) {
        int n = x.length;
        if (n != y.length) {
            throw new IllegalArgumentException(n + " x values but " + y.length + " y values");
        }
        if (n < 3) {
            return OptionalInt.empty();
        }
        double xMin = x[0];
        double xSpan = x[n - 1] - x[0];
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (double v : y) {
            yMin = Math.min(yMin, v);
            yMax = Math.max(yMax, v);
        }
        if (!(xSpan > 0) || !(yMax > yMin)) {
            return OptionalInt.empty();
        }
        double[] xs = new double[n];
        double[] difference = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = (x[i] - xMin) / xSpan;
            difference[i] = (1 - xs[i]) - (y[i] - yMin) / (yMax - yMin);
        }
        double meanStep = xs[n - 1] / (n - 1);
        for (int i = 1; i < n - 1; i++) {
            boolean localMaximum = difference[i] >= difference[i - 1] && difference[i] > difference[i + 1];
            if (!localMaximum || difference[i] <= 0) {
                continue;
            }
            double threshold = difference[i] - sensitivity * meanStep;
            for (int j = i + 1; j < n; j++) {
                if (difference[j] < threshold) {
                    return OptionalInt.of(i);
                }
                if (j < n - 1 && difference[j] >= difference[j - 1] && difference[j] > difference[j + 1]) {
                    break;
                }
            }
        }
        return OptionalInt.empty();
    }
}
