package dev.engram.cli;

import dev.engram.NativeExecutable;

import java.io.PrintWriter;

/** The {@code engram} executable. */
public final class Main {
    /**
     * Lucene logs through java.util.logging (an INFO line about its SIMD support on every
     * start). Held here so the level set on it is not lost when the logger is collected.
     */
    private static final java.util.logging.Logger LUCENE = java.util.logging.Logger.getLogger("org.apache.lucene");

    /**
     * Lucene's notice, as a WARNING, that it scores vectors without SIMD. {@code bin/engram} runs
     * recall and info with C1 alone ({@code -Dengram.jit=quick}), where Lucene would not use SIMD
     * even with the vector module, so the notice tells nothing there (docs/architecture.md,
     * "Start-up: class data and the JIT compilers").
     */
    private static final java.util.logging.Logger LUCENE_SIMD =
            java.util.logging.Logger.getLogger("org.apache.lucene.internal.vectorization");

    /**
     * Lucene's warning, in a native executable, that it "cannot optimize algorithms or calculate
     * object sizes for JVMs that are not based on Hotspot": true, and nothing a user can act on.
     */
    private static final java.util.logging.Logger LUCENE_VM =
            java.util.logging.Logger.getLogger("org.apache.lucene.util.HotspotVMOptions");

    private Main() {
    }

    public static void main(String[] args) {
        NativeExecutable.prepare();
        useLauncherStderr();
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /**
     * {@code bin/engram} may give the JVM a filter as its stderr (to drop the JVM's incubator
     * notice) and the real stderr as another descriptor, {@code -Dengram.stderr.fd=N}: everything
     * engram writes goes there directly, so that none of it can reach the terminal or a log after
     * the process has exited. The descriptor is used as it is (a duplicate of the caller's
     * stderr, sharing its file offset, so that a log file is written in order with whatever else
     * writes to it), which Java offers no public way to do: the launcher opens {@code java.io} to
     * set a {@link java.io.FileDescriptor}'s number. If that fails, stderr stays as it is.
     */
    private static void useLauncherStderr() {
        String fd = System.getProperty("engram.stderr.fd");
        if (fd == null || !fd.matches("[0-9]{1,4}")) {
            return;
        }
        try {
            java.io.FileDescriptor descriptor = new java.io.FileDescriptor();
            java.lang.reflect.Field number = java.io.FileDescriptor.class.getDeclaredField("fd");
            number.setAccessible(true);
            number.setInt(descriptor, Integer.parseInt(fd));
            java.nio.charset.Charset charset = java.nio.charset.Charset.forName(
                    System.getProperty("stderr.encoding", java.nio.charset.Charset.defaultCharset().name()));
            System.setErr(new java.io.PrintStream(new java.io.FileOutputStream(descriptor), true, charset));
        } catch (ReflectiveOperationException | RuntimeException e) {
            // java.io not opened to engram, or not this JDK's FileDescriptor: the JVM's stderr still works.
        }
    }

    /** Runs one command line, writing data to {@code out} and messages to {@code err}; returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        LUCENE.setLevel(java.util.logging.Level.WARNING);
        if ("quick".equals(System.getProperty("engram.jit")) || NativeExecutable.running()) {
            LUCENE_SIMD.setLevel(java.util.logging.Level.SEVERE);
        }
        if (NativeExecutable.running()) {
            LUCENE_VM.setLevel(java.util.logging.Level.SEVERE);
        }
        try {
            return EngramCommand.commandLine(out, err).execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }
}
