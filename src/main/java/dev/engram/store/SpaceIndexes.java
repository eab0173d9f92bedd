package dev.engram.store;

import dev.engram.EngramException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The vector indexes of a store's spaces, opened on first use and checked there against the
 * record: an index whose committed count differs from the record's (a crash between the
 * record's commit and the index's, a deleted or corrupt index) is rebuilt from the record by a
 * writer, so that what was reported stored is never lost. A reader must not change the store:
 * it searches such a space exactly, over the record's vectors, until a writer has repaired the
 * index. Counts suffice because traces are only ever added. Backend-neutral: a backend supplies
 * how to open an index and how to read its record.
 */
public final class SpaceIndexes implements AutoCloseable {
    private static final Logger log = LogManager.getLogger(SpaceIndexes.class);

    private final Function<Space, VectorIndex> opener;
    private final Store record;
    private final boolean repair;
    /** The open indexes by space and model version: each version of a space has an index of its own. */
    private final Map<Key, VectorIndex> open = new HashMap<>();

    private record Key(int space, int version) {
        static Key of(Space space) {
            return new Key(space.id(), space.modelVersion());
        }
    }

    /**
     * @param record the store whose traces the indexes derive from (its counts and traces are read)
     * @param repair whether this process may rebuild an index (a writer) or must search around it (a reader)
     */
    public SpaceIndexes(Store record, Function<Space, VectorIndex> opener, boolean repair) {
        this.record = record;
        this.opener = opener;
        this.repair = repair;
    }

    /** The space's index, rebuilt from the record first if the two disagree (or, for a reader, bypassed). */
    public VectorIndex of(Space space) {
        VectorIndex index = open.get(Key.of(space));
        if (index == null) {
            requireKnownMetric(space);
            index = opener.apply(space);
            long inRecord = record.traceCount(space);
            long inIndex = index.committedCount();
            if (inIndex != inRecord && !(inIndex < 0 && inRecord == 0)) {
                String held = inIndex < 0 ? "no" : Long.toString(inIndex);
                List<Trace> all = new ArrayList<>();
                record.forEachTrace(space, all::add);
                if (repair) {
                    log.warn("vector index of space {} holds {} traces but the record holds {}: rebuilding it",
                            space.name(), held, inRecord);
                    try {
                        index.rebuild(all);
                    } catch (RuntimeException e) {
                        // A full disk, say: the record is what counts; the next writer tries again.
                        log.warn("vector index of space {} could not be rebuilt ({}): searching the record exactly",
                                space.name(), e.toString());
                        closeQuietly(index, space);
                        index = new ExactIndex(Metric.of(space.metric()), all);
                    }
                } else {
                    log.warn("vector index of space {} holds {} traces but the record holds {} (a writer was"
                            + " interrupted): searching the record exactly until the next write repairs it",
                            space.name(), held, inRecord);
                    closeQuietly(index, space);
                    index = new ExactIndex(Metric.of(space.metric()), all);
                }
            }
            open.put(Key.of(space), index);
        }
        return index;
    }

    /**
     * Builds the space's index anew from the record, whatever it holds: for a space whose points
     * all changed (a new model version), which no count would show. A writer's call.
     */
    public void rebuild(Space space) {
        if (!repair) {
            throw new IllegalStateException("a reader does not rebuild indexes");
        }
        evict(space);
        requireKnownMetric(space);
        VectorIndex index = opener.apply(space);
        open.put(Key.of(space), index);
        List<Trace> all = new ArrayList<>();
        record.forEachTrace(space, all::add);
        index.rebuild(all);
    }

    /** A space whose metric this engram cannot search came from a newer engram: refused, never searched wrongly. */
    private static void requireKnownMetric(Space space) {
        try {
            Metric.of(space.metric());
        } catch (EngramException e) {
            throw EngramException.storeIncompatible("space " + space.name() + " is searched by metric '"
                    + space.metric() + "', which this engram does not implement; upgrade engram");
        }
    }

    /**
     * Closes and forgets the space's index (one that failed to take new traces): the next
     * {@link #of} reconciles it with the record again.
     */
    public void evict(Space space) {
        VectorIndex index = open.remove(Key.of(space));
        if (index != null) {
            closeQuietly(index, space);
        }
    }

    private static void closeQuietly(VectorIndex index, Space space) {
        try {
            index.close();
        } catch (RuntimeException e) {
            log.debug("closing the index of space {}", space.name(), e);
        }
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (VectorIndex index : open.values()) {
            try {
                index.close();
            } catch (RuntimeException e) {
                failure = failure == null ? e : failure;
            }
        }
        open.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
