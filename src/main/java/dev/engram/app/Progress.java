package dev.engram.app;

import java.util.Locale;

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

    /**
     * A number as people are shown it, in notes and tables: four significant digits, one
     * decimal from 100 up (and for 0), {@code -} for NaN.
     */
    static String number(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        return String.format(Locale.ROOT, Math.abs(value) >= 100 || value == 0 ? "%.1f" : "%.4g", value);
    }

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
