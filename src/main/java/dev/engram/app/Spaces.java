package dev.engram.app;

import dev.engram.EngramException;
import dev.engram.store.Space;
import dev.engram.store.Store;

import java.util.List;
import java.util.stream.Collectors;

/** Which latent space a use case works on: the one named, or the store's only one. */
public final class Spaces {

    private Spaces() {
    }

    /** The space named {@code name}, or with {@code name} null the store's only space. */
    public static Space resolve(Store store, String name) {
        if (name != null) {
            return store.space(name).orElseThrow(() -> EngramException.unknown("no space '" + name + "' in store "
                    + store.directory() + known(store.spaces())));
        }
        List<Space> spaces = store.spaces();
        if (spaces.isEmpty()) {
            throw EngramException.nothingToDo("store " + store.directory()
                    + " has no spaces yet; encode something first");
        }
        if (spaces.size() > 1) {
            throw EngramException.invalidInput("store " + store.directory() + " has " + spaces.size()
                    + " spaces; choose one with --space" + known(spaces));
        }
        return spaces.getFirst();
    }

    private static String known(List<Space> spaces) {
        return spaces.isEmpty() ? " (it has none)"
                : " (spaces: " + spaces.stream().map(Space::name).collect(Collectors.joining(", ")) + ")";
    }
}
