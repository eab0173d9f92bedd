package dev.engram;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Whether engram runs as a GraalVM native executable (bin/native; native/README.md) rather than
 * on a JVM. The few places that differ ask here: what a native image cannot do the JVM way (Lucene's
 * memory-mapped index files need the foreign-function API, which the image does not register).
 */
public final class NativeExecutable {
    /** Native Image sets this property to "runtime" in the executable (and "buildtime" while building it). */
    private static final boolean RUNNING = "runtime".equals(System.getProperty("org.graalvm.nativeimage.imagecode"));

    private NativeExecutable() {
    }

    public static boolean running() {
        return RUNNING;
    }

    /**
     * Sets java.home, which a native executable does not have, to the executable's folder: AWT
     * looks for its shared libraries (which the build puts beside the executable) under it.
     */
    public static void prepare() {
        if (RUNNING && System.getProperty("java.home") == null) {
            try {
                Path self = Path.of("/proc/self/exe").toRealPath();
                System.setProperty("java.home", self.getParent().toString());
            } catch (IOException | RuntimeException e) {
                // No /proc: AWT then says what it misses, in one line.
            }
        }
    }
}
