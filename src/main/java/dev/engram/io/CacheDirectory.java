package dev.engram.io;

import dev.engram.EngramException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where engram keeps files it can always make again (model files copied out of a jar or a
 * database): beside DJL's own cache, {@code DJL_CACHE_DIR} (a system property or environment
 * variable, as DJL reads it) or {@code ~/.djl.ai}, under {@code engram/}; else, when that is not
 * writable (a read-only home), the temporary directory (docs/architecture.md, Dependencies).
 */
public final class CacheDirectory {
    private CacheDirectory() {
    }

    /** A writable directory {@code engram/NAME} in the cache, created if needed. */
    public static Path of(String name, String what) {
        String configured = System.getProperty("DJL_CACHE_DIR", System.getenv("DJL_CACHE_DIR"));
        Path base = configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".djl.ai");
        Path preferred = base.resolve("engram").resolve(name);
        if (writable(preferred)) {
            return preferred;
        }
        Path temp = Path.of(System.getProperty("java.io.tmpdir"),
                "engram-" + System.getProperty("user.name", "user"), name);
        if (writable(temp)) {
            return temp;
        }
        throw EngramException.storeUnavailable("cannot write " + what + " to " + preferred + " or " + temp
                + "; set DJL_CACHE_DIR to a writable directory", null);
    }

    private static boolean writable(Path dir) {
        try {
            Files.createDirectories(dir);
            return Files.isWritable(dir);
        } catch (IOException | SecurityException e) {
            return false;
        }
    }
}
