package dev.engram.store;

import java.time.Instant;

/**
 * One stored perception. {@code sourceIndex} is the item number inside a multi-item file (an
 * IDX file) and -1 for a file that is one input. The events a trace was perceived in are kept
 * beside it (one perception can recur in many events). {@code content} is the stored input
 * itself where the space keeps it (a text space's text), else null.
 */
public record Trace(long id, int spaceId, String source, int sourceIndex, String contentHash,
                    float[] vector, double surprise, Instant createdAt, String content) {

    public Trace(long id, int spaceId, String source, int sourceIndex, String contentHash, float[] vector,
                 double surprise, Instant createdAt) {
        this(id, spaceId, source, sourceIndex, contentHash, vector, surprise, createdAt, null);
    }

    /** The source as a user would name it: the path, with {@code #index} for items of a file. */
    public String sourceLabel() {
        return sourceLabel(source, sourceIndex);
    }

    public static String sourceLabel(String source, int sourceIndex) {
        return sourceIndex < 0 ? source : source + "#" + sourceIndex;
    }
}
