package dev.engram.encode;

import ai.djl.engine.Engine;
import dev.engram.EngramException;

import java.nio.file.Path;

/**
 * Starts DJL's PyTorch engine once per process. The native libraries come from the
 * pytorch-native-cpu jar on the class path and are unpacked into DJL's cache (~/.djl.ai, or
 * DJL_CACHE_DIR / ENGINE_CACHE_DIR); nothing is downloaded ({@code ai.djl.offline=true}).
 */
public final class Engines {
    private Engines() {
    }

    public static Engine pytorch() {
        // The launcher sets this too; set it here as well so in-process callers (tests) are offline.
        System.setProperty("ai.djl.offline", "true");
        try {
            return Engine.getEngine("PyTorch");
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw EngramException.storeUnavailable("cannot start the PyTorch engine: " + rootMessage(e)
                    + "; DJL unpacks its native libraries into " + cacheDirectory()
                    + ", which must be writable (set DJL_CACHE_DIR to move it)", e);
        }
    }

    private static Path cacheDirectory() {
        String dir = System.getenv("ENGINE_CACHE_DIR");
        if (dir == null) {
            dir = System.getenv("DJL_CACHE_DIR");
        }
        return dir != null ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".djl.ai");
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        // File-system errors carry only the path as their message: the class says what went wrong.
        String kind = root.getClass().getSimpleName();
        return message == null ? kind : kind + ": " + message.lines().findFirst().orElse("");
    }

}
