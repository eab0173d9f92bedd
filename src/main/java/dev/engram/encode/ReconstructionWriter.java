package dev.engram.encode;

import dev.engram.store.Space;

import java.io.IOException;
import java.nio.file.Path;

/**
 * How what a space's decoder made is written as a file people can look at.
 *
 * @param extension the file name ending of what it writes, with the dot
 * @param writer    writes the decoder's output for a point of a space to a file, replacing it
 */
public record ReconstructionWriter(String extension, Writer writer) {

    @FunctionalInterface
    public interface Writer {
        void write(Space space, float[] values, Path file) throws IOException;
    }

    public void write(Space space, float[] values, Path file) throws IOException {
        writer.write(space, values, file);
    }
}
