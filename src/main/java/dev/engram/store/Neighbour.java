package dev.engram.store;

/** A trace found near a query vector, with its Euclidean distance in the space. */
public record Neighbour(long traceId, double distance) {
}
