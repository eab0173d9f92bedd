package dev.engram.cli;

import dev.engram.ExitCode;
import dev.engram.Trees;
import dev.engram.bench.KillHarness;
import dev.engram.bench.Runs;
import dev.engram.bench.StoreState;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Crash safety through the real launcher (issues 10, 12 and 14): encode, bind, consolidate, forget
 * and import killed with SIGKILL at random moments ({@link KillHarness}, which {@code bin/bench concurrency} runs at a larger
 * scale), a store on a full disk, and a read-only store. A failed or killed command leaves the
 * store as it was, or (killed after its commit) as a completed run leaves it, and usable.
 *
 * <p>The kill test's seed is saved here so that a failure can be replayed; the delays are the
 * seed's, the moments they fall on depend on the machine's load. Override with
 * {@code -Dengram.crash.seed=N} and {@code -Dengram.crash.kills=N} (kills of each command).
 */
class CrashIT {
    static final Path LAUNCHER = Path.of("bin", "engram").toAbsolutePath();
    static final Path SAMPLES = Path.of("sample-data", "fashion", "train").toAbsolutePath();
    static final long SEED = 20261207L;

    @TempDir
    static Path tmp;
    static KillHarness.Inputs inputs;
    /** Space fashion trained on half the samples and bound by folder; tests change copies of it only. */
    static Path template;

    @BeforeAll
    static void store() throws Exception {
        inputs = KillHarness.Inputs.split(SAMPLES, tmp.resolve("inputs"));
        template = inputs.baseStore(tmp.resolve("template"));
        // The launcher's first start after a build says on stderr that it makes its class-data
        // archive: not a line the tests below count.
        assertEquals(0, Runs.launch(LAUNCHER, tmp.resolve("logs"), "version", List.of("--version")).exit());
    }

    @Test
    void killedEncodesBindsAndConsolidationsLeaveTheirWholeEffectOrNone() throws Exception {
        long seed = Long.getLong("engram.crash.seed", SEED);
        int kills = Integer.getInteger("engram.crash.kills", 20);
        KillHarness.Report report = KillHarness.run(new KillHarness.Settings(LAUNCHER, SAMPLES, tmp.resolve("kills"),
                kills, seed), System.err);
        assertEquals(List.of(), report.failures(), () -> "seed " + seed + " (replay with -Dengram.crash.seed=" + seed
                + "): " + report.json());
        assertTrue(report.killed("encode") >= kills && report.killed("bind") >= kills
                && report.killed("consolidate") >= kills && report.killed("forget") >= kills
                && report.killed("import") >= kills, report.json()::toString);
    }

    /**
     * encode of 5,000 images into a store on a full tmpfs (nothing free, 64 KiB and 512 KiB free:
     * the lock, the open and the commit each meet the full disk). Each fails with exit 6 and one
     * line (with -q, which leaves out the notes before it), and once space is freed the store holds what it held and recalls its traces.
     */
    @Test
    void aFullDiskGivesOneLineAndExit6AndChangesNothing() throws Exception {
        assumeTrue(root(), "a full disk is a small tmpfs, which only root may mount: not tested as this user");
        Path disk = Files.createDirectories(tmp.resolve("disk"));
        String mounted = command("mount", "-t", "tmpfs", "-o", "size=24m", "tmpfs", disk.toString());
        assumeTrue(mounted == null, () -> "cannot mount a tmpfs here, so a full disk is not tested: " + mounted);
        Path images = noiseImages(tmp.resolve("noise-images-idx3-ubyte"), 5000);
        // The template is only ever copied (see KillHarness.measure): its state is read from a copy.
        StoreState before = StoreState.of(KillHarness.copyTree(template, tmp.resolve("full-disk-before")));
        List<String> problems = new ArrayList<>();
        try {
            for (long free : new long[] {0, 64 << 10, 512 << 10}) {
                Path store = KillHarness.copyTree(template, disk.resolve("store"));
                Path filler = fill(disk, free);
                Runs.Run run = Runs.launch(LAUNCHER, tmp.resolve("logs"), "full-disk-" + free,
                        List.of("-q", "encode", "--store", store.toString(), "--space", "fashion",
                                images.toString()));
                Files.delete(filler);
                String what = "encode on a full disk (" + (free >> 10) + " KiB free)";
                oneLineAndExit6(what, run, problems);
                checkUnchanged(what, store, before, problems);
                Trees.delete(store);
            }
        } finally {
            command("umount", disk.toString());
        }
        assertEquals(List.of(), problems);
    }

