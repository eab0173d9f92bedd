package dev.engram.dim;

import dev.engram.EngramException;

import java.util.Arrays;
import java.util.Optional;

/**
 * The maximum-likelihood estimator of Levina and Bickel, "Maximum Likelihood Estimation of
 * Intrinsic Dimension", NIPS 17 (2004). Modelling the neighbours of x as a Poisson process of
 * constant rate in a ball around x, the likelihood of its k nearest distances T_1 ≤ … ≤ T_k
 * peaks at
 * <pre>  m_k(x) = [ (1/(k−1)) Σ_{j=1}^{k−1} log(T_k / T_j) ]^−1  </pre>
 * (k − 1, as in the paper and in scikit-dimension's {@code skdim.id.MLE} with its default
 * {@code unbiased=False}). k counts neighbours only, not x itself, as there too, and the default
 * k = 20 is scikit-dimension's.
 *
 * <p>The per-point estimates are combined by default as MacKay and Ghahramani proposed in their
 * comment on the paper (2005): average the inverses 1/m_k(x), which are the quantities the
 * likelihood is linear in, then invert; that is, the harmonic mean. This is scikit-dimension's
 * {@code comb="mle"}. The arithmetic mean of Levina and Bickel's paper is available too.
 *
 * <p>Duplicated points: a point with T_1 = 0 has an infinite log(T_k/T_1), its estimate is 0 and
 * its inverse infinite, which would make either mean meaningless. Such points (those with an
 * exact copy elsewhere in the data) are left out and counted in the result; scikit-dimension
 * has no such guard.
 */
public final class MaximumLikelihood {

    public static final int DEFAULT_NEIGHBOURS = 20;

    /** How the per-point estimates are combined; {@code label} is the name reports and options give it. */
    public enum Combination {
        /** 1 / mean(1/m_k(x)): MacKay and Ghahramani; scikit-dimension's default {@code comb="mle"}. */
        HARMONIC_MEAN("harmonic"),
        /** mean(m_k(x)): Levina and Bickel's original average. */
        MEAN("mean");

        private final String label;

        Combination(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** The combination with this label, if any. */
        public static Optional<Combination> labelled(String label) {
            return Arrays.stream(values()).filter(c -> c.label.equals(label)).findFirst();
        }
    }

    private MaximumLikelihood() {
    }

    /**
     * @param pointsUsed        points whose estimate entered the combination
     * @param duplicatesDropped points left out because another point sits exactly on them
     */
    public record Result(double dimension, int k, Combination combination, int pointsUsed, int duplicatesDropped) {
    }

    public static Result estimate(float[][] points) {
        return estimate(points, DEFAULT_NEIGHBOURS, Combination.HARMONIC_MEAN);
    }

    public static Result estimate(float[][] points, int k, Combination combination) {
        checkK(k);
        Neighbours.checkShape(points);
        if (points.length <= k) {
            throw EngramException.nothingToDo("the maximum-likelihood estimate with k=" + k
                    + " neighbours needs more than " + k + " points, got " + points.length
                    + ": use fewer neighbours or more points");
        }
        return estimate(Neighbours.search(points, k), k, combination);
    }

    /** From neighbours already found; uses the first k of each point's list (the table may hold more). */
    public static Result estimate(Neighbours.Result neighbours, int k, Combination combination) {
        checkK(k);
        if (neighbours.k() < k) {
            throw new IllegalArgumentException(
                    "the neighbour table has " + neighbours.k() + " neighbours per point, k=" + k + " asked");
        }
        int n = neighbours.size();
        int used = 0;
        double sumInverse = 0;
        double sumEstimate = 0;
        boolean infinite = false;
        for (int p = 0; p < n; p++) {
            if (neighbours.distance(p, 0) == 0) {
                continue;
            }
            used++;
            double tk = neighbours.distance(p, k - 1);
            double sum = 0;
            for (int j = 0; j < k - 1; j++) {
                sum += Math.log(tk / neighbours.distance(p, j));
            }
            double inverse = sum / (k - 1);
            sumInverse += inverse;
            if (inverse == 0) {
                // All k neighbours equally far: the likelihood grows without bound in m.
                infinite = true;
            } else {
                sumEstimate += 1 / inverse;
            }
        }
        int duplicates = n - used;
        if (used == 0) {
            throw EngramException.nothingToDo("every one of the " + n
                    + " points sits exactly on another: there is no distance to estimate a dimension from");
        }
        double dimension;
        if (combination == Combination.HARMONIC_MEAN) {
            if (sumInverse == 0) {
                throw EngramException.invalidInput("every point's " + k + " nearest neighbours are equally far"
                        + " (points on a regular grid?): the maximum-likelihood estimate is unbounded");
            }
            dimension = used / sumInverse;
        } else {
            if (infinite) {
                throw EngramException.invalidInput("some points have all " + k + " nearest neighbours equally far,"
                        + " so their own estimate is unbounded and so is the arithmetic mean;"
                        + " use the harmonic mean or more neighbours");
            }
            dimension = sumEstimate / used;
        }
        return new Result(dimension, k, combination, used, duplicates);
    }

    private static void checkK(int k) {
        if (k < 2) {
            throw EngramException.invalidInput(
                    "the maximum-likelihood estimate needs at least 2 neighbours per point, got k=" + k);
        }
    }
}
