package dev.engram.store;

import java.time.Instant;

/** A link between a concept and a trace, with its Hebbian weight and how often it was bound. */
public record Association(long conceptId, long traceId, AssociationKind kind, double weight, int count,
                          Instant firstAt, Instant lastAt) {
}
