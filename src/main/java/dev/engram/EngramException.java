package dev.engram;

/**
 * A failure a user can act on: it carries the one-line message shown on stderr and the exit
 * code the process ends with. Made only through the named factories so that every exit code
 * has one meaning (listed in {@link ExitCode}).
 */
public final class EngramException extends RuntimeException {
    private final ExitCode exitCode;

    private EngramException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    /** An input file or value is malformed: a corrupt image, a bad CSV row, an impossible option value. */
    public static EngramException invalidInput(String message) {
        return new EngramException(ExitCode.INVALID_INPUT, message, null);
    }

    public static EngramException invalidInput(String message, Throwable cause) {
        return new EngramException(ExitCode.INVALID_INPUT, message, cause);
    }

    /** The command was given nothing to work on: an empty directory, no rows, no traces. */
    public static EngramException nothingToDo(String message) {
        return new EngramException(ExitCode.NOTHING_TO_DO, message, null);
    }

    /** A name that the store does not know: a space, a concept, a trace id, a labelled source. */
    public static EngramException unknown(String message) {
        return new EngramException(ExitCode.UNKNOWN_NAME, message, null);
    }

    /** A labels file names sources that the space holds no trace of. */
    public static EngramException unknownSource(String message) {
        return new EngramException(ExitCode.UNKNOWN_SOURCE, message, null);
    }

    /** An input that does not fit the space: another image size, vector dimension or modality. */
    public static EngramException wrongShape(String message) {
        return new EngramException(ExitCode.WRONG_SHAPE, message, null);
    }

    /** The store cannot be opened or written: missing, unwritable, locked by another process. */
    public static EngramException storeUnavailable(String message, Throwable cause) {
        return new EngramException(ExitCode.STORE_UNAVAILABLE, message, cause);
    }

    /** The store was written by a newer engram, or its format is not one this engram reads. */
    public static EngramException storeIncompatible(String message) {
        return new EngramException(ExitCode.STORE_INCOMPATIBLE, message, null);
    }

    /** A store that must be empty for what was asked (the destination of a copy) already holds a memory. */
    public static EngramException storeNotEmpty(String message) {
        return new EngramException(ExitCode.STORE_NOT_EMPTY, message, null);
    }

    /** Something engram itself got wrong; the stack trace (with --verbose) is worth a bug report. */
    public static EngramException internal(String message, Throwable cause) {
        return new EngramException(ExitCode.INTERNAL_ERROR, message, cause);
    }
}
