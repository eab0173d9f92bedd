package dev.engram.app;

import dev.engram.EngramException;
import dev.engram.store.Space;
import dev.engram.store.Store;

import java.util.List;
import java.util.stream.Collectors;

/** Which space a use case works on: the one named, else the store's only space. */
public final class Spaces {
    private Spaces() {
    }

    /**
     * The space called {@code name}, or with {@code name} null the store's only space; an
     * unknown name (exit 5), an empty store (exit 4) and a choice left open (exit 3) are errors
     * that list the spaces there are.
     */
    public static Space resolve(Store store, String name) {
        return name != null ? named(store, name) : only(store);
    }

    /** The space called {@code name}; an unknown name is an error that lists the spaces there are. */
    public static Space named(Store store, String name) {
        return store.space(name).orElseThrow(() -> EngramException.unknown("no space '" + name + "' in store "
                + store.location() + known(store.spaces())));
    }

    /** The spaces called {@code names}, each once, in name order; an unknown name is an error as above. */
    public static List<Space> named(Store store, java.util.Collection<String> names) {
        return new java.util.TreeSet<>(names).stream().map(name -> named(store, name)).toList();
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
