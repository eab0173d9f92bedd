package dev.engram.encode.audio;

/** Magnitude spectra of test signals, through the package's own FFT. */
final class Spectra {
    static final int SIZE = 16384;

    private Spectra() {
    }

    /** |X(k)| of the Hann-windowed {@value #SIZE} samples around the middle of {@code x}, k = 0..SIZE/2. */
    static double[] magnitude(float[] x) {
        if (x.length < SIZE) {
            throw new IllegalArgumentException("need " + SIZE + " samples, not " + x.length);
        }
        int start = (x.length - SIZE) / 2;
        double[] re = new double[SIZE];
        double[] im = new double[SIZE];
        for (int i = 0; i < SIZE; i++) {
            re[i] = x[start + i] * (0.5 - 0.5 * Math.cos(2 * Math.PI * i / SIZE));
        }
        Fft.transform(re, im);
        double[] mag = new double[SIZE / 2 + 1];
        for (int k = 0; k < mag.length; k++) {
            mag[k] = Math.hypot(re[k], im[k]);
        }
        return mag;
    }

    static double peakHz(float[] x, int rate) {
        double[] mag = magnitude(x);
        int best = 0;
        for (int k = 1; k < mag.length; k++) {
            if (mag[k] > mag[best]) {
                best = k;
            }
        }
        return best * (double) rate / SIZE;
    }

    /** Largest magnitude at or above {@code hz}, in dB relative to the largest anywhere. */
    static double maxDbAbove(float[] x, int rate, double hz) {
        double[] mag = magnitude(x);
        double all = 0;
        double above = 0;
        for (int k = 0; k < mag.length; k++) {
            all = Math.max(all, mag[k]);
            if (k * (double) rate / SIZE >= hz) {
                above = Math.max(above, mag[k]);
            }
        }
        return 20 * Math.log10(above / all);
    }

    /** RMS of the middle half of {@code x}, away from the edges where a filter sees zeros. */
    static double middleRms(float[] x) {
        double sum = 0;
        int from = x.length / 4;
        int to = 3 * x.length / 4;
        for (int i = from; i < to; i++) {
            sum += (double) x[i] * x[i];
        }
        return Math.sqrt(sum / (to - from));
    }
}
