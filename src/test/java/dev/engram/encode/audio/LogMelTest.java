package dev.engram.encode.audio;

import static dev.engram.encode.audio.TestWavs.tone;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LogMelTest {
    private static final int RATE = LogMel.SAMPLE_RATE;
    private static final int SIZE = LogMel.MELS * LogMel.FRAMES;

    @ParameterizedTest
    @ValueSource(doubles = {120, 250, 1000, 3000, 6500})
    void aToneLandsInTheBandCentredNearest(double hz) {
        float[] s = LogMel.spectrogram(tone(hz, RATE, 0.5, 0.5));

        int nearest = 0;
        for (int b = 1; b < LogMel.MELS; b++) {
            if (Math.abs(LogMel.bandCentreHz(b) - hz) < Math.abs(LogMel.bandCentreHz(nearest) - hz)) {
                nearest = b;
            }
        }
        assertEquals(nearest, loudestBand(s), "band of a " + hz + " Hz tone");
    }

    @Test
    void rowZeroIsTheLowestBand() {
        assertTrue(loudestBand(LogMel.spectrogram(tone(120, RATE, 0.5, 0.5))) < 4);
        assertTrue(loudestBand(LogMel.spectrogram(tone(7000, RATE, 0.5, 0.5))) > LogMel.MELS - 6);
        for (int b = 1; b < LogMel.MELS; b++) {
            assertTrue(LogMel.bandCentreHz(b) > LogMel.bandCentreHz(b - 1));
        }
        assertTrue(LogMel.bandCentreHz(0) > LogMel.MIN_HZ && LogMel.bandCentreHz(LogMel.MELS - 1) < LogMel.MAX_HZ);
    }

    @Test
    void htkMelScaleRoundTrips() {
        assertEquals(1000, LogMel.hzToMel(1000), 0.5); // the scale is defined so that 1 kHz is about 1000 mel
        assertEquals(440, LogMel.melToHz(LogMel.hzToMel(440)), 1e-9);
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 400, 401, 4_000, 16_000, 64_000})
    void anyLengthGivesTheFixedShape(int samples) {
        float[] s = LogMel.spectrogram(noise(samples, 1));

        assertEquals(SIZE, s.length);
        float max = 0;
        for (float v : s) {
            assertTrue(v >= 0 && v <= 1, "value " + v);
            max = Math.max(max, v);
        }
        assertEquals(1f, max);
    }

    @Test
    void digitalSilenceIsAllZero() {
        assertArrayEquals(new float[SIZE], LogMel.spectrogram(new float[8000]));
        assertArrayEquals(new float[SIZE], LogMel.spectrogram(new float[3]));
    }

    @Test
    void loudnessDoesNotMatter() {
        float[] loud = sweep(0.6, 0.5);
        float[] quiet = loud.clone();
        for (int i = 0; i < quiet.length; i++) {
            quiet[i] *= 0.01f;
        }
        assertArrayEquals(LogMel.spectrogram(loud), LogMel.spectrogram(quiet), 1e-4f);
    }

    @Test
    void silenceAroundASoundIsTrimmed() {
        float[] word = sweep(0.5, 0.5);
        float[] padded = new float[50 * LogMel.HOP + word.length + 12_000];
        System.arraycopy(word, 0, padded, 50 * LogMel.HOP, word.length);

        assertArrayEquals(LogMel.spectrogram(word), LogMel.spectrogram(padded), 1e-5f);

        float[] offGrid = new float[8_037 + word.length + 3_000];
        System.arraycopy(word, 0, offGrid, 8_037, word.length);
        assertTrue(meanAbsDiff(LogMel.spectrogram(word), LogMel.spectrogram(offGrid)) < 0.03);

    }

    @Test
    void shortAndLongSoundsFillTheWidth() {
        // A rising sweep: whatever its length, it starts low at the left and ends high at the right.
        for (double seconds : new double[] {0.2, 0.6, 2.5}) {
            float[] s = LogMel.spectrogram(sweep(seconds, 0.5));
            int start = loudestBandIn(s, 2);
            int end = loudestBandIn(s, LogMel.FRAMES - 3);
            assertTrue(start < 12 && end > 45, seconds + " s: bands " + start + " -> " + end);
        }
    }

    @Test
    void fftMatchesTheDefinition() {
        Random r = new Random(3);
        int n = 64;
        double[] re = new double[n];
        double[] im = new double[n];
        for (int i = 0; i < n; i++) {
            re[i] = r.nextGaussian();
            im[i] = r.nextGaussian();
        }
        double[] fr = re.clone();
        double[] fi = im.clone();
        Fft.transform(fr, fi);
        for (int k = 0; k < n; k++) {
            double sr = 0;
            double si = 0;
            for (int t = 0; t < n; t++) {
                double a = -2 * Math.PI * k * t / n;
                sr += re[t] * Math.cos(a) - im[t] * Math.sin(a);
                si += re[t] * Math.sin(a) + im[t] * Math.cos(a);
            }
            assertEquals(sr, fr[k], 1e-9);
            assertEquals(si, fi[k], 1e-9);
        }
    }

    @Test
    void resamplesOtherRatesFirst() {
        Wav at44 = new Wav(44100, 1, 16, tone(1000, 44100, 0.5, 0.5));
        Wav at16 = new Wav(RATE, 1, 16, tone(1000, RATE, 0.5, 0.5));
        assertTrue(meanAbsDiff(LogMel.of(at44), LogMel.of(at16)) < 0.02);
    }

    private static int loudestBand(float[] s) {
        int best = 0;
        double bestSum = -1;
        for (int b = 0; b < LogMel.MELS; b++) {
            double sum = 0;
            for (int t = 0; t < LogMel.FRAMES; t++) {
                sum += s[b * LogMel.FRAMES + t];
            }
            if (sum > bestSum) {
                bestSum = sum;
                best = b;
            }
        }
        return best;
    }

    private static int loudestBandIn(float[] s, int frame) {
        int best = 0;
        for (int b = 1; b < LogMel.MELS; b++) {
            if (s[b * LogMel.FRAMES + frame] > s[best * LogMel.FRAMES + frame]) {
                best = b;
            }
        }
        return best;
    }

    /** A sine sweeping exponentially from 150 Hz to 6 kHz. */
    static float[] sweep(double seconds, double amplitude) {
        int n = (int) (seconds * RATE);
        float[] s = new float[n];
        double f0 = 150;
        double k = Math.log(6000 / f0) / seconds;
        for (int i = 0; i < n; i++) {
            double t = (double) i / RATE;
            s[i] = (float) (amplitude * Math.sin(2 * Math.PI * f0 * (Math.exp(k * t) - 1) / k));
        }
        return s;
    }

    private static float[] noise(int n, long seed) {
        Random r = new Random(seed);
        float[] s = new float[n];
        for (int i = 0; i < n; i++) {
            s[i] = (float) (0.1 * r.nextGaussian());
        }
        return s;
    }

    private static double meanAbsDiff(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(a[i] - b[i]);
        }
        return sum / a.length;
    }
}
