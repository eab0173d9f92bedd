package dev.engram.encode;

import dev.engram.EngramException;
import dev.engram.encode.audio.AudioModality;
import dev.engram.encode.image.ImageModality;
import dev.engram.encode.text.TextModality;
import dev.engram.encode.vector.VectorModality;
import dev.engram.io.InputFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The registry of modalities: every kind of input this engram perceives, in the order they are
 * listed to people and their inputs are handled (images first: they are batched), and how a
 * file's kind is told, by its name's ending, else by its first bytes, never by default.
 */
public final class Modalities {
    private static final List<Modality<?>> ALL = List.of(ImageModality.INSTANCE, TextModality.INSTANCE,
            AudioModality.INSTANCE, VectorModality.INSTANCE);
    /** As many first bytes as any modality looks at to recognise its files. */
    private static final int HEAD = 12;
    /** Files of any modality, as a directory argument is searched for them. */
    private static final InputFiles ANY = InputFiles.byExtension("inputs",
            ALL.stream().flatMap(m -> m.extensions().stream()).toArray(String[]::new));

    private Modalities() {
    }

    public static List<Modality<?>> all() {
        return ALL;
    }

    /** Files of any modality, found the way an argument finds them (a directory searched for every extension). */
    public static InputFiles files() {
        return ANY;
    }

    /** The modality with this id; an unknown one is invalid input naming the known ones. */
    public static Modality<?> of(String id) {
        return find(id).orElseThrow(() -> EngramException.invalidInput("unknown modality '" + id + "' (known: "
                + known() + ")"));
    }

    public static Optional<Modality<?>> find(String id) {
        return ALL.stream().filter(m -> m.id().equals(id)).findFirst();
    }

    /** The ids, for messages: "image, text, audio, vector". */
    public static String known() {
        return ALL.stream().map(Modality::id).collect(Collectors.joining(", "));
    }

    /** Every extension that tells a modality, for messages: ".png .jpg .jpeg .txt ...". */
    public static String extensions() {
        return ALL.stream().flatMap(m -> m.extensions().stream()).collect(Collectors.joining(" "));
    }

    /** The modality a file name's ending announces, if any. */
    public static Optional<Modality<?>> byExtension(String fileName) {
        String lower = fileName.toLowerCase(Locale.ROOT);
        return ALL.stream().filter(m -> m.extensions().stream().anyMatch(lower::endsWith)).findFirst();
    }

    /** The modality of a regular file: by its name's ending, else by its first bytes (an IDX file has no ending). */
    public static Optional<Modality<?>> ofFile(Path file) {
        Optional<Modality<?>> named = byExtension(String.valueOf(file.getFileName()));
        if (named.isPresent()) {
            return named;
        }
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(HEAD);
        } catch (IOException e) {
            throw EngramException.invalidInput(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        return ALL.stream().filter(m -> m.recognises(head)).findFirst();
    }

    /**
     * The modality of what a path argument names: a file's (see {@link #ofFile}), a directory's
     * first file (in path order, hidden ones skipped) whose name's ending tells one. Fails with
     * a one-line message when the path is missing or nothing tells: no input is read as an
     * image, or as anything else, by default.
     */
    public static Modality<?> ofPath(Path path) {
        if (Files.isRegularFile(path)) {
            return ofFile(path).orElseThrow(() -> EngramException.invalidInput(path + ": cannot tell what kind"
                    + " of input this is, by its name (known: " + extensions() + ") or its first bytes"));
        }
        // Searched as a directory argument is (hidden entries skipped, in path order); a
        // missing path fails there, as it does for any argument.
        Path first = ANY.resolve(List.of(path.toString()), InputStream.nullInputStream()).getFirst();
        return byExtension(first.getFileName().toString()).orElseThrow();
    }
}
