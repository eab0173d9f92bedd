package dev.engram.encode;

/**
 * One input ready for an autoencoder, whatever its modality: where it came from, a hash of its
 * content (the same input twice is one trace) and its values, flattened to the encoder's input
 * shape.
 */
public interface Perception {

    /** Absolute, normalised path of the file it came from (or another stable label). */
    String source();

    /** -1 for a file that is one input; the 0-based item number inside a multi-item file. */
    int index();

    /** Hex SHA-256 identifying the content. */
    String contentHash();

    /** The values the encoder sees, flattened in the encoder's input order. */
    float[] values();
}
