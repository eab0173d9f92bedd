package dev.engram.encode.audio;

/**
 * In-place iterative radix-2 FFT (Cooley and Tukey, 1965): bit-reversal permutation, then
 * butterflies of doubling span. Enough for the short frames of a spectrogram.
 */
final class Fft {
    private Fft() {
    }

    /** Transforms {@code re + i im} in place; the length must be a power of two. */
    static void transform(double[] re, double[] im) {
        int n = re.length;
        if (n != im.length || Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("FFT length must be a power of two, not " + n);
        }
        for (int i = 1, j = 0; i < n; i++) {
            int bit = n >> 1;
            for (; (j & bit) != 0; bit >>= 1) {
                j ^= bit;
            }
            j ^= bit;
            if (i < j) {
                double t = re[i];
                re[i] = re[j];
                re[j] = t;
                t = im[i];
                im[i] = im[j];
                im[j] = t;
            }
        }
        for (int len = 2; len <= n; len <<= 1) {
            double angle = -2 * Math.PI / len;
            int halfLen = len >> 1;
            for (int k = 0; k < halfLen; k++) {
                // Twiddles computed directly rather than by recurrence, which drifts for long sizes.
                double wr = Math.cos(angle * k);
                double wi = Math.sin(angle * k);
                for (int start = 0; start < n; start += len) {
                    int a = start + k;
                    int b = a + halfLen;
                    double xr = re[b] * wr - im[b] * wi;
                    double xi = re[b] * wi + im[b] * wr;
                    re[b] = re[a] - xr;
                    im[b] = im[a] - xi;
                    re[a] += xr;
                    im[a] += xi;
                }
            }
        }
    }
}
