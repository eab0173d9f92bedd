package dev.engram.encode;

import dev.engram.EngramException;
import dev.engram.store.Space;
import dev.engram.store.Trace;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The inputs a space's traces came from, read again from their sources (a file, or item N of a
 * file) the way the space reads inputs, and checked against each trace's content hash: what
 * consolidation replays and re-encodes. A trace whose source is gone, changed since it was
 * encoded, or not readable any more has no raw input; the reason is kept for the report.
 */
public final class SourceInputs {
    private SourceInputs() {
    }

    /**
     * @param values     the input values of each trace read again, by trace id
     * @param unreadable why each other trace's input could not be read again, by trace id
     */
    public record Reread(Map<Long, float[]> values, Map<Long, String> unreadable) {
    }

    /** Reads the sources of {@code traces} (all of {@code space}) once each, file by file. */
    public static Reread read(Modality<?> modality, Space space, List<Trace> traces) {
        Map<String, List<Trace>> byFile = new LinkedHashMap<>();
        for (Trace t : traces) {
            byFile.computeIfAbsent(t.source(), f -> new ArrayList<>()).add(t);
        }
        Map<Long, float[]> values = new HashMap<>();
        Map<Long, String> unreadable = new HashMap<>();
        for (Map.Entry<String, List<Trace>> file : byFile.entrySet()) {
            Map<String, Perception> items;
            try {
                items = items(modality, space, file.getKey());
            } catch (RuntimeException e) {
                // Whatever keeps one file from being read (gone, changed, a manifest of inline
                // values, a reader's fault) leaves its traces to their reconstructions.
                for (Trace t : file.getValue()) {
                    unreadable.put(t.id(), e instanceof EngramException ? e.getMessage() : file.getKey()
                            + " cannot be read again (" + e + ")");
                }
                continue;
            }
            for (Trace t : file.getValue()) {
                Perception item = items.get(t.sourceLabel());
                if (item == null) {
                    unreadable.put(t.id(), t.sourceLabel() + " is not in its file any more");
                } else if (!item.contentHash().equals(t.contentHash())) {
                    unreadable.put(t.id(), t.sourceLabel() + " has changed since it was encoded");
                } else {
                    values.put(t.id(), item.values());
                }
            }
        }
        return new Reread(values, unreadable);
    }

    /** Every input of one source file, by source label; an error if it is gone or unreadable. */
    private static Map<String, Perception> items(Modality<?> modality, Space space, String file) {
        if (!Files.isRegularFile(Path.of(file))) {
            throw EngramException.invalidInput(file + " is gone");
        }
        Inputs<?> inputs = modality.read(new Sources(List.of(), List.of(file), List.of()),
                Reading.inputs(space, null, InputStream.nullInputStream()));
        Map<String, Perception> items = new HashMap<>();
        for (Input input : inputs.items()) {
            if (!(input instanceof Perception perception)) {
                throw EngramException.invalidInput("space " + space.name() + " holds " + space.modality()
                        + ", whose inputs are not numbers to replay");
            }
            items.put(perception.label(), perception);
        }
        return items;
    }
}
