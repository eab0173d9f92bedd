package dev.engram.encode;

/**
 * One input of any modality, read and ready for its space's encoder: where it came from and a
 * hash of its content (the same content twice is one trace). {@link Perception}s are the inputs
 * an autoencoder takes as numbers; a {@link dev.engram.encode.text.TextInput} is words.
 */
public interface Input {

    /** Absolute, normalised path of the file it came from (or another stable label). */
    String source();

    /** -1 for a file that is one input; else its item, row or line number inside its source. */
    int index();

    /** Hex SHA-256 identifying the content. */
    String contentHash();

    /** How a report names it: its text for a text, else its source (with {@code #index} for an item of a file). */
    String label();
}
