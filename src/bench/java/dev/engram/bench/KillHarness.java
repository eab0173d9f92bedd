package dev.engram.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.engram.Json;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Crash safety through the real launcher: {@code engram encode}, {@code engram bind} and
 * {@code engram consolidate} killed with SIGKILL at random moments, each run on a fresh copy of a store. After each kill the store
 * must open; hold exactly what it held before the command or exactly what a completed run of it
 * leaves (nothing in between: see {@link StoreState}); have vector indexes that agree with the
 * record; recall committed traces' own files at distance 0; and serve {@code info} and another
 * {@code encode}. The checks run in this JVM through the command classes, so that a kill costs
 * one launch, not five.
 *
 * <p>What is killed, from inputs split out of a folder of class folders (sample-data/fashion/train):
 * encode of the second half into a space trained on the first half ({@code add}), encode of the
 * second half into a new space it trains ({@code new space}), alternately; and bind of every
 * trace by folder on a store holding both halves, half of them bound ({@code from-dirs}: one
 * pass, one unit of work; a bind of several passes commits each pass on its own, by design);
 * and consolidate of that store (its space's next model version: every point and the index
 * change, in one unit of work).
 * Each kill's delay is drawn from a seeded {@link Random}, uniformly over 1.2 times the median
 * duration of the command's uninterrupted runs: one measured first (which also gives the state a
 * completed run leaves), and any that ended before their kill. Such a run is checked like the
 * others but not counted as a kill; runs go on until each command has been killed
 * {@code --kills} times.
 *
 * <p>The same code serves {@code CrashIT} (a saved seed, 20 kills per command) and
 * {@code bin/bench concurrency} (more kills, the counts reported):
 *
 * <pre>
 * KillHarness --launcher bin/engram --samples sample-data/fashion/train --work DIR [--kills 20] [--seed S]
 * </pre>
 *
 * Figures go to stderr and one JSON object to stdout; the stores of failed runs are kept under
 * {@code DIR/runs}.
 */
public final class KillHarness {
    /** The exit code Java reports for a process that SIGKILL ended (128 + 9). */
    private static final int KILLED = 137;
    /**
     * How far past a run's usual duration kills are drawn: a commit comes near the end of a run
     * (only the output and closing the store follow it), and runs under the harness are often
     * slower than the ones it timed, so that kills drawn over the duration alone rarely come
     * after the commit.
     */
    private static final double REACH = 1.2;
    /** How many committed files a run recalls after its kill. */
    private static final int PROBES = 8;
    /** The commands killed, each {@code --kills} times. */
    private static final List<String> COMMANDS = List.of("encode", "bind", "consolidate", "forget", "import");

    private KillHarness() {
    }

    /**
     * @param launcher        bin/engram, or a copy of it
     * @param samples         a folder of class folders of images
     * @param work            an empty folder for the inputs, stores and logs
     * @param killsPerCommand how many kills of encode, and of bind
     * @param seed            the seed of the kills' delays
     */
    public record Settings(Path launcher, Path samples, Path work, int killsPerCommand, long seed) {
    }

    /** What a killed command left: what the store held before it, or what a completed run leaves. */
    public enum Effect { ABSENT, COMPLETE }

    /**
     * One run meant to be killed: the delay drawn and the duration it was drawn over, whether it
     * was killed (it may have finished first), the effect found, and the first check it failed
     * (null if none).
     */
    public record Kill(String command, String variant, int attempt, long delayMillis, long durationMillis,
                       boolean killed, Effect effect, String failure, long checkMillis) {
        @Override
        public String toString() {
            return command + " (" + variant + ") run " + attempt + ", " + (killed ? "killed" : "not killed (it finished)")
                    + " after " + delayMillis + " ms of " + durationMillis + ": "
                    + (failure != null ? "FAILED: " + failure : "effect " + effect.name().toLowerCase())
                    + " (checked in " + checkMillis + " ms)";
        }
    }

    /** A whole run of the harness. */
    public record Report(long seed, int killsPerCommand, List<Kill> runs, long millis) {
        public long killed(String command) {
            return runs.stream().filter(k -> k.command.equals(command) && k.killed).count();
        }

