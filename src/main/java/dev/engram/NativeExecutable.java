package dev.engram;

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
}
