package dev.engram.store;

/** A trace's point and surprise under one model version of its space. */
public record TraceVector(long traceId, float[] vector, double surprise) {
}
