package dev.engram.bind;

import dev.engram.EngramException;
import dev.engram.ExitCode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TimeWindowsTest {
    private static final Instant T0 = Instant.parse("2024-05-01T12:00:00Z");

    private static TimeWindows.Timed at(long id, long millis) {
        return new TimeWindows.Timed(id, (int) (id % 2), T0.plusMillis(millis));
    }

    private static List<List<Long>> ids(List<List<TimeWindows.Timed>> windows) {
        return windows.stream().map(w -> w.stream().map(TimeWindows.Timed::traceId).toList()).toList();
    }

    @Test
    void aWindowOpensAtItsFirstTraceAndIncludesItsExactEnd() {
        // 3 and 5 lie exactly 2 s after their window's first trace: they belong; 6 is 1 ms late.
        List<TimeWindows.Timed> traces = List.of(at(1, 0), at(2, 1000), at(3, 2000), at(4, 2001), at(5, 4001),
                at(6, 4002));
        assertEquals(List.of(List.of(1L, 2L, 3L), List.of(4L, 5L), List.of(6L)),
                ids(TimeWindows.group(traces, Duration.ofSeconds(2))));
        // Anchored on the first trace: a steady stream 1 s apart does not chain into one window.
        List<TimeWindows.Timed> stream = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            stream.add(at(i, 1000L * i));
        }
        assertEquals(List.of(List.of(0L, 1L, 2L), List.of(3L, 4L, 5L), List.of(6L)),
                ids(TimeWindows.group(stream, Duration.ofSeconds(2))));
    }

    @Test
    void equalTimesGroupInIdOrderWhateverTheInputOrder() {
        List<TimeWindows.Timed> traces = List.of(at(9, 5), at(3, 5), at(7, 0), at(5, 5));
        assertEquals(List.of(List.of(7L), List.of(3L, 5L, 9L)), ids(TimeWindows.group(traces, Duration.ZERO)));
        assertEquals(List.of(List.of(7L, 3L, 5L, 9L)), ids(TimeWindows.group(traces, Duration.ofMillis(5))));
    }

    @Test
    void singlesEmptyAndHugeWindows() {
        assertEquals(List.of(), TimeWindows.group(List.of(), Duration.ofSeconds(1)));
        assertEquals(List.of(List.of(1L)), ids(TimeWindows.group(List.of(at(1, 0)), Duration.ofSeconds(1))));
        assertEquals(List.of(List.of(1L), List.of(2L)),
                ids(TimeWindows.group(List.of(at(2, 1), at(1, 0)), Duration.ZERO)));
        // A window past the end of time holds everything rather than overflowing.
        assertEquals(List.of(List.of(1L, 2L)), ids(TimeWindows.group(List.of(at(1, 0), at(2, 99_999_999)),
                Duration.ofSeconds(Long.MAX_VALUE))));
    }

    @Test
    void durations() {
        assertEquals(Duration.ofMillis(500), TimeWindows.parse("500ms"));
        assertEquals(Duration.ofSeconds(2), TimeWindows.parse("2s"));
        assertEquals(Duration.ofSeconds(2), TimeWindows.parse("PT2S"));
        assertEquals(Duration.ofSeconds(2), TimeWindows.parse("pt2s"));
        assertEquals(Duration.ofSeconds(90), TimeWindows.parse("1.5m"));
        assertEquals(Duration.ofHours(1), TimeWindows.parse(" 1h "));
        assertEquals(Duration.ofDays(1), TimeWindows.parse("1d"));
        assertEquals(Duration.ZERO, TimeWindows.parse("0s"));
        for (String bad : List.of("2", "s", "-2s", "PT-2S", "2 weeks", "", "1e3s", "99999999999999d")) {
            EngramException e = assertThrows(EngramException.class, () -> TimeWindows.parse(bad), bad);
            assertEquals(ExitCode.INVALID_INPUT, e.exitCode(), bad);
        }
    }
}
