package dev.engram.app;

import dev.engram.EngramException;
import dev.engram.store.Space;
import dev.engram.store.Store;

import java.util.List;
import java.util.stream.Collectors;

/** Which space a use case works on: one the user named, or the store's only one. */
public final class Spaces {
    private Spaces() {
    }

    /** The space called {@code name}; unknown names the spaces there are. */
    public static Space named(Store store, String name) {
        return store.space(name).orElseThrow(() -> EngramException.unknown("no space '" + name + "' in store "
                + store.location() + known(store.spaces())));
    }

    /** The store's only space; none, or several, is an error saying what to do. */
    public static Space only(Store store) {
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
