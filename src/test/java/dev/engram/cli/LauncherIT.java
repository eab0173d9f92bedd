package dev.engram.cli;

import dev.engram.ExitCode;
import dev.engram.bench.Runs;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The real launcher, bin/engram, as a user or a pipeline runs it: exit codes, stdout and stderr
 * checked separately. Runs after {@code package}, against the built jar.
 */
class LauncherIT {
    static final Path LAUNCHER = Path.of("bin", "engram").toAbsolutePath();
    /**
     * Whether bin/engram runs the native executable in this run, decided as bin/engram decides:
     * target/engram built from the jar as it is, and neither ENGRAM_NATIVE=0 nor JVM options
     * (bin/test's second pass, when bin/native has built one).
     */
    static final boolean NATIVE = nativeExecutableRuns();

    static boolean nativeExecutableRuns() {
        Path executable = Path.of("target", "engram");
        Path jar = Path.of("target", "engram.jar");
        String jvmOptions = System.getenv("ENGRAM_JAVA_OPTS");
        return !"0".equals(System.getenv("ENGRAM_NATIVE")) && (jvmOptions == null || jvmOptions.isEmpty())
                && Files.isExecutable(executable) && Files.exists(jar)
                && jar.toFile().lastModified() <= executable.toFile().lastModified();
    }

    @TempDir
    static Path tmp;
    static Path store;
    static Path train;

    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static Process start(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(tmp.resolve("out-" + System.nanoTime()).toFile())
                .redirectError(tmp.resolve("err-" + System.nanoTime()).toFile());
        builder.environment().remove("ENGRAM_STORE");
        return builder.start();
    }

    static Result run(String... args) throws Exception {
        return runWith(LAUNCHER, args);
    }

    /** Runs a launcher (bin/engram or a copy of it) to the end. */
    static Result runWith(Path launcher, String... args) throws Exception {
        return runWith(launcher, Map.of(), args);
    }

    /** Runs a launcher to the end with these environment variables set. */
    static Result runWith(Path launcher, Map<String, String> env, String... args) throws Exception {
        return runIn(tmp, launcher, env, args);
    }

    /** The same, its stdout and stderr kept in files under {@code dir}. */
    static Result runIn(Path dir, Path launcher, Map<String, String> env, String... args) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        List<String> command = new ArrayList<>(List.of(launcher.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove("ENGRAM_STORE");
        builder.environment().remove("ENGRAM_CDS");
        builder.environment().remove("ENGRAM_JIT");
        builder.environment().putAll(env);
        Process p = builder.start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "engram finished");
        Result result = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        Runs.requireNoStubReached(result.err());
        return result;
    }

    @BeforeAll
    static void encode() throws Exception {
        train = Engram.images(tmp.resolve("train"), 8, 3);
        store = tmp.resolve("store");
        Result r = run("encode", "--store", store.toString(), "--space", "shapes", "--epochs", "20",
                "--batch-size", "8", "--json", train.toString());
        assertEquals(0, r.exit(), r::toString);
        assertEquals(24, r.out().lines().count(), "one JSON line per trace on stdout");
        assertTrue(r.out().lines().allMatch(l -> l.startsWith("{\"trace\":")), r::toString);
        assertTrue(r.err().contains("epoch 20/20"), "training progress goes to stderr: " + r);
        assertFalse(r.err().contains("\r"), "no progress bar when stderr is not a terminal");
        // encode runs with the vector module, whose JVM notice the launcher drops (and only that).
        assertFalse(r.err().contains("incubator"), r::toString);
    }

    @Test
    void theJvmsIncubatorNoticeIsDroppedUnlessAskedFor() throws Exception {
        assumeFalse(NATIVE, "a native executable has no JVM notice to drop");
        Result kept = runWith(LAUNCHER, Map.of("ENGRAM_JVM_NOTICES", "1"), "bind", "--store", store.toString(),
                "--from-dirs");
        assertEquals(0, kept.exit(), kept::toString);
        assertTrue(kept.err().startsWith("WARNING: Using incubator modules: jdk.incubator.vector"), kept::toString);
        Result dropped = run("bind", "--store", store.toString(), "--from-dirs");
        assertEquals(0, dropped.exit(), dropped::toString);
        assertFalse(dropped.err().contains("WARNING"), dropped::toString);
        // What engram says comes whole and in order, also when the command fails.
        Result failed = run("bind", "--store", store.toString(), "--labels", tmp.resolve("missing.csv").toString());
        assertEquals(3, failed.exit(), failed::toString);
        assertTrue(failed.err().lines().anyMatch(l -> l.startsWith("engram: ") && l.contains("missing.csv")),
                failed::toString);
    }

