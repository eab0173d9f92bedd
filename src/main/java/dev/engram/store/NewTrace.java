package dev.engram.store;

import java.time.Instant;

/**
 * A trace about to be stored: everything but the id and the space. {@code eventId} (0 for
 * none) is the event it is perceived in; an input already stored joins the event too.
 * {@code content} is what a space without a decoder recalls verbatim (a text space's text),
 * null elsewhere. {@code time} is when it was perceived: null for the unit's time (a new
 * perception), given when a trace comes from another store's record ({@code engram import}).
 */
public record NewTrace(String source, int sourceIndex, String contentHash, float[] vector, double surprise,
                       long eventId, String content, Instant time) {

    public NewTrace(String source, int sourceIndex, String contentHash, float[] vector, double surprise,
                    long eventId, String content) {
        this(source, sourceIndex, contentHash, vector, surprise, eventId, content, null);
    }

    public NewTrace(String source, int sourceIndex, String contentHash, float[] vector, double surprise,
                    long eventId) {
        this(source, sourceIndex, contentHash, vector, surprise, eventId, null, null);
    }

    /** The same perception, perceived in event {@code eventId} (0 for none). */
    public NewTrace inEvent(long eventId) {
        return new NewTrace(source, sourceIndex, contentHash, vector, surprise, eventId, content, time);
    }
}
