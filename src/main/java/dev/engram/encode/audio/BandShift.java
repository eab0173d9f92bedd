package dev.engram.encode.audio;

import dev.engram.encode.Perception;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Training-time augmentation for sound spaces: each spectrogram again with its mel bands shifted
 * up and down by one and two bands. On the mel scale a shift of the band axis is close to
 * scaling every frequency by one factor, which is how a longer or shorter vocal tract moves the
 * formants of the same word: vocal tract length perturbation (Jaitly &amp; Hinton 2013, "Vocal
 * Tract Length Perturbation (VTLP) improves speech recognition", ICML workshop). Trained on such
 * copies, an autoencoder places the word of a higher or lower voice it never heard nearer the
 * voices it did. One band here is about 3.7 % of frequency at 1 kHz. Only training sees the
 * copies: the traces stored are the clips as heard.
 */
public final class BandShift {
    /** The shifts applied, in bands (0: the clip itself). */
    public static final int[] SHIFTS = {0, -2, -1, 1, 2};

    private BandShift() {
    }

    /** The inputs and their concepts (may be null), each followed by its shifted copies. */
    public record Augmented(List<Perception> inputs, int[] concepts) {
    }

    public static Augmented augment(List<? extends Perception> inputs, int[] concepts) {
        List<Perception> out = new ArrayList<>(inputs.size() * SHIFTS.length);
        int[] outConcepts = concepts == null ? null : new int[inputs.size() * SHIFTS.length];
        for (int i = 0; i < inputs.size(); i++) {
            Perception p = inputs.get(i);
            for (int s = 0; s < SHIFTS.length; s++) {
                out.add(s == 0 ? p : new Shifted(p.source(), p.contentHash() + "+" + SHIFTS[s],
                        shift(p.values(), SHIFTS[s])));
                if (outConcepts != null) {
                    outConcepts[i * SHIFTS.length + s] = concepts[i];
                }
            }
        }
        return new Augmented(out, outConcepts);
    }

    /**
     * The spectrogram ({@code [band][frame]}, band 0 the lowest) with every band moved up by
     * {@code bands} (down if negative); the bands uncovered at the edge repeat the edge band.
     */
    public static float[] shift(float[] spectrogram, int bands) {
        int frames = spectrogram.length / LogMel.MELS;
        float[] out = new float[spectrogram.length];
        for (int b = 0; b < LogMel.MELS; b++) {
            int from = Math.max(0, Math.min(LogMel.MELS - 1, b - bands));
            System.arraycopy(spectrogram, from * frames, out, b * frames, frames);
        }
        return out;
    }

    private record Shifted(String source, String contentHash, float[] values) implements Perception {
        @Override
        public int index() {
            return -1;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Shifted other && contentHash.equals(other.contentHash)
                    && Arrays.equals(values, other.values);
        }

        @Override
        public int hashCode() {
            return contentHash.hashCode();
        }
    }
}
