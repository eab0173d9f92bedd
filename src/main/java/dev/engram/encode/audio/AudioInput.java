package dev.engram.encode.audio;

import dev.engram.encode.ContentHash;
import dev.engram.encode.Perception;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * One sound ready for an encoder: its {@link LogMel} spectrogram.
 *
 * @param source      absolute, normalised path of the WAV file
 * @param contentHash {@link #contentHash(Wav)} of the decoded sound
 * @param spectrogram {@link LogMel#MELS} × {@link LogMel#FRAMES} values in [0, 1], [band][frame]
 */
public record AudioInput(String source, String contentHash, float[] spectrogram) implements Perception {

    public AudioInput {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(contentHash, "contentHash");
        Objects.requireNonNull(spectrogram, "spectrogram");
    }

    /** Decodes a WAV file and makes its spectrogram; failures are invalidInput naming the file. */
    public static AudioInput read(Path file) {
        Wav wav = Wav.read(file);
        return new AudioInput(file.toAbsolutePath().normalize().toString(), contentHash(wav), LogMel.of(wav));
    }

    /** A WAV file is one input: always -1. */
    @Override
    public int index() {
        return -1;
    }

    @Override
    public float[] values() {
        return spectrogram;
    }

    /**
     * SHA-256 (hex) of the sample rate (4 bytes, big-endian) followed by the mono samples
     * quantised to 16 bits ({@code round(v*32768)} clamped to the 16-bit range, little-endian).
     * Quantising makes the same sound hash the same whether it was stored as 16-bit, 24-bit or
     * float; the rate is included because the same samples at another rate are another sound.
     */
    public static String contentHash(Wav wav) {
        float[] samples = wav.samples();
        ByteBuffer bytes = ByteBuffer.allocate(4 + 2 * samples.length).order(ByteOrder.BIG_ENDIAN);
        bytes.putInt(wav.sampleRate()).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : samples) {
            bytes.putShort((short) Math.max(Short.MIN_VALUE, Math.min(Short.MAX_VALUE, Math.round(v * 32768f))));
        }
        return ContentHash.sha256(bytes.array());
    }

    // Records compare array components by identity; inputs are equal when their values are.
    @Override
    public boolean equals(Object o) {
        return o instanceof AudioInput other
                && source.equals(other.source)
                && contentHash.equals(other.contentHash)
                && Arrays.equals(spectrogram, other.spectrogram);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, contentHash, Arrays.hashCode(spectrogram));
    }

    @Override
    public String toString() {
        return "AudioInput[" + source + ", " + spectrogram.length + " values]";
    }
}
