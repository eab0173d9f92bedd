package dev.engram.encode.text;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One text ready for the sentence encoder.
 *
 * @param source where it came from: a file's absolute path, {@code -} for standard input, the
 *               manifest's path for a manifest field, {@code text} for a command-line string
 * @param index  -1 for a whole file; else the 1-based line (stdin, manifest) or argument number
 * @param text   the text, stripped; never blank
 */
public record TextInput(String source, int index, String text) {

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

    /**
     * SHA-256 (hex) of the text's UTF-8 bytes: the same words twice are one trace, wherever
     * they were read.
     */
    public String contentHash() {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
