package dev.engram.io;

import dev.engram.EngramException;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.ZipException;

/**
 * The one-line {@code invalidInput} errors of the readers of input files: the file's path, then
 * what is wrong with it.
 */
public final class FileErrors {
    private static final int SHOWN = 60;

    private FileErrors() {
    }

    public static EngramException invalid(Path file, String what) {
        return EngramException.invalidInput(file + ": " + what);
    }

    public static EngramException invalid(Path file, String what, Throwable cause) {
        return EngramException.invalidInput(file + ": " + what, cause);
    }

    /**
     * Text taken from a file, as it may appear in a one-line message: control characters (line
     * breaks among them) written as escapes, and cut to {@value #SHOWN} characters.
     */
    public static String shown(String text) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length() && b.length() <= SHOWN; i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                b.append("\\n");
            } else if (c == '\r') {
                b.append("\\r");
            } else if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.length() <= SHOWN ? b.toString() : b.substring(0, SHOWN - 3) + "...";
    }

    /** An I/O failure while reading: a truncated gzip stream is reported as truncation. */
    public static EngramException readFailure(Path file, IOException e) {
        if (e instanceof EOFException) {
            return invalid(file, "truncated file: it ends unexpectedly (" + e.getMessage() + ")", e);
        }
        if (e instanceof ZipException) {
            return invalid(file, "corrupt gzip data (" + e.getMessage() + ")", e);
        }
        if (e instanceof NoSuchFileException) {
            return invalid(file, "no such file", e);
        }
        if (e instanceof AccessDeniedException) {
            return invalid(file, "cannot read: permission denied", e);
        }
        return invalid(file, "cannot read: " + e, e);
    }
}
