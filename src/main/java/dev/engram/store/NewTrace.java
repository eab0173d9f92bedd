package dev.engram.store;

/**
 * A trace about to be stored: everything but the id, the space and the time. {@code eventId}
 * (0 for none) is the event it is perceived in; an input already stored joins the event too.
 * {@code content} is what a space without a decoder recalls verbatim (a text space's text),
 * null elsewhere.
 */
public record NewTrace(String source, int sourceIndex, String contentHash, float[] vector, double surprise,
                       long eventId, String content) {

    public NewTrace(String source, int sourceIndex, String contentHash, float[] vector, double surprise,
                    long eventId) {
        this(source, sourceIndex, contentHash, vector, surprise, eventId, null);
    }

    /** The same perception, perceived in event {@code eventId} (0 for none). */
    public NewTrace inEvent(long eventId) {
        return new NewTrace(source, sourceIndex, contentHash, vector, surprise, eventId, content);
    }
}
