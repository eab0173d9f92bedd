package dev.engram.encode.audio;

import java.util.Arrays;

/**
 * A log-mel spectrogram of fixed size, {@value #MELS} mel bands × {@value #FRAMES} frames, with
 * values in [0, 1] for an autoencoder whose output is a sigmoid.
 *
 * <p>The steps, at {@value #SAMPLE_RATE} Hz (other rates go through {@link Resampler} first):
 * <ol>
 * <li>STFT: frames of {@value #WINDOW} samples (25 ms) centred every {@value #HOP} (10 ms), Hann
 *     window, zero-padded to a {@value #N_FFT}-point FFT; power {@code |X|^2}.
 * <li>Mel filterbank: {@value #MELS} triangles of peak 1, their corners equally spaced on the mel
 *     scale {@code mel(f) = 2595 log10(1 + f/700)} (the HTK formula: Young et al., "The HTK
 *     Book", section 5.4) between {@value #MIN_HZ} and {@value #MAX_HZ} Hz, linear in Hz between
 *     corners.
 * <li>Silence trim: keep the frames from the first to the last whose total mel power is within
 *     {@value #TRIM_DB} dB of the loudest frame, so a word's position in its file and the
 *     silence around it do not matter.
 * <li>Fixed width: the kept frames are resampled along time to {@value #FRAMES} (linear
 *     interpolation when stretching, averaging over each output frame's span when shrinking),
 *     so a word fills the width whatever its length and speaking rate. Measured on the
 *     sample speech (80 clips, 10 words × 8 voices), the nearest clip of another voice is the
 *     same word more often this way than when the kept frames are centred and cropped or
 *     padded to a fixed 0.64 s (see the package's tests and {@code sample-data/README.md}).
 * <li>Power to dB, {@code 10 log10(p)}, clamped to the {@value #TOP_DB} dB below the loudest
 *     value of the clip and mapped to [0, 1]: 1 is the clip's loudest point, 0 is 80 dB or more
 *     below it. Loudness therefore does not matter; a clip of digital silence is all 0.
 * </ol>
 *
 * <p>Layout: row-major {@code [band][frame]}, i.e. C×H×W = 1×{@value #MELS}×{@value #FRAMES}
 * with H the mel bands; row 0 is the LOWEST frequency band, column 0 the earliest frame.
 */
public final class LogMel {
    public static final int SAMPLE_RATE = 16_000;
    public static final int WINDOW = 400;
    public static final int HOP = 160;
    public static final int N_FFT = 512;
    public static final int MELS = 64;
    public static final int FRAMES = 64;
    public static final double MIN_HZ = 50;
    public static final double MAX_HZ = 8_000;
    public static final double TOP_DB = 80;
    public static final double TRIM_DB = 30;

    /** Below this power a value is taken as digital silence (-100 dB). */
    private static final double FLOOR = 1e-10;
    private static final double[] HANN = hann(WINDOW);
    private static final Filterbank FILTERS = new Filterbank();

    private LogMel() {
    }

    /** The spectrogram of a decoded WAV, resampled to {@value #SAMPLE_RATE} Hz first. */
    public static float[] of(Wav wav) {
        return spectrogram(Resampler.resample(wav.samples(), wav.sampleRate(), SAMPLE_RATE));
    }

    /**
     * The spectrogram of mono samples at {@value #SAMPLE_RATE} Hz: {@value #MELS} ×
     * {@value #FRAMES} values in [0, 1], row-major [band][frame], band 0 the lowest.
     */
    public static float[] spectrogram(float[] samples) {
        double[][] power = melPower(samples);
        int[] kept = speech(power, TRIM_DB);
        return toUnit(stretch(power, kept[0], kept[1], FRAMES));
    }

    /** Centre frequency in Hz of mel band {@code band} (0 = lowest). */
    public static double bandCentreHz(int band) {
        if (band < 0 || band >= MELS) {
            throw new IllegalArgumentException("band must be 0.." + (MELS - 1) + ", not " + band);
        }
        return FILTERS.corners[band + 1];
    }

    /**
     * Mel-band power of every STFT frame, {@code [frame][band]}. Frame {@code f} is centred on
     * sample {@code f * HOP}, the signal taken as zero outside the clip (as librosa's
     * {@code center=True} with zero padding), so {@code 1 + n/HOP} frames: the same frames
     * whether a sound is cut tight or has silence around it.
     */
    static double[][] melPower(float[] samples) {
        int frames = 1 + samples.length / HOP;
        double[][] out = new double[frames][];
        double[] re = new double[N_FFT];
        double[] im = new double[N_FFT];
        double[] spectrum = new double[N_FFT / 2 + 1];
        for (int f = 0; f < frames; f++) {
            Arrays.fill(re, 0);
            Arrays.fill(im, 0);
            int start = f * HOP - WINDOW / 2;
            for (int i = Math.max(0, -start); i < WINDOW && start + i < samples.length; i++) {
                re[i] = samples[start + i] * HANN[i];
            }
            Fft.transform(re, im);
            for (int k = 0; k < spectrum.length; k++) {
                spectrum[k] = re[k] * re[k] + im[k] * im[k];
            }
            out[f] = FILTERS.apply(spectrum);
        }
        return out;
    }