        /** What went wrong, one line each: failed checks, and a command killed fewer times than asked. */
        public List<String> failures() {
            List<String> failures = new ArrayList<>(runs.stream().filter(k -> k.failure != null)
                    .map(Kill::toString).toList());
            for (String command : COMMANDS) {
                if (killed(command) < killsPerCommand) {
                    failures.add(command + " was killed " + killed(command) + " times of " + killsPerCommand
                            + ": its runs ended before their kills");
                }
            }
            return failures;
        }

        /** Counts of one command's runs, or of one variant's with {@code variant} not null. */
        Map<String, Object> counts(String command, String variant) {
            List<Kill> of = runs.stream().filter(k -> k.command.equals(command)
                    && (variant == null || k.variant.equals(variant))).toList();
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("runs", of.size());
            json.put("killed", of.stream().filter(Kill::killed).count());
            json.put("absent", of.stream().filter(k -> k.killed && k.effect == Effect.ABSENT && k.failure == null).count());
            json.put("complete", of.stream().filter(k -> k.killed && k.effect == Effect.COMPLETE && k.failure == null)
                    .count());
            json.put("finished_before_kill", of.stream().filter(k -> !k.killed).count());
            json.put("failures", of.stream().filter(k -> k.failure != null).count());
            return json;
        }

        public Map<String, Object> json() {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("seed", seed);
            json.put("kills_per_command", killsPerCommand);
            for (String command : COMMANDS) {
                Map<String, Object> counts = counts(command, null);
                Map<String, Object> variants = new LinkedHashMap<>();
                runs.stream().filter(k -> k.command.equals(command)).map(Kill::variant).distinct()
                        .forEach(v -> variants.put(v, counts(command, v)));
                counts.put("variants", variants);
                json.put(command, counts);
            }
            json.put("failure_count", failures().size());
            json.put("failures", failures());
            json.put("seconds", millis / 1000.0);
            return json;
        }
    }

