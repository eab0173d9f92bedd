package dev.engram.store.server;

import dev.engram.EngramException;
import dev.engram.store.ExactIndex;
import dev.engram.store.Metric;
import dev.engram.store.ModelRepository;
import dev.engram.store.Neighbour;
import dev.engram.store.Space;
import dev.engram.store.SpaceVersion;
import dev.engram.store.Trace;
import dev.engram.store.UnitOfWork;
import dev.engram.store.VectorIndex;
import dev.engram.store.Vectors;
import dev.engram.store.sql.SqlDialect;
import dev.engram.store.sql.SqlStore;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The server store: the record in PostgreSQL, a vector index per space in SolrCloud, the model
 * files in PostgreSQL too. Any number of processes on any number of machines read and write it
 * at once (docs/architecture.md, "The server store"):
 *
 * <ul>
 *   <li>Reads see one PostgreSQL snapshot (a REPEATABLE READ, READ ONLY transaction) from the
 *       first read until {@link #release} or {@link #write}; writers are never held back by it.</li>
 *   <li>A unit of work is one READ COMMITTED transaction. What a unit stores, it stores whole or
 *       not at all; writers that meet (the same content, the same concept, the same pair bound)
 *       each find the row the other stored ({@link SqlDialect}), and two that create one space
 *       are put one after the other by a lock on its name ({@link #space(String)} in a unit).</li>
 *   <li>PostgreSQL is the record and Solr is derived: a unit that stores traces also lists them
 *       in {@code index_outbox}; after the commit the writer adds them to the space's collection
 *       and removes them from the outbox. A crash or a Solr outage between the two leaves them
 *       listed, for the next writer (or {@code engram reindex}) to add; meanwhile searches add an
 *       exact search over the listed traces to Solr's answer, so no committed trace is missed.</li>
 * </ul>
 */
public final class ServerStore extends SqlStore {
    private static final Logger log = LogManager.getLogger(ServerStore.class);
    /** Traces taken from the outbox at a time by {@link #catchUp}. */
    private static final int CATCH_UP_BATCH = 2000;

    /** Opens a space's vector index (its Solr collection, created if absent). */
    public interface IndexOpener extends AutoCloseable {
        /** The index of the space at its model version. */
        VectorIndex open(String storeId, Space space);

        /** Deletes the index of the space at its model version, if there is one. */
        void drop(String storeId, Space space);

        @Override
        void close();
    }

    private final ServerAddress address;
    private final Connection db;
    private final IndexOpener opener;
    private final String storeId;
    private final PostgresModels models;
    /** The open indexes by space id and model version. */
    private final Map<List<Integer>, VectorIndex> indexes = new HashMap<>();
    /** Spaces whose index could not be searched in this view: searched exactly until the view ends. */
    private final Set<Integer> unreachable = new HashSet<>();
    /** The record's vectors of such spaces, read once per view. */
    private final Map<Integer, ExactIndex> exact = new HashMap<>();
    private boolean viewOpen;
    private PgTransaction open;
    private boolean closed;

    ServerStore(ServerAddress address, Connection db, IndexOpener opener) throws SQLException {
        super(SqlDialect.POSTGRESQL);
        this.address = address;
        this.db = db;
        this.opener = opener;
        this.storeId = PostgresSchema.meta(db, "store_id", null);
        db.commit();
        if (storeId == null) {
            throw EngramException.storeIncompatible("store " + address.describe() + " has no store id; it was not"
                    + " made by engram");
        }
        this.models = new PostgresModels(this::connection, this::failure);
    }

    // --- the view and units of work

    @Override
    protected Connection connection() {
        if (closed) {
            throw new IllegalStateException("store " + location() + " is closed");
        }
        if (open == null && !viewOpen) {
            try (Statement begin = db.createStatement()) {
                begin.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
            } catch (SQLException e) {
                throw failure("starting a read", e);
            }
            viewOpen = true;
        }
        return db;
    }

    @Override
    protected boolean inUnit() {
        return open != null;
    }

    @Override
    public void release() {
        if (open != null) {
            throw new IllegalStateException("a unit of work is open: finish it first");
        }
        endView();
    }

    private void endView() {
        if (viewOpen) {
            try {
                db.commit();
            } catch (SQLException e) {
                throw failure("ending a read", e);
            } finally {
                viewOpen = false;
                forgetView();
            }
        }
    }

    @Override
    protected void forgetView() {
        super.forgetView();
        unreachable.clear();
        exact.clear();
    }

    @Override
    public <T> T write(Work<T> work) {
        if (open != null) {
            throw new IllegalStateException("units of work do not nest: finish the open one first");
        }
        if (closed) {
            throw new IllegalStateException("store " + location() + " is closed");
        }
        endView();
        PgTransaction writes = new PgTransaction();
        T result;
        try (Statement begin = db.createStatement()) {
            begin.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
        } catch (SQLException e) {
            throw failure("starting a unit of work", e);
        }
        UnitOfWork unit = new UnitOfWork(writes);
        open = writes;
        try {
            result = work.run(unit);
            unit.requireCommittable();
            db.commit();
        } catch (SQLException e) {
            rollbackQuietly(db);
            throw failure("committing", e);
        } catch (Throwable t) {
            rollbackQuietly(db);
            throw t;
        } finally {
            unit.end();
            open = null;
            forgetView();
        }
        // Committed: the record is what counts. The indexes follow; what they fail to take stays
        // in the outbox for the next writer, and searches cover it meanwhile. What they fail to
        // lose is never found: a search keeps only hits the record holds (visible).
        for (Map.Entry<Space, List<Long>> gone : writes.forgotten().entrySet()) {
            try {
                index(gone.getKey()).delete(gone.getValue());
            } catch (RuntimeException e) {
                evict(gone.getKey());
                log.warn("vector index of space {} could not lose {} forgotten traces ({}); searches skip them, and"
                        + " 'engram reindex' removes them", gone.getKey().name(), gone.getValue().size(), e.getMessage());
            }
        }
        for (Map.Entry<Space, List<SpaceVersion>> dropped : writes.droppedVersions.entrySet()) {
            for (SpaceVersion v : dropped.getValue()) {
                Space old = dropped.getKey().atVersion(v.version(), v.config());
                try {
                    evict(old);
                    opener.drop(storeId, old);
                } catch (RuntimeException e) {
                    log.warn("could not delete the collection of forgotten space {} (v{}): {}", old.name(), v.version(),
                            e.getMessage());
                }
            }
        }
        for (Space space : writes.created().keySet()) {
            catchUp(space);
        }
        for (Space space : writes.revised()) {
            catchUp(space);
            if (outboxOf(space) == 0) {
                dropOtherVersions(space);
            }
        }
        return result;
    }

    /**
     * Adds the space's outbox to its collection, in batches, each removed from the outbox once
     * Solr has committed it. Rows other processes are adding meanwhile are skipped (they hold
     * them locked); a failure leaves the rest for later. Returns how many traces were added.
     */
    public long catchUp(Space space) {
        endView();
        long added = 0;
        Space current = space;
        try {
            while (true) {
                // The space as it is now, locked against a change of model version until this batch
                // is in: the points read below are the current version's, and go to its index.
                try (PreparedStatement lock = db.prepareStatement("SELECT model_version FROM spaces WHERE id = ?"
                        + " FOR SHARE")) {
                    lock.setInt(1, space.id());
                    try (ResultSet row = lock.executeQuery()) {
                        if (!row.next()) {
                            db.commit();
                            return added;
                        }
                        current = space.atVersion(row.getInt(1), space.config());
                    }
                }
                List<Trace> batch = new ArrayList<>();
                try (PreparedStatement take = db.prepareStatement("SELECT t.* FROM index_outbox o"
                        + " JOIN traces t ON t.id = o.trace_id WHERE o.space_id = ? ORDER BY o.trace_id LIMIT ?"
                        + " FOR UPDATE OF o SKIP LOCKED")) {
                    take.setInt(1, space.id());
                    take.setInt(2, CATCH_UP_BATCH);
                    try (ResultSet rows = take.executeQuery()) {
                        while (rows.next()) {
                            batch.add(trace(rows));
                        }
                    }
                }
                if (batch.isEmpty()) {
                    db.commit();
                    return added;
                }
                index(current).add(batch);
                try (PreparedStatement done = db.prepareStatement(
                        "DELETE FROM index_outbox WHERE space_id = ? AND trace_id = ANY(?)")) {
                    done.setInt(1, space.id());
                    // On db itself: this catch-up's transaction is no view (connection() would open one).
                    done.setArray(2, db.createArrayOf("BIGINT", batch.stream().map(Trace::id).toArray(Long[]::new)));
                    done.executeUpdate();
                }
                db.commit();
                added += batch.size();
            }
        } catch (SQLException | RuntimeException e) {
            rollbackQuietly(db);
            evict(current);
            log.warn("vector index of space {} did not take the traces waiting for it ({}); they stay listed and"
                    + " are searched exactly until a later write or 'engram reindex' adds them", space.name(),
                    e.getMessage());
            return added;
        }
    }

    /** How many of the space's traces wait for its index, as committed now. */
    private long outboxOf(Space space) {
        try (PreparedStatement count = db.prepareStatement("SELECT COUNT(*) FROM index_outbox WHERE space_id = ?")) {
            count.setInt(1, space.id());
            try (ResultSet row = count.executeQuery()) {
                row.next();
                long waiting = row.getLong(1);
                db.commit();
                return waiting;
            }
        } catch (SQLException e) {
            rollbackQuietly(db);
            return -1;
        }
    }

    /**
     * Deletes the collections of the space's other model versions once its current one holds
     * every trace: a reader still searching one of them falls back to the record. Best effort:
     * a collection left behind costs only space.
     */
    private void dropOtherVersions(Space space) {
        // The version current now, which another process may have changed again meanwhile, is kept.
        int current = space(space.name()).map(Space::modelVersion).orElse(space.modelVersion());
        for (SpaceVersion v : versions(space)) {
            if (v.version() != space.modelVersion() && v.version() != current) {
                Space old = space.atVersion(v.version(), v.config());
                try {
                    evict(old);
                    opener.drop(storeId, old);
                } catch (RuntimeException e) {
                    log.debug("deleting the collection of v{} of space {}", v.version(), space.name(), e);
                }
            }
        }
        release();
    }

    /**
     * Nothing to do here: PostgreSQL's autovacuum reclaims deleted rows and Solr's merges the
     * deleted documents of its collections, each on its own schedule.
     */
    @Override
    public String compact() {
        return "store " + location() + " needs no compaction: PostgreSQL's autovacuum and SolrCloud's merges reclaim"
                + " the space of forgotten data by themselves";
    }

    /**
     * Rebuilds the space's collection from the record (engram reindex): every trace added again,
     * the outbox emptied. Returns the number of traces indexed.
     */
    @Override
    public long reindex(Space space) {
        endView();
        try {
            // One snapshot for reading the traces and emptying the outbox: a trace committed
            // meanwhile is neither read nor unlisted here, so it waits for the next catch-up.
            try (Statement begin = db.createStatement()) {
                begin.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            }
            viewOpen = true;
            // The space as this snapshot has it: the collection of its current model version.
            Space now = space(space.name()).orElse(space);
            List<Trace> all = new ArrayList<>();
            forEachTrace(now, all::add);
            index(now).rebuild(all);
            update("DELETE FROM index_outbox WHERE space_id = ?", space.id());
            db.commit();
            return all.size();
        } catch (SQLException e) {
            rollbackQuietly(db);
            throw failure("rebuilding the vector index of space " + space.name(), e);
        } catch (RuntimeException e) {
            rollbackQuietly(db);
            throw e;
        } finally {
            viewOpen = false;
            forgetView();
        }
    }

    private VectorIndex index(Space space) {
        return indexes.computeIfAbsent(List.of(space.id(), space.modelVersion()), key -> opener.open(storeId, space));
    }

    private void evict(Space space) {
        VectorIndex index = indexes.remove(List.of(space.id(), space.modelVersion()));
        if (index != null) {
            try {
                index.close();
            } catch (RuntimeException e) {
                log.debug("closing the index of space {}", space.name(), e);
            }
        }
    }

    // --- search

    @Override
    public List<Neighbour> nearest(Space space, float[] vector, int k) {
        if (vector.length != space.dimension()) {
            throw new IllegalArgumentException("query of dimension " + vector.length + " for space " + space.name()
                    + " of dimension " + space.dimension());
        }
        if (k <= 0) {
            return List.of();
        }
        Metric metric = Metric.of(space.metric());
        // Traces the collection may not hold yet, as this view sees them (never this unit's own:
        // a unit's search covers what was committed before it).
        List<Trace> waiting = query("SELECT t.* FROM index_outbox o JOIN traces t ON t.id = o.trace_id"
                + " WHERE o.space_id = ?", SqlStore::trace, space.id());
        if (open != null) {
            Set<Long> own = new HashSet<>();
            open.created().getOrDefault(space, List.of()).forEach(t -> own.add(t.id()));
            waiting.removeIf(t -> own.contains(t.id()));
        }
        Map<Long, Neighbour> found = new LinkedHashMap<>();
        for (Neighbour n : new ExactIndex(metric, waiting).search(vector, k)) {
            found.put(n.traceId(), n);
        }
        if (!unreachable.contains(space.id())) {
            try {
                List<Neighbour> hits = visible(space, index(space), vector, k);
                if (hits.isEmpty() && traceCount(space) > waiting.size()) {
                    // No collection for this view's version (deleted after a newer version took over):
                    // the record answers.
                    throw new IllegalStateException("its collection holds none of the space's committed traces");
                }
                for (Neighbour n : hits) {
                    found.putIfAbsent(n.traceId(), n);
                }
            } catch (RuntimeException e) {
                evict(space);
                unreachable.add(space.id());
                log.warn("vector index of space {} cannot be searched ({}): searching the record exactly",
                        space.name(), e.getMessage());
            }
        }
        if (unreachable.contains(space.id())) {
            // Solr unreachable: the record answers, exactly and more slowly.
            return exact.computeIfAbsent(space.id(), id -> {
                List<Trace> all = new ArrayList<>();
                forEachTrace(space, all::add);
                return new ExactIndex(metric, all);
            }).search(vector, k);
        }
        List<Neighbour> nearest = new ArrayList<>(found.values());
        nearest.sort(Comparator.comparingDouble(Neighbour::distance).thenComparingLong(Neighbour::traceId));
        return nearest.size() > k ? new ArrayList<>(nearest.subList(0, k)) : nearest;
    }

    /**
     * The k nearest that this view can see: the collection may already hold traces committed
     * after this view began, which are left out (asking for more until k remain or there are
     * no more).
     */
    private List<Neighbour> visible(Space space, VectorIndex index, float[] vector, int k) {
        for (int asked = k; ; asked = (int) Math.min((long) asked * 2, Integer.MAX_VALUE - 1)) {
            List<Neighbour> hits = index.search(vector, asked);
            if (hits.isEmpty()) {
                return hits;
            }
            Set<Long> seen = new HashSet<>(query("SELECT id FROM traces WHERE space_id = ? AND id = ANY(?)",
                    r -> r.getLong(1), space.id(), ids(hits.stream().map(Neighbour::traceId).toList())));
            List<Neighbour> kept = new ArrayList<>(hits.size());
            for (Neighbour n : hits) {
                if (seen.contains(n.traceId())) {
                    kept.add(n);
                }
            }
            if (kept.size() >= k || hits.size() < asked) {
                return kept;
            }
        }
    }

    // --- units of work: PostgreSQL's part

    private final class PgTransaction extends SqlTransaction {
        /**
         * A space by name, as this unit sees it. When it is absent, the name is locked until the
         * unit ends and looked up again: another unit creating it meanwhile has then committed
         * it, so a unit that checks and then creates a space never meets a second one.
         */
        @Override
        public java.util.Optional<Space> space(String name) {
            java.util.Optional<Space> found = super.space(name);
            if (found.isPresent()) {
                return found;
            }
            try (PreparedStatement lock = db.prepareStatement("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))")) {
                lock.setString(1, "engram space " + name);
                lock.execute();
            } catch (SQLException e) {
                throw failure("locking the name of space " + name, e);
            }
            return super.space(name);
        }

        /** A space whose points all changed lists them all, for its new version's collection to take. */
        @Override
        protected void afterRevising(Space space) {
            update("INSERT INTO index_outbox(space_id, trace_id) SELECT space_id, id FROM traces WHERE space_id = ?"
                    + " ON CONFLICT DO NOTHING", space.id());
        }

        /** Forgotten traces leave the outbox with the unit (the collection loses them after it). */
        @Override
        protected void afterForgetting(Space space, List<Long> traceIds) {
            update("DELETE FROM index_outbox WHERE trace_id = ANY(?)", ids(traceIds));
        }

        /** The versions of each space this unit forgot whole, read before its rows went: their collections go after it. */
        final Map<Space, List<SpaceVersion>> droppedVersions = new LinkedHashMap<>();

        @Override
        protected void beforeDropping(Space space) {
            droppedVersions.put(space, versions(space));
            update("DELETE FROM index_outbox WHERE space_id = ?", space.id());
            update("DELETE FROM model_files WHERE space = ?", space.name());
        }

        /** New traces are listed in the outbox with the unit, for the collection to take after it. */
        @Override
        protected void afterCreating(Space space, List<Trace> traces) {
            batch("INSERT INTO index_outbox(space_id, trace_id) VALUES(?, ?)", traces,
                    t -> new Object[] {space.id(), t.id()});
        }

        @Override
        public void writeModel(String space, int version, ModelRepository.Writer writer) {
            try {
                PostgresModels.write(db, space, version, writer);
            } catch (SQLException e) {
                throw failure("storing the model of space " + space, e);
            } catch (IOException e) {
                throw EngramException.storeUnavailable("cannot write the model of space " + space
                        + " to a temporary directory: " + e.getMessage(), e);
            }
        }
    }

    // --- the rest of the contract

    @Override
    public boolean writable() {
        return true;
    }

    @Override
    public String location() {
        return address.describe();
    }

    @Override
    public ModelRepository models() {
        return models;
    }

    @Override
    protected int formatVersion(Connection connection) throws SQLException {
        return PostgresSchema.version(connection);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (open == null) {
                db.rollback();
            }
        } catch (SQLException e) {
            log.debug("ending the last read of store {}", location(), e);
        }
        for (VectorIndex index : indexes.values()) {
            try {
                index.close();
            } catch (RuntimeException e) {
                log.debug("closing a vector index of store {}", location(), e);
            }
        }
        indexes.clear();
        try {
            opener.close();
        } catch (RuntimeException e) {
            log.debug("closing the vector indexes of store {}", location(), e);
        }
        try {
            db.close();
        } catch (SQLException e) {
            log.debug("closing store {}", location(), e);
        }
    }

    /**
     * A database error as the user should hear it: a server that cannot be reached (or refuses
     * the login) is the store being unavailable (exit 6), anything else a fault of ours.
     */
    @Override
    protected RuntimeException failure(String what, SQLException e) {
        return ServerStores.failure(location(), what, e);
    }
}