    /**
     * encode and bind on a store whose directory cannot be written: exit 6, one line, the store
     * unchanged. As root permissions stop nothing, so the store is seen through a read-only bind
     * mount; as another user its directory and files lose their write permission.
     */
    @Test
    void aReadOnlyStoreGivesOneLineAndExit6AndChangesNothing() throws Exception {
        Path store = KillHarness.copyTree(template, tmp.resolve("read-only-store"));
        StoreState before = StoreState.of(store);
        Path seen = store;
        if (root()) {
            seen = Files.createDirectories(tmp.resolve("read-only-mount"));
            String bound = command("mount", "--bind", store.toString(), seen.toString());
            assumeTrue(bound == null, () -> "as root only a read-only mount stops writes, and mount --bind failed: "
                    + bound);
            String readOnly = command("mount", "-o", "remount,bind,ro", seen.toString());
            if (readOnly != null) {
                command("umount", seen.toString());
            }
            assumeTrue(readOnly == null, () -> "as root only a read-only mount stops writes, and the remount failed: "
                    + readOnly);
        } else {
            writable(store, false);
        }
        List<String> problems = new ArrayList<>();
        try {
            oneLineAndExit6("encode into a read-only store", Runs.launch(LAUNCHER, tmp.resolve("logs"), "read-only-encode",
                    List.of("encode", "--store", seen.toString(), "--space", "fashion", inputs.added().toString())),
                    problems);
            oneLineAndExit6("bind in a read-only store", Runs.launch(LAUNCHER, tmp.resolve("logs"), "read-only-bind",
                    List.of("bind", "--store", seen.toString(), "--space", "fashion", "--from-dirs")), problems);
        } finally {
            if (seen.equals(store)) {
                writable(store, true);
            } else {
                command("umount", seen.toString());
            }
        }
        checkUnchanged("a read-only store", store, before, problems);
        assertEquals(List.of(), problems);
    }

    private static void oneLineAndExit6(String what, Runs.Run run, List<String> problems) {
        boolean oneLine = run.messages().size() == 1 && !run.err().contains("Exception") && !run.err().contains("\tat ");
        if (run.exit() != ExitCode.STORE_UNAVAILABLE.code() || !oneLine) {
            problems.add(what + ": expected exit 6 and one line on stderr, got exit " + run.exit() + " and "
                    + run.err().strip().replace('\n', '|'));
        }
    }

    private static void checkUnchanged(String what, Path store, StoreState before, List<String> problems) {
        StoreState after;
        try {
            after = StoreState.of(store);
        } catch (RuntimeException e) {
            problems.add(what + ": the store does not open afterwards: " + e.getMessage());
            return;
        }
        if (!after.sameAs(before)) {
            problems.add(what + ": the store changed: " + after.counts() + ", before " + before.counts());
        }
        String recall = KillHarness.recallsItself(store, new KillHarness.Probe("fashion",
                inputs.baseFiles().subList(0, 4)));
        if (recall != null) {
            problems.add(what + ": afterwards " + recall);
        }
        Runs.Run info = Runs.inProcess(List.of("info", "--store", store.toString()));
        if (info.exit() != 0) {
            problems.add(what + ": info fails afterwards: " + info);
        }
    }

    /** An IDX file of {@code n} 28x28 images of noise: distinct inputs, and many traces to store. */
    private static Path noiseImages(Path file, int n) throws IOException {
        ByteBuffer idx = ByteBuffer.allocate(16 + n * 28 * 28);
        idx.putInt(0x00000803).putInt(n).putInt(28).putInt(28);
        byte[] pixels = new byte[n * 28 * 28];
        new Random(1).nextBytes(pixels);
        idx.put(pixels);
        Files.write(file, idx.array());
        return file;
    }

    /** Fills the file system of {@code dir} until {@code free} bytes are left; returns the filler file. */
    private static Path fill(Path dir, long free) throws IOException {
        Path filler = dir.resolve("filler");
        long size = Files.getFileStore(dir).getUsableSpace() - free;
        ByteBuffer chunk = ByteBuffer.allocate(1 << 20);
        try (FileChannel channel = FileChannel.open(filler, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long written = 0; written < size; ) {
                chunk.clear().limit((int) Math.min(chunk.capacity(), size - written));
                written += channel.write(chunk);
            }
        } catch (IOException e) {
            // No space left: full, which is what was wanted.
        }
        return filler;
    }

    private static void writable(Path store, boolean writable) throws IOException {
        try (Stream<Path> paths = Files.walk(store)) {
            for (Path p : paths.toList()) {
                p.toFile().setWritable(writable, false);
            }
        }
    }

    private static boolean root() throws IOException {
        return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }

    /** Runs a system command; null if it succeeded, else what it said. */
    private static String command(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String said = new String(p.getInputStream().readAllBytes()).strip();
        return p.waitFor() == 0 ? null : String.join(" ", command) + ": exit " + p.exitValue() + ": " + said;
    }
}
