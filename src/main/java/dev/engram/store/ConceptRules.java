package dev.engram.store;

import dev.engram.EngramException;

import java.util.List;
import java.util.OptionalLong;

/**
 * The rules of concept names and of the hierarchy, the same for every backend: what a name may
 * be, the {@code #ID} label of an unnamed concept, and that a concept never descends from itself.
 */
public final class ConceptRules {
    public static final int MAX_NAME_LENGTH = 200;
    /** What {@link #requireValidName} checks, as words for an error message. */
    public static final String NAME_RULE = "names must not be blank, start with '#', or exceed " + MAX_NAME_LENGTH
            + " characters";

    private ConceptRules() {
    }

    /**
     * Names must not be blank, start with {@code #} (kept for the labels of unnamed concepts)
     * or exceed {@value #MAX_NAME_LENGTH} characters.
     */
    public static void requireValidName(String name) {
        if (!isValidName(name)) {
            throw EngramException.invalidInput("invalid concept name '" + name + "': " + NAME_RULE);
        }
    }

    /** True for a name {@link #requireValidName} accepts. */
    public static boolean isValidName(String name) {
        return name != null && !name.isBlank() && !name.startsWith("#") && name.length() <= MAX_NAME_LENGTH;
    }

    /** The id a label of the form {@code #ID} names; empty for a name. */
    public static OptionalLong parseLabel(String label) {
        return label.matches("#\\d{1,18}") ? OptionalLong.of(Long.parseLong(label.substring(1))) : OptionalLong.empty();
    }

    /**
     * Refuses to make {@code parent} the parent of {@code child} when that would close a cycle:
     * {@code parentChainOfParent} is the parent's ancestors, nearest first.
     */
    public static void requireNoCycle(Concept child, Concept parent, List<Concept> parentChainOfParent) {
        if (parent.id() == child.id()) {
            throw EngramException.invalidInput("concept " + child.label() + " cannot be its own parent");
        }
        for (Concept ancestor : parentChainOfParent) {
            if (ancestor.id() == child.id()) {
                throw EngramException.invalidInput("concept " + parent.label() + " cannot be the parent of "
                        + child.label() + ": it descends from it");
            }
        }
    }

    /** Refuses a name that another concept already has. */
    public static void requireFree(String name, Concept renamed, java.util.Optional<Concept> holder) {
        if (holder.isPresent() && holder.get().id() != renamed.id()) {
            throw EngramException.invalidInput("concept name '" + name + "' is already taken by "
                    + holder.get().label());
        }
    }
}
