package dev.engram.encode;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Where the inputs bound for one space come from, in the order they are read.
 *
 * @param literals  inputs typed on the command line ({@code --text})
 * @param arguments paths: files, directories (searched for the modality's files), {@code -}
 * @param events    the events' fields, one input each
 */
public record Sources(List<Given> literals, List<String> arguments, List<Given> events) {

    public Sources {
        literals = List.copyOf(literals);
        arguments = List.copyOf(arguments);
        events = List.copyOf(events);
    }

    public boolean isEmpty() {
        return literals.isEmpty() && arguments.isEmpty() && events.isEmpty();
    }

    /** The inputs given one by one: the literals, then the events' fields. */
    public List<Given> given() {
        List<Given> given = new ArrayList<>(literals);
        given.addAll(events);
        return given;
    }

    /**
     * The inputs in order: each literal read by {@code one}, then the arguments' inputs (if there
     * are arguments), then each event's field read by {@code one}.
     */
    public <I> List<I> read(Function<Given, I> one, Function<List<String>, List<I>> arguments) {
        List<I> inputs = new ArrayList<>();
        literals.forEach(given -> inputs.add(one.apply(given)));
        if (!this.arguments.isEmpty()) {
            inputs.addAll(arguments.apply(this.arguments));
        }
        events.forEach(given -> inputs.add(one.apply(given)));
        return inputs;
    }
}
