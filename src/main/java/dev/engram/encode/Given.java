package dev.engram.encode;

import java.nio.file.Path;
import java.util.Objects;

/**
 * An input named on its own, not found through a path argument, and read as exactly one input:
 * an event's field (a file, a text or numbers) or a text typed on the command line.
 *
 * @param where  where it was given, for messages: {@code events.jsonl:3}, an events folder's base name
 * @param source for an input given by value, the source its trace records: the manifest's path,
 *               {@code text} for the command line (null for a file)
 * @param index  for an input given by value, its manifest line or argument number (-1 for a file)
 * @param file   the file holding it, or null
 * @param text   a text given by value, or null
 * @param values numbers given by value, or null
 */
public record Given(String where, String source, int index, Path file, String text, float[] values) {

    public Given {
        Objects.requireNonNull(where, "where");
        if ((file != null ? 1 : 0) + (text != null ? 1 : 0) + (values != null ? 1 : 0) != 1) {
            throw new IllegalArgumentException("an input is given as a file, a text or numbers: one of them");
        }
    }

    /** The file, for a modality whose inputs are files only: any other is a mistake of the caller's. */
    public Path requireFile() {
        if (file == null) {
            throw new IllegalArgumentException(where + ": this modality's inputs are given as files");
        }
        return file;
    }

    public static Given file(String where, Path file) {
        return new Given(where, null, -1, file, null, null);
    }

    public static Given text(String where, String source, int index, String text) {
        return new Given(where, source, index, null, text, null);
    }

    public static Given values(String where, String source, int index, float[] values) {
        return new Given(where, source, index, null, null, values);
    }
}
