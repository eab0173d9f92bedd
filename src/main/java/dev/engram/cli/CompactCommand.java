package dev.engram.cli;

import dev.engram.store.Store;
import picocli.CommandLine.Command;

/** {@code engram compact}: the disk that forgotten and rewritten data hold, reclaimed now. */
@Command(name = "compact", mixinStandardHelpOptions = true,
        versionProvider = EngramCommand.Version.class,
        description = {"Reclaim the disk space that forgotten and rewritten data still hold: the database file is"
                + " rewritten with its live pages only and each vector index merges away its deleted documents. A"
                + " write: readers wait while it runs (seconds per million traces). engram does this by itself"
                + " when worthwhile; this does it now. A server store needs none (PostgreSQL's autovacuum and"
                + " SolrCloud's merges do it) and says so."},
        footerHeading = "%nExamples:%n",
        footer = {"  engram compact --store mem"})
public final class CompactCommand extends StoreCommand {
    @Override
    public Integer call() {
        try (Store store = store().location().open()) {
            store.requireWritable();
            String done = store.compact();
            if (out().json()) {
                out().jsonLine(java.util.Map.of("compaction", done));
            } else {
                out().line(done);
            }
        }
        return 0;
    }
}
