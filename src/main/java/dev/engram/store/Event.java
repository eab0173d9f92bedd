package dev.engram.store;

import java.time.Instant;

/**
 * Traces perceived together: a manifest's row, a file's items, a line of the label file.
 * {@code name} is the concept label the event was given (null if none), {@code time} when it
 * happened as the input said (null if it did not), {@code source} where it was read from.
 */
public record Event(long id, String name, Instant time, String source) {
}
