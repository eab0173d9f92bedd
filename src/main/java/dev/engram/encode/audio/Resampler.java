package dev.engram.encode.audio;

/**
 * Band-limited sample-rate conversion by windowed-sinc interpolation, for any pair of rates.
 *
 * <p>Each output sample at input time {@code t} is {@code sum_k x[k] h(t - k)} with the low-pass
 * kernel {@code h(d) = fc sinc(fc d) w(d)}, where {@code fc} is the cutoff as a fraction of the
 * input Nyquist frequency and {@code w} is a Kaiser window spanning {@link #ZERO_CROSSINGS}
 * zero crossings of the sinc on each side. This is J. O. Smith's bandlimited interpolation
 * ("Digital Audio Resampling Home Page", CCRMA, 2002): the kernel is tabulated
 * {@link #TABLE_DENSITY} times per zero crossing and interpolated linearly, so any ratio, even
 * 44100 to 16000, costs the same.
 *
 * <p>The cutoff sits at {@link #CUTOFF} of the lower of the two Nyquist frequencies. The Kaiser
 * window with beta = 0.1102 (A - 8.7) for A = 80 dB of stopband attenuation (Kaiser, 1974; as in
 * Oppenheim &amp; Schafer, "Discrete-Time Signal Processing", 3rd ed., eq. 7.75) and 64 zero
 * crossings has a transition band of (A - 7.95) / (14.36 * 64), about 8 %, of the cutoff
 * (eq. 7.76); centred on 0.96 of the Nyquist frequency it is about 80 dB down by the Nyquist
 * frequency itself, so what lies above the new Nyquist frequency is removed rather than aliased,
 * and content below about 0.92 of it passes unchanged.
 */
public final class Resampler {
    static final int ZERO_CROSSINGS = 64;
    static final int TABLE_DENSITY = 512;
    static final double CUTOFF = 0.96;
    static final double STOPBAND_DB = 80;
    static final double BETA = 0.1102 * (STOPBAND_DB - 8.7);

    /** sinc(u) w(u) at u = i / TABLE_DENSITY zero crossings, for u from 0 to ZERO_CROSSINGS. */
    private static final float[] KERNEL = kernel();

    private Resampler() {
    }

    /**
     * The samples at {@code toRate}: {@code floor(n * toRate / fromRate)} of them (at least one).
     * Returns a copy when the rates are equal.
     */
    public static float[] resample(float[] samples, int fromRate, int toRate) {
        if (fromRate <= 0 || toRate <= 0) {
            throw new IllegalArgumentException("sample rates must be positive, not " + fromRate + " -> " + toRate);
        }
        if (fromRate == toRate || samples.length == 0) {
            return samples.clone();
        }
        double step = (double) fromRate / toRate; // input samples per output sample
        double fc = CUTOFF * Math.min(1.0, (double) toRate / fromRate);
        double half = ZERO_CROSSINGS / fc; // kernel half-width in input samples
        int n = (int) Math.max(1, (long) samples.length * toRate / fromRate);
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            double t = i * step;
            int lo = Math.max(0, (int) Math.ceil(t - half));
            int hi = Math.min(samples.length - 1, (int) Math.floor(t + half));
            double sum = 0;
            for (int k = lo; k <= hi; k++) {
                sum += samples[k] * kernel(Math.abs(t - k) * fc);
            }
            out[i] = (float) (fc * sum);
        }
        return out;
    }

    /** sinc(u) w(u), linearly interpolated in the table; 0 beyond the window. */
    private static double kernel(double u) {
        double pos = u * TABLE_DENSITY;
        int i = (int) pos;
        if (i >= KERNEL.length - 1) {
            return 0;
        }
        double frac = pos - i;
        return KERNEL[i] + frac * (KERNEL[i + 1] - KERNEL[i]);
    }

    private static float[] kernel() {
        int size = ZERO_CROSSINGS * TABLE_DENSITY + 1;
        float[] table = new float[size];
        double i0Beta = besselI0(BETA);
        for (int i = 0; i < size; i++) {
            double u = (double) i / TABLE_DENSITY;
            double r = u / ZERO_CROSSINGS;
            double sinc = i == 0 ? 1 : Math.sin(Math.PI * u) / (Math.PI * u);
            double window = besselI0(BETA * Math.sqrt(Math.max(0, 1 - r * r))) / i0Beta;
            table[i] = (float) (sinc * window);
        }
        return table;
    }

    /** The zeroth-order modified Bessel function of the first kind, by its power series. */
    static double besselI0(double x) {
        double sum = 1;
        double term = 1;
        double q = x * x / 4;
        for (int k = 1; k < 200 && term > 1e-12 * sum; k++) {
            term *= q / ((double) k * k);
            sum += term;
        }
        return sum;
    }
}
