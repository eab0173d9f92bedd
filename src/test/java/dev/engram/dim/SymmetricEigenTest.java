package dev.engram.dim;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SymmetricEigenTest {

    @Test
    void aDiagonalMatrixHasItsDiagonalSortedDown() {
        double[][] a = {{2, 0, 0}, {0, -1, 0}, {0, 0, 5}};

        assertArrayEquals(new double[] {5, 2, -1}, SymmetricEigen.eigenvalues(a), 0);
    }

    @Test
    void twoByTwoHasTheClosedForm() {
        // [[a, b], [b, c]]: (a + c)/2 ± √(((a − c)/2)² + b²)
        double[][] m = {{3, 2}, {2, -1}};

        double mid = 1;
        double radius = Math.sqrt(4 + 4);
        assertArrayEquals(new double[] {mid + radius, mid - radius}, SymmetricEigen.eigenvalues(m), 1e-14);
    }

    /** The second-difference matrix tridiag(−1, 2, −1) of order n: 2 − 2cos(jπ/(n + 1)), j = 1..n. */
    @Test
    void theSecondDifferenceMatrixHasItsKnownSpectrum() {
        int n = 40;
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            a[i][i] = 2;
            if (i > 0) {
                a[i][i - 1] = -1;
                a[i - 1][i] = -1;
            }
        }
        double[] expected = new double[n];
        for (int j = 1; j <= n; j++) {
            expected[n - j] = 2 - 2 * Math.cos(j * Math.PI / (n + 1));
        }

        assertArrayEquals(expected, SymmetricEigen.eigenvalues(a), 1e-13);
        assertArrayEquals(expected, SymmetricEigen.decompose(a).values(), 1e-13);
    }

    @Test
    void onlyTheLowerTriangleIsRead() {
        double[][] full = {{4, 1, 2}, {1, 3, 0}, {2, 0, 1}};
        double[][] lower = {{4, 99, 99}, {1, 3, 99}, {2, 0, 1}};

        assertArrayEquals(SymmetricEigen.eigenvalues(full), SymmetricEigen.eigenvalues(lower), 0);
        assertArrayEquals(SymmetricEigen.decompose(full).values(), SymmetricEigen.decompose(lower).values(), 0);
    }

    @Test
    void degenerateSizesWork() {
        assertArrayEquals(new double[] {7}, SymmetricEigen.eigenvalues(new double[][] {{7}}), 0);
        assertArrayEquals(new double[] {0, 0, 0}, SymmetricEigen.eigenvalues(new double[3][3]), 0);
    }

    /** Against cyclic Jacobi rotations, an independent (slow, very accurate) method, on random matrices. */
    @ParameterizedTest
    @CsvSource({"5, 1", "17, 2", "72, 3", "100, 4"})
    void agreesWithJacobiOnRandomSymmetricMatrices(int n, long seed) {
        double[][] a = randomSymmetric(new Random(seed), n);
        double[] reference = jacobi(a);
        double scale = Math.max(Math.abs(reference[0]), Math.abs(reference[n - 1]));

        assertArrayEquals(reference, SymmetricEigen.eigenvalues(a), 1e-12 * scale);
        assertArrayEquals(reference, SymmetricEigen.decompose(a).values(), 1e-12 * scale);
    }

    @ParameterizedTest
    @CsvSource({"6, 5", "72, 6"})
    void eigenvectorsAreOrthonormalAndSatisfyAvEqualsLambdaV(int n, long seed) {
        double[][] a = randomSymmetric(new Random(seed), n);

        SymmetricEigen.Decomposition result = SymmetricEigen.decompose(a);

        double[][] v = result.vectors();
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < n; i++) {
                double av = 0;
                for (int k = 0; k < n; k++) {
                    av += a[i][k] * v[k][j];
                }
                assertEquals(result.values()[j] * v[i][j], av, 1e-11, "row " + i + " of A v_" + j);
            }
            for (int l = 0; l < n; l++) {
                double dot = 0;
                for (int k = 0; k < n; k++) {
                    dot += v[k][j] * v[k][l];
                }
                assertEquals(j == l ? 1 : 0, dot, 1e-12);
            }
        }
    }

    @Test
    void aRankDeficientCovarianceHasZeroEigenvalues() {
        // x xᵀ + y yᵀ in 6 dimensions: rank 2.
        double[] x = {1, 2, 0, -1, 3, 1};
        double[] y = {0, 1, 1, 1, -2, 0.5};
        double[][] a = new double[6][6];
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                a[i][j] = x[i] * x[j] + y[i] * y[j];
            }
        }

        double[] values = SymmetricEigen.eigenvalues(a);

        double trace = 0;
        for (int i = 0; i < 6; i++) {
            trace += a[i][i];
        }
        assertEquals(trace, values[0] + values[1], 1e-12);
        for (int i = 2; i < 6; i++) {
            assertEquals(0, values[i], 1e-13);
        }
    }

    /** Sturm counts on the tridiagonal form against the full spectrum, around every eigenvalue. */
    @ParameterizedTest
    @CsvSource({"9, 7", "72, 8"})
    void sturmCountsAndTheLargestEigenvalueMatchQl(int n, long seed) {
        double[][] a = randomSymmetric(new Random(seed), n);
        double[] values = SymmetricEigen.eigenvalues(a);

        SymmetricEigen.Tridiagonal t = SymmetricEigen.tridiagonal(a);

        assertEquals(values[0], t.largest(), 1e-13 * Math.abs(values[0]));
        for (int j = 0; j < n; j++) {
            double v = values[j];
            double margin = 1e-9 * (1 + Math.abs(v));
            assertEquals(j, t.countAbove(v + margin), "above λ_" + j);
            assertEquals(j + 1, t.countAbove(v - margin), "just below λ_" + j);
            assertEquals(n - j - 1, t.countBelow(v - margin));
        }
        assertEquals(0, t.countAbove(values[0] + 1));
        assertEquals(n, t.countAbove(values[n - 1] - 1));
    }

    @Test
    void theLargestEigenvalueOfAPositiveSemidefiniteMatrixIsFoundToTheLastDigits() {
        double[][] a = {{4, 1, 0}, {1, 4, 1}, {0, 1, 4}};
        // 4 + √2, 4, 4 − √2
        assertEquals(4 + Math.sqrt(2), SymmetricEigen.tridiagonal(a).largest(), 1e-14);
    }

    static double[][] randomSymmetric(Random random, int n) {
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                a[i][j] = random.nextGaussian();
                a[j][i] = a[i][j];
            }
        }
        return a;
    }

    /** Cyclic Jacobi rotations (Golub and Van Loan, §8.5) until the off-diagonal part vanishes; descending. */
    static double[] jacobi(double[][] input) {
        int n = input.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = input[i].clone();
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0;
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    off += a[p][q] * a[p][q];
                }
            }
            if (off < 1e-30) {
                break;
            }
            for (int p = 0; p < n; p++) {
                for (int q = p + 1; q < n; q++) {
                    if (a[p][q] == 0) {
                        continue;
                    }
                    double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
                    double t = Math.signum(theta == 0 ? 1 : theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
                    double c = 1 / Math.sqrt(t * t + 1);
                    double s = t * c;
                    for (int k = 0; k < n; k++) {
                        double akp = a[k][p];
                        double akq = a[k][q];
                        a[k][p] = c * akp - s * akq;
                        a[k][q] = s * akp + c * akq;
                    }
                    for (int k = 0; k < n; k++) {
                        double apk = a[p][k];
                        double aqk = a[q][k];
                        a[p][k] = c * apk - s * aqk;
                        a[q][k] = s * apk + c * aqk;
                    }
                }
            }
        }
        double[] values = new double[n];
        for (int i = 0; i < n; i++) {
            values[i] = a[i][i];
        }
        Arrays.sort(values);
        for (int i = 0; i < n / 2; i++) {
            double t = values[i];
            values[i] = values[n - 1 - i];
            values[n - 1 - i] = t;
        }
        return values;
    }
}
