package dev.engram.store;

import dev.engram.EngramException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The distance a space is searched with. Every backend must honour a space's metric or refuse
 * the space: a metric that is stored but ignored would rank neighbours wrongly without a word.
 * Today every encoder's space is Euclidean (the autoencoders are trained on squared error, the
 * sentence encoder's vectors are unit length, where Euclidean and cosine rank alike).
 */
public enum Metric {
    EUCLIDEAN;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The metric named {@code id}, or a refusal that names the ones engram has. */
    public static Metric of(String id) {
        for (Metric m : values()) {
            if (m.id().equals(id)) {
                return m;
            }
        }
        throw EngramException.invalidInput("unknown metric '" + id + "' (engram searches spaces by: "
                + Arrays.stream(values()).map(Metric::id).collect(Collectors.joining(", ")) + ")");
    }

    public double distance(float[] a, float[] b) {
        return Vectors.distance(a, b);
    }
}
