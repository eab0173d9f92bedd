package dev.engram.store;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything engram remembers, behind one narrow interface so that another backend (the record
 * in PostgreSQL, the vectors in a distributed Lucene engine) is an addition, not a rewrite.
 * Writes that the interface reports as done are durable.
 */
public interface Store extends AutoCloseable {

    Path directory();

    /** Where a space keeps the files of its model version; the directory may not exist yet. */
    Path modelDirectory(String spaceName, int modelVersion);

    // --- spaces

    Optional<Space> space(String name);

    List<Space> spaces();

    /** Creates the space and stores its first traces in one transaction. */
    Space createSpace(String name, String modality, String encoder, int dimension, String metric, String config);

    // --- traces

    /**
     * Stores traces, skipping any whose content hash the space already holds; returns, in input
     * order, the stored trace for each input (the existing one for a duplicate).
     */
    List<StoredTrace> addTraces(Space space, List<NewTrace> traces);

    /**
     * Stores the traces of several spaces in one transaction (an event's traces across
     * modalities are stored whole or not at all); per space as {@link #addTraces(Space, List)}.
     */
    Map<Space, List<StoredTrace>> addTraces(Map<Space, List<NewTrace>> batches);

    record StoredTrace(Trace trace, boolean created) {
    }

    Optional<Trace> trace(long id);

    List<Trace> traces(Collection<Long> ids);

    long traceCount(Space space);

    /** Fraction of the space's traces whose surprise is at most {@code surprise}. */
    double surprisePercentile(Space space, double surprise);

    /** Calls {@code visitor} with every trace of the space, in id order. */
    void forEachTrace(Space space, java.util.function.Consumer<Trace> visitor);

    /** Trace ids by source label ({@code path}, or {@code path#index} for items of a file). */
    Map<String, Long> traceIdsBySource(Space space);

    /** Approximate k nearest neighbours from the space's HNSW index, nearest first. */
    List<Neighbour> nearest(Space space, float[] vector, int k);

    // --- events

    long createEvent(String name, Instant time, String source);

    /** The name (concept label) each event was given, for those that have one. */
    Map<Long, String> eventNames(Collection<Long> eventIds);

    /** The traces of each event that has at least one trace in the given space (or in any space if null). */
    Map<Long, List<Long>> eventTraces(Space space);

    // --- concepts and associations

    Optional<Concept> concept(String label);

    Optional<Concept> concept(long id);

    /** The named concept, created if absent. */
    Concept conceptNamed(String name);

    Concept createUnnamedConcept();

    /** Sets the parent concept (committed); refuses a cycle. */
    void setParent(Concept child, Concept parent);

    /** Names an unnamed concept or renames one (committed). */
    Concept renameConcept(Concept concept, String name);

    List<Concept> parentChain(Concept concept);

    /** Every concept, in id (creation) order. */
    List<Concept> concepts();

    /** The concepts whose parent is {@code concept}, in id order: its children, and each other's siblings. */
    List<Concept> children(Concept concept);

    /** Applies the bindings with the Hebbian rule in one transaction; returns how many were new pairs. */
    int bind(List<Binding> bindings);

    /** Associations of each given trace (traces without any are absent from the map). */
    Map<Long, List<Association>> associationsOf(Collection<Long> traceIds);

    /** A concept's strongest associations, by weight then recency. */
    List<Association> members(Concept concept, int limit);

    /** A concept's strongest associations in each space ({@code perSpace} at most per space). */
    List<Association> membersPerSpace(Concept concept, int perSpace);

    /** Ids of the space's traces that are bound to at least one concept. */
    java.util.Set<Long> boundTraceIds(Space space);

    // --- intrinsic dimension

    DimReport addDimReport(String target, String estimator, String parameters, int points, long seed, double estimate);

    List<DimReport> dimReports();

    StoreSummary summary();

    @Override
    void close();
}
