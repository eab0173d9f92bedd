package dev.engram.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** The options that choose traces by space, concept and time: the same for export and forget. */
final class TraceFilterOptions {
    @Option(names = "--space", paramLabel = "NAME", description = "Only traces of this space (repeatable; default: every space).")
    List<String> spaces = new ArrayList<>();

    @Option(names = "--concept", paramLabel = "LABEL",
            description = "Only traces bound to this concept or to one below it (repeatable; a name or #ID).")
    List<String> concepts = new ArrayList<>();

    @Option(names = "--since", paramLabel = "TIME", converter = Time.class,
            description = "Only traces perceived at or after TIME (ISO-8601: 2026-12-07 or 2026-12-07T10:30:00Z).")
    Instant since;

    @Option(names = "--until", paramLabel = "TIME", converter = Time.class,
            description = "Only traces perceived before TIME.")
    Instant until;

    /** An instant, or a date (its start, UTC). */
    static final class Time implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            try {
                return value.contains("T") ? Instant.parse(value) : LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + value + "' is not a date (2026-12-07) or an instant"
                        + " (2026-12-07T10:30:00Z)");
            }
        }
    }
}
