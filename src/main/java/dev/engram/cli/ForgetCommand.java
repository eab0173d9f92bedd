package dev.engram.cli;

import dev.engram.app.Forget;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code engram forget}: traces, concepts or spaces removed from the store. */
@Command(name = "forget", mixinStandardHelpOptions = true,
        versionProvider = EngramCommand.Version.class,
        description = {"Remove traces from the store (with their associations, their links to events and their"
                + " points under earlier model versions), or whole concepts, or whole spaces, as one unit of work. A"
                + " forgotten trace is never recalled again.",
                "",
                "Traces are chosen by every filter given at once: --trace ids, --source files (an item of a file as"
                        + " FILE#INDEX, or a directory for everything under it), --concept (bound to it or to a"
                        + " concept below it), --space, --since/--until (when they were perceived). --whole-concept"
                        + " removes a concept (its children take its parent), --whole-space a space with its model"
                        + " and index. --dry-run lists what would go (one row per trace) and changes nothing.",
                "",
                "The disk is reclaimed when worthwhile (the database file is rewritten once under half of it is"
                        + " live; the vector index merges away its deleted documents as it goes), or at once with"
                        + " --compact or engram compact. Prints the traces forgotten per space, and the store's size"
                        + " before and after."},
        footerHeading = "%nExamples:%n",
        footer = {"  engram forget --store mem --source sample-data/fashion/train/bag --dry-run",
                "  engram forget --store mem --space fashion --concept sandal --since 2026-12-07T10:00:00Z",
                "  engram forget --store mem --trace 17 --trace 18",
                "  engram forget --store mem --whole-space audio --whole-concept '#42' --compact"})
public final class ForgetCommand extends StoreCommand {
    @Option(names = "--trace", paramLabel = "ID", description = "A trace to forget (repeatable).")
    List<Long> traces = new ArrayList<>();

    @Option(names = "--source", paramLabel = "PATH",
            description = "Traces of this file, item (FILE#INDEX) or directory (repeatable).")
    List<String> sources = new ArrayList<>();

    @Mixin
    TraceFilterOptions filter;

    @Option(names = "--lexicon", description = "Only texts known from a lexicon (bind --wordnet, --glossary): "
            + "traces bound to concepts by kind lexicon alone. With --concept, that concept's only.")
    boolean lexicon;

    @Option(names = "--whole-concept", paramLabel = "LABEL", description = "A concept to forget (repeatable).")
    List<String> wholeConcepts = new ArrayList<>();

    @Option(names = "--whole-space", paramLabel = "NAME",
            description = "A space to forget with all its traces, model and index (repeatable).")
    List<String> wholeSpaces = new ArrayList<>();

    @Option(names = "--dry-run", description = "List what would be forgotten; change nothing.")
    boolean dryRun;

    @Option(names = "--compact", description = "Reclaim the disk at once afterwards (as engram compact).")
    boolean compact;

    @Override
    public Integer call() {
        Output out = out();
        Output.Table list = new Output.Table("trace", "space", "source");
        Forget.Forgotten forgotten = Forget.run(store().location(), new Forget.Request(traces, sources, filter.concepts,
                filter.spaces, filter.since, filter.until, wholeConcepts, wholeSpaces, dryRun, compact, lexicon), gone -> {
                    if (!dryRun) {
                        return;
                    }
                    if (out.json()) {
                        out.jsonLine(gone);
                    } else {
                        list.row(gone.trace(), gone.space(), gone.source());
                    }
                }, console());
        Console console = console();
        if (dryRun) {
            if (!out.json()) {
                list.print(out, "");
            }
            console.note("would forget %s%s; nothing was changed", describe(forgotten.tracesBySpace()),
                    wholes(forgotten));
            return 0;
        }
        if (out.json()) {
            out.jsonLine(forgotten);
            return 0;
        }
        Output.Table table = new Output.Table("forgotten", "count");
        forgotten.tracesBySpace().forEach((space, n) -> table.row("traces of space " + space
                + (forgotten.spaces().contains(space) ? " (the whole space)" : ""), n));
        forgotten.concepts().forEach(c -> table.row("concept " + c, 1));
        table.print(out, "");
        if (forgotten.compaction() != null) {
            console.note("%s", forgotten.compaction());
        }
        if (forgotten.bytesBefore() >= 0) {
            console.note("store size %s -> %s MB in %s s", mb(forgotten.bytesBefore()), mb(forgotten.bytesAfter()),
                    String.format(Locale.ROOT, "%.1f", forgotten.seconds()));
        }
        return 0;
    }

    private static String describe(Map<String, Long> bySpace) {
        long total = bySpace.values().stream().mapToLong(Long::longValue).sum();
        return total + " trace" + (total == 1 ? "" : "s") + (bySpace.isEmpty() ? "" : " " + bySpace);
    }

    private static String wholes(Forget.Forgotten f) {
        return (f.concepts().isEmpty() ? "" : ", concepts " + f.concepts()) + (f.spaces().isEmpty() ? "" : ", spaces "
                + f.spaces());
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1048576.0);
    }
}
