package dev.engram.app;

/**
 * What a use case tells the person running it while it works: notes (counts, choices made)
 * and a progress bar. The command layer decides where they go (stderr, or nowhere when quiet);
 * the use cases never print.
 */
public interface Progress {

    /** A note for people, formatted as {@link String#format} in the root locale. */
    void note(String format, Object... args);

    /** {@code done} of {@code total} steps of a long task labelled {@code label}. */
    void progress(String label, long done, long total);

    /** Removes a progress bar before something else is written. */
    void clearProgress();

    /** Reports nothing: for callers (benchmarks, tests) that want only the result. */
    Progress SILENT = new Progress() {
        @Override
        public void note(String format, Object... args) {
        }

        @Override
        public void progress(String label, long done, long total) {
        }

        @Override
        public void clearProgress() {
        }
    };
}
