package dev.engram.dim;

import dev.engram.EngramException;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The benchmark manifolds of known intrinsic dimension on which intrinsic-dimension estimators
 * are usually compared: those of Hein and Audibert, "Intrinsic dimensionality estimation of
 * submanifolds in R^d", ICML 2005, with the additions of Campadelli, Casiraghi, Ceruti and
 * Rozza, "Intrinsic dimension estimation: relevant techniques and a benchmark framework",
 * Math. Probl. Eng. 2015:759567. The formulas, names, dimensions and the order in which
 * coordinates are drawn are those of scikit-dimension's {@code skdim.datasets.BenchmarkManifolds}
 * (itself adapted from the GeoMLE code of Gomtsyan et al. 2019); the random numbers are
 * Java's, so a seed gives the same sample here every time but not the same sample as numpy.
 */
public final class Manifolds {

    private Manifolds() {
    }

    /** One manifold, named as in scikit-dimension, with its intrinsic and ambient dimensions. */
    public enum Benchmark {
        M1_SPHERE("M1_Sphere", 10, 11, "10D sphere linearly embedded"),
        M2_AFFINE_3TO5("M2_Affine_3to5", 3, 5, "Affine space"),
        M3_NONLINEAR_4TO6("M3_Nonlinear_4to6", 4, 6, "Concentrated figure, mistakable with a 3D one"),
        M4_NONLINEAR("M4_Nonlinear", 4, 8, "Nonlinear manifold"),
        M5A_HELIX1D("M5a_Helix1d", 1, 3, "1D helix"),
        M5B_HELIX2D("M5b_Helix2d", 2, 3, "2D helix"),
        M6_NONLINEAR("M6_Nonlinear", 6, 36, "Nonlinear manifold"),
        M7_ROLL("M7_Roll", 2, 3, "Swiss Roll"),
        M8_NONLINEAR("M8_Nonlinear", 12, 72, "Nonlinear (highly curved) manifold"),
        M9_AFFINE("M9_Affine", 20, 20, "Affine space"),
        M10A_CUBIC("M10a_Cubic", 10, 11, "10D hypercube"),
        M10B_CUBIC("M10b_Cubic", 17, 18, "17D hypercube"),
        M10C_CUBIC("M10c_Cubic", 24, 25, "24D hypercube"),
        M10D_CUBIC("M10d_Cubic", 70, 71, "70D hypercube"),
        M11_MOEBIUS("M11_Moebius", 2, 3, "Möbius band 10-times twisted"),
        M12_NORM("M12_Norm", 20, 20, "Isotropic multivariate Gaussian"),
        M13A_SCURVE("M13a_Scurve", 2, 3, "2D S-curve"),
        M13B_SPIRAL("M13b_Spiral", 1, 13, "1D helix curve"),
        MBETA("Mbeta", 10, 40, "Manifold generated with a smooth nonuniform pdf"),
        MN1_NONLINEAR("Mn1_Nonlinear", 18, 72, "Nonlinearly embedded manifold of high ID"),
        MN2_NONLINEAR("Mn2_Nonlinear", 24, 96, "Nonlinearly embedded manifold of high ID"),
        MP1_PARABOLOID("Mp1_Paraboloid", 3, 12, "3D paraboloid, nonlinearly embedded in 12D, multivariate Burr"),
        MP2_PARABOLOID("Mp2_Paraboloid", 6, 21, "6D paraboloid, nonlinearly embedded in 21D, multivariate Burr"),
        MP3_PARABOLOID("Mp3_Paraboloid", 9, 30, "9D paraboloid, nonlinearly embedded in 30D, multivariate Burr");

        private final String id;
        private final int intrinsicDimension;
        private final int ambientDimension;
        private final String description;

        Benchmark(String id, int intrinsicDimension, int ambientDimension, String description) {
            this.id = id;
            this.intrinsicDimension = intrinsicDimension;
            this.ambientDimension = ambientDimension;
            this.description = description;
        }

        /** scikit-dimension's name, for example {@code M10a_Cubic}. */
        public String id() {
            return id;
        }

        public int intrinsicDimension() {
            return intrinsicDimension;
        }

        public int ambientDimension() {
            return ambientDimension;
        }

        public String description() {
            return description;
        }

        /** n points, the same for the same seed. */
        public float[][] sample(int n, long seed) {
            return Manifolds.sample(this, n, seed, 0);
        }

        /** By scikit-dimension's name or the constant's, ignoring case. */
        public static Benchmark named(String name) {
            for (Benchmark b : values()) {
                if (b.id.equalsIgnoreCase(name) || b.name().equalsIgnoreCase(name)) {
                    return b;
                }
            }
            throw EngramException.unknown("no benchmark manifold is named '" + name + "'; they are "
                    + String.join(", ", Arrays.stream(values()).map(Benchmark::id).toList()));
        }
    }

