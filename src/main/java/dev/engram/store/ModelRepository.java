package dev.engram.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The files of each space's model, by space name and model version. Encoders save and load
 * themselves through local directories (DJL reads parameter files by path), so the repository
 * lends one for the duration of a call: where the files really live (a store directory, a
 * database) is the backend's business.
 */
public interface ModelRepository {

    /**
     * Stores the files that {@code writer} puts into an empty local directory as the model of
     * {@code space} at {@code version}, replacing whatever was there. The model is visible
     * whole or not at all: a writer that throws leaves the previous model (or none) in place.
     */
    void write(String space, int version, Writer writer);

    /** Calls {@code reader} with a local directory holding the model's files; an unknown model is an error. */
    <T> T read(String space, int version, Reader<T> reader);

    boolean exists(String space, int version);

    @FunctionalInterface
    interface Writer {
        void write(Path directory) throws IOException;
    }

    @FunctionalInterface
    interface Reader<T> {
        T read(Path directory) throws IOException;
    }
}
