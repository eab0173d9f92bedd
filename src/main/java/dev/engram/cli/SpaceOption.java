package dev.engram.cli;

import dev.engram.app.Spaces;
import dev.engram.store.Space;
import dev.engram.store.Store;
import picocli.CommandLine.Option;

/** Which latent space a command works on; optional when the store has exactly one. */
public final class SpaceOption {
    @Option(names = "--space", paramLabel = "NAME",
            description = "Latent space to use (default: the store's only space).")
    String name;

    Space resolve(Store store) {
        return name != null ? Spaces.named(store, name) : Spaces.only(store);
    }
}
