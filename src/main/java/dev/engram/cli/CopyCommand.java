package dev.engram.cli;

import dev.engram.app.Copy;
import dev.engram.store.Stores;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.Locale;
import java.util.stream.Collectors;

/** {@code engram copy}: a whole store into an empty one, of either backend, ids kept. */
@Command(name = "copy", mixinStandardHelpOptions = true,
        versionProvider = EngramCommand.Version.class,
        description = {"Copy a whole store into an empty one: a directory into a server store (PostgreSQL and"
                + " SolrCloud) or back, or between two of a kind, with every id and time kept.",
                "",
                "Spaces with every version of their model files, traces with their vectors, events, concepts,"
                        + " associations and dim reports are copied as one unit of work (nothing is written unless"
                        + " all is), and the destination's vector indexes are built from them. The source is only"
                        + " read. The destination is created if absent; one that holds anything is refused"
                        + " (exit 10). Prints one row per space and per kind of record, with the count the"
                        + " destination holds. A server store's password comes from $ENGRAM_PG_PASSWORD_FILE, or"
                        + " from ~/.pgpass when the two stores need different ones."},
        footerHeading = "%nExamples:%n",
        footer = {"  engram copy --from mem --to 'postgresql://db1:5432/engram?solr=zk1:2181/solr'",
                "  engram copy --from 'postgresql://db1:5432/engram?solr=zk1:2181/solr' --to mem-copy",
                "  engram --store mem copy --to mem-backup"})
public final class CopyCommand extends StoreCommand {
    @Option(names = "--from", paramLabel = "STORE",
            description = "The store to copy: a directory or a server store's address (default: --store).")
    String from;

    @Option(names = "--to", paramLabel = "STORE", required = true,
            description = "The empty store to copy into: a directory (created if absent) or a server store's"
                    + " address.")
    String to;

    @Override
    public Integer call() {
        StoreOption store = store();
        Duration wait = Duration.ofSeconds(store.waitSeconds);
        Copy.Copied copied = Copy.run(from == null ? store.location() : Stores.at(from, wait), Stores.at(to, wait),
                console());
        Output out = out();
        if (out.json()) {
            out.jsonLine(copied);
            return 0;
        }
        Output.Table table = new Output.Table("copied", "count", "detail");
        for (Copy.SpaceCopied s : copied.spaces()) {
            table.row("space " + s.space(), s.traces(), s.modelVersions().isEmpty() ? "traces, no model files"
                    : "traces, model files of " + s.modelVersions().stream().map(v -> "v" + v)
                    .collect(Collectors.joining(", ")));
        }
        table.row("events", copied.events(), "");
        table.row("concepts", copied.concepts(), "");
        table.row("associations", copied.associations(), "");
        table.row("dim reports", copied.dimReports(), "");
        table.print(out, "");
        console().note("copied %s to %s in %s s", copied.from(), copied.to(),
                String.format(Locale.ROOT, "%.1f", copied.seconds()));
        return 0;
    }
}
