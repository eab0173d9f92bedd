package dev.engram.bind;

import dev.engram.EngramException;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Time windows for synchrony without events: traces stored close together in time count as
 * perceived together.
 */
public final class TimeWindows {
    private static final Pattern SHORT = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h|d)");

    private TimeWindows() {
    }

    /** What grouping needs of a trace: its id, its space and its time. */
    public record Timed(long traceId, int spaceId, Instant time) {
    }

    /**
     * Groups traces into windows. The traces are sorted by time (then id, so that equal times
     * group the same way every run); a window opens at its first trace and takes every later
     * trace at most {@code window} after that first one, so no window spans more than
     * {@code window}, and a trace exactly {@code window} after the opening one still belongs.
     * The next trace past that opens the next window. Anchoring on the first trace, not on the
     * previous one, keeps a steady stream of traces from chaining into one endless window.
     *
     * @return every window, singletons included, in time order
     */
    public static List<List<Timed>> group(Collection<Timed> traces, Duration window) {
        if (window.isNegative()) {
            throw new IllegalArgumentException("negative window " + window);
        }
        List<Timed> sorted = new ArrayList<>(traces);
        sorted.sort(Comparator.comparing(Timed::time).thenComparingLong(Timed::traceId));
        List<List<Timed>> windows = new ArrayList<>();
        List<Timed> current = null;
        Instant closes = null;
        for (Timed t : sorted) {
            if (current == null || t.time().isAfter(closes)) {
                current = new ArrayList<>();
                windows.add(current);
                closes = plus(t.time(), window);
            }
            current.add(t);
        }
        return windows;
    }

    /** {@code time + window}, or the end of time where that is past it (a window of a million years). */
    private static Instant plus(Instant time, Duration window) {
        try {
            return time.plus(window);
        } catch (java.time.DateTimeException | ArithmeticException e) {
            return Instant.MAX;
        }
    }

    /**
     * Reads a window length: a number with a unit ({@code 500ms}, {@code 2s}, {@code 1.5m},
     * {@code 1h}, {@code 1d}) or an ISO-8601 duration ({@code PT2S}).
     *
     * @throws EngramException (invalid input) for anything else, or a negative length
     */
    public static Duration parse(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        Duration duration;
        Matcher m = SHORT.matcher(t);
        if (m.matches()) {
            double amount = Double.parseDouble(m.group(1));
            long unitNanos = switch (m.group(2)) {
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                case "h" -> 3_600_000_000_000L;
                default -> 86_400_000_000_000L;
            };
            double nanos = amount * unitNanos;
            if (nanos > Long.MAX_VALUE) {
                throw EngramException.invalidInput("time window '" + text + "' is too long");
            }
            duration = Duration.ofNanos(Math.round(nanos));
        } else {
            try {
                duration = Duration.parse(t.toUpperCase(Locale.ROOT));
            } catch (DateTimeParseException e) {
                throw EngramException.invalidInput("cannot read time window '" + text + "': give a number with a unit"
                        + " (500ms, 2s, 1.5m, 1h, 1d) or an ISO-8601 duration (PT2S)", e);
            }
        }
        if (duration.isNegative()) {
            throw EngramException.invalidInput("time window '" + text + "' is negative");
        }
        return duration;
    }
}
