package dev.engram.encode;

import dev.engram.EngramException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The kinds of input engram perceives, one encoder family each (docs/architecture.md, Modalities). A space holds
 * one modality; by default a modality's space is named after it.
 */
public enum Modality {
    /** PNG, JPEG or IDX images through a convolutional autoencoder. */
    IMAGE("image"),
    /** Sentences through a pretrained sentence encoder; no decoder. */
    TEXT("text"),
    /** WAV sound as a log-mel spectrogram through a convolutional autoencoder. */
    AUDIO("audio"),
    /** Numeric rows (CSV, .npy) through a dense autoencoder: internal signals. */
    VECTOR("vector");

    private final String id;

    Modality(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Modality of(String id) {
        for (Modality m : values()) {
            if (m.id.equals(id)) {
                return m;
            }
        }
        throw EngramException.invalidInput("unknown modality '" + id + "' (known: " + known() + ")");
    }

    public static String known() {
        return Arrays.stream(values()).map(Modality::id).collect(Collectors.joining(", "));
    }

    /** The modality a file's extension announces, or null when the extension says nothing. */
    public static Modality ofFile(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".wav")) {
            return AUDIO;
        }
        if (lower.endsWith(".txt")) {
            return TEXT;
        }
        if (lower.endsWith(".csv") || lower.endsWith(".npy")) {
            return VECTOR;
        }
        if (lower.endsWith(".png") || lower.endsWith(".jpg") || lower.endsWith(".jpeg")) {
            return IMAGE;
        }
        return null; // IDX image files have no fixed extension: callers try them as images

    }

    /**
     * The modality a path announces: a file's by its extension, a directory's by its first file
     * (in path order) with a telling extension; null when nothing tells.
     */
    public static Modality guess(java.nio.file.Path path) {
        if (java.nio.file.Files.isRegularFile(path)) {
            return ofFile(path.getFileName().toString());
        }
        if (!java.nio.file.Files.isDirectory(path)) {
            return null;
        }
        try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.walk(path)) {
            return files.filter(java.nio.file.Files::isRegularFile).sorted()
                    .map(p -> ofFile(p.getFileName().toString()))
                    .filter(m -> m != null).findFirst().orElse(null);
        } catch (java.io.IOException e) {
            throw EngramException.invalidInput("cannot list " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return id;
    }
}
