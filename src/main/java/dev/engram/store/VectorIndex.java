package dev.engram.store;

import java.util.List;

/**
 * The vector index of one space: derived data that a backend keeps beside its record of the
 * traces (Lucene HNSW files in the embedded store). {@link SpaceIndexes} repairs it from the
 * record whenever the two disagree, so an index never has to be right after a crash, only
 * able to say how many traces its last commit holds.
 */
public interface VectorIndex extends AutoCloseable {

    /** Number of traces in the last commit, or -1 when there is no usable index. */
    long committedCount();

    /** Adds traces and commits. */
    void add(List<Trace> traces);

    /** Removes the traces of these ids (absent ones are ignored) and commits. */
    void delete(java.util.Collection<Long> traceIds);

    /** Reclaims the space deleted traces hold (engram compact); an index that reclaims it by itself does nothing. */
    default void compact() {
    }

    /** Replaces the whole index with the given traces (the space's record) and commits. */
    void rebuild(Iterable<Trace> traces);

    /** The k nearest traces, nearest first, with their distances in the space's metric. */
    List<Neighbour> search(float[] vector, int k);

    @Override
    void close();
}
