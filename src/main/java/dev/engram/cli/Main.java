package dev.engram.cli;

import java.io.PrintWriter;

/** The {@code engram} executable. */
public final class Main {
    /**
     * Lucene logs through java.util.logging (an INFO line about its SIMD support on every
     * start). Held here so the level set on it is not lost when the logger is collected.
     */
    private static final java.util.logging.Logger LUCENE = java.util.logging.Logger.getLogger("org.apache.lucene");

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line, writing data to {@code out} and messages to {@code err}; returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        LUCENE.setLevel(java.util.logging.Level.WARNING);
        try {
            return EngramCommand.commandLine(out, err).execute(args);
        } finally {
            out.flush();
            err.flush();
        }
    }
}
