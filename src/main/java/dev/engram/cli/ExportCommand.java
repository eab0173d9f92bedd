package dev.engram.cli;

import dev.engram.app.Export;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Locale;

/** {@code engram export}: a store's record, or part of it, as files numpy and pandas read. */
@Command(name = "export", mixinStandardHelpOptions = true,
        versionProvider = EngramCommand.Version.class,
        description = {"Write a store's record, or the part the filters select, into a new directory DIR as plain"
                + " files: per space its latent vectors as a float32 .npy (one row per trace) and a JSON Lines"
                + " table of its traces (row, trace id, source, content hash, time, surprise, events, concepts with"
                + " weights), its model's files, and concepts (with parents), associations, events and dim reports"
                + " as JSON Lines; manifest.json describes it all. numpy.load and pandas.read_json(..., lines=True)"
                + " read them with no engram code; engram import reads them into another store.",
                "",
                "Filters combine: --space keeps those spaces, --concept the traces bound to those concepts or to a"
                        + " concept below one, --since/--until the traces perceived in that time. A filtered export"
                        + " keeps the concepts, events and associations of the traces it holds (and every ancestor"
                        + " of those concepts), and with --space the dim reports about those spaces. The store is"
                        + " only read. DIR must not exist or be empty; it appears whole or not at all."},
        footerHeading = "%nExamples:%n",
        footer = {"  engram export --store mem mem-export",
                "  engram export --store mem --space fashion --concept footwear --since 2026-12-01 footwear",
                "  python3 -c \"import numpy, pandas; x = numpy.load('mem-export/spaces/fashion/latents.npy');"
                        + " t = pandas.read_json('mem-export/spaces/fashion/traces.jsonl', lines=True)\""})
public final class ExportCommand extends StoreCommand {
    @Parameters(paramLabel = "DIR", description = "The directory to write (created; must not exist or be empty).")
    Path to;

    @Mixin
    TraceFilterOptions filter;

    @Override
    public Integer call() {
        Export.Exported exported = Export.run(store().location(), to, new Export.Filter(filter.spaces, filter.concepts,
                filter.since, filter.until),
                console());
        Output out = out();
        if (out.json()) {
            out.jsonLine(exported);
            return 0;
        }
        Output.Table table = new Output.Table("exported", "count", "detail");
        for (Export.SpaceExported s : exported.spaces()) {
            table.row("space " + s.space(), s.traces(), s.model() ? "traces, model files" : "traces, no model files");
        }
        table.row("concepts", exported.concepts(), "");
        table.row("associations", exported.associations(), "");
        table.row("events", exported.events(), "");
        table.row("dim reports", exported.dimReports(), "");
        table.print(out, "");
        console().note("exported %s to %s in %s s", exported.store(), exported.to(),
                String.format(Locale.ROOT, "%.1f", exported.seconds()));
        return 0;
    }
}
