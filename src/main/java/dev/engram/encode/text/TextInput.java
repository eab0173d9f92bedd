package dev.engram.encode.text;

import dev.engram.encode.ContentHash;
import dev.engram.encode.Input;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One text ready for the sentence encoder.
 *
 * @param source where it came from: a file's absolute path, {@code -} for standard input, the
 *               manifest's path for a manifest field, {@code text} for a command-line string
 * @param index  -1 for a whole file; else the 1-based line (stdin, manifest) or argument number
 * @param text   the text, stripped; never blank
 */
public record TextInput(String source, int index, String text) implements Input {

    public TextInput {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(text, "text");
        if (text.isBlank()) {
            throw new IllegalArgumentException("blank text from " + source);
        }
    }

    public String location() {
        return index < 0 ? source : source + "#" + index;
    }

    /** A text is named by its words. */
    @Override
    public String label() {
        return text;
    }

    /**
     * SHA-256 (hex) of the text's UTF-8 bytes: the same words twice are one trace, wherever
     * they were read.
     */
    @Override
    public String contentHash() {
        return ContentHash.sha256(text.getBytes(StandardCharsets.UTF_8));
    }
}
