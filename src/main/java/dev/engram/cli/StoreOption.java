package dev.engram.cli;

import dev.engram.store.Store;
import dev.engram.store.StoreLocation;
import dev.engram.store.Stores;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.time.Duration;

/**
 * The store a command works on: defined once on {@code engram} and inherited by every
 * subcommand, so that it may stand before the subcommand ({@code engram --store S recall ...},
 * as git and docker users type) or after it.
 */
public final class StoreOption {
    @Option(names = "--store", paramLabel = "STORE", defaultValue = "${env:ENGRAM_STORE:-engram-store}",
            scope = ScopeType.INHERIT,
            description = "Store: a directory, or a server store's address"
                    + " postgresql://HOST:PORT/DATABASE?solr=ZKHOST:PORT/solr, the password from"
                    + " $ENGRAM_PG_PASSWORD_FILE (default: $ENGRAM_STORE, else ./engram-store).")
    String spec;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "60", scope = ScopeType.INHERIT,
            description = "How long to wait for other engram processes that hold the store: readers wait only"
                    + " while a writer commits, writers while others read or commit (default: ${DEFAULT-VALUE}).")
    int waitSeconds;

    /** The store named by --store, not opened yet. */
    StoreLocation location() {
        return Stores.at(spec, Duration.ofSeconds(waitSeconds));
    }

    /** Opens the existing store; it is an error if there is none. */
    Store open() {
        return location().open();
    }
}
