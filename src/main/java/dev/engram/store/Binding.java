package dev.engram.store;

/**
 * A request to bind a trace to a concept, strengthening the association by {@code rate}
 * (the Hebbian learning rate eta; see {@link Hebbian}).
 */
public record Binding(long conceptId, long traceId, AssociationKind kind, double rate) {
}
