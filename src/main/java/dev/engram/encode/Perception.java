package dev.engram.encode;

import dev.engram.store.Trace;

/**
 * One input ready for an autoencoder, whatever its modality: an {@link Input} whose content is
 * values, flattened to the encoder's input shape.
 */
public interface Perception extends Input {

    /** The values the encoder sees, flattened in the encoder's input order. */
    float[] values();

    @Override
    default String label() {
        return Trace.sourceLabel(source(), index());
    }
}
