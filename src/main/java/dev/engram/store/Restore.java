package dev.engram.store;

import java.util.List;
import java.util.Map;

/**
 * Writes that keep what they are given, ids and times included: another store's record copied
 * whole into an empty one ({@code engram copy}; docs/architecture.md, "Copying a store"). Got
 * from {@link Transaction#restore} and part of its unit of work: the copy is stored whole or
 * not at all. Nothing is merged: ids must be free, content hashes new, and what is referred to
 * (a trace's space, an association's concept and trace, an event's traces) restored first.
 */
public interface Restore {

    /**
     * The highest id of each kind the copy will write. Ids up to them are the copy's: what the
     * store makes afterwards gets ids above them.
     */
    record Ceilings(long spaces, long events, long traces, long concepts, long dimReports) {
    }

    /** A space as recorded, with its id, model version, configuration and time. */
    void space(Space space);

    void events(List<Event> events);

    /** The space's model versions, as {@link Store#versions} lists them. */
    void versions(Space space, List<SpaceVersion> versions);

    /** The space's traces' points under an earlier model version (not the current one, which is the traces' own). */
    void vectors(Space space, int version, List<TraceVector> vectors);

    /** The space's traces with their ids, times and content; the space's vector index takes them with the unit. */
    void traces(Space space, List<Trace> traces);

    /** Which traces each event perceived (event id to trace ids). */
    void perceived(Map<Long, List<Long>> eventTraces);

    /** Concepts with their names, parents and times, in any order: parents are set once all are in. */
    void concepts(List<Concept> concepts);

    /** Associations with their kinds, weights, counts and times. */
    void associations(List<Association> associations);

    void dimReport(DimReport report);
}
