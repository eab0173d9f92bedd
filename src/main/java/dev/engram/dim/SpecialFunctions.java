package dev.engram.dim;

/** The few special functions DANCo's Kullback–Leibler divergences need, to double precision. */
final class SpecialFunctions {

    /** Below this the power series of I0 and I1 is used, above it the asymptotic expansion. */
    private static final double BESSEL_SERIES_LIMIT = 20;

    private SpecialFunctions() {
    }

    /**
     * ψ(x) = Γ'(x)/Γ(x) for x &gt; 0: the recurrence ψ(x) = ψ(x + 1) − 1/x up to x ≥ 10, then
     * the asymptotic series ln x − 1/(2x) − Σ B_2n / (2n x^2n) (Abramowitz and Stegun 6.3.18),
     * whose first omitted term is below 10^−16 there.
     */
    static double digamma(double x) {
        if (!(x > 0)) {
            throw new IllegalArgumentException("digamma is only needed here for x > 0, got " + x);
        }
        double result = 0;
        while (x < 10) {
            result -= 1 / x;
            x += 1;
        }
        double inv2 = 1 / (x * x);
        double series = inv2 * (1.0 / 12 - inv2 * (1.0 / 120 - inv2 * (1.0 / 252 - inv2 * (1.0 / 240
                - inv2 * (1.0 / 132 - inv2 * (691.0 / 32760 - inv2 / 12))))));
        return result + Math.log(x) - 0.5 / x - series;
    }

    /** log I0(x) for x ≥ 0, without the overflow of I0 itself past x ≈ 713. */
    static double logBesselI0(double x) {
        return Math.log(scaledBesselI(0, x)) + x;
    }

    /** I1(x)/I0(x) for x ≥ 0. */
    static double besselRatio(double x) {
        return scaledBesselI(1, x) / scaledBesselI(0, x);
    }

    /**
     * e^−x I_ν(x) for ν = 0 or 1 and x ≥ 0: the power series Σ (x/2)^(2m+ν) / (m! (m+ν)!) (all
     * terms positive, so no cancellation) for small x; for large x Hankel's expansion
     * e^x/√(2πx) Σ (−1)^j a_j(ν)/x^j, a_j(ν) = Π_(i=1..j) (4ν² − (2i−1)²) / (j! 8^j)
     * (Abramowitz and Stegun 9.7.1), summed while its terms shrink; past x = 20 its smallest term
     * is near e^−2x.
     */
    static double scaledBesselI(int order, double x) {
        if (!(x >= 0)) {
            throw new IllegalArgumentException("the modified Bessel function is only needed here for x ≥ 0, got " + x);
        }
        if (x <= BESSEL_SERIES_LIMIT) {
            double half = x / 2;
            double term = order == 0 ? 1 : half;
            double sum = term;
            double square = half * half;
            for (int m = 1; m < 500; m++) {
                term *= square / ((double) m * (m + order));
                sum += term;
                if (term < sum * 1e-17) {
                    break;
                }
            }
            return sum * Math.exp(-x);
        }
        double mu = 4.0 * order * order;
        double term = 1;
        double sum = 1;
        for (int j = 1; j < 200; j++) {
            double next = -term * (mu - (2.0 * j - 1) * (2.0 * j - 1)) / (j * 8.0 * x);
            if (Math.abs(next) >= Math.abs(term)) {
                break;
            }
            term = next;
            sum += term;
            if (Math.abs(term) < Math.abs(sum) * 1e-17) {
                break;
            }
        }
        return sum / Math.sqrt(2 * Math.PI * x);
    }
}
