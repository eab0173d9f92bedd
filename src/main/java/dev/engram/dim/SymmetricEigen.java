package dev.engram.dim;

import java.util.Arrays;

/**
 * Eigenvalues (and optionally eigenvectors) of a real symmetric matrix: Householder reduction to
 * tridiagonal form, then the QL algorithm with implicit Wilkinson shifts on the tridiagonal
 * matrix. This is the classic pair tred2/tql2 of EISPACK (Wilkinson and Reinsch, "Handbook for
 * Automatic Computation, Vol. II: Linear Algebra", contributions II/2 and II/4), written here
 * from the algorithm as Press et al. give it ("Numerical Recipes", §11.2–11.3). Cost: about n³
 * for the reduction and O(n²) for QL when only eigenvalues are wanted, against several sweeps
 * of 2n³ each for Jacobi rotations; local PCA solves one such problem per point.
 */
final class SymmetricEigen {

    private static final int MAX_ITERATIONS_PER_EIGENVALUE = 60;

    private SymmetricEigen() {
    }

    /**
     * @param values  eigenvalues, descending
     * @param vectors {@code vectors[i][j]}: component i of the eigenvector of {@code values[j]}
     *                (unit length, columns orthogonal); null when not asked for
     */
    record Decomposition(double[] values, double[][] vectors) {
    }

