package dev.engram.store;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The files of each space's model, by space name and model version. Encoders save and load
 * themselves through local directories (DJL reads parameter files by path), so the repository
 * lends one for the duration of a call: where the files really live (a store directory, a
 * database) is the backend's business. Models are written in units of work
 * ({@link Transaction#writeModel}), with the space that uses them.
 */
public interface ModelRepository {

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
