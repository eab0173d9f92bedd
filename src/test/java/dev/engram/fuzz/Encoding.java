package dev.engram.fuzz;

import dev.engram.encode.Given;
import dev.engram.encode.Modality;
import dev.engram.encode.Reading;
import dev.engram.encode.Sources;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads inputs the way {@code engram encode} does before it opens a store: through the
 * modality's reader, for a new space whose shape the first input decides.
 */
final class Encoding {
    private Encoding() {
    }

    /** {@code engram encode --modality M FILE}. */
    static void argument(Modality<?> modality, Path file) {
        arguments(modality, List.of(file.toString()), InputStream.nullInputStream());
    }

    /** {@code engram encode --modality M ARGS...}, with {@code stdin} for {@code -}. */
    static void arguments(Modality<?> modality, List<String> arguments, InputStream stdin) {
        modality.read(new Sources(List.of(), arguments, List.of()), Reading.inputs(null, null, stdin));
    }

    /** The inputs an event manifest gives one modality. */
    static void fields(Modality<?> modality, List<Given> fields) {
        modality.read(new Sources(List.of(), List.of(), fields), Reading.inputs(null, null, InputStream.nullInputStream()));
    }
}
