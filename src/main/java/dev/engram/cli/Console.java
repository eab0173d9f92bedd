package dev.engram.cli;

import dev.engram.app.Progress;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Messages for people, on stderr: counts and notes unless quiet, and a progress line that
 * redraws itself only when stderr is a terminal (the launcher says so through the system
 * property {@code engram.stderr.tty}; the JDK cannot tell for stderr alone).
 */
final class Console implements Progress {
    private final PrintWriter err;
    private final boolean quiet;
    private final boolean terminal;
    private boolean progressShown;

    Console(PrintWriter err, boolean quiet) {
        this.err = err;
        this.quiet = quiet;
        this.terminal = Boolean.getBoolean("engram.stderr.tty");
    }

    @Override
    public void note(String format, Object... args) {
        if (!quiet) {
            clearProgress();
            err.println("engram: " + String.format(Locale.ROOT, format, args));
            err.flush();
        }
    }

    /** A progress line (a bar of {@code done} out of {@code total}) redrawn in place; nothing in pipelines. */
    @Override
    public void progress(String label, long done, long total) {
        if (quiet || !terminal) {
            return;
        }
        int width = 30;
        int filled = total <= 0 ? 0 : (int) Math.min(width, width * done / total);
        err.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + done + "/" + total
                + "   ");
        err.flush();
        progressShown = true;
    }

    @Override
    public void clearProgress() {
        if (progressShown) {
            err.print("\r" + " ".repeat(120) + "\r");
            err.flush();
            progressShown = false;
        }
    }
}
