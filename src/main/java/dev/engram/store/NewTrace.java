package dev.engram.store;

/**
 * A trace about to be stored: everything but the id, the space and the time. {@code eventId}
 * (0 for none) is the event it is perceived in; an input already stored joins the event too.
 */
public record NewTrace(String source, int sourceIndex, String contentHash, float[] vector, double surprise,
                       long eventId) {
}
