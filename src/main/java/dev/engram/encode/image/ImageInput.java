package dev.engram.encode.image;

import dev.engram.encode.ContentHash;
import dev.engram.encode.Perception;

import java.util.Arrays;
import java.util.Objects;

/**
 * One image ready for an encoder.
 *
 * @param source absolute, normalised path of the file it came from
 * @param index  -1 for a plain image file; the 0-based item number inside an IDX file
 * @param pixels channel-major (C×H×W) values in [0,1]; the shape is the one it was read at
 */
public record ImageInput(String source, int index, float[] pixels) implements Perception {

    public ImageInput {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(pixels, "pixels");
        if (index < -1) {
            throw new IllegalArgumentException("index must be -1 or an item number, not " + index);
        }
    }

    @Override
    public float[] values() {
        return pixels;
    }

    /** The source for a plain file, {@code source#index} for an item of an IDX file. */
    public String location() {
        return index < 0 ? source : source + "#" + index;
    }

    /** {@link #contentHash(float[])} of this image's pixels. */
    @Override
    public String contentHash() {
        return contentHash(pixels);
    }

    /**
     * SHA-256 (hex) of the pixels quantised to bytes, {@code round(v*255)} clamped to 0..255.
     * Hashing the quantised values rather than the floats makes the same picture hash the same
     * whether it came from an 8-bit PNG or an IDX file. The shape is not part of the hash.
     */
    public static String contentHash(float[] pixels) {
        byte[] bytes = new byte[pixels.length];
        for (int i = 0; i < pixels.length; i++) {
            bytes[i] = (byte) quantise(pixels[i]);
        }
        return ContentHash.sha256(bytes);
    }

    /** {@code round(v*255)} clamped to 0..255; NaN becomes 0. Shared with {@link PngWriter}. */
    static int quantise(float v) {
        if (!(v > 0f)) {
            return 0; // also NaN
        }
        if (v >= 1f) {
            return 255;
        }
        return Math.round(v * 255f);
    }

    // Records compare array components by identity; images are equal when their pixels are.
    @Override
    public boolean equals(Object o) {
        return o instanceof ImageInput other
                && index == other.index
                && source.equals(other.source)
                && Arrays.equals(pixels, other.pixels);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, index, Arrays.hashCode(pixels));
    }

    @Override
    public String toString() {
        return "ImageInput[" + location() + ", " + pixels.length + " values]";
    }
}
