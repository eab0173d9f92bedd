package dev.engram.cli;

import dev.engram.store.EmbeddedStore;
import dev.engram.store.StoreSummary;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** {@code engram info}: what a store holds. */
@Command(name = "info", mixinStandardHelpOptions = true,
        versionProvider = EngramCommand.Version.class,
        description = "Summarise a store: its format version, its spaces (modality, encoder, dimension, metric, "
                + "model version, traces), and its numbers of events, concepts, associations and dim reports.",
        footerHeading = "%nExamples:%n",
        footer = {"  engram info --store mem", "  engram info --store mem --json"})
public final class InfoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    StoreOption store;
    @Mixin
    OutputOptions output;

    @Override
    public Integer call() {
        Output out = new Output(spec.commandLine().getOut(), output.json);
        try (EmbeddedStore db = store.open()) {
            StoreSummary summary = db.summary();
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
        }
        return 0;
    }
}