    /**
     * n points of the manifold, plus uniform noise in [−noise/2, noise/2) on every ambient
     * coordinate when noise &gt; 0 (scikit-dimension's default {@code noise_type="uniform"}).
     */
    public static float[][] sample(Benchmark manifold, int n, long seed, double noise) {
        if (n < 1) {
            throw EngramException.invalidInput("the number of points to sample must be at least 1, got " + n);
        }
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw EngramException.invalidInput("the noise amplitude must be a finite number, 0 or more, got " + noise);
        }
        SplittableRandom random = new SplittableRandom(seed);
        int d = manifold.intrinsicDimension;
        int dim = manifold.ambientDimension;
        double[][] x = switch (manifold) {
            case M1_SPHERE -> sphere(random, n, dim, d);
            case M2_AFFINE_3TO5 -> affine3to5(random, n);
            case M3_NONLINEAR_4TO6 -> nonlinear4to6(random, n);
            case M4_NONLINEAR, M6_NONLINEAR, M8_NONLINEAR -> nonlinear(random, n, dim, d);
            case M5A_HELIX1D -> helix1(random, n, dim);
            case M5B_HELIX2D -> helix2(random, n, dim);
            case M7_ROLL -> roll(random, n, dim);
            case M9_AFFINE -> affine(random, n, dim, d);
            case M10A_CUBIC, M10B_CUBIC, M10C_CUBIC, M10D_CUBIC -> cubic(random, n, dim, d);
            case M11_MOEBIUS -> moebius(random, n);
            case M12_NORM -> norm(random, n, dim, d);
            case M13A_SCURVE -> scurve(random, n, dim);
            case M13B_SPIRAL -> spiral(random, n, dim);
            case MBETA -> campadelliBeta(random, n, d);
            case MN1_NONLINEAR, MN2_NONLINEAR -> campadelliN(random, n, d);
            case MP1_PARABOLOID, MP2_PARABOLOID, MP3_PARABOLOID -> paraboloid(random, n, d);
        };
        float[][] points = new float[n][dim];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < dim; j++) {
                double value = x[i][j];
                if (noise > 0) {
                    value += (random.nextDouble() - 0.5) * noise;
                }
                points[i][j] = (float) value;
            }
        }
        return points;
    }

    /** S^d in its first d + 1 coordinates: normalised Gaussian vectors. */
    private static double[][] sphere(SplittableRandom random, int n, int dim, int d) {
        double[][] x = new double[n][dim];
        for (double[] row : x) {
            double norm = 0;
            for (int j = 0; j <= d; j++) {
                row[j] = random.nextGaussian();
                norm += row[j] * row[j];
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j <= d; j++) {
                row[j] /= norm;
            }
        }
        return x;
    }

    private static final double[][] AFFINE_3TO5 = {
            {1.2, -0.5, 0},
            {0.5, 0.9, 0},
            {-0.5, -0.2, 1},
            {0.4, -0.9, -0.1},
            {1.1, -0.3, 0},
    };
    private static final double[] AFFINE_3TO5_SHIFT = {3, -1, 0, 0, 8};

    /** A·p + b with p uniform in [0, 4]³: p is drawn coordinate by coordinate over all points, as numpy fills (d, n). */
    private static double[][] affine3to5(SplittableRandom random, int n) {
        double[][] p = uniformByRow(random, 3, n, 4, 0);
        double[][] x = new double[n][5];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < 5; r++) {
                double v = AFFINE_3TO5_SHIFT[r];
                for (int c = 0; c < 3; c++) {
                    v += AFFINE_3TO5[r][c] * p[c][i];
                }
                x[i][r] = v;
            }
        }
        return x;
    }

    private static double[][] nonlinear4to6(SplittableRandom random, int n) {
        double[][] p = uniformByRow(random, 4, n, 1, 0);
        double[][] x = new double[n][6];
        for (int i = 0; i < n; i++) {
            double p0 = p[0][i], p1 = p[1][i], p2 = p[2][i], p3 = p[3][i];
            x[i][0] = p1 * p1 * Math.cos(2 * Math.PI * p0);
            x[i][1] = p2 * p2 * Math.sin(2 * Math.PI * p0);
            x[i][2] = p1 + p2 + (p1 - p3) * (p1 - p3);
            x[i][3] = p1 - 2 * p2 + (p0 - p3) * (p0 - p3);
            x[i][4] = -p1 - 2 * p2 + (p2 - p3) * (p2 - p3);
            x[i][5] = p0 * p0 - p1 * p1 + p2 * p2 - p3 * p3;
        }
        return x;
    }

    /**
     * Coordinates 2i and 2i+1 are p_(i+1 mod d)·(cos 2πp_i, sin 2πp_i), i &lt; d, and the 2d
     * coordinates are repeated dim/(2d) times.
     */
    private static double[][] nonlinear(SplittableRandom random, int n, int dim, int d) {
        double[][] p = uniformByRow(random, d, n, 1, 0);
        int copies = dim / (2 * d);
        double[][] x = new double[n][dim];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                double radius = p[(c + 1) % d][i];
                double angle = 2 * Math.PI * p[c][i];
                double a = radius * Math.cos(angle);
                double b = radius * Math.sin(angle);
                for (int m = 0; m < copies; m++) {
                    x[i][m * 2 * d + 2 * c] = a;
                    x[i][m * 2 * d + 2 * c + 1] = b;
                }
            }
        }
        return x;
    }

    private static double[][] helix1(SplittableRandom random, int n, int dim) {
        double[][] x = new double[n][dim];
        for (double[] row : x) {
            double t = 2 * Math.PI / n + random.nextDouble() * 2 * Math.PI;
            row[0] = (2 + Math.cos(8 * t)) * Math.cos(t);
            row[1] = (2 + Math.cos(8 * t)) * Math.sin(t);
            row[2] = Math.sin(8 * t);
        }
        return x;
    }

    private static double[][] helix2(SplittableRandom random, int n, int dim) {
        double[] r = uniform(random, n, 10 * Math.PI, 0);
        double[] p = uniform(random, n, 10 * Math.PI, 0);
        double[][] x = new double[n][dim];
        for (int i = 0; i < n; i++) {
            x[i][0] = r[i] * Math.cos(p[i]);
            x[i][1] = r[i] * Math.sin(p[i]);
            x[i][2] = 0.5 * p[i];
        }
        return x;
    }

    private static double[][] roll(SplittableRandom random, int n, int dim) {
        double[] u = uniform(random, n, 1, 0);
        double[] p = uniform(random, n, 21, 0);
        double[][] x = new double[n][dim];
        for (int i = 0; i < n; i++) {
            double t = 1.5 * Math.PI * (1 + 2 * u[i]);
            x[i][0] = t * Math.cos(t);
            x[i][1] = p[i];
            x[i][2] = t * Math.sin(t);
        }
        return x;
    }

    /** Uniform in [−2.5, 2.5]^d in the first d coordinates. */
    private static double[][] affine(SplittableRandom random, int n, int dim, int d) {
        double[][] p = uniformByRow(random, d, n, 5, -2.5);
        double[][] x = new double[n][dim];
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < d; c++) {
                x[i][c] = p[c][i];
            }
        }
        return x;
    }

    /**
     * The surface of the unit (d+1)-cube: for each axis in turn, n/(2(d+1)) + 1 points (integer
     * division) uniform on the face where that coordinate is 0, as many on the face where it is
     * 1; the first n of them in that order.
     */
    private static double[][] cubic(SplittableRandom random, int n, int dim, int d) {
        int perFace = n / (2 * (d + 1)) + 1;
        double[][] x = new double[n][dim];
        int at = 0;
        for (int axis = 0; axis <= d; axis++) {
            for (int side = 0; side <= 1; side++) {
                // numpy draws the (d+1, perFace) block row by row: coordinate by coordinate.
                double[][] block = uniformByRow(random, d + 1, perFace, 1, 0);
                for (int i = 0; i < perFace; i++, at++) {
                    if (at < n) {
                        for (int c = 0; c <= d; c++) {
                            x[at][c] = c == axis ? side : block[c][i];
                        }
                    }
                }
            }
        }
        return x;
    }

    private static double[][] moebius(SplittableRandom random, int n) {
        double[] phi = uniform(random, n, 2 * Math.PI, 0);
        double[] rad = uniform(random, n, 2, -1);
        double[][] x = new double[n][3];
        for (int i = 0; i < n; i++) {
            double width = 1 + 0.5 * rad[i] * Math.cos(5.0 * phi[i]);
            x[i][0] = width * Math.cos(phi[i]);
            x[i][1] = width * Math.sin(phi[i]);
            x[i][2] = 0.5 * rad[i] * Math.sin(5.0 * phi[i]);
        }
        return x;
    }

    private static double[][] norm(SplittableRandom random, int n, int dim, int d) {
        double[][] x = new double[n][dim];
        for (double[] row : x) {
            for (int c = 0; c < d; c++) {
                row[c] = random.nextGaussian();
            }
        }
        return x;
    }

    private static double[][] scurve(SplittableRandom random, int n, int dim) {
        double[] u = uniform(random, n, 1, 0);
        double[] p = uniform(random, n, 2, 0);
        double[][] x = new double[n][dim];
        for (int i = 0; i < n; i++) {
            double t = 3 * Math.PI * (u[i] - 0.5);
            x[i][0] = Math.sin(t);
            x[i][1] = p[i];
            x[i][2] = Math.signum(t) * (Math.cos(t) - 1);
        }
        return x;
    }

    private static double[][] spiral(SplittableRandom random, int n, int dim) {
        double[][] x = new double[n][dim];
        for (double[] row : x) {
            double t = 10 * Math.PI * random.nextDouble();
            row[0] = 100 * Math.cos(t);
            row[1] = 100 * Math.sin(t);
            row[2] = t;
        }
        return x;
    }

    /** X ~ Beta(10, 0.5)^d; [X sin(cos 2πX), X cos(sin 2πX)] twice: 4d coordinates. */
    private static double[][] campadelliBeta(SplittableRandom random, int n, int d) {
        double[][] x = new double[n][4 * d];
        for (double[] row : x) {
            for (int c = 0; c < d; c++) {
                double b = beta(random, 10, 0.5);
                double first = b * Math.sin(Math.cos(2 * Math.PI * b));
                double second = b * Math.cos(Math.sin(2 * Math.PI * b));
                row[c] = first;
                row[d + c] = second;
                row[2 * d + c] = first;
                row[3 * d + c] = second;
            }
        }
        return x;
    }

    /** X uniform in [0, 1]^d; [tan(X_i cos X_(d−1−i)), arctan(X_(d−1−i) sin X_i)] twice. */
    private static double[][] campadelliN(SplittableRandom random, int n, int d) {
        double[][] x = new double[n][4 * d];
        double[] u = new double[d];
        for (double[] row : x) {
            for (int c = 0; c < d; c++) {
                u[c] = random.nextDouble();
            }
            for (int c = 0; c < d; c++) {
                double first = Math.tan(u[c] * Math.cos(u[d - 1 - c]));
                double second = Math.atan(u[d - 1 - c] * Math.sin(u[c]));
                row[c] = first;
                row[d + c] = second;
                row[2 * d + c] = first;
                row[3 * d + c] = second;
            }
        }
        return x;
    }

    /**
     * E ~ Exp(1)^(d+1); X_i = 1/(1 + E_(i+1)/E_0) (a multivariate Burr law), X_d = Σ X_i²;
     * then [X, sin X, X²]: 3(d + 1) coordinates.
     */
    private static double[][] paraboloid(SplittableRandom random, int n, int d) {
        double[][] e = new double[d + 1][n];
        for (double[] row : e) {
            for (int i = 0; i < n; i++) {
                row[i] = random.nextExponential();
            }
        }
        int width = d + 1;
        double[][] x = new double[n][3 * width];
        for (int i = 0; i < n; i++) {
            double sumSquares = 0;
            for (int c = 0; c < d; c++) {
                double v = 1 / (1 + e[c + 1][i] / e[0][i]);
                x[i][c] = v;
                sumSquares += v * v;
            }
            x[i][d] = sumSquares;
            for (int c = 0; c < width; c++) {
                x[i][width + c] = Math.sin(x[i][c]);
                x[i][2 * width + c] = x[i][c] * x[i][c];
            }
        }
        return x;
    }

    private static double[] uniform(SplittableRandom random, int n, double scale, double shift) {
        double[] u = new double[n];
        for (int i = 0; i < n; i++) {
            u[i] = random.nextDouble() * scale + shift;
        }
        return u;
    }

    private static double[][] uniformByRow(SplittableRandom random, int rows, int n, double scale, double shift) {
        double[][] u = new double[rows][];
        for (int r = 0; r < rows; r++) {
            u[r] = uniform(random, n, scale, shift);
        }
        return u;
    }

    /** Beta(a, b) as G_a / (G_a + G_b) with independent standard gamma variables. */
    static double beta(SplittableRandom random, double a, double b) {
        double x = gamma(random, a);
        double y = gamma(random, b);
        return x / (x + y);
    }

    /**
     * A standard gamma variable of the given shape: Marsaglia and Tsang, "A simple method for
     * generating gamma variables", ACM TOMS 26 (2000); shapes below 1 through
     * Gamma(a) = Gamma(a + 1)·U^(1/a) (their §6).
     */
    static double gamma(SplittableRandom random, double shape) {
        if (shape < 1) {
            double u = random.nextDouble();
            // nextDouble can be 0; 1 − u cannot.
            return gamma(random, shape + 1) * Math.pow(1 - u, 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double z;
            double v;
            do {
                z = random.nextGaussian();
                v = 1 + c * z;
            } while (v <= 0);
            v = v * v * v;
            double u = random.nextDouble();
            if (u < 1 - 0.0331 * z * z * z * z) {
                return d * v;
            }
            if (Math.log(u) < 0.5 * z * z + d * (1 - v + Math.log(v))) {
                return d * v;
            }
        }
    }
}
