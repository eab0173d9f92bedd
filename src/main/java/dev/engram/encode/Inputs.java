package dev.engram.encode;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Inputs read for one space, in order, and the shape of the values its encoder takes them as
 * (channels × height × width for images, bands × frames for sound, the width of a row of
 * numbers; empty for text, which is not numbers).
 */
public record Inputs<I extends Input>(List<I> items, int[] shape) {

    public Inputs {
        items = List.copyOf(items);
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public int size() {
        return items.size();
    }

    /** The same inputs with repeats of one content dropped: an event stream may perceive one thing many times. */
    public Inputs<I> distinct() {
        Set<String> seen = new HashSet<>();
        return new Inputs<>(items.stream().filter(i -> seen.add(i.contentHash())).toList(), shape);
    }
}
