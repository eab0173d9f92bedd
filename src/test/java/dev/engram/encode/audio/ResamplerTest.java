package dev.engram.encode.audio;

import static dev.engram.encode.audio.TestWavs.tone;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ResamplerTest {
    private static final int TARGET = 16_000;

    @ParameterizedTest
    @ValueSource(ints = {8000, 11025, 22050, 32000, 44100, 48000, 96000})
    void aToneKeepsItsFrequencyAndLevel(int rate) {
        float[] x = tone(440, rate, 1.5, 0.5);

        float[] y = Resampler.resample(x, rate, TARGET);

        assertEquals((long) x.length * TARGET / rate, y.length);
        assertEquals(440, Spectra.peakHz(y, TARGET), 1.0);
        assertEquals(0.5 / Math.sqrt(2), Spectra.middleRms(y), 0.005);
    }

    @ParameterizedTest
    @CsvSource({"22050, 8300", "22050, 10500", "44100, 9000", "44100, 15000", "48000, 12000", "96000, 8500"})
    void contentAboveTheNewNyquistIsRemovedNotAliased(int rate, double hz) {
        float[] x = tone(hz, rate, 1.5, 0.5);

        float[] y = Resampler.resample(x, rate, TARGET);

        double attenuationDb = 20 * Math.log10(Spectra.middleRms(y) / (0.5 / Math.sqrt(2)));
        assertTrue(attenuationDb < -60, hz + " Hz from " + rate + " Hz is only " + attenuationDb + " dB down");
    }

    @Test
    void contentWellBelowTheNewNyquistPasses() {
        float[] x = tone(6000, 44100, 1.5, 0.5);

        float[] y = Resampler.resample(x, 44100, TARGET);

        assertEquals(6000, Spectra.peakHz(y, TARGET), 1.0);
        assertEquals(0.5 / Math.sqrt(2), Spectra.middleRms(y), 0.005);
    }

    @Test
    void upsamplingAddsNothingAboveTheOldNyquist() {
        float[] x = tone(1000, 8000, 2.5, 0.5);

        float[] y = Resampler.resample(x, 8000, TARGET);

        assertEquals(1000, Spectra.peakHz(y, TARGET), 1.0);
        // Without the low-pass, zero-stuffing would leave an image at 8000 - 1000 = 7000 Hz.
        assertTrue(Spectra.maxDbAbove(y, TARGET, 4200) < -60, "image above 4 kHz");
    }

    @Test
    void equalRatesGiveACopy() {
        float[] x = {0.1f, -0.2f, 0.3f};
        float[] y = Resampler.resample(x, 16000, 16000);
        assertArrayEquals(x, y);
        assertNotSame(x, y);
    }

    @Test
    void besselI0MatchesTabulatedValues() {
        // Abramowitz & Stegun, table 9.8: I0(1) = 1.266065878, I0(5) = 27.23987182.
        assertEquals(1.266065878, Resampler.besselI0(1), 1e-9);
        assertEquals(27.23987182, Resampler.besselI0(5), 1e-7);
    }
}
