package dev.engram;

/** The process exit codes of every engram command; each has exactly one meaning. */
public enum ExitCode {
    OK(0, "success"),
    INTERNAL_ERROR(1, "internal error (rerun with --verbose and report it)"),
    USAGE(2, "invalid command line (unknown option, missing argument)"),
    INVALID_INPUT(3, "malformed input: corrupt or truncated file, bad row or value"),
    NOTHING_TO_DO(4, "no input found: empty directory, empty file, no traces to work on"),
    UNKNOWN_NAME(5, "unknown space, concept, trace or source"),
    STORE_UNAVAILABLE(6, "store missing, unwritable, or locked by another process past the wait bound"),
    STORE_INCOMPATIBLE(7, "store written by a newer engram (format version too high)"),
    UNKNOWN_SOURCE(8, "labels name sources that are not traces of the space (nothing is bound)"),
    WRONG_SHAPE(9, "input of the wrong shape for the space: image size, vector dimension, modality"),
    STORE_NOT_EMPTY(10, "the store a copy writes to already holds a memory (nothing was copied)");

    private final int code;
    private final String meaning;

    ExitCode(int code, String meaning) {
        this.code = code;
        this.meaning = meaning;
    }

    public int code() {
        return code;
    }

    public String meaning() {
        return meaning;
    }
}
