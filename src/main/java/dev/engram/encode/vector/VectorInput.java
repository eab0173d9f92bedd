package dev.engram.encode.vector;

import dev.engram.encode.ContentHash;
import dev.engram.encode.Perception;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * One row of a file of numbers, ready for a dense encoder.
 *
 * @param source absolute, normalised path of the file it came from
 * @param index  the 0-based row number among the file's rows of numbers (a header is not a row)
 * @param values the row
 */
public record VectorInput(String source, int index, float[] values) implements Perception {

    public VectorInput {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(values, "values");
        if (index < 0) {
            throw new IllegalArgumentException("index must be a row number, not " + index);
        }
    }

    /** {@code source#index}, the way a cue or a trace names the row. */
    public String location() {
        return source + "#" + index;
    }

    /** {@link #contentHash(float[])} of this row. */
    @Override
    public String contentHash() {
        return contentHash(values);
    }

    /**
     * SHA-256 (hex) of the values' IEEE 754 bits, big-endian, in order. Unlike image pixels,
     * vectors are not quantised: two rows are the same perception only when every value is the
     * same float (so 0.0 and -0.0 differ).
     */
    public static String contentHash(float[] values) {
        ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES);
        for (float v : values) {
            bytes.putInt(Float.floatToIntBits(v));
        }
        return ContentHash.sha256(bytes.array());
    }

    // Records compare array components by identity; rows are equal when their values are.
    @Override
    public boolean equals(Object o) {
        return o instanceof VectorInput other
                && index == other.index
                && source.equals(other.source)
                && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(source, index, Arrays.hashCode(values));
    }

    @Override
    public String toString() {
        return "VectorInput[" + location() + ", " + values.length + " values]";
    }
}
