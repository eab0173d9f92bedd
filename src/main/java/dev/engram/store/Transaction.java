package dev.engram.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The writes of one unit of work ({@link Store#write}). Ids it returns are final: they stay
 * the same once the unit commits. Nothing written here is visible to other readers, or
 * survives a crash, before the unit commits; a unit that throws leaves no trace at all. The
 * times it stores (a trace's, an association's, a report's) are the unit's: one instant, taken
 * when the unit began.
 */
public interface Transaction {

    /** Records a new space; its metric must be one engram honours ({@link Metric}). */
    Space createSpace(String name, String modality, String encoder, int dimension, String metric, String config);

    /**
     * Stores the files that {@code writer} puts into an empty local directory as the model of
     * {@code space} at {@code version}, replacing whatever was there, visible with the unit: a
     * unit that throws leaves the previous model (or none) in place.
     */
    void writeModel(String space, int version, ModelRepository.Writer writer);

    /** An event (traces perceived together), to be named in the {@link NewTrace}s of this unit. */
    long createEvent(String name, Instant time, String source);

    /**
     * Stores traces, space by space, skipping any whose content hash the space already holds;
     * returns, in input order, the stored trace for each input (the existing one for a
     * duplicate). A trace's event, if any, is joined to the trace even when it existed.
     */
    Map<Space, List<Store.StoredTrace>> addTraces(Map<Space, List<NewTrace>> batches);

    /** The named concept, created if absent; the name must pass {@link ConceptRules#requireValidName}. */
    Concept conceptNamed(String name);

    Concept createUnnamedConcept();

    /**
     * A concept from another store's record ({@code engram import}): the concept of that name if
     * this store has one (its own time stays), else a new one made at {@code createdAt}; a null
     * name makes a new unnamed concept.
     */
    Concept addConcept(String name, Instant createdAt);

    /** Sets the parent concept; refuses a cycle ({@link ConceptRules#requireNoCycle}). */
    void setParent(Concept child, Concept parent);

    /** Names an unnamed concept or renames one; the name must be valid and free. */
    Concept renameConcept(Concept concept, String name);

    /**
     * Applies the bindings: a new pair is created, an existing one strengthened by the
     * Hebbian rule, with the stronger kind kept ({@link Association#bound}). Returns how many
     * pairs were new.
     */
    int bind(List<Binding> bindings);

    /**
     * Merges associations from another store's record ({@code engram import}; their concept and
     * trace ids already this store's): a new pair is stored as given (kind, weight, count,
     * times), an existing one joined with it ({@link Association#merged}: idempotent). Returns
     * how many pairs were new.
     */
    int merge(List<Association> associations);

    /**
     * Forgets traces of the space (ids of other spaces, or unknown, are ignored): each with its
     * associations, its links to events and its points under earlier model versions; the
     * space's vector index loses them after the commit. Returns how many were removed. A unit
     * may not both add traces to a space and forget some of it (after a crash between the
     * record's commit and the index's, the index is checked against the record by count).
     */
    int forgetTraces(Space space, java.util.Collection<Long> traceIds);

    /** Forgets a concept with its associations; its children take its parent (or none). */
    void forgetConcept(Concept concept);

    /** Forgets a space whole: every trace (as {@link #forgetTraces}), its model versions and files, its index. */
    void forgetSpace(Space space);

    /**
     * Makes {@code next} the space's current model version, with every trace's point and
     * surprise under it ({@code vectors}: exactly one per trace of the space). The version that
     * was current keeps its points (see {@link Store#vectors}); trace ids, events, associations
     * and concepts are untouched; the space's vector index follows after the commit. Refused
     * (exit 6) if the space changed version since {@code space} was read. The model's files are
     * written beside, with {@link #writeModel}. Returns the space as it is now.
     */
    Space changeVersion(Space space, SpaceVersion next, List<TraceVector> vectors);

    // --- reads that see this unit's own writes (concepts it created, parents it set) and
    // everything committed before the unit began: what a unit re-checks before it writes

    /** A space by name, as this unit sees it. */
    Optional<Space> space(String name);

    /** A concept by name or {@code #ID}, as this unit sees it. */
    Optional<Concept> concept(String label);

    /** A concept by id, as this unit sees it. */
    Optional<Concept> concept(long id);

    /** The concept's ancestors, nearest first, as this unit sees them. */
    List<Concept> parentChain(Concept concept);

    DimReport addDimReport(String target, String estimator, String parameters, int points, long seed,
                           double estimate);

    /** A report from another store's record ({@code engram import}), its time kept, under a new id. */
    DimReport addDimReport(DimReport report);

    /**
     * Writes that keep the ids and times they are given, to copy another store's record into
     * this one ({@link Restore}), which must hold no space, event, concept or report
     * ({@link dev.engram.EngramException#storeNotEmpty}). From here on the store gives new ids
     * above {@code highest} only. On PostgreSQL the unit keeps other writers out until it ends.
     */
    Restore restore(Restore.Ceilings highest);
}
