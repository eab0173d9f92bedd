package dev.engram.encode;

/**
 * Per-column standardisation, {@code z = (x - mean) / scale}, fitted on a dense autoencoder's
 * training data so that columns in different units weigh alike in the reconstruction loss. A
 * column that is constant in the training data gets scale 1: its standardised value is then 0
 * for every training row and any later deviation shows in the original units, instead of being
 * divided by zero.
 */
public record Standardisation(float[] mean, float[] scale) {

    public Standardisation {
        if (mean.length != scale.length) {
            throw new IllegalArgumentException(mean.length + " means but " + scale.length + " scales");
        }
    }

    /** Column means and population standard deviations of {@code rows}, in double precision. */
    public static Standardisation fit(float[][] rows) {
        int width = rows[0].length;
        double[] sum = new double[width];
        for (float[] row : rows) {
            for (int j = 0; j < width; j++) {
                sum[j] += row[j];
            }
        }
        float[] mean = new float[width];
        double[] squares = new double[width];
        for (int j = 0; j < width; j++) {
            double m = sum[j] / rows.length;
            mean[j] = (float) m;
            for (float[] row : rows) {
                double d = row[j] - m;
                squares[j] += d * d;
            }
        }
        float[] scale = new float[width];
        for (int j = 0; j < width; j++) {
            float sd = (float) Math.sqrt(squares[j] / rows.length);
            scale[j] = sd > 0 && Float.isFinite(sd) ? sd : 1f;
        }
        return new Standardisation(mean, scale);
    }

    public int width() {
        return mean.length;
    }

    public float[][] apply(float[][] rows) {
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            float[] z = new float[mean.length];
            for (int j = 0; j < z.length; j++) {
                z[j] = (rows[i][j] - mean[j]) / scale[j];
            }
            out[i] = z;
        }
        return out;
    }

    public float[][] invert(float[][] rows) {
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            float[] x = new float[mean.length];
            for (int j = 0; j < x.length; j++) {
                x[j] = rows[i][j] * scale[j] + mean[j];
            }
            out[i] = x;
        }
        return out;
    }
}