    /**
     * Every estimator on a file through the launcher gives what the same command gives in this JVM,
     * to the last digit: in the native executable, the all-pairs scans run on its own SIMD kernels
     * (native/substitutions), which must compute exactly what the JVM's loops compute. 3,001 points
     * of 13 coordinates leave a short last tile (185 points) and a remainder of the dimension loop.
     */
    @Test
    void everyEstimatorOnAFileEqualsTheInProcessRun() throws Exception {
        Random random = new Random(15);
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 3001; i++) {
            double[] latent = new double[5];
            for (int j = 0; j < latent.length; j++) {
                latent[j] = random.nextGaussian();
            }
            for (int d = 0; d < 13; d++) {
                double x = Math.sin(latent[d % 5] * (1 + d / 5)) + 0.3 * latent[(d + 2) % 5] + 0.01 * random.nextGaussian();
                csv.append(d == 0 ? "" : ",").append((float) x);
            }
            csv.append('\n');
        }
        Path file = Files.writeString(tmp.resolve("points.csv"), csv);
        Function<String, String[]> dim = store -> new String[] {"dim", "--store",
                tmp.resolve(store).toString(), "--json", "--estimator", "all", "--pointwise=summary", file.toString()};
        Result launched = run(dim.apply("dims-launched"));
        assertEquals(0, launched.exit(), launched::toString);
        Engram.Run inProcess = Engram.run(dim.apply("dims-in-process"));
        assertEquals(0, inProcess.exit(), inProcess::toString);
        assertEquals(withoutTimes(inProcess.out()), withoutTimes(launched.out()));
        assertTrue(launched.out().contains("\"mle\"") && launched.out().contains("\"corrint\""), launched::toString);
    }

    /** Report lines without when they were made. */
    private static String withoutTimes(String json) {
        return json.replaceAll("\"time\":\"[^\"]*\"", "");
    }

    @Test
    void versionAndHelp() throws Exception {
        Result version = run("--version");
        assertEquals(0, version.exit(), version::toString);
        // The jar's version (the native executable's too: it is read from the jar it was built from),
        // and what runs it: the native executable exactly when this run expects it.
        assertTrue(version.out().matches("engram \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\n(native executable|JVM .+)\n"),
                version::toString);
        assertEquals(NATIVE, version.out().contains("native executable"), version::toString);
        assertFalse("1".equals(System.getenv("ENGRAM_NATIVE")) && !NATIVE,
                "ENGRAM_NATIVE=1 asks for the native executable, but target/engram is missing or older than the jar");
        Result help = run("recall", "--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("Exit codes:") && help.out().contains("Examples:"), help::toString);
        // The completion script the build wrote, printed by the launcher (no JVM: nothing on stderr),
        // is the one the command makes.
        Result script = run("completion");
        assertEquals(0, script.exit(), script::toString);
        assertEquals("", script.err());
        assertTrue(script.out().contains("complete -F _complete_engram"), script::toString);
        Engram.Run inProcess = Engram.run("completion");
        assertEquals(inProcess.out(), script.out());
    }

    @Test
    void bindAndRecallThroughTheLauncher() throws Exception {
        Result bind = run("bind", "--store", store.toString(), "--from-dirs", "--json");
        assertEquals(0, bind.exit(), bind::toString);
        assertTrue(bind.out().contains("\"pass\":\"directory\""), bind::toString);
        Result recall = run("recall", "--store", store.toString(), "--json", train.resolve("vbar").toString());
        assertEquals(0, recall.exit(), recall::toString);
        assertEquals(8, recall.out().lines().count());
        assertTrue(recall.out().lines().allMatch(l -> l.contains("\"concepts\":[{\"name\":")), recall::toString);
        assertTrue(recall.err().contains("recalled 8 cues"), recall::toString);
        // recall runs with C1 alone: neither the JVM's incubator-module line nor Lucene's SIMD notice
        assertFalse(recall.err().contains("WARNING"), recall::toString);
    }

    /**
     * A reader runs PyTorch on one thread, so that readers started together share the cores
     * instead of spinning on them; encode, a batch, spreads over every core, whether it trains
     * a new space or only encodes into one (encode.Engines).
     */
    @Test
    void recallRunsPyTorchOnOneThreadAndEncodeOnEveryCore() throws Exception {
        Result recall = run("-vv", "recall", "--store", store.toString(), "--json", train.resolve("vbar").toString());
        assertEquals(0, recall.exit(), recall::toString);
        assertTrue(recall.err().contains("PyTorch runs each operation on 1 thread\n"), recall::toString);
        String everyCore = "PyTorch runs each operation on " + Runtime.getRuntime().availableProcessors() + " thread";
        Path threads = tmp.resolve("threads");
        Result training = run("-vv", "encode", "--store", threads.toString(), "--epochs", "1", "--batch-size", "8",
                train.resolve("vbar").toString());
        assertEquals(0, training.exit(), training::toString);
        assertTrue(training.err().contains(everyCore), training::toString);
        Result encoding = run("-vv", "encode", "--store", threads.toString(), train.resolve("square").toString());
        assertEquals(0, encoding.exit(), encoding::toString);
        assertFalse(encoding.err().contains("epoch 1/"), "no training this time: " + encoding);
        assertTrue(encoding.err().contains(everyCore), encoding::toString);
    }

    @Test
    void theJitSettingIsCheckedAndEitherSettingRecalls() throws Exception {
        Result bad = runWith(LAUNCHER, Map.of("ENGRAM_JIT", "fast"), "info", "--store", store.toString());
        assertEquals(ExitCode.USAGE.code(), bad.exit(), bad::toString);
        assertEquals("engram: ENGRAM_JIT is 'fast'; it takes auto, quick or full\n", bad.err());
        for (String jit : List.of("quick", "full")) {
            Result recall = runWith(LAUNCHER, Map.of("ENGRAM_JIT", jit), "recall", "--store", store.toString(),
                    "--json", train.resolve("vbar").toString());
            assertEquals(0, recall.exit(), recall::toString);
            assertEquals(8, recall.out().lines().count(), recall::toString);
        }
    }

    @Test
    void pathsOnStandardInput() throws Exception {
        Path list = tmp.resolve("list.txt");
        Files.writeString(list, train.resolve("hbar/000.png") + "\n" + train.resolve("hbar/001.png") + "\n");
        List<String> command = List.of(LAUNCHER.toString(), "encode", "--store", store.toString(), "--space", "shapes",
                "--json", "-");
        Process p = new ProcessBuilder(command).redirectInput(list.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue());
        assertEquals(2, out.lines().count());
        assertTrue(out.contains("\"new\":false"), out);
    }

    @Test
    void badInputGivesOneLineAndItsExitCode() throws Exception {
        Path bad = tmp.resolve("bad.png");
        Files.write(bad, new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0});
        Result r = run("encode", "--store", store.toString(), "--space", "shapes", bad.toString());
        assertEquals(ExitCode.INVALID_INPUT.code(), r.exit(), r::toString);
        assertEquals("", r.out());
        List<String> messages = r.err().lines().filter(l -> l.startsWith("engram:")).toList();
        assertEquals(1, messages.size(), r::toString);
        assertTrue(messages.getFirst().contains("bad.png"), r::toString);
        assertFalse(r.err().contains("Exception"), "no stack trace without --verbose: " + r);

        Result verbose = run("-v", "encode", "--store", store.toString(), "--space", "shapes", bad.toString());
        assertEquals(ExitCode.INVALID_INPUT.code(), verbose.exit());
    }

    @Test
    @SuppressWarnings("try") // the lock is held for the body, never referenced
    void aStoreHeldByAnotherProcessMakesTheSecondWaitThenGiveUp() throws Exception {
        try (FileChannel channel = FileChannel.open(store.resolve("engram.lock"), StandardOpenOption.WRITE);
             FileLock ignored = channel.lock()) {
            Result r = run("info", "--store", store.toString(), "--wait", "1");
            assertEquals(ExitCode.STORE_UNAVAILABLE.code(), r.exit(), r::toString);
            assertTrue(r.err().contains("is still being written by another process after 1 s"), r::toString);
            assertEquals(1, r.err().lines().filter(l -> l.startsWith("engram:")).count(), r::toString);
        }
        assertEquals(0, run("info", "--store", store.toString()).exit(), "free again once released");
    }

    @Test
    void twoProcessesAtOnceBothSucceedAndLoseNothing() throws Exception {
        Path more = Engram.images(tmp.resolve("more"), 4, 17);
        Path s2 = tmp.resolve("store2");
        Engram.copyTree(store, s2);
        Process first = start("encode", "--store", s2.toString(), "--space", "shapes", more.resolve("hbar").toString());
        Process second = start("encode", "--store", s2.toString(), "--space", "shapes", more.resolve("square").toString());
        assertTrue(first.waitFor(3, TimeUnit.MINUTES) && second.waitFor(3, TimeUnit.MINUTES));
        assertEquals(0, first.exitValue());
        assertEquals(0, second.exitValue());
        Result info = run("info", "--store", s2.toString(), "--json");
        int traces = Integer.parseInt(info.out().replaceAll(".*\"traces\":(\\d+).*\\s*", "$1"));
        assertTrue(traces >= 24 + 8, "both processes' traces are stored: " + info);
    }

    /**
     * Two processes creating the same new space at once: both finish and every input is stored.
     * When the later one finds the space made while it trained, it encodes into that space with
     * the other's model and says so (docs/architecture.md, "Many processes, one store").
     */
    @Test
    void twoProcessesCreatingOneSpaceBothFinishIntoTheSameSpace() throws Exception {
        Path more = Engram.images(tmp.resolve("new-space"), 4, 29);
        Path s2 = tmp.resolve("store3");
        Engram.copyTree(store, s2);
        Path firstErr = tmp.resolve("first.err");
        Path secondErr = tmp.resolve("second.err");
        Process first = startLogged(firstErr, "encode", "--store", s2.toString(), "--space", "fresh", "--epochs", "30",
                more.resolve("hbar").toString());
        Process second = startLogged(secondErr, "encode", "--store", s2.toString(), "--space", "fresh", "--epochs",
                "30", more.resolve("square").toString());
        assertTrue(first.waitFor(3, TimeUnit.MINUTES) && second.waitFor(3, TimeUnit.MINUTES));
        String err = Files.readString(firstErr) + Files.readString(secondErr);
        assertEquals(0, first.exitValue(), err);
        assertEquals(0, second.exitValue(), err);
        Result info = run("info", "--store", s2.toString(), "--json");
        assertTrue(info.out().matches("(?s).*\\{\"name\":\"fresh\",[^}]*\"modelVersion\":1,\"traces\":8,.*"),
                info + "\n" + err);
        long models;
        try (var files = Files.list(s2.resolve("models/fresh"))) {
            models = files.count();
        }
        assertEquals(1, models, "one model, v1, nothing left aside: " + err);
    }

    private static Process startLogged(Path err, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile());
        builder.environment().remove("ENGRAM_STORE");
        return builder.start();
    }

    /**
     * The class-data archive: made once by the launcher of a copy of the build (so that the checkout's
     * own archive is not touched), used silently, and never a cause of a line on stdout, even when
     * the JVM cannot use it.
     */
    @Test
    void classDataArchiveIsMadeOnceAndNeverWritesToStdout() throws Exception {
        Path root = tmp.resolve("install");
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("target"));
        for (String script : List.of("engram", "jdk.sh")) {
            Files.copy(LAUNCHER.resolveSibling(script), root.resolve("bin").resolve(script));
        }
        Path built = LAUNCHER.getParent().resolveSibling("target");
        Files.copy(built.resolve("engram.jar"), root.resolve("target/engram.jar"));
        Files.createSymbolicLink(root.resolve("target/lib"), built.resolve("lib"));
        Path launcher = root.resolve("bin/engram");

        Result first = runWith(launcher, "--version");
        assertEquals(0, first.exit(), first::toString);
        assertTrue(first.out().matches("engram [^\\n]*\\n(native executable|JVM [^\\n]*)\\n"),
                "only the version and what runs it on stdout: " + first);
        assertTrue(first.err().contains("making the class-data archive"), first::toString);
        // A JDK that cannot make one (no base archive of its own, say) is told on stderr, and runs without.
        Assumptions.assumeFalse(first.err().contains("could not make the class-data archive"), first::toString);
        List<Path> archives;
        try (var files = Files.list(root.resolve("target/cds"))) {
            archives = files.filter(f -> f.getFileName().toString().matches("engram-.*\\.jsa")).toList();
        }
        assertEquals(1, archives.size(), "one archive for this JDK: " + archives);

        Result second = runWith(launcher, "--version");
        assertEquals(first.out(), second.out());
        assertFalse(second.err().contains("class-data archive"), "made once: " + second);

        // An archive the JVM rejects (here: not an archive at all) is not used, and nothing is said.
        Files.writeString(archives.getFirst(), "not an archive");
        Result rejected = runWith(launcher, "--version");
        assertEquals(0, rejected.exit(), rejected::toString);
        assertEquals(first.out(), rejected.out(), "no JVM message on stdout");
        assertFalse(rejected.err().contains("cds"), rejected::toString);

        // The quick setting (help, info, recall) has an archive of its own: on JDK 25 or later an
        // ahead-of-time cache (.aot), else a class-data archive; made once, and one the JVM
        // rejects is not used, silently.
        Result help = runWith(launcher, "help");
        assertEquals(0, help.exit(), help::toString);
        List<Path> quick;
        try (var files = Files.list(root.resolve("target/cds"))) {
            quick = files.filter(f -> f.getFileName().toString().matches("engram-.*-quick\\.(aot|jsa)")).toList();
        }
        assertEquals(1, quick.size(), "one archive for the quick setting: " + quick);
        Files.writeString(quick.getFirst(), "not an archive");
        Result rejectedQuick = runWith(launcher, "help");
        assertEquals(0, rejectedQuick.exit(), rejectedQuick::toString);
        assertEquals(help.out(), rejectedQuick.out(), "no JVM message on stdout");
        assertFalse(rejectedQuick.err().contains("aot") || rejectedQuick.err().contains("cds"), rejectedQuick::toString);
    }
}
