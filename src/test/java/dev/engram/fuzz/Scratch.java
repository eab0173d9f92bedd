package dev.engram.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where fuzz targets put their input as a file, since engram's readers take paths as a user's
 * files do. One directory per JVM, deleted at exit; each target overwrites its own file names.
 */
final class Scratch {
    private static final Path DIRECTORY = create();

    private Scratch() {
    }

    /** A directory of its own for one target (created on first use). */
    static Path directory(String name) throws IOException {
        return Files.createDirectories(DIRECTORY.resolve(name));
    }

    /** Writes {@code bytes} to {@code name} in the target's directory and returns its path. */
    static Path file(String target, String name, byte[] bytes) throws IOException {
        return Files.write(directory(target).resolve(name), bytes);
    }

    /** Empties a directory (a target that writes a whole folder per input starts from nothing). */
    static void clear(Path directory) throws IOException {
        try (Stream<Path> walk = Files.walk(directory)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(directory)) {
                    Files.delete(p);
                }
            }
        }
    }

    private static Path create() {
        try {
            Path directory = Files.createTempDirectory("engram-fuzz");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    clear(directory);
                    Files.delete(directory);
                } catch (IOException e) {
                    // A temporary directory left behind harms nothing.
                }
            }));
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
