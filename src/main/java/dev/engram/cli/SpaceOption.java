package dev.engram.cli;

import dev.engram.EngramException;
import dev.engram.store.Space;
import dev.engram.store.Store;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.stream.Collectors;

/** Which latent space a command works on; optional when the store has exactly one. */
public final class SpaceOption {
    @Option(names = "--space", paramLabel = "NAME",
            description = "Latent space to use (default: the store's only space).")
    String name;

    Space resolve(Store store) {
        if (name != null) {
            return store.space(name).orElseThrow(() -> EngramException.unknown("no space '" + name + "' in store "
                    + store.location() + known(store.spaces())));
        }
        List<Space> spaces = store.spaces();
        if (spaces.isEmpty()) {
            throw EngramException.nothingToDo("store " + store.location() + " has no spaces yet; encode something first");
        }
        if (spaces.size() > 1) {
            throw EngramException.invalidInput("store " + store.location() + " has " + spaces.size()
                    + " spaces; choose one with --space" + known(spaces));
        }
        return spaces.getFirst();
    }

    private static String known(List<Space> spaces) {
        return spaces.isEmpty() ? " (it has none)"
                : " (spaces: " + spaces.stream().map(Space::name).collect(Collectors.joining(", ")) + ")";
    }
}
