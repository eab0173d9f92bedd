package dev.engram.cli;

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

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line, writing data to {@code out} and messages to {@code err}; returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        LUCENE.setLevel(java.util.logging.Level.WARNING);
        if ("quick".equals(System.getProperty("engram.jit"))) {
            LUCENE_SIMD.setLevel(java.util.logging.Level.SEVERE);
        }
        try {
            return EngramCommand.commandLine(out, err).execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }
}
