package dev.engram.store;

/** A trace about to be stored: everything but the id, the space and the time. */
public record NewTrace(String source, int sourceIndex, String contentHash, float[] vector, double surprise,
                       long eventId) {
}
