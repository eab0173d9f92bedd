package dev.engram.cli;

import dev.engram.store.EmbeddedStore;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;

/** The store a command works on, shared by every subcommand. */
public final class StoreOption {
    @Option(names = "--store", paramLabel = "DIR", defaultValue = "${env:ENGRAM_STORE:-engram-store}",
            description = "Store directory (default: $ENGRAM_STORE, else ./engram-store).")
    Path directory;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "60",
            description = "How long to wait for another engram process that holds the store (default: ${DEFAULT-VALUE}).")
    int waitSeconds;

    /** Opens the existing store; it is an error if there is none. */
    EmbeddedStore open() {
        return EmbeddedStore.open(directory, EmbeddedStore.Mode.EXISTING, Duration.ofSeconds(waitSeconds));
    }

    /** Opens the store, creating an empty one if the directory holds none. */
    EmbeddedStore openOrCreate() {
        return EmbeddedStore.open(directory, EmbeddedStore.Mode.CREATE, Duration.ofSeconds(waitSeconds));
    }
}
