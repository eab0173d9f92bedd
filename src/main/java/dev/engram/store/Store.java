package dev.engram.store;

import dev.engram.EngramException;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Everything engram remembers, behind one contract so that another backend (the record in
 * PostgreSQL, the vectors in SolrCloud) is an addition, not a rewrite. Get one from
 * {@link Stores}; {@code StoreContract} in the tests states what every backend must do.
 *
 * <p>Reads are methods of the store. Every write happens inside a unit of work,
 * {@link #write(Work)}: the work's changes become visible and durable together when it returns,
 * and none of them when it throws (whatever it throws). The work runs exactly once: backends do
 * not retry it. A unit one of whose writes failed is abandoned even if the work caught the
 * failure, and its transaction is dead once the unit has ended ({@link UnitOfWork}). Reads made
 * through the store while a unit is open see its writes (they run in its transaction), except
 * {@link #nearest}, which searches the traces committed before it. Once {@code write} has
 * returned, every read sees the unit, {@link #nearest} included. Derived data (the vector indexes) follows the record after the
 * commit; an index that fails to follow does not fail the unit, it is repaired from the record
 * by a later writer (readers never repair: they search the record exactly meanwhile).
 *
 * <p>Many processes may use one store. Reads see the store as of one committed point, from the
 * first read until {@link #release()} or {@link #write}; a backend may keep other processes'
 * writers from committing meanwhile (the embedded store does), so a use case calls
 * {@link #release()} before long work that reads nothing (training, estimating), and each
 * {@code write} re-checks inside its unit what it read before (docs/architecture.md, "Many
 * processes, one store").
 */
public interface Store extends Writes, AutoCloseable {

    /** Where the store lives, as a person would name it in a message (a directory, a URL). */
    String location();

    /** The spaces' model files, versioned with the space. */
    ModelRepository models();

    /**
     * Ends the point-in-time view the reads so far have seen, letting other processes' writers
     * commit; the next read sees the store as it is then. Not inside a unit of work.
     */
    void release();

    /** Whether this process may write here (not on a read-only store). */
    boolean writable();

    /**
     * Refuses, before any long computation, a use case that will write to a store it cannot
     * write to (exit 6), rather than after it.
     */
    default void requireWritable() {
        if (!writable()) {
            throw EngramException.storeUnavailable("store " + location() + " is read-only here: nothing can be"
                    + " written to it", null);
        }
    }

    /** Runs {@code work} as one unit of work: all of its writes are committed together, or none. */
    @Override
    <T> T write(Work<T> work);

    /** A unit of work: the writes of one use-case step. */
    @FunctionalInterface
    interface Work<T> {
        T run(Transaction transaction);
    }

    /**
     * Rebuilds the space's vector index from the record, as committed: what to run when an index
     * is lost, damaged, or (on a server) behind. A write: it takes the store as a writer does.
     * Returns how many traces the index holds.
     */
    long reindex(Space space);

    /**
     * Reclaims the disk space that forgotten and rewritten data still hold (engram compact), as a
     * write; returns what it did, in a sentence for people. A backend that reclaims it by itself
     * says so and does nothing.
     */
    String compact();

    // --- spaces

    Optional<Space> space(String name);

    List<Space> spaces();

    /**
     * The space's model versions, oldest first, the current one ({@link Space#modelVersion})
     * included: a space that never changed version has one, made from the space itself.
     */
    List<SpaceVersion> versions(Space space);

    /**
     * Each trace's point and surprise under a model version of the space, by trace id: the
     * traces' own under the current version; under an earlier one, what they were when it was
     * current (traces stored since have none).
     */
    Map<Long, TraceVector> vectors(Space space, int version);

    // --- traces

    record StoredTrace(Trace trace, boolean created) {
    }

    Optional<Trace> trace(long id);

    /** The traces with these ids, in the order given; ids that name no trace are left out. */
    List<Trace> traces(Collection<Long> ids);

    long traceCount(Space space);

    /** Fraction of the space's traces whose surprise is at most {@code surprise} (NaN for an empty space). */
    double surprisePercentile(Space space, double surprise);

    /**
     * Starts reading, in the background where the backend can, what {@link #surprisePercentile}
     * reads of the whole space, so that a caller who is about to do other work first (load the
     * space's network) does not wait for both in turn. Only a hint: a backend may do nothing.
     */
    default void warm(Space space) {
    }

    /** Calls {@code visitor} with every trace of the space, in id order. */
    void forEachTrace(Space space, Consumer<Trace> visitor);

    /** Trace ids by source label ({@code path}, or {@code path#index} for items of a file). */
    Map<String, Long> traceIdsBySource(Space space);

    /**
     * The k nearest traces to {@code vector} in the space's metric, nearest first, from its
     * vector index. For k at most the number of traces on small spaces the answer is exact;
     * on large ones it is approximate (HNSW).
     */
    List<Neighbour> nearest(Space space, float[] vector, int k);

    /**
     * {@link #nearest} for each of {@code vectors}, in their order: what a recall of many cues
     * asks. Backends may search them side by side.
     */
    default List<List<Neighbour>> nearest(Space space, float[][] vectors, int k) {
        List<List<Neighbour>> all = new java.util.ArrayList<>(vectors.length);
        for (float[] vector : vectors) {
            all.add(nearest(space, vector, k));
        }
        return all;
    }

    // --- events

    /** Calls {@code visitor} with every event, in id order. */
    void forEachEvent(Consumer<Event> visitor);

    /** The name (concept label) each event was given, for those that have one. */
    Map<Long, String> eventNames(Collection<Long> eventIds);

    /** The traces of each event that has at least one trace in the given space (or in any space if null). */
    Map<Long, List<Long>> eventTraces(Space space);

    // --- concepts and associations

    /** A concept by the label a user types: its name, or {@code #ID} (see {@link ConceptRules#parseLabel}). */
    Optional<Concept> concept(String label);

    Optional<Concept> concept(long id);

    /** The concept's ancestors, nearest first. */
    List<Concept> parentChain(Concept concept);

    /** Every concept, in id (creation) order. */
    List<Concept> concepts();

    /** The concepts whose parent is {@code concept}, in id order: its children, and each other's siblings. */
    List<Concept> children(Concept concept);

    /** Associations of each given trace (traces without any are absent from the map). */
    Map<Long, List<Association>> associationsOf(Collection<Long> traceIds);

    /** A concept's strongest associations, by weight then recency. */
    List<Association> members(Concept concept, int limit);

    /** A concept's strongest associations in each space ({@code perSpace} at most per space). */
    List<Association> membersPerSpace(Concept concept, int perSpace);

    /** Ids of the space's traces that are bound to at least one concept. */
    Set<Long> boundTraceIds(Space space);

    // --- intrinsic dimension

    List<DimReport> dimReports();

    StoreSummary summary();

    /** The highest id of each kind in the store (0 where there is none): what a copy of it reserves. */
    Restore.Ceilings highestIds();

    @Override
    void close();
}