    /** A full symmetric copy of a, from its lower triangle (the reduction works in place). */
    private static double[][] symmetricCopy(double[][] a, int n) {
        double[][] z = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                z[i][j] = a[i][j];
                z[j][i] = a[i][j];
            }
        }
        return z;
    }

    /** Eigenvalues of the symmetric matrix a (only its lower triangle is read), descending. */
    static double[] eigenvalues(double[][] a) {
        int n = checkSquare(a);
        double[] d = new double[n];
        double[] e = new double[n];
        tridiagonaliseValuesOnly(symmetricCopy(a, n), d, e);
        ql(d, e, null);
        return sortDescending(d, null).values();
    }

    /**
     * The tridiagonal matrix similar to the symmetric matrix a (only its lower triangle is read):
     * enough to count its eigenvalues above a threshold without finding them all.
     */
    static Tridiagonal tridiagonal(double[][] a) {
        int n = checkSquare(a);
        double[] d = new double[n];
        double[] e = new double[n];
        tridiagonaliseValuesOnly(symmetricCopy(a, n), d, e);
        return new Tridiagonal(d, e);
    }

    /**
     * A symmetric tridiagonal matrix: diagonal d, and e[i] between rows i − 1 and i (e[0] unused).
     * Its eigenvalues are located by Sturm sequences: the number of negative pivots of the
     * LDLᵀ factorisation of T − xI is the number of eigenvalues below x (Sylvester's law of
     * inertia; Wilkinson, "The Algebraic Eigenvalue Problem", §5.37; LAPACK's dstebz).
     */
    record Tridiagonal(double[] d, double[] e) {

        /** How many eigenvalues are strictly below x. */
        int countBelow(double x) {
            int n = d.length;
            // A zero pivot is nudged to a tiny negative, as dstebz does with its pivmin.
            double tiny = Double.MIN_NORMAL;
            int count = 0;
            double q = d[0] - x;
            for (int i = 0; ; i++) {
                if (Math.abs(q) < tiny) {
                    q = -tiny;
                }
                if (q < 0) {
                    count++;
                }
                if (i + 1 == n) {
                    return count;
                }
                q = d[i + 1] - x - e[i + 1] * e[i + 1] / q;
            }
        }

        /** How many eigenvalues are strictly above x. */
        int countAbove(double x) {
            return d.length - countBelow(Math.nextUp(x));
        }

        /**
         * The largest eigenvalue, to a few units in the last place: bisection between the
         * largest diagonal entry (a Rayleigh quotient, so a lower bound) and Gershgorin's upper
         * bound.
         */
        double largest() {
            int n = d.length;
            double low = Double.NEGATIVE_INFINITY;
            double high = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                double radius = (i > 0 ? Math.abs(e[i]) : 0) + (i + 1 < n ? Math.abs(e[i + 1]) : 0);
                low = Math.max(low, d[i]);
                high = Math.max(high, d[i] + radius);
            }
            while (true) {
                double middle = (low + high) / 2;
                if (middle <= low || middle >= high) {
                    return high;
                }
                if (countBelow(middle) == n) {
                    high = middle;
                } else {
                    low = middle;
                }
            }
        }
    }

    /** Eigenvalues and eigenvectors of the symmetric matrix a (only its lower triangle is read). */
    static Decomposition decompose(double[][] a) {
        int n = checkSquare(a);
        double[][] z = new double[n][];
        for (int i = 0; i < n; i++) {
            z[i] = a[i].clone();
        }
        double[] d = new double[n];
        double[] e = new double[n];
        tridiagonalise(z, d, e);
        ql(d, e, z);
        return sortDescending(d, z);
    }

    private static int checkSquare(double[][] a) {
        int n = a.length;
        if (n == 0) {
            throw new IllegalArgumentException("the matrix is empty");
        }
        for (int i = 0; i < n; i++) {
            if (a[i].length != n) {
                throw new IllegalArgumentException("row " + i + " has " + a[i].length + " entries, not " + n);
            }
        }
        return n;
    }

    /**
     * Householder reduction of the full symmetric matrix z, both triangles kept up to date, to
     * a tridiagonal matrix with diagonal d and sub-diagonal e[1..n-1] (e[0] = 0), for eigenvalues
     * only. Each step is the product p = Au/H and the rank-2 update A − uqᵀ − quᵀ with
     * q = p − (uᵀp/2H)u, along rows: half as many operations again as the triangle-only form of
     * {@link #tridiagonalise}, but every loop runs over contiguous memory and vectorises, which
     * made it several times faster on 72 × 72 covariances.
     */
    private static void tridiagonaliseValuesOnly(double[][] z, double[] d, double[] e) {
        int n = z.length;
        double[] u = new double[n];
        double[] q = new double[n];
        for (int i = n - 1; i > 0; i--) {
            int l = i - 1;
            double[] row = z[i];
            double scale = 0;
            for (int k = 0; k <= l; k++) {
                scale += Math.abs(row[k]);
            }
            if (l == 0 || scale == 0) {
                e[i] = row[l];
                continue;
            }
            // Scaling the row avoids underflow and overflow in the sum of squares.
            double h = 0;
            for (int k = 0; k <= l; k++) {
                u[k] = row[k] / scale;
                h += u[k] * u[k];
            }
            double f = u[l];
            double g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
            e[i] = scale * g;
            h -= f * g;
            u[l] = f - g;
            double uq = 0;
            for (int j = 0; j <= l; j++) {
                q[j] = dot(z[j], u, l + 1) / h;
                uq += u[j] * q[j];
            }
            double hh = uq / (h + h);
            for (int j = 0; j <= l; j++) {
                q[j] -= hh * u[j];
            }
            for (int j = 0; j <= l; j++) {
                double[] zj = z[j];
                double uj = u[j];
                double qj = q[j];
                for (int k = 0; k <= l; k++) {
                    zj[k] -= uj * q[k] + qj * u[k];
                }
            }
        }
        for (int i = 0; i < n; i++) {
            d[i] = z[i][i];
        }
        e[0] = 0;
    }

    /** Σ a[i]·b[i] over i &lt; length; four sums, since one would wait on each add's latency. */
    private static double dot(double[] a, double[] b, int length) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int i = 0;
        for (; i + 3 < length; i += 4) {
            s0 += a[i] * b[i];
            s1 += a[i + 1] * b[i + 1];
            s2 += a[i + 2] * b[i + 2];
            s3 += a[i + 3] * b[i + 3];
        }
        for (; i < length; i++) {
            s0 += a[i] * b[i];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /**
     * Householder reduction of z (lower triangle used) to a tridiagonal matrix with diagonal d
     * and sub-diagonal e[1..n-1] (e[0] = 0), z replaced by the orthogonal matrix Q of the
     * reduction, for the eigenvectors.
     */
    private static void tridiagonalise(double[][] z, double[] d, double[] e) {
        int n = z.length;
        for (int i = n - 1; i > 0; i--) {
            int l = i - 1;
            double h = 0;
            if (l > 0) {
                double scale = 0;
                for (int k = 0; k <= l; k++) {
                    scale += Math.abs(z[i][k]);
                }
                if (scale == 0) {
                    e[i] = z[i][l];
                } else {
                    for (int k = 0; k <= l; k++) {
                        z[i][k] /= scale;
                        h += z[i][k] * z[i][k];
                    }
                    double f = z[i][l];
                    double g = f >= 0 ? -Math.sqrt(h) : Math.sqrt(h);
                    e[i] = scale * g;
                    h -= f * g;
                    z[i][l] = f - g;
                    f = 0;
                    for (int j = 0; j <= l; j++) {
                        z[j][i] = z[i][j] / h;
                        g = 0;
                        for (int k = 0; k <= j; k++) {
                            g += z[j][k] * z[i][k];
                        }
                        for (int k = j + 1; k <= l; k++) {
                            g += z[k][j] * z[i][k];
                        }
                        e[j] = g / h;
                        f += e[j] * z[i][j];
                    }
                    double hh = f / (h + h);
                    for (int j = 0; j <= l; j++) {
                        f = z[i][j];
                        g = e[j] - hh * f;
                        e[j] = g;
                        for (int k = 0; k <= j; k++) {
                            z[j][k] -= f * e[k] + g * z[i][k];
                        }
                    }
                }
            } else {
                e[i] = z[i][l];
            }
            d[i] = h;
        }
        d[0] = 0;
        e[0] = 0;
        // Accumulate the reflections into Q, row by row.
        for (int i = 0; i < n; i++) {
            int l = i - 1;
            if (d[i] != 0) {
                for (int j = 0; j <= l; j++) {
                    double g = 0;
                    for (int k = 0; k <= l; k++) {
                        g += z[i][k] * z[k][j];
                    }
                    for (int k = 0; k <= l; k++) {
                        z[k][j] -= g * z[k][i];
                    }
                }
            }
            d[i] = z[i][i];
            z[i][i] = 1;
            for (int j = 0; j <= l; j++) {
                z[j][i] = 0;
                z[i][j] = 0;
            }
        }
    }

    /**
     * QL with implicit shifts on the tridiagonal matrix (d, e[1..n-1]); d becomes the
     * eigenvalues. With z given, its columns are rotated along into the eigenvectors.
     */
    private static void ql(double[] d, double[] e, double[][] z) {
        int n = d.length;
        for (int i = 1; i < n; i++) {
            e[i - 1] = e[i];
        }
        if (n > 0) {
            e[n - 1] = 0;
        }
        for (int l = 0; l < n; l++) {
            int iterations = 0;
            int m;
            do {
                // Look for a negligible off-diagonal element to split the matrix at.
                for (m = l; m < n - 1; m++) {
                    double dd = Math.abs(d[m]) + Math.abs(d[m + 1]);
                    if (Math.abs(e[m]) <= Math.ulp(dd)) {
                        break;
                    }
                }
                if (m != l) {
                    if (++iterations > MAX_ITERATIONS_PER_EIGENVALUE) {
                        throw new ArithmeticException("QL iteration did not converge");
                    }
                    double g = (d[l + 1] - d[l]) / (2 * e[l]);
                    double r = hypot(g, 1);
                    g = d[m] - d[l] + e[l] / (g + Math.copySign(r, g));
                    double s = 1;
                    double c = 1;
                    double p = 0;
                    int i;
                    for (i = m - 1; i >= l; i--) {
                        double f = s * e[i];
                        double b = c * e[i];
                        r = hypot(f, g);
                        e[i + 1] = r;
                        if (r == 0) {
                            // Underflow: deflate and start over.
                            d[i + 1] -= p;
                            e[m] = 0;
                            break;
                        }
                        s = f / r;
                        c = g / r;
                        g = d[i + 1] - p;
                        r = (d[i] - g) * s + 2 * c * b;
                        p = s * r;
                        d[i + 1] = g + p;
                        g = c * r - b;
                        if (z != null) {
                            for (double[] row : z) {
                                f = row[i + 1];
                                row[i + 1] = s * row[i] + c * f;
                                row[i] = c * row[i] - s * f;
                            }
                        }
                    }
                    if (r == 0 && i >= l) {
                        continue;
                    }
                    d[l] -= p;
                    e[l] = g;
                    e[m] = 0;
                }
            } while (m != l);
        }
    }

    /**
     * √(a² + b²). Math.hypot guards against overflow and underflow at every call and costs
     * tens of nanoseconds, which dominated QL on 72 × 72 matrices; the plain formula is exact
     * enough and safe while the squares stay within range, checked first.
     */
    private static double hypot(double a, double b) {
        double m = Math.max(Math.abs(a), Math.abs(b));
        if (m > 0x1p-500 && m < 0x1p500) {
            return Math.sqrt(a * a + b * b);
        }
        return Math.hypot(a, b);
    }

    private static Decomposition sortDescending(double[] d, double[][] z) {
        int n = d.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (x, y) -> Double.compare(d[y], d[x]));
        double[] values = new double[n];
        double[][] vectors = z == null ? null : new double[n][n];
        for (int j = 0; j < n; j++) {
            values[j] = d[order[j]];
            if (z != null) {
                for (int i = 0; i < n; i++) {
                    vectors[i][j] = z[i][order[j]];
                }
            }
        }
        return new Decomposition(values, vectors);
    }
}
