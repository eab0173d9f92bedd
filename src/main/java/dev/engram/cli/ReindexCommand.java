package dev.engram.cli;

import dev.engram.app.Reindex;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code engram reindex}: vector indexes rebuilt from the record. */
@Command(name = "reindex", mixinStandardHelpOptions = true,
        versionProvider = EngramCommand.Version.class,
        description = "Rebuild spaces' vector indexes from the store's record: for an index that was lost or"
                + " damaged, or, on a server store, one that fell behind while SolrCloud was away. Each space"
                + " prints one row: its name, the traces its index holds, and the seconds it took.",
        footerHeading = "%nExamples:%n",
        footer = {"  engram reindex --store mem", "  engram reindex --store mem --space fashion"})
public final class ReindexCommand extends StoreCommand {
    @Option(names = "--space", paramLabel = "NAME",
            description = "A space to rebuild (repeatable; default: every space).")
    List<String> spaces = new ArrayList<>();

    @Override
    public Integer call() {
        Output out = out();
        Output.Table table = new Output.Table("space", "traces", "seconds");
        Reindex.run(store().location(), spaces, r -> {
            if (out.json()) {
                out.jsonLine(r);
            } else {
                table.row(r.space(), r.traces(), String.format(Locale.ROOT, "%.2f", r.seconds()));
            }
        });
        if (!out.json()) {
            table.print(out, "");
        }
        return 0;
    }
}
