package dev.engram.cli;

import dev.engram.app.Info;
import dev.engram.store.StoreSummary;
import picocli.CommandLine.Command;


/** {@code engram info}: what a store holds. */
@Command(name = "info", mixinStandardHelpOptions = true,
        versionProvider = EngramCommand.Version.class,
        description = "Summarise a store: its format version, its spaces (modality, encoder, dimension, metric, "
                + "model version, traces), and its numbers of events, concepts, associations and dim reports.",
        footerHeading = "%nExamples:%n",
        footer = {"  engram info --store mem", "  engram info --store mem --json"})
public final class InfoCommand extends StoreCommand {

    @Override
    public Integer call() {
        Output out = out();
        StoreSummary summary = Info.summary(store().location());
        if (out.json()) {
            out.jsonLine(summary);
            return 0;
        }
        out.line("store " + summary.directory() + " (format version " + summary.formatVersion() + ")");
        out.line("events " + summary.events() + ", concepts " + summary.concepts() + ", associations "
                + summary.associations() + ", dim reports " + summary.dimReports());
        Output.Table table = new Output.Table("space", "modality", "encoder", "dimension", "metric", "model", "traces");
        for (StoreSummary.SpaceSummary s : summary.spaces()) {
            table.row(s.name(), s.modality(), s.encoder(), s.dimension(), s.metric(), "v" + s.modelVersion(), s.traces());
        }
        table.print(out, "");
        return 0;
    }
}