    /**
     * {@code [first, end)}: the frames from the first to the last whose total power is within
     * {@code trimDb} of the loudest frame's. All frames when the clip is digital silence.
     */
    static int[] speech(double[][] power, double trimDb) {
        double[] energy = new double[power.length];
        double max = 0;
        for (int f = 0; f < power.length; f++) {
            for (double p : power[f]) {
                energy[f] += p;
            }
            max = Math.max(max, energy[f]);
        }
        if (max <= FLOOR) {
            return new int[] {0, power.length};
        }
        double threshold = max * Math.pow(10, -trimDb / 10);
        int first = 0;
        while (energy[first] < threshold) {
            first++;
        }
        int last = power.length - 1;
        while (energy[last] < threshold) {
            last--;
        }
        return new int[] {first, last + 1};
    }

    /**
     * Frames {@code [from, to)} resampled to {@code width} frames. Output frame {@code j} covers
     * input span {@code [from + j s, from + (j+1) s)} with {@code s = (to-from)/width}: when
     * {@code s > 1} the frames in that span are averaged, weighted by overlap (a box low-pass,
     * so shrinking does not alias); otherwise the value at the span's centre is interpolated
     * linearly between frame centres.
     */
    static double[][] stretch(double[][] power, int from, int to, int width) {
        int n = to - from;
        double s = (double) n / width;
        double[][] out = new double[width][];
        for (int j = 0; j < width; j++) {
            double[] frame = new double[MELS];
            if (s > 1) {
                double lo = j * s;
                double hi = lo + s;
                for (int f = (int) lo; f < Math.min(n, Math.ceil(hi)); f++) {
                    double w = Math.min(hi, f + 1) - Math.max(lo, f);
                    for (int b = 0; b < MELS; b++) {
                        frame[b] += w * power[from + f][b];
                    }
                }
                for (int b = 0; b < MELS; b++) {
                    frame[b] /= s;
                }
            } else {
                double centre = Math.max(0, Math.min(n - 1, (j + 0.5) * s - 0.5));
                int f = (int) centre;
                int g = Math.min(n - 1, f + 1);
                double w = centre - f;
                for (int b = 0; b < MELS; b++) {
                    frame[b] = (1 - w) * power[from + f][b] + w * power[from + g][b];
                }
            }
            out[j] = frame;
        }
        return out;
    }

    /** dB, clamped to {@value #TOP_DB} below the maximum and mapped to [0, 1]; [band][frame]. */
    static float[] toUnit(double[][] power) {
        int width = power.length;
        double max = FLOOR;
        for (double[] frame : power) {
            for (double p : frame) {
                max = Math.max(max, p);
            }
        }
        float[] out = new float[MELS * width];
        if (max <= FLOOR) {
            return out; // digital silence: nothing is loud, all 0
        }
        double maxDb = 10 * Math.log10(max);
        for (int t = 0; t < width; t++) {
            for (int b = 0; b < MELS; b++) {
                double db = 10 * Math.log10(Math.max(power[t][b], FLOOR));
                double v = (db - (maxDb - TOP_DB)) / TOP_DB;
                out[b * width + t] = (float) Math.max(0, Math.min(1, v));
            }
        }
        return out;
    }

    /** The periodic Hann window, the usual choice for STFT analysis (it sums to a constant at 50 % hop). */
    private static double[] hann(int n) {
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / n);
        }
        return w;
    }

    static double hzToMel(double hz) {
        return 2595 * Math.log10(1 + hz / 700);
    }

    static double melToHz(double mel) {
        return 700 * (Math.pow(10, mel / 2595) - 1);
    }

    /** Triangular filters over the FFT bins, stored sparsely (first bin and weights per band). */
    private static final class Filterbank {
        final double[] corners = new double[MELS + 2];
        final int[] firstBin = new int[MELS];
        final double[][] weights = new double[MELS][];

        Filterbank() {
            double lo = hzToMel(MIN_HZ);
            double hi = hzToMel(MAX_HZ);
            for (int i = 0; i < corners.length; i++) {
                corners[i] = melToHz(lo + (hi - lo) * i / (MELS + 1));
            }
            double binHz = (double) SAMPLE_RATE / N_FFT;
            for (int b = 0; b < MELS; b++) {
                double left = corners[b];
                double centre = corners[b + 1];
                double right = corners[b + 2];
                int first = (int) Math.ceil(left / binHz);
                int last = Math.min(N_FFT / 2, (int) Math.floor(right / binHz));
                double[] w = new double[Math.max(0, last - first + 1)];
                for (int k = first; k <= last; k++) {
                    double f = k * binHz;
                    w[k - first] = Math.max(0, f <= centre ? (f - left) / (centre - left) : (right - f) / (right - centre));
                }
                firstBin[b] = first;
                weights[b] = w;
            }
        }

        double[] apply(double[] spectrum) {
            double[] mel = new double[MELS];
            for (int b = 0; b < MELS; b++) {
                double sum = 0;
                double[] w = weights[b];
                for (int i = 0; i < w.length; i++) {
                    sum += w[i] * spectrum[firstBin[b] + i];
                }
                mel[b] = sum;
            }
            return mel;
        }
    }
}
