package dev.engram.cli;

import dev.engram.EngramException;
import dev.engram.app.Consolidate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.Locale;

/** {@code engram consolidate}: a space's next model version, learnt with replay; or an earlier one restored. */
@Command(name = "consolidate", mixinStandardHelpOptions = true,
        versionProvider = EngramCommand.Version.class,
        description = {"Train the next model version of a space (v2, v3, ...) from the current one's weights, on the"
                + " traces stored since the current version together with replay of older ones, then encode every"
                + " trace again under it.",
                "",
                "Replay uses an older trace's raw input when its source can still be read and matches the trace's"
                        + " content hash, else the current decoder's reconstruction of its point (generative replay)."
                        + " Trace ids, events, associations and concepts stay as they are; points, surprises and"
                        + " the vector index change with the version, all in one unit of work. Earlier versions"
                        + " are kept: 'engram info' lists them, --restore makes one current again. A shaped space"
                        + " stays shaped by the concepts bound to its traces. Text spaces (a pretrained sentence"
                        + " encoder) are refused. Prints one row: the versions, what was learnt from, how the"
                        + " traces were encoded again, the last epoch's loss and the seconds taken."},
        footerHeading = "%nExamples:%n",
        footer = {"  engram consolidate --store mem --space fashion --dry-run",
                "  engram consolidate --store mem --space fashion --replay 0.5 --priority surprise --epochs 5",
                "  engram encode --store mem --space fashion new/ && engram consolidate --store mem --space fashion"
                        + " --when-novel 100",
                "  engram consolidate --store mem --space fashion --restore v1"})
public final class ConsolidateCommand extends StoreCommand {
    @Option(names = "--space", paramLabel = "NAME", description = "The space (default: the store's only space).")
    String space;

    @Option(names = "--replay", paramLabel = "SHARE", defaultValue = "0.5",
            description = "Share of older traces in the training set, from 0 (the new traces only: the space"
                    + " forgets) up to but not including 1 (default: ${DEFAULT-VALUE}, as many older as new).")
    double replay;

    @Option(names = "--priority", paramLabel = "ORDER", defaultValue = "recency",
            description = "Which older traces are replayed first: recency (the latest perceived) or surprise (the"
                    + " worst reconstructed) (default: ${DEFAULT-VALUE}).")
    String priority;

    @Option(names = "--replay-inputs", paramLabel = "FROM", defaultValue = "auto",
            description = "auto: an older trace's raw input where it can be read again, else its reconstruction;"
                    + " generated: reconstructions only (default: ${DEFAULT-VALUE}).")
    String replayInputs;

    @Option(names = "--epochs", description = "Training epochs (default: those of the current version).")
    Integer epochs;

    @Option(names = "--batch-size", description = "Batch size (default: that of the current version).")
    Integer batchSize;

    @Option(names = "--learning-rate", description = "Adam's learning rate (default: that of the current version).")
    Double learningRate;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--when-novel", paramLabel = "N", defaultValue = "0",
            description = "Do nothing (exit 0) unless at least N traces stored since the current version are novel:"
                    + " above the older traces' 99th-percentile surprise. For pipelines that call consolidate after"
                    + " every encode (default: ${DEFAULT-VALUE}, always; with nothing new at all, exit 4).")
    int whenNovel;

    @Option(names = "--dry-run", description = "Say what would be trained on, and change nothing.")
    boolean dryRun;

    @Option(names = "--restore", paramLabel = "vN",
            description = "Make an earlier model version current again (its points kept; traces stored since are"
                    + " encoded with it), instead of training a new one.")
    String restore;

    @Override
    public Integer call() {
        Consolidate.Result result = Consolidate.run(store().location(), new Consolidate.Request(space, replay,
                choice(Consolidate.Priority.class, "--priority", priority),
                choice(Consolidate.ReplayInputs.class, "--replay-inputs", replayInputs), epochs, batchSize,
                learningRate, seed, whenNovel, dryRun, restore == null ? null : version(restore)), console());
        Output out = out();
        if (out.json()) {
            out.jsonLine(result);
            return 0;
        }
        Consolidate.Plan p = result.plan();
        Output.Table table = new Output.Table("space", "from", "to", "changed", "new", "novel", "replayed",
                "raw", "reconstructed", "encoded again", "last loss", "seconds");
        table.row(p.space(), "v" + p.fromVersion(), "v" + p.toVersion(),
                result.changed() ? "yes" : "no (" + result.skipped() + ")", p.fresh(), p.novel(), p.replayed(),
                p.freshRaw() + p.replayedRaw(), p.freshGenerated() + p.replayedGenerated(),
                result.changed() ? result.reencodedRaw() + " raw, " + result.reencodedGenerated() + " reconstructed"
                        : "-",
                result.lossPerEpoch().isEmpty() ? "-" : Output.number(result.lossPerEpoch().getLast()),
                String.format(Locale.ROOT, "%.1f", result.seconds()));
        table.print(out, "");
        return 0;
    }

    private static <E extends Enum<E>> E choice(Class<E> type, String option, String value) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value.replace('-', '_'))) {
                return e;
            }
        }
        throw EngramException.invalidInput(option + " takes " + String.join(" or ",
                java.util.Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList())
                + ", not '" + value + "'");
    }

    private static int version(String text) {
        String digits = text.startsWith("v") || text.startsWith("V") ? text.substring(1) : text;
        try {
            int v = Integer.parseInt(digits);
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw EngramException.invalidInput("--restore takes a model version such as v1, not '" + text + "'");
    }
}
