package dev.engram.encode.audio;

import dev.engram.encode.image.PngWriter;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes a {@link LogMel} spectrogram as a grey PNG the way people read spectrograms: time
 * left to right, low frequencies at the bottom, loud is white.
 */
public final class SpectrogramPng {
    private SpectrogramPng() {
    }

    /** Writes {@code values} ([band][frame], band 0 lowest) to {@code png}, replacing it. */
    public static void write(float[] values, Path png) throws IOException {
        PngWriter.write(flipped(values), AudioSources.SHAPE, png);
    }

    /** The rows in image order: the highest band first, so the lowest is drawn at the bottom. */
    static float[] flipped(float[] values) {
        int bands = AudioSources.SHAPE.height();
        int frames = AudioSources.SHAPE.width();
        if (values.length != bands * frames) {
            throw new IllegalArgumentException(values.length + " values are not a " + bands + "×" + frames
                    + " spectrogram");
        }
        float[] image = new float[values.length];
        for (int b = 0; b < bands; b++) {
            System.arraycopy(values, b * frames, image, (bands - 1 - b) * frames, frames);
        }
        return image;
    }
}
