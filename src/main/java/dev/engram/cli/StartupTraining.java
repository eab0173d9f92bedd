package dev.engram.cli;

import dev.engram.dim.Manifolds;
import dev.engram.io.Npy;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * The workload {@code bin/engram} runs once per build and JDK under
 * {@code -XX:ArchiveClassesAtExit} to make engram's class-data sharing archive (AppCDS, JEP 350):
 * the classes loaded here are then mapped from the archive, already parsed and verified, by
 * every later start instead of being read from the jars. It runs the everyday commands on a
 * small store of its own, in one JVM, so that the archive does not depend on which command a
 * user happens to run first: dim on a file (every estimator), the history, info and an error;
 * with {@code -Dengram.training.pytorch=true} (the launcher sets it once DJL has unpacked
 * PyTorch's native library) also a vector space encoded, bound and recalled. Its output is thrown
 * away; what matters is which classes it loads.
 */
public final class StartupTraining {

    private StartupTraining() {
    }

    /** {@code args[0]}: an empty scratch directory, left for the caller to remove. */
    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: StartupTraining SCRATCH_DIR");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        Random random = new Random(1);
        // 400 points of the M1 sphere as .npy (the benchmark's form), and 40 random 8-D signals
        // labelled by the parity of their row.
        Path points = dir.resolve("points.npy");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(points))) {
            Npy.write(Manifolds.Benchmark.named("M1_Sphere").sample(400, 1), out);
        }
        Path signals = write(dir.resolve("signals.csv"), 40, i -> random.doubles(8).toArray());
        Path cue = write(dir.resolve("cue.csv"), 1, i -> random.doubles(8).toArray());
        StringBuilder labels = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            labels.append("signals.csv#").append(i).append(i % 2 == 0 ? ",even\n" : ",odd\n");
        }
        Path labelFile = Files.writeString(dir.resolve("labels.csv"), labels);
        String store = dir.resolve("store").toString();

        List<String[]> commands = new ArrayList<>(List.of(
                new String[] {"--version"},
                new String[] {"dim", "--help"},
                new String[] {"dim", "--store", store, "--estimator", "all", "--json", points.toString()},
                new String[] {"dim", "--store", store, "--estimator", "twonn", points.toString()},
                new String[] {"dim", "--store", store, "--history", "--json"},
                new String[] {"info", "--store", store}));
        if (Boolean.getBoolean("engram.training.pytorch")) {
            commands.addAll(List.of(
                    new String[] {"encode", "--store", store, "--space", "vector=signal", "--epochs", "1",
                            "--latent", "2", "--json", signals.toString()},
                    new String[] {"bind", "--store", store, "--labels", labelFile.toString(), "--locality"},
                    new String[] {"recall", "--store", store, "--json", cue.toString()},
                    new String[] {"recall", "--store", store, cue.toString()}));
        }
        PrintWriter discard = new PrintWriter(Writer.nullWriter());
        for (String[] command : commands) {
            int code = Main.run(discard, discard, command);
            if (code != 0) {
                // Not fatal (the archive is still made, with fewer classes), but worth a line in the log.
                System.err.println("startup training: 'engram " + String.join(" ", command) + "' exited " + code);
            }
        }
        // And one error, the path every bad input takes.
        Main.run(discard, discard, "dim", "--store", store, dir.resolve("missing.csv").toString());
    }

    private static Path write(Path file, int rows, IntFunction<double[]> row) throws IOException {
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            double[] values = row.apply(i);
            for (int d = 0; d < values.length; d++) {
                csv.append(d == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.6f", values[d]));
            }
            csv.append('\n');
        }
        return Files.writeString(file, csv);
    }
}
