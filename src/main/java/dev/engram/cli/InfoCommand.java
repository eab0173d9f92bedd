package dev.engram.cli;

import dev.engram.app.Info;
import dev.engram.store.StoreSummary;
import picocli.CommandLine.Command;

import java.util.List;
import java.util.Map;

/** {@code engram info}: what a store holds. */
@Command(name = "info", mixinStandardHelpOptions = true,
        versionProvider = EngramCommand.Version.class,
        description = "Summarise a store: its format version, its spaces (modality, encoder, dimension, metric, "
                + "model version, traces), and its numbers of events, concepts, associations and dim reports; for a"
                + " space with several model versions (engram consolidate), each version: when it was recorded,"
                + " how many inputs it was trained on, for how many epochs, its last loss, and what it learnt from.",
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
        for (StoreSummary.SpaceSummary s : summary.spaces()) {
            if (s.versions().size() > 1) {
                out.line("");
                out.line("model versions of space " + s.name() + " (* current):");
                Output.Table versions = new Output.Table("version", "recorded", "trained on", "epochs", "last loss",
                        "made from");
                for (StoreSummary.VersionSummary v : s.versions()) {
                    versions.row("v" + v.version() + (v.version() == s.modelVersion() ? " *" : ""), v.createdAt(),
                            number(v.provenance(), "examples"), number(v.provenance(), "epochs"),
                            lastLoss(v.provenance()), madeFrom(v.consolidation()));
                }
                versions.print(out, "  ");
            }
        }
        return 0;
    }

    private static String number(Map<String, Object> json, String field) {
        Object value = json == null ? null : json.get(field);
        return value instanceof Number n ? Long.toString(n.longValue()) : "-";
    }

    private static String lastLoss(Map<String, Object> provenance) {
        Object losses = provenance == null ? null : provenance.get("lossPerEpoch");
        return losses instanceof List<?> list && !list.isEmpty() && list.getLast() instanceof Number n
                ? Output.number(n.doubleValue()) : "-";
    }

    /** How a version was made from the one before, in a few words. */
    private static String madeFrom(Map<String, Object> c) {
        if (c == null) {
            return "its first training";
        }
        return "v" + number(c, "from_version") + ": " + number(c, "fresh") + " new (" + number(c, "novel")
                + " novel), " + number(c, "replayed") + " replayed (" + number(c, "replayed_raw") + " raw, "
                + number(c, "replayed_generated") + " reconstructed)";
    }
}
