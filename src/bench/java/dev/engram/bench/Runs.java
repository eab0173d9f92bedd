package dev.engram.bench;

import dev.engram.cli.Main;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Running engram for the harnesses: the real launcher as a child process (what a user runs, and
 * what a kill must hit), or the command classes in this JVM (the checks after a kill, which
 * would otherwise pay a JVM start and a PyTorch load each).
 */
public final class Runs {
    private Runs() {
    }

    /** A finished run: exit code, stdout, stderr, wall time. */
    public record Run(int exit, String out, String err, long millis) {
        /** The lines of stderr that engram wrote (the JVM's own warnings aside). */
        public List<String> messages() {
            return err.lines().filter(l -> l.startsWith("engram:")).toList();
        }

        @Override
        public String toString() {
            return "exit " + exit + " after " + millis + " ms\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /**
     * Starts {@code launcher ARGS} with stdout and stderr in {@code logs/NAME.out} and
     * {@code logs/NAME.err} (files, so that a child never blocks on a full pipe).
     */
    public static Process start(Path launcher, Path logs, String name, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(args);
        Files.createDirectories(logs);
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(logs.resolve(name + ".out").toFile()).redirectError(logs.resolve(name + ".err").toFile());
        builder.environment().remove("ENGRAM_STORE");
        return builder.start();
    }

    /** Runs {@code launcher ARGS} to the end (at most 10 minutes). */
    public static Run launch(Path launcher, Path logs, String name, List<String> args) throws IOException,
            InterruptedException {
        long start = System.nanoTime();
        Process p = start(launcher, logs, name, args);
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            kill(p);
            throw new IllegalStateException("engram " + String.join(" ", args) + " did not finish in 10 minutes");
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        Run run = new Run(p.exitValue(), read(logs.resolve(name + ".out")), read(logs.resolve(name + ".err")), millis);
        requireNoStubReached(run.err());
        return run;
    }

    /**
     * What the native executable prints when it reaches a JVM entry point it does not provide
     * (native/c/jvm.c) before it aborts: a gap in the executable, never an answer to compare.
     */
    public static final String STUB_REACHED = "a JVM entry point it does not provide";

    /** Fails loudly, naming the entry point, when a run's stderr says it reached a stub. */
    public static void requireNoStubReached(String err) {
        err.lines().filter(l -> l.contains(STUB_REACHED)).findFirst().ifPresent(l -> {
            throw new IllegalStateException("the native executable reached a stubbed JVM entry point: " + l);
        });
    }

    /** Runs one engram command line in this JVM, through the same command classes as the launcher. */
    public static Run inProcess(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long start = System.nanoTime();
        int exit = Main.run(new PrintWriter(out), new PrintWriter(err), args.toArray(String[]::new));
        return new Run(exit, out.toString(), err.toString(), (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * SIGKILL to the process and to whatever it started (the launcher is a shell until it execs
     * the JVM), then waits for it: once this returns, its file locks are gone.
     */
    public static void kill(Process p) throws InterruptedException {
        p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor();
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