    /**
     * The inputs of a run, split from the samples: each class folder's first half under
     * {@code base/CLASS/}, its second half under {@code added/CLASS/}, and {@code extra/extra.png}
     * (the first base image mirrored: an image no store here holds) for the encode after a kill.
     */
    public record Inputs(Path base, Path added, Path extra, List<Path> baseFiles, List<Path> addedFiles) {
        public static Inputs split(Path samples, Path dir) throws IOException {
            Path base = dir.resolve("base").toAbsolutePath().normalize();
            Path added = dir.resolve("added").toAbsolutePath().normalize();
            List<Path> baseFiles = new ArrayList<>();
            List<Path> addedFiles = new ArrayList<>();
            for (Path folder : sorted(samples).stream().filter(Files::isDirectory).toList()) {
                List<Path> files = sorted(folder).stream().filter(Files::isRegularFile).toList();
                for (int i = 0; i < files.size(); i++) {
                    Path to = (i < files.size() / 2 ? base : added).resolve(folder.getFileName().toString())
                            .resolve(files.get(i).getFileName().toString());
                    Files.createDirectories(to.getParent());
                    Files.copy(files.get(i), to);
                    (i < files.size() / 2 ? baseFiles : addedFiles).add(to);
                }
            }
            if (baseFiles.isEmpty() || addedFiles.isEmpty()) {
                throw new IllegalArgumentException(samples + " holds no class folders of at least two images");
            }
            BufferedImage image = ImageIO.read(baseFiles.getFirst().toFile());
            BufferedImage mirrored = new BufferedImage(image.getWidth(), image.getHeight(), image.getType());
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    mirrored.setRGB(image.getWidth() - 1 - x, y, image.getRGB(x, y));
                }
            }
            Path extra = dir.resolve("extra").resolve("extra.png").toAbsolutePath().normalize();
            Files.createDirectories(extra.getParent());
            ImageIO.write(mirrored, "png", extra.toFile());
            return new Inputs(base, added, extra, List.copyOf(baseFiles), List.copyOf(addedFiles));
        }

        /**
         * A store at {@code store}, made in this JVM: space {@code fashion} trained on the base
         * images (5 epochs: the model's quality is not what is tested) and bound by folder.
         */
        public Path baseStore(Path store) {
            require(Runs.inProcess(List.of("encode", "--store", store.toString(), "--space", "fashion", "--epochs", "5",
                    "--batch-size", "50", base.toString())));
            require(Runs.inProcess(List.of("bind", "--store", store.toString(), "--space", "fashion", "--from-dirs")));
            return store;
        }
    }

    /** A space and the committed files a run recalls in it after a kill. */
    public record Probe(String space, List<Path> files) {
    }

    /**
     * One command line to kill (without {@code --store}), the store it starts from, the states
     * before it and after a completed run, the durations of its uninterrupted runs so far, and
     * what to recall when its effect is absent or complete.
     */
    private record Case(String command, String variant, Path template, List<String> args, StoreState before,
                        StoreState after, List<Long> durations, Probe absent, Probe complete) {
        /**
         * The median of the uninterrupted runs' durations: the one measured first, and those that
         * finished before their kill. One run measured while the machine was busier than usual
         * would otherwise let most later runs finish before their kills.
         */
        long millis() {
            List<Long> sorted = durations.stream().sorted().toList();
            return sorted.get(sorted.size() / 2);
        }
    }

    public static Report run(Settings settings, PrintStream log) throws IOException, InterruptedException {
        long start = System.nanoTime();
        Path work = settings.work().toAbsolutePath();
        log.printf("kill test: seed %d, %d kills of each of %s; work directory %s%n", settings.seed(),
                settings.killsPerCommand(), String.join(", ", COMMANDS), work);
        Inputs inputs = Inputs.split(settings.samples(), work.resolve("inputs"));
        Path encoded = inputs.baseStore(work.resolve("templates/encoded"));
        Path unbound = copyTree(encoded, work.resolve("templates/unbound"));
        require(Runs.inProcess(List.of("encode", "--store", unbound.toString(), "--space", "fashion",
                inputs.added().toString())));
        // The launcher's first start makes its class-data archive: not inside a measured run.
        require(Runs.launch(settings.launcher(), work.resolve("logs"), "version", List.of("--version")));

        Probe old = new Probe("fashion", spread(inputs.baseFiles()));
        List<Path> both = new ArrayList<>(inputs.baseFiles());
        both.addAll(inputs.addedFiles());
        Probe all = new Probe("fashion", spread(both));
        List<Case> encodes = List.of(
                measure(settings, "encode", "add", encoded,
                        List.of("encode", "--space", "fashion", "--json", inputs.added().toString()),
                        old, new Probe("fashion", spread(inputs.addedFiles()))),
                measure(settings, "encode", "new space", encoded,
                        List.of("encode", "--space", "fresh", "--epochs", "1", "--batch-size", "50", "--json",
                                inputs.added().toString()),
                        old, new Probe("fresh", spread(inputs.addedFiles()))));
        List<Case> binds = List.of(measure(settings, "bind", "from-dirs", unbound,
                List.of("bind", "--space", "fashion", "--from-dirs", "--json"), all, all));
        // A space's next model version: every trace's point changes, and the index with it.
        List<Case> consolidations = List.of(measure(settings, "consolidate", "replay", unbound,
                List.of("consolidate", "--space", "fashion", "--epochs", "2", "--json"), all, all));

        // Forgetting the added images: every trace of theirs goes, with its associations.
        List<Case> forgets = List.of(measure(settings, "forget", "source", unbound,
                List.of("forget", "--space", "fashion", "--source", inputs.added().toString()), all, old));
        // Importing the added images' store into the base store: the same space and model, so the
        // import extends it (traces matched by content, the rest added).
        Path export = work.resolve("templates/export");
        require(Runs.inProcess(List.of("export", "--store", unbound.toString(), export.toString())));
        List<Case> imports = List.of(measure(settings, "import", "merge", encoded,
                List.of("import", "--json", export.toString()), old, all));

        Random random = new Random(settings.seed());
        List<Kill> runs = new ArrayList<>();
        int attempt = 0;
        for (List<Case> cases : List.of(encodes, binds, consolidations, forgets, imports)) {
            int killed = 0;
            // Runs that finish before their kill are retried, within reason: a command whose runs
            // mostly outlast their measured duration is reported as killed too few times.
            for (int i = 0; killed < settings.killsPerCommand() && i < 3 * settings.killsPerCommand() + 10; i++) {
                Case c = cases.get(i % cases.size());
                long delay = (long) (random.nextDouble() * REACH * c.millis());
                Kill kill = killOnce(settings, c, ++attempt, delay, inputs);
                log.println("  " + kill);
                runs.add(kill);
                killed += kill.killed() ? 1 : 0;
            }
        }
        Report report = new Report(settings.seed(), settings.killsPerCommand(), List.copyOf(runs),
                (System.nanoTime() - start) / 1_000_000);
        for (String command : COMMANDS) {
            log.println("kill test: " + command + " " + report.counts(command, null));
        }
        return report;
    }

    /** Runs {@code args} once to the end on a copy of {@code template}: its duration and the state it leaves. */
    private static Case measure(Settings settings, String command, String variant, Path template, List<String> args,
                                Probe absent, Probe complete) throws IOException, InterruptedException {
        Path dir = settings.work().toAbsolutePath().resolve("measure").resolve(command + "-" + variant.replace(' ', '-'));
        Path store = copyTree(template, dir.resolve("store"));
        Runs.Run run = require(Runs.launch(settings.launcher(), dir, "run", withStore(args, store)));
        // Read from a copy: a template is only ever copied, so that nothing done to a store by
        // reading it can reach the runs that start from it.
        StoreState before = StoreState.of(copyTree(template, dir.resolve("before")));
        StoreState after = StoreState.of(store);
        if (!before.index().isEmpty() || !after.index().isEmpty() || after.sameAs(before)) {
            throw new IllegalStateException("the kill test's preparation failed: " + command + " (" + variant
                    + ") changed nothing, or left an index that disagrees with the record: before " + before.counts()
                    + before.index() + ", after " + after.counts() + after.index());
        }
        return new Case(command, variant, template, args, before, after, new ArrayList<>(List.of(run.millis())),
                absent, complete);
    }

    private static Kill killOnce(Settings settings, Case c, int attempt, long delay, Inputs inputs)
            throws IOException, InterruptedException {
        Path dir = settings.work().toAbsolutePath().resolve("runs").resolve(attempt + "-" + c.command());
        Path store = copyTree(c.template(), dir.resolve("store"));
        long started = System.nanoTime();
        Process p = Runs.start(settings.launcher(), dir, "run", withStore(c.args(), store));
        boolean ended = p.waitFor(delay, TimeUnit.MILLISECONDS);
        long ran = (System.nanoTime() - started) / 1_000_000;
        if (!ended) {
            Runs.kill(p);
        }
        int exit = p.waitFor();
        long drawnOver = c.millis();
        if (ended && exit == 0) {
            c.durations().add(ran);
        }
        long checks = System.nanoTime();
        Effect effect = null;
        String failure = null;
        if (exit != 0 && exit != KILLED) {
            String err = Runs.read(dir.resolve("run.err")).strip();
            failure = "exited " + exit + " by itself: " + err.substring(err.lastIndexOf('\n') + 1);
        } else {
            StoreState state = null;
            try {
                state = StoreState.of(store);
            } catch (RuntimeException e) {
                failure = "the store does not open: " + e.getMessage();
            }
            if (state != null) {
                effect = state.sameAs(c.before()) ? Effect.ABSENT : state.sameAs(c.after()) ? Effect.COMPLETE : null;
                failure = check(c, store, exit, state, effect, inputs);
            }
        }
        if (failure == null) {
            delete(dir);
        } else {
            failure += " (store kept: " + store + ")";
        }
        return new Kill(c.command(), c.variant(), attempt, delay, drawnOver, exit == KILLED, effect, failure,
                (System.nanoTime() - checks) / 1_000_000);
    }

    /** The first check a store fails after a run of {@code c} that ended with {@code exit}; null if none. */
    private static String check(Case c, Path store, int exit, StoreState state, Effect effect, Inputs inputs) {
        if (effect == null) {
            return "the store holds neither what it held before the command nor what a completed run leaves: "
                    + state.counts() + " (before: " + c.before().counts() + "; after: " + c.after().counts() + ")";
        }
        if (exit == 0 && effect == Effect.ABSENT) {
            return "it exited 0 but its effect is absent";
        }
        if (!state.index().isEmpty()) {
            return "the vector index disagrees with the record: " + state.index().getFirst();
        }
        String recall = recallsItself(store, effect == Effect.COMPLETE ? c.complete() : c.absent());
        Runs.Run info = Runs.inProcess(List.of("info", "--store", store.toString(), "--json"));
        StoreState reread = StoreState.of(store);
        if (!reread.sameAs(state)) {
            return "reading the store (its state, recall, info) changed what it holds: " + state.counts() + " became "
                    + reread.counts();
        }
        if (recall != null) {
            return recall;
        }
        if (info.exit() != 0) {
            return "info failed: " + info;
        }
        // Another encode: the killed one again for encode (it must complete what was cut short,
        // and leave what a completed run leaves), a new image for bind.
        List<String> another = c.command().equals("encode") ? withStore(c.args(), store)
                : List.of("encode", "--store", store.toString(), "--space", "fashion", inputs.extra().toString());
        Runs.Run encode = Runs.inProcess(another);
        if (encode.exit() != 0) {
            return "another encode failed: " + encode;
        }
        if (c.command().equals("encode")) {
            StoreState again = StoreState.of(store);
            if (!again.sameAs(c.after())) {
                return "the encode run again after the kill did not leave what a completed run leaves: "
                        + again.counts();
            }
        }
        return null;
    }

    /**
     * Null if {@code engram recall} of each probe file finds, as its nearest trace, the trace of
     * that very file at distance 0: the index serves what the record committed.
     */
    public static String recallsItself(Path store, Probe probe) {
        List<String> args = new ArrayList<>(List.of("recall", "--store", store.toString(), "--space", probe.space(),
                "--json", "-k", "1"));
        probe.files().forEach(f -> args.add(f.toString()));
        Runs.Run recall = Runs.inProcess(args);
        if (recall.exit() != 0 || recall.out().lines().count() != probe.files().size()) {
            return "recall failed: " + recall;
        }
        for (String line : recall.out().lines().toList()) {
            JsonObject cue = JsonParser.parseString(line).getAsJsonObject();
            var neighbours = cue.getAsJsonArray("neighbours");
            JsonObject nearest = neighbours.isEmpty() ? null : neighbours.get(0).getAsJsonObject();
            if (nearest == null || !nearest.get("source").getAsString().equals(cue.get("cue").getAsString())
                    || nearest.get("distance").getAsDouble() > 1e-6) {
                return "recall of " + cue.get("cue").getAsString() + " in space " + probe.space()
                        + " does not find its own trace at distance 0: " + line;
            }
        }
        return null;
    }

    /** At most {@link #PROBES} files spread evenly over the list. */
    private static List<Path> spread(List<Path> files) {
        List<Path> chosen = new ArrayList<>();
        int n = Math.min(PROBES, files.size());
        for (int i = 0; i < n; i++) {
            chosen.add(files.get(i * files.size() / n));
        }
        return chosen;
    }

    /** The command line with {@code --store STORE} after the subcommand. */
    private static List<String> withStore(List<String> args, Path store) {
        List<String> all = new ArrayList<>(args);
        all.addAll(1, List.of("--store", store.toString()));
        return all;
    }

    private static Runs.Run require(Runs.Run run) {
        if (run.exit() != 0) {
            throw new IllegalStateException("the kill test's preparation failed: " + run);
        }
        return run;
    }

    private static List<Path> sorted(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.sorted().toList();
        }
    }

    /**
     * Copies a store (its lock file and holder files aside: they belong to the processes that
     * use a store, not to its data).
     */
    public static Path copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (from.relativize(p).startsWith("engram.holders")) {
                    continue;
                }
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().equals("engram.lock")) {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
        return to;
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        Map<String, String> opts = HnswRecall.options(args);
        Settings settings = new Settings(Path.of(HnswRecall.required(opts, "--launcher")),
                Path.of(HnswRecall.required(opts, "--samples")), Path.of(HnswRecall.required(opts, "--work")),
                Integer.parseInt(opts.getOrDefault("--kills", "20")),
                Long.parseLong(opts.getOrDefault("--seed", Long.toString(System.currentTimeMillis()))));
        Report report = run(settings, System.err);
        report.failures().forEach(f -> System.err.println("kill test failure: " + f));
        System.out.println(Json.LINES.toJson(report.json()));
    }
}
