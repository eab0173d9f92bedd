package dev.engram.store.sql;

import dev.engram.EngramException;
import dev.engram.store.Association;
import dev.engram.store.AssociationKind;
import dev.engram.store.Binding;
import dev.engram.store.Concept;
import dev.engram.store.ConceptRules;
import dev.engram.store.DimReport;
import dev.engram.store.Event;
import dev.engram.store.NewTrace;
import dev.engram.store.Restore;
import dev.engram.store.Space;
import dev.engram.store.SpaceVersion;
import dev.engram.store.Store;
import dev.engram.store.StoreSummary;
import dev.engram.store.SurpriseDistribution;
import dev.engram.store.Trace;
import dev.engram.store.TraceVector;
import dev.engram.store.Transaction;
import dev.engram.store.Vectors;
import org.apache.logging.log4j.LogManager;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The record of a store in SQL tables: spaces, traces with their vectors, events, concepts,
 * associations and dimension reports, read and written with the same queries whether the
 * database is the embedded store's H2 or the server store's PostgreSQL ({@link SqlDialect}
 * says the little that differs). A backend extends it with what is its own: when and how the
 * connection is opened (its sections and units of work), the vector indexes, the model files
 * and how a database error reaches the user.
 */
public abstract class SqlStore implements Store {
    private static final String TRACE_COLUMNS =
            "id, space_id, source, source_index, content_hash, vector, surprise, created_at, content";
    private static final String CONCEPT_COLUMNS = "id, name, parent_id, created_at";
    /**
     * The ids of an {@link #ids} parameter as a table {@code u(x)} to join rows to by key. H2
     * checks {@code id = ANY(?)} against every element of the array for every row the index
     * finds (measured: 5,000 ids took seconds), where a join looks each id up once (6 ms).
     */
    protected static final String ID_LIST = "UNNEST(?) u(x)";

    /** Pairs (concept, trace) that one bind reads, writes and locks at a time. */
    private static final int BIND_CHUNK = 4096;
    private static final String VERSION_INSERT = "INSERT INTO space_versions(space_id, version, config,"
            + " consolidation, created_at) VALUES(?, ?, ?, ?, ?)";

    private final SqlDialect dialect;
    /** Percentiles of surprise by space id, as committed: cleared whenever the view changes. */
    private final Map<Integer, SurpriseDistribution> surprises = new java.util.concurrent.ConcurrentHashMap<>();
    /** Surprise distributions being read in the background ({@link #warm}). */
    private final Map<Integer, java.util.concurrent.CompletableFuture<SurpriseDistribution>> warming =
            new java.util.concurrent.ConcurrentHashMap<>();

    protected SqlStore(SqlDialect dialect) {
        this.dialect = dialect;
    }

    /** The connection reads and writes go through now: the unit's inside a unit of work. */
    protected abstract Connection connection();

    /** Whether a unit of work is open: its connection then sees uncommitted rows, never cached. */
    protected abstract boolean inUnit();

    /** A database error as the user should hear it, saying what was being done. */
    protected abstract RuntimeException failure(String what, SQLException e);

    /** The format version of the record, for {@link #summary()}. */
    protected abstract int formatVersion(Connection connection) throws SQLException;

    /** Forgets what was cached from the view that just ended. */
    protected void forgetView() {
        surprises.clear();
        warming.clear();
    }

    // --- spaces

    @Override
    public Optional<Space> space(String name) {
        return querySpaces("SELECT * FROM spaces WHERE name = ?", name).stream().findFirst();
    }

    @Override
    public List<Space> spaces() {
        return querySpaces("SELECT * FROM spaces ORDER BY name");
    }

    private List<Space> querySpaces(String sql, Object... args) {
        return query(sql, row -> new Space(row.getInt("id"), row.getString("name"), row.getString("modality"),
                row.getString("encoder"), row.getInt("dimension"), row.getString("metric"),
                row.getInt("model_version"), row.getString("config"), instant(row, "created_at")), args);
    }

    @Override
    public List<SpaceVersion> versions(Space space) {
        List<SpaceVersion> versions = query("SELECT version, config, consolidation, created_at FROM space_versions"
                + " WHERE space_id = ? ORDER BY version", r -> new SpaceVersion(r.getInt("version"),
                r.getString("config"), r.getString("consolidation"), instant(r, "created_at")), space.id());
        if (versions.isEmpty()) {
            // A space that never changed version: its one version is the space itself.
            Space now = space(space.name()).orElse(space);
            return List.of(new SpaceVersion(now.modelVersion(), now.config(), null, now.createdAt()));
        }
        return versions;
    }

    @Override
    public Map<Long, TraceVector> vectors(Space space, int version) {
        int current = space(space.name()).map(Space::modelVersion).orElse(space.modelVersion());
        String sql = version == current
                ? "SELECT id, vector, surprise FROM traces WHERE space_id = ? ORDER BY id"
                : "SELECT v.trace_id, v.vector, v.surprise FROM trace_vectors v JOIN traces t ON t.id = v.trace_id"
                + " WHERE t.space_id = ? AND v.version = ? ORDER BY v.trace_id";
        Map<Long, TraceVector> vectors = new LinkedHashMap<>();
        for (TraceVector v : query(sql, r -> new TraceVector(r.getLong(1), Vectors.fromBytes(r.getBytes(2)),
                r.getDouble(3)), version == current ? new Object[] {space.id()} : new Object[] {space.id(), version})) {
            vectors.put(v.traceId(), v);
        }
        return vectors;
    }

    // --- traces

    @Override
    public Optional<Trace> trace(long id) {
        return query("SELECT " + TRACE_COLUMNS + " FROM traces WHERE id = ?", SqlStore::trace, id)
                .stream().findFirst();
    }

    @Override
    public List<Trace> traces(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<Long, Trace> byId = new HashMap<>();
        for (Trace t : query("SELECT " + TRACE_COLUMNS + " FROM " + ID_LIST + " JOIN traces ON traces.id = u.x", SqlStore::trace,
                ids(ids))) {
            byId.put(t.id(), t);
        }
        List<Trace> ordered = new ArrayList<>(ids.size());
        for (Long id : ids) {
            Trace t = byId.get(id);
            if (t != null) {
                ordered.add(t);
            }
        }
        return ordered;
    }

    @Override
    public long traceCount(Space space) {
        // Kept in the space's row by every write that adds traces (SqlDialect.traceCounts).
        List<Long> count = query("SELECT trace_count FROM spaces WHERE id = ?", r -> r.getLong(1), space.id());
        return count.isEmpty() ? 0 : count.getFirst();
    }

    /**
     * The space's surprises, ascending, read in the order of the (space, surprise) index into a
     * primitive array: at 10^6 traces this is what a one-cue recall spends most of its own time
     * on (boxed and sorted afterwards, 590 ms of a 1.7 s process).
     */
    private double[] surprisesInOrder(Space space, Connection db, long expected) {
        double[] values = new double[(int) Math.min(Integer.MAX_VALUE - 16, Math.max(16, expected))];
        int n = 0;
        try (PreparedStatement statement = db.prepareStatement(
                "SELECT surprise FROM traces WHERE space_id = ? ORDER BY surprise")) {
            statement.setInt(1, space.id());
            statement.setFetchSize(10_000);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    if (n == values.length) {
                        values = Arrays.copyOf(values, values.length * 2);
                    }
                    values[n++] = rows.getDouble(1);
                }
            }
        } catch (SQLException e) {
            throw failure("reading the surprises of space " + space.name(), e);
        }
        return Arrays.copyOf(values, n);
    }

    /**
     * Whether this backend may read on its connection from another thread while the caller goes
     * on ({@link #warm}): the embedded store's H2 connection serialises its statements; the server
     * store's view of PostgreSQL is not shared so.
     */
    protected boolean readsInBackground() {
        return false;
    }

    @Override
    public void warm(Space space) {
        if (readsInBackground() && !inUnit() && !surprises.containsKey(space.id())) {
            // The connection is taken here, on the caller's thread (taking it may open the read).
            Connection db = connection();
            long expected = traceCount(space);
            warming.computeIfAbsent(space.id(), id -> java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> SurpriseDistribution.ofSorted(surprisesInOrder(space, db, expected))));
        }
    }

    private static SurpriseDistribution joined(java.util.concurrent.CompletableFuture<SurpriseDistribution> warm) {
        try {
            return warm.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    @Override
    public double surprisePercentile(Space space, double surprise) {
        SurpriseDistribution known = surprises.get(space.id());
        if (known == null) {
            java.util.concurrent.CompletableFuture<SurpriseDistribution> warm = warming.remove(space.id());
            known = warm == null ? SurpriseDistribution.ofSorted(surprisesInOrder(space, connection(),
                    traceCount(space))) : joined(warm);
            if (!inUnit()) {
                surprises.put(space.id(), known);
            }
        }
        return known.percentile(surprise);
    }

    @Override
    public void forEachTrace(Space space, Consumer<Trace> visitor) {
        try (PreparedStatement select = connection().prepareStatement("SELECT " + TRACE_COLUMNS
                + " FROM traces WHERE space_id = ? ORDER BY id")) {
            select.setInt(1, space.id());
            select.setFetchSize(1000);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    visitor.accept(trace(rows));
                }
            }
        } catch (SQLException e) {
            throw failure("reading traces of space " + space.name(), e);
        }
    }

    @Override
    public Map<String, Long> traceIdsBySource(Space space) {
        // Ids only: labelling 10^5 traces must not load their vectors.
        Map<String, Long> bySource = new HashMap<>();
        for (Object[] row : query("SELECT id, source, source_index FROM traces WHERE space_id = ?",
                r -> new Object[] {r.getLong(1), r.getString(2), r.getInt(3)}, space.id())) {
            bySource.put(Trace.sourceLabel((String) row[1], (Integer) row[2]), (Long) row[0]);
        }
        return bySource;
    }

    // --- events

    @Override
    public Map<Long, String> eventNames(Collection<Long> eventIds) {
        Map<Long, String> names = new HashMap<>();
        if (!eventIds.isEmpty()) {
            for (Object[] row : query("SELECT id, name FROM " + ID_LIST + " JOIN events ON events.id = u.x WHERE name IS NOT NULL",
                    r -> new Object[] {r.getLong(1), r.getString(2)}, ids(eventIds))) {
                names.put((Long) row[0], (String) row[1]);
            }
        }
        return names;
    }

    @Override
    public void forEachEvent(Consumer<Event> visitor) {
        try (PreparedStatement select = connection().prepareStatement("SELECT id, name, happened_at, source"
                + " FROM events ORDER BY id")) {
            select.setFetchSize(1000);
            try (ResultSet r = select.executeQuery()) {
                while (r.next()) {
                    visitor.accept(new Event(r.getLong("id"), r.getString("name"), instant(r, "happened_at"),
                            r.getString("source")));
                }
            }
        } catch (SQLException e) {
            throw failure("reading events", e);
        }
    }

    @Override
    public Map<Long, List<Long>> eventTraces(Space space) {
        String sql = "SELECT e.event_id, e.trace_id FROM event_traces e"
                + (space == null ? "" : " WHERE e.event_id IN (SELECT p.event_id FROM event_traces p"
                + " JOIN traces t ON t.id = p.trace_id WHERE t.space_id = ?)")
                + " ORDER BY e.event_id, e.trace_id";
        Map<Long, List<Long>> events = new LinkedHashMap<>();
        for (long[] pair : query(sql, r -> new long[] {r.getLong(1), r.getLong(2)},
                space == null ? new Object[0] : new Object[] {space.id()})) {
            events.computeIfAbsent(pair[0], e -> new ArrayList<>()).add(pair[1]);
        }
        return events;
    }

    // --- concepts and associations

    @Override
    public Optional<Concept> concept(String label) {
        OptionalLong id = ConceptRules.parseLabel(label);
        if (id.isPresent()) {
            return concept(id.getAsLong());
        }
        return query("SELECT " + CONCEPT_COLUMNS + " FROM concepts WHERE name = ?", SqlStore::concept, label)
                .stream().findFirst();
    }

    @Override
    public Optional<Concept> concept(long id) {
        return query("SELECT " + CONCEPT_COLUMNS + " FROM concepts WHERE id = ?", SqlStore::concept, id)
                .stream().findFirst();
    }

    @Override
    public List<Concept> parentChain(Concept concept) {
        List<Concept> chain = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        long parent = concept(concept.id()).map(Concept::parentId).orElse(0L);
        while (parent != 0 && seen.add(parent)) {
            Optional<Concept> p = concept(parent);
            if (p.isEmpty()) {
                break;
            }
            chain.add(p.get());
            parent = p.get().parentId();
        }
        return chain;
    }

    @Override
    public List<Concept> concepts() {
        return query("SELECT " + CONCEPT_COLUMNS + " FROM concepts ORDER BY id", SqlStore::concept);
    }

    @Override
    public List<Concept> children(Concept concept) {
        return query("SELECT " + CONCEPT_COLUMNS + " FROM concepts WHERE parent_id = ? ORDER BY id", SqlStore::concept,
                concept.id());
    }

    @Override
    public Map<Long, List<Association>> associationsOf(Collection<Long> traceIds) {
        Map<Long, List<Association>> byTrace = new HashMap<>();
        if (traceIds.isEmpty()) {
            return byTrace;
        }
        for (Association a : query("SELECT associations.* FROM " + ID_LIST + " JOIN associations ON associations.trace_id = u.x",
                SqlStore::association,
                ids(traceIds))) {
            byTrace.computeIfAbsent(a.traceId(), t -> new ArrayList<>()).add(a);
        }
        return byTrace;
    }

    @Override
    public List<Association> members(Concept concept, int limit) {
        return query("SELECT * FROM associations WHERE concept_id = ? ORDER BY weight DESC, last_at DESC, trace_id"
                + " LIMIT ?", SqlStore::association, concept.id(), limit);
    }

    @Override
    public List<Association> membersPerSpace(Concept concept, int perSpace) {
        // The strongest per space, so that a concept's many images cannot crowd out its one word.
        return query("SELECT concept_id, trace_id, kind, weight, times, first_at, last_at FROM ("
                + " SELECT a.*, ROW_NUMBER() OVER (PARTITION BY t.space_id"
                + " ORDER BY a.weight DESC, a.last_at DESC, a.trace_id) AS rank_in_space"
                + " FROM associations a JOIN traces t ON t.id = a.trace_id WHERE a.concept_id = ?) ranked"
                + " WHERE rank_in_space <= ? ORDER BY weight DESC, last_at DESC, trace_id",
                SqlStore::association, concept.id(), perSpace);
    }

    @Override
    public Set<Long> boundTraceIds(Space space) {
        return new HashSet<>(query("SELECT DISTINCT a.trace_id FROM associations a JOIN traces t ON t.id = a.trace_id"
                + " WHERE t.space_id = ?", r -> r.getLong(1), space.id()));
    }

    // --- dim reports and the summary

    @Override
    public List<DimReport> dimReports() {
        return query("SELECT * FROM dim_reports ORDER BY id", r -> new DimReport(r.getLong("id"), r.getString("target"),
                r.getString("estimator"), r.getString("parameters"), r.getInt("points"), r.getLong("seed"),
                r.getDouble("estimate"), instant(r, "created_at")));
    }

    @Override
    public StoreSummary summary() {
        List<StoreSummary.SpaceSummary> spaces = new ArrayList<>();
        for (Space s : spaces()) {
            List<StoreSummary.VersionSummary> versions = new ArrayList<>();
            for (SpaceVersion v : versions(s)) {
                versions.add(new StoreSummary.VersionSummary(v.version(), v.createdAt(),
                        jsonObject(v.config(), "provenance"), jsonObject(v.consolidation(), null)));
            }
            spaces.add(new StoreSummary.SpaceSummary(s.name(), s.modality(), s.encoder(), s.dimension(), s.metric(),
                    s.modelVersion(), traceCount(s), versions));
        }
        try {
            return new StoreSummary(location(), formatVersion(connection()), spaces,
                    count("SELECT COUNT(*) FROM events"), count("SELECT COUNT(*) FROM concepts"),
                    count("SELECT COUNT(*) FROM associations"), count("SELECT COUNT(*) FROM dim_reports"));
        } catch (SQLException e) {
            throw failure("summarising the store", e);
        }
    }

    @Override
    public Restore.Ceilings highestIds() {
        return new Restore.Ceilings(highest("spaces"), highest("events"), highest("traces"), highest("concepts"),
                highest("dim_reports"));
    }

    private long highest(String table) {
        return count("SELECT COALESCE(MAX(id), 0) FROM " + table);
    }

    /** A JSON object as a map (or its member {@code field}); null for null or anything else. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> jsonObject(String json, String field) {
        if (json == null) {
            return null;
        }
        try {
            Object parsed = dev.engram.Json.LINES.fromJson(json, Object.class);
            Object member = field == null || !(parsed instanceof Map<?, ?> m) ? parsed : m.get(field);
            return member instanceof Map<?, ?> map ? (Map<String, Object>) map : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    // --- units of work

    /**
     * The writes of one unit of work, on the unit's connection, uncommitted until the backend
     * commits the unit. Reads through it see the unit's own writes. A backend adds the model
     * files (where they live is its own) and may act before traces are added
     * ({@link #beforeAdding}).
     */
    protected abstract class SqlTransaction implements Transaction {
        private final Map<Space, List<Trace>> created = new LinkedHashMap<>();
        private final List<Space> revised = new ArrayList<>();
        private final OffsetDateTime time = now();

        /** The traces this unit created, by space: what the vector indexes take once it commits. */
        public Map<Space, List<Trace>> created() {
            return created;
        }

        /** Called before traces are added to these spaces. */
        protected void beforeAdding(Set<Space> spaces) {
        }

        /** Called once the unit has inserted these new traces of the space (uncommitted), before it goes on. */
        protected void afterCreating(Space space, List<Trace> traces) {
        }

        /** The spaces whose model version this unit changed, as they are now: their indexes follow after the commit. */
        public List<Space> revised() {
            return revised;
        }

        private final Map<Space, List<Long>> forgotten = new LinkedHashMap<>();
        private final List<Space> dropped = new ArrayList<>();

        /** The traces this unit forgot, by space (not of a space it dropped): the vector indexes lose them after the commit. */
        public Map<Space, List<Long>> forgotten() {
            return forgotten;
        }

        /** The spaces this unit forgot whole: their indexes and model files go after the commit. */
        public List<Space> dropped() {
            return dropped;
        }

        /** Called once the unit has deleted these traces of the space from the record (uncommitted). */
        protected void afterForgetting(Space space, List<Long> traceIds) {
        }

        /** Called before the unit deletes the space's own row (its traces are gone by then). */
        protected void beforeDropping(Space space) {
        }

        @Override
        public int forgetTraces(Space space, Collection<Long> traceIds) {
            List<Long> ids = new ArrayList<>(new java.util.TreeSet<>(traceIds));
            int removed = 0;
            for (int from = 0; from < ids.size(); from += BIND_CHUNK) {
                List<Long> chunk = ids.subList(from, Math.min(ids.size(), from + BIND_CHUNK));
                List<Long> ofSpace = query("SELECT traces.id FROM " + ID_LIST + " JOIN traces ON traces.id = u.x"
                        + " WHERE traces.space_id = ?", r -> r.getLong(1), ids(chunk), space.id());
                if (ofSpace.isEmpty()) {
                    continue;
                }
                // "= ANY(?)": H2 looks each id up in the column's index (4,096 of 10^6 rows deleted in
                // 0.1 s); "IN (SELECT x FROM UNNEST(?))" found nothing on H2 2.3, with casts 11 s.
                String gone = " = ANY(?)";
                update("DELETE FROM associations WHERE trace_id" + gone, ids(ofSpace));
                update("DELETE FROM event_traces WHERE trace_id" + gone, ids(ofSpace));
                update("DELETE FROM trace_vectors WHERE trace_id" + gone, ids(ofSpace));
                afterForgetting(space, ofSpace);
                update("DELETE FROM traces WHERE id" + gone, ids(ofSpace));
                update("UPDATE spaces SET trace_count = trace_count - ? WHERE id = ?", ofSpace.size(), space.id());
                forgotten.computeIfAbsent(space, s -> new ArrayList<>()).addAll(ofSpace);
                removed += ofSpace.size();
            }
            surprises.remove(space.id());
            return removed;
        }

        @Override
        public void forgetConcept(Concept concept) {
            Concept now = SqlStore.this.concept(concept.id()).orElseThrow(() -> EngramException.unknown(
                    "no concept " + concept.label() + " (forgotten meanwhile?)"));
            update("UPDATE concepts SET parent_id = ? WHERE parent_id = ?", now.parentId() > 0 ? now.parentId() : null,
                    now.id());
            update("DELETE FROM associations WHERE concept_id = ?", now.id());
            update("DELETE FROM concepts WHERE id = ?", now.id());
        }

        @Override
        public void forgetSpace(Space space) {
            List<Long> all = query("SELECT id FROM traces WHERE space_id = ?", r -> r.getLong(1), space.id());
            forgetTraces(space, all);
            forgotten.remove(space);
            beforeDropping(space);
            update("DELETE FROM space_versions WHERE space_id = ?", space.id());
            update("DELETE FROM spaces WHERE id = ?", space.id());
            created.remove(space);
            dropped.add(space);
        }


        /** Called once the unit has changed every point of the space (uncommitted), before it goes on. */
        protected void afterRevising(Space space) {
        }

        @Override
        public Space changeVersion(Space space, SpaceVersion next, List<TraceVector> vectors) {
            // The space's row locked first (PostgreSQL): units writing into the space finish before,
            // and the ones after see the new version.
            query("SELECT id FROM spaces WHERE id = ?" + dialect.forUpdate(), r -> r.getInt(1), space.id());
            Space now = SqlStore.this.space(space.name()).orElseThrow(() -> EngramException.unknown(
                    "no space '" + space.name() + "' in store " + location()));
            if (now.id() != space.id() || now.modelVersion() != space.modelVersion()) {
                throw EngramException.storeUnavailable("another engram process changed space " + space.name()
                        + " meanwhile (its model is now v" + now.modelVersion() + ", not v" + space.modelVersion()
                        + "); nothing was changed: run the command again", null);
            }
            if (next.version() == now.modelVersion()) {
                throw new IllegalArgumentException("space " + space.name() + " is at v" + next.version() + " already");
            }
            Set<Long> ids = new HashSet<>(query("SELECT id FROM traces WHERE space_id = ?", r -> r.getLong(1),
                    now.id()));
            Set<Long> given = new HashSet<>();
            for (TraceVector v : vectors) {
                if (!given.add(v.traceId()) || v.vector().length != now.dimension()) {
                    throw new IllegalArgumentException("trace " + v.traceId() + " given twice, or with a point of"
                            + " dimension " + v.vector().length + " for space " + now.name());
                }
            }
            if (!given.equals(ids)) {
                if (ids.containsAll(given)) {
                    throw EngramException.storeUnavailable("space " + now.name() + " got " + (ids.size() - given.size())
                            + " traces from another engram process meanwhile; nothing was changed: run the command"
                            + " again", null);
                }
                throw new IllegalArgumentException(vectors.size() + " points for the " + ids.size() + " traces of"
                        + " space " + now.name() + ", not one for each");
            }
            if (count("SELECT COUNT(*) FROM space_versions WHERE space_id = ?", now.id()) == 0) {
                batch(VERSION_INSERT, List.of(new SpaceVersion(now.modelVersion(), now.config(), null,
                        now.createdAt())), v -> versionRow(now, v));
            }
            SpaceVersion recorded = new SpaceVersion(next.version(), next.config(), next.consolidation(),
                    next.createdAt() == null ? time.toInstant() : next.createdAt());
            if (count("SELECT COUNT(*) FROM space_versions WHERE space_id = ? AND version = ?", now.id(),
                    next.version()) == 0) {
                batch(VERSION_INSERT, List.of(recorded), v -> versionRow(now, v));
            }
            String ofSpace = " AND trace_id IN (SELECT id FROM traces WHERE space_id = ?)";
            update("DELETE FROM trace_vectors WHERE version = ?" + ofSpace, now.modelVersion(), now.id());
            update("INSERT INTO trace_vectors(trace_id, version, vector, surprise) SELECT id, ?, vector, surprise"
                    + " FROM traces WHERE space_id = ?", now.modelVersion(), now.id());
            batch("UPDATE traces SET vector = ?, surprise = ? WHERE id = ?", vectors,
                    v -> new Object[] {Vectors.toBytes(v.vector()), v.surprise(), v.traceId()});
            update("DELETE FROM trace_vectors WHERE version = ?" + ofSpace, next.version(), now.id());
            update("UPDATE spaces SET model_version = ?, config = ? WHERE id = ?", next.version(), next.config(),
                    now.id());
            Space changed = now.atVersion(next.version(), next.config());
            revised.add(changed);
            afterRevising(changed);
            return changed;
        }

        /**
         * A space by name, as this unit sees it, read under a share lock (PostgreSQL): what the
         * unit then writes into it cannot meet a change of its model version, which waits for
         * this unit to end (and this read for one under way).
         */
        @Override
        public Optional<Space> space(String name) {
            return querySpaces("SELECT * FROM spaces WHERE name = ?" + dialect.forShare(), name).stream().findFirst();
        }

        @Override
        public Space createSpace(String name, String modality, String encoder, int dimension, String metric,
                                 String config) {
            insert("INSERT INTO spaces(name, modality, encoder, dimension, metric, model_version, config, created_at)"
                    + " VALUES(?, ?, ?, ?, ?, 1, ?, ?)", name, modality, encoder, dimension, metric, config, time);
            return SqlStore.this.space(name).orElseThrow();
        }

        @Override
        public long createEvent(String name, Instant time, String source) {
            return insert("INSERT INTO events(name, happened_at, source) VALUES(?, ?, ?)", name,
                    time == null ? null : time.atOffset(ZoneOffset.UTC), source);
        }

        @Override
        public Map<Space, List<Store.StoredTrace>> addTraces(Map<Space, List<NewTrace>> batches) {
            beforeAdding(batches.keySet());
            Map<Space, List<Store.StoredTrace>> stored = new LinkedHashMap<>();
            Connection db = connection();
            try (PreparedStatement find = db.prepareStatement("SELECT " + TRACE_COLUMNS
                    + " FROM traces WHERE space_id = ? AND content_hash = ?");
                 PreparedStatement insert = db.prepareStatement(dialect.ignoringConflict("INSERT INTO traces(space_id,"
                         + " source, source_index, content_hash, vector, surprise, created_at, content)"
                         + " VALUES(?, ?, ?, ?, ?, ?, ?, ?)", "space_id, content_hash"), Statement.RETURN_GENERATED_KEYS);
                 PreparedStatement known = db.prepareStatement(
                         "SELECT 1 FROM event_traces WHERE event_id = ? AND trace_id = ?");
                 PreparedStatement perceived = db.prepareStatement(dialect.ignoringConflict(
                         "INSERT INTO event_traces(event_id, trace_id) VALUES(?, ?)", "event_id, trace_id"))) {
                Map<Integer, Integer> added = new java.util.TreeMap<>();
                for (Map.Entry<Space, List<NewTrace>> batch : batches.entrySet()) {
                    Space space = batch.getKey();
                    List<Trace> made = new ArrayList<>();
                    stored.put(space, insertTraces(space, batch.getValue(), find, insert, known, perceived, made));
                    created.computeIfAbsent(space, s -> new ArrayList<>()).addAll(made);
                    afterCreating(space, made);
                    added.merge(space.id(), made.size(), Integer::sum);
                }
                added.forEach(this::countAdded);
                return stored;
            } catch (SQLException e) {
                throw failure("storing traces in space " + String.join(", ",
                        batches.keySet().stream().map(Space::name).toList()), e);
            }
        }

        /**
         * Adds to a space's count of traces; spaces in id order, so that two units adding to the
         * same spaces lock their rows in one order (PostgreSQL).
         */
        private void countAdded(int spaceId, int added) {
            if (added > 0) {
                update("UPDATE spaces SET trace_count = trace_count + ? WHERE id = ?", added, spaceId);
            }
        }

        /** Inserts one space's new traces (uncommitted), collecting those created into {@code created}. */
        private List<Store.StoredTrace> insertTraces(Space space, List<NewTrace> traces, PreparedStatement find,
                                                     PreparedStatement insert, PreparedStatement known,
                                                     PreparedStatement perceived, List<Trace> created)
                throws SQLException {
            List<Store.StoredTrace> stored = new ArrayList<>(traces.size());
            Map<String, Trace> inThisBatch = new HashMap<>();
            for (NewTrace t : traces) {
                if (t.vector().length != space.dimension()) {
                    throw new IllegalArgumentException("vector of dimension " + t.vector().length
                            + " for space " + space.name() + " of dimension " + space.dimension());
                }
                Trace existing = inThisBatch.get(t.contentHash());
                if (existing == null) {
                    existing = find(find, space, t.contentHash());
                }
                Trace trace = existing;
                if (trace == null) {
                    insert.setInt(1, space.id());
                    insert.setString(2, t.source());
                    insert.setInt(3, t.sourceIndex());
                    insert.setString(4, t.contentHash());
                    insert.setBytes(5, Vectors.toBytes(t.vector()));
                    insert.setDouble(6, t.surprise());
                    OffsetDateTime at = t.time() == null ? time : utc(t.time());
                    insert.setObject(7, at);
                    insert.setString(8, t.content());
                    if (insert.executeUpdate() == 0) {
                        // Another writer stored the same content meanwhile (PostgreSQL only): theirs stands.
                        existing = find(find, space, t.contentHash());
                        trace = existing;
                    } else {
                        long id;
                        try (ResultSet keys = insert.getGeneratedKeys()) {
                            keys.next();
                            id = keys.getLong(1);
                        }
                        trace = new Trace(id, space.id(), t.source(), t.sourceIndex(), t.contentHash(), t.vector(),
                                t.surprise(), at.toInstant(), t.content());
                        created.add(trace);
                    }
                    inThisBatch.put(t.contentHash(), trace);
                }
                if (t.eventId() > 0) {
                    known.setLong(1, t.eventId());
                    known.setLong(2, trace.id());
                    boolean joined;
                    try (ResultSet row = known.executeQuery()) {
                        joined = row.next();
                    }
                    if (!joined) {
                        perceived.setLong(1, t.eventId());
                        perceived.setLong(2, trace.id());
                        perceived.executeUpdate();
                    }
                }
                stored.add(new Store.StoredTrace(trace, existing == null));
            }
            return stored;
        }

        private static Trace find(PreparedStatement find, Space space, String contentHash) throws SQLException {
            find.setInt(1, space.id());
            find.setString(2, contentHash);
            try (ResultSet row = find.executeQuery()) {
                return row.next() ? trace(row) : null;
            }
        }

        @Override
        public Concept conceptNamed(String name) {
            return addConcept(name, time.toInstant());
        }

        @Override
        public Concept createUnnamedConcept() {
            return addConcept(null, time.toInstant());
        }

        @Override
        public Concept addConcept(String name, Instant createdAt) {
            OffsetDateTime at = utc(createdAt);
            if (name == null) {
                return new Concept(insert("INSERT INTO concepts(name, created_at) VALUES(?, ?)", null, at), null, 0,
                        createdAt);
            }
            Optional<Concept> existing = concept(name);
            if (existing.isPresent()) {
                return existing.get();
            }
            ConceptRules.requireValidName(name);
            OptionalLong id = insertIgnoring(dialect.ignoringConflict("INSERT INTO concepts(name, created_at)"
                    + " VALUES(?, ?)", "name"), name, at);
            if (id.isEmpty()) {
                // Another writer created it meanwhile (PostgreSQL only).
                return concept(name).orElseThrow();
            }
            return new Concept(id.getAsLong(), name, 0, createdAt);
        }

        @Override
        public void setParent(Concept child, Concept parent) {
            ConceptRules.requireNoCycle(child, parent, parentChain(parent));
            update("UPDATE concepts SET parent_id = ? WHERE id = ?", parent.id(), child.id());
        }

        @Override
        public Concept renameConcept(Concept concept, String name) {
            ConceptRules.requireValidName(name);
            ConceptRules.requireFree(name, concept, concept(name));
            update("UPDATE concepts SET name = ? WHERE id = ?", name, concept.id());
            return new Concept(concept.id(), name, concept.parentId(), concept.createdAt());
        }

        /**
         * Bindings of one pair are folded in order, as one bind after another would store them;
         * then each pair is read, inserted or updated once, in batches (a synchrony pass binds
         * one stored text to thousands of events). Pairs go in one order, concept then trace,
         * and only the pairs bound are read for update: writers binding the same pairs lock them
         * in the same order (PostgreSQL), and others' pairs are not locked at all
         * ({@link SqlDialect#associationsOfPairs}).
         */
        @Override
        public int bind(List<Binding> bindings) {
            Instant at = time.toInstant();
            return combine(bindings, b -> new Pair(b.conceptId(), b.traceId()), (existing, pair) -> {
                Association a = existing;
                for (Binding b : pair) {
                    a = Association.bound(a, b, at);
                }
                return a;
            });
        }

        @Override
        public int merge(List<Association> associations) {
            return combine(associations, a -> new Pair(a.conceptId(), a.traceId()), (existing, pair) -> {
                Association a = existing;
                for (Association other : pair) {
                    a = a == null ? other : Association.merged(a, other);
                }
                return a;
            });
        }

        /**
         * Applies changes to associations, pair by pair: each pair's changes are folded in memory
         * onto what is stored ({@code fold(stored or null, changes)}), then every pair is read,
         * inserted or updated once, in JDBC batches of {@link #BIND_CHUNK} pairs, in (concept,
         * trace) order. Returns how many pairs were new.
         */
        private <T> int combine(List<T> changes, java.util.function.Function<T, Pair> pairOf,
                                java.util.function.BiFunction<Association, List<T>, Association> fold) {
            java.util.TreeMap<Pair, List<T>> byPair = new java.util.TreeMap<>();
            for (T change : changes) {
                byPair.computeIfAbsent(pairOf.apply(change), p -> new ArrayList<>()).add(change);
            }
            List<Map.Entry<Pair, List<T>>> pairs = new ArrayList<>(byPair.entrySet());
            int createdPairs = 0;
            for (int from = 0; from < pairs.size(); from += BIND_CHUNK) {
                createdPairs += combineChunk(pairs.subList(from, Math.min(pairs.size(), from + BIND_CHUNK)), fold);
            }
            return createdPairs;
        }

        private <T> int combineChunk(List<Map.Entry<Pair, List<T>>> pairs,
                                     java.util.function.BiFunction<Association, List<T>, Association> fold) {
            Map<Pair, Association> stored = new HashMap<>();
            try {
                Array concepts = connection().createArrayOf("BIGINT", pairs.stream().map(e -> e.getKey().conceptId())
                        .toArray(Long[]::new));
                Array traces = connection().createArrayOf("BIGINT", pairs.stream().map(e -> e.getKey().traceId())
                        .toArray(Long[]::new));
                for (Association a : query(dialect.associationsOfPairs(), SqlStore::association, concepts, traces)) {
                    stored.put(new Pair(a.conceptId(), a.traceId()), a);
                }
            } catch (SQLException e) {
                throw failure("binding traces", e);
            }
            List<Association> inserts = new ArrayList<>();
            List<List<T>> insertChanges = new ArrayList<>();
            List<Association> updates = new ArrayList<>();
            for (Map.Entry<Pair, List<T>> pair : pairs) {
                Association existing = stored.get(pair.getKey());
                if (existing == null) {
                    inserts.add(fold.apply(null, pair.getValue()));
                    insertChanges.add(pair.getValue());
                } else {
                    updates.add(fold.apply(existing, pair.getValue()));
                }
            }
            int[] inserted = batch(dialect.ignoringConflict("INSERT INTO associations(concept_id, trace_id, kind,"
                    + " weight, times, first_at, last_at) VALUES(?, ?, ?, ?, ?, ?, ?)", "concept_id, trace_id"),
                    inserts, a -> new Object[] {a.conceptId(), a.traceId(), a.kind().sqlName(), a.weight(),
                            a.count(), utc(a.firstAt()), utc(a.lastAt())});
            int createdPairs = 0;
            for (int i = 0; i < inserts.size(); i++) {
                if (inserted[i] == 0) {
                    // Another writer bound the pair meanwhile (PostgreSQL only): strengthen theirs.
                    Association a = inserts.get(i);
                    Association theirs = query("SELECT * FROM associations WHERE concept_id = ? AND trace_id = ?"
                            + dialect.forUpdate(), SqlStore::association, a.conceptId(), a.traceId()).getFirst();
                    updates.add(fold.apply(theirs, insertChanges.get(i)));
                } else {
                    createdPairs++;
                }
            }
            batch("UPDATE associations SET kind = ?, weight = ?, times = ?, first_at = ?, last_at = ?"
                    + " WHERE concept_id = ? AND trace_id = ?", updates, a -> new Object[] {a.kind().sqlName(),
                            a.weight(), a.count(), utc(a.firstAt()), utc(a.lastAt()), a.conceptId(), a.traceId()});
            return createdPairs;
        }

        /** A concept and a trace, ordered by concept then trace. */
        private record Pair(long conceptId, long traceId) implements Comparable<Pair> {
            @Override
            public int compareTo(Pair other) {
                int byConcept = Long.compare(conceptId, other.conceptId);
                return byConcept != 0 ? byConcept : Long.compare(traceId, other.traceId);
            }
        }

        // The unit's connection: the store's reads see this unit's writes.
        @Override
        public Optional<Concept> concept(String label) {
            return SqlStore.this.concept(label);
        }

        @Override
        public Optional<Concept> concept(long id) {
            return SqlStore.this.concept(id);
        }

        @Override
        public List<Concept> parentChain(Concept concept) {
            return SqlStore.this.parentChain(concept);
        }

        @Override
        public DimReport addDimReport(String target, String estimator, String parameters, int points, long seed,
                                      double estimate) {
            return addDimReport(new DimReport(0, target, estimator, parameters, points, seed, estimate, time.toInstant()));
        }

        @Override
        public DimReport addDimReport(DimReport report) {
            long id = insert("INSERT INTO dim_reports(target, estimator, parameters, points, seed, estimate,"
                    + " created_at) VALUES(?, ?, ?, ?, ?, ?, ?)", report.target(), report.estimator(), report.parameters(),
                    report.points(), report.seed(), report.estimate(), utc(report.createdAt()));
            return new DimReport(id, report.target(), report.estimator(), report.parameters(), report.points(),
                    report.seed(), report.estimate(), report.createdAt());
        }

        @Override
        public Restore restore(Restore.Ceilings highest) {
            requireEmpty();
            // Ids past the copy's are what this store makes next. H2 sets a counter at once and
            // for good (hence the check before: on an empty store nothing can go wrong), PostgreSQL
            // with the unit, locking each table until the unit ends: a writer that committed
            // meanwhile is seen by the check after, none can commit later.
            restartIds("spaces", highest.spaces());
            restartIds("events", highest.events());
            restartIds("traces", highest.traces());
            restartIds("concepts", highest.concepts());
            restartIds("dim_reports", highest.dimReports());
            requireEmpty();
            return new SqlRestore(highest);
        }

        private void requireEmpty() {
            long spaces = count("SELECT COUNT(*) FROM spaces");
            long events = count("SELECT COUNT(*) FROM events");
            long concepts = count("SELECT COUNT(*) FROM concepts");
            long reports = count("SELECT COUNT(*) FROM dim_reports");
            if (spaces + events + concepts + reports > 0) {
                throw EngramException.storeNotEmpty("store " + location() + " is not empty (" + spaces
                        + " spaces, " + events + " events, " + concepts + " concepts, " + reports
                        + " dim reports): a copy writes only into an empty store");
            }
        }

        private void restartIds(String table, long highest) {
            update("ALTER TABLE " + table + " ALTER COLUMN id RESTART WITH " + (Math.max(0, highest) + 1));
        }

        /** The restore's inserts, in JDBC batches: a copy writes every row of a store. */
        private final class SqlRestore implements Restore {
            private final Restore.Ceilings highest;

            SqlRestore(Restore.Ceilings highest) {
                this.highest = highest;
            }

            @Override
            public void space(Space space) {
                requireAtMost("space", space.id(), highest.spaces());
                batch("INSERT INTO spaces(id, name, modality, encoder, dimension, metric, model_version,"
                        + " config, created_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)", List.of(space), s -> new Object[] {
                                s.id(), s.name(), s.modality(), s.encoder(), s.dimension(), s.metric(),
                                s.modelVersion(), s.config(), utc(s.createdAt())});
            }

            @Override
            public void versions(Space space, List<SpaceVersion> versions) {
                batch(VERSION_INSERT, versions, v -> versionRow(space, v));
            }

            @Override
            public void vectors(Space space, int version, List<TraceVector> vectors) {
                if (version == space.modelVersion()) {
                    throw new IllegalArgumentException("the points of the current version v" + version + " of space "
                            + space.name() + " are its traces' own");
                }
                batch("INSERT INTO trace_vectors(trace_id, version, vector, surprise) VALUES(?, ?, ?, ?)",
                        vectors, v -> new Object[] {v.traceId(), version, Vectors.toBytes(v.vector()), v.surprise()});
            }

            @Override
            public void events(List<Event> events) {
                events.forEach(e -> requireAtMost("event", e.id(), highest.events()));
                batch("INSERT INTO events(id, name, happened_at, source) VALUES(?, ?, ?, ?)", events,
                        e -> new Object[] {e.id(), e.name(), utc(e.time()), e.source()});
            }

            @Override
            public void traces(Space space, List<Trace> traces) {
                for (Trace t : traces) {
                    requireAtMost("trace", t.id(), highest.traces());
                    if (t.spaceId() != space.id() || t.vector().length != space.dimension()) {
                        throw new IllegalArgumentException("trace " + t.id() + " (space id " + t.spaceId()
                                + ", dimension " + t.vector().length + ") is not of space " + space.name());
                    }
                }
                beforeAdding(Set.of(space));
                batch("INSERT INTO traces(" + TRACE_COLUMNS + ") VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)", traces,
                        t -> new Object[] {t.id(), t.spaceId(), t.source(), t.sourceIndex(), t.contentHash(),
                                Vectors.toBytes(t.vector()), t.surprise(), utc(t.createdAt()), t.content()});
                created.computeIfAbsent(space, s -> new ArrayList<>()).addAll(traces);
                afterCreating(space, traces);
                countAdded(space.id(), traces.size());
            }

            @Override
            public void perceived(Map<Long, List<Long>> eventTraces) {
                List<long[]> pairs = new ArrayList<>();
                eventTraces.forEach((event, traces) -> traces.forEach(t -> pairs.add(new long[] {event, t})));
                batch("INSERT INTO event_traces(event_id, trace_id) VALUES(?, ?)", pairs,
                        p -> new Object[] {p[0], p[1]});
            }

            @Override
            public void concepts(List<Concept> concepts) {
                concepts.forEach(c -> requireAtMost("concept", c.id(), highest.concepts()));
                batch("INSERT INTO concepts(id, name, created_at) VALUES(?, ?, ?)", concepts,
                        c -> new Object[] {c.id(), c.name(), utc(c.createdAt())});
                batch("UPDATE concepts SET parent_id = ? WHERE id = ?",
                        concepts.stream().filter(c -> c.parentId() != 0).toList(),
                        c -> new Object[] {c.parentId(), c.id()});
            }

            @Override
            public void associations(List<Association> associations) {
                batch("INSERT INTO associations(concept_id, trace_id, kind, weight, times, first_at, last_at)"
                        + " VALUES(?, ?, ?, ?, ?, ?, ?)", associations, a -> new Object[] {a.conceptId(),
                        a.traceId(), a.kind().sqlName(), a.weight(), a.count(), utc(a.firstAt()), utc(a.lastAt())});
            }

            @Override
            public void dimReport(DimReport r) {
                requireAtMost("dim report", r.id(), highest.dimReports());
                batch("INSERT INTO dim_reports(id, target, estimator, parameters, points, seed, estimate,"
                        + " created_at) VALUES(?, ?, ?, ?, ?, ?, ?, ?)", List.of(r), d -> new Object[] {d.id(),
                        d.target(), d.estimator(), d.parameters(), d.points(), d.seed(), d.estimate(),
                        utc(d.createdAt())});
            }

            private static void requireAtMost(String what, long id, long highest) {
                if (id < 1 || id > highest) {
                    throw new IllegalArgumentException(what + " id " + id + " is outside the copy's ids 1.."
                            + highest);
                }
            }
        }
    }

    // --- JDBC plumbing

    @FunctionalInterface
    protected interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    protected final <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
        try (PreparedStatement select = connection().prepareStatement(sql)) {
            bind(select, args);
            List<T> rows = new ArrayList<>();
            try (ResultSet r = select.executeQuery()) {
                while (r.next()) {
                    rows.add(mapper.map(r));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw failure("querying the store", e);
        } finally {
            freeArrays(args);
        }
    }

    /**
     * Runs {@code sql} once per item (uncommitted), in JDBC batches of at most 1,000; returns
     * each item's update count.
     */
    protected final <T> int[] batch(String sql, List<T> items, java.util.function.Function<T, Object[]> row) {
        int[] counts = new int[items.size()];
        if (items.isEmpty()) {
            return counts;
        }
        try (PreparedStatement statement = connection().prepareStatement(sql)) {
            int done = 0;
            int batched = 0;
            for (T item : items) {
                bind(statement, row.apply(item));
                statement.addBatch();
                if (++batched == 1000 || done + batched == items.size()) {
                    int[] part = statement.executeBatch();
                    System.arraycopy(part, 0, counts, done, part.length);
                    done += batched;
                    batched = 0;
                }
            }
            return counts;
        } catch (SQLException e) {
            throw failure("writing to the store", e);
        }
    }

    private static Object[] versionRow(Space space, SpaceVersion v) {
        return new Object[] {space.id(), v.version(), v.config(), v.consolidation(), utc(v.createdAt())};
    }

    private static OffsetDateTime utc(Instant time) {
        return time == null ? null : time.atOffset(ZoneOffset.UTC);
    }

    /** Drops what {@code db}'s transaction holds uncommitted; a failure to do so is only logged. */
    protected static void rollbackQuietly(Connection db) {
        try {
            db.rollback();
        } catch (SQLException e) {
            LogManager.getLogger(SqlStore.class).debug("rollback failed", e);
        }
    }

    /** Inserts one row (uncommitted) and returns its generated id. */
    protected final long insert(String sql, Object... args) {
        return insertIgnoring(sql, args).orElseThrow();
    }

    /** Inserts one row (uncommitted) and returns its generated id, or nothing if a conflict kept it out. */
    private OptionalLong insertIgnoring(String sql, Object... args) {
        try (PreparedStatement statement = connection().prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            bind(statement, args);
            if (statement.executeUpdate() == 0) {
                return OptionalLong.empty();
            }
            try (ResultSet keys = statement.getGeneratedKeys()) {
                keys.next();
                return OptionalLong.of(keys.getLong(1));
            }
        } catch (SQLException e) {
            throw failure("writing to the store", e);
        }
    }

    protected final long count(String sql, Object... args) {
        return query(sql, r -> r.getLong(1), args).getFirst();
    }

    protected final void update(String sql, Object... args) {
        try (PreparedStatement statement = connection().prepareStatement(sql)) {
            bind(statement, args);
            statement.executeUpdate();
        } catch (SQLException e) {
            throw failure("updating the store", e);
        }
    }

    private static void bind(PreparedStatement statement, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            statement.setObject(i + 1, args[i]);
        }
    }

    /**
     * Ids as an SQL array parameter, each once: for {@link #ID_LIST}, or {@code = ANY(?)}; one
     * query for any number of ids.
     */
    protected final Array ids(Collection<Long> ids) {
        try {
            return connection().createArrayOf("BIGINT", new java.util.LinkedHashSet<>(ids).toArray(Long[]::new));
        } catch (SQLException e) {
            throw failure("querying the store", e);
        }
    }

    private static void freeArrays(Object... args) {
        for (Object arg : args) {
            if (arg instanceof Array array) {
                try {
                    array.free();
                } catch (SQLException e) {
                    // Only a hint to the driver: nothing depends on it.
                }
            }
        }
    }

    /** A trace from a row of the traces table. */
    protected static Trace trace(ResultSet r) throws SQLException {
        return new Trace(r.getLong("id"), r.getInt("space_id"), r.getString("source"),
                r.getInt("source_index"), r.getString("content_hash"), Vectors.fromBytes(r.getBytes("vector")),
                r.getDouble("surprise"), instant(r, "created_at"), r.getString("content"));
    }

    private static Concept concept(ResultSet r) throws SQLException {
        return new Concept(r.getLong("id"), r.getString("name"), r.getLong("parent_id"), instant(r, "created_at"));
    }

    private static Association association(ResultSet r) throws SQLException {
        return new Association(r.getLong("concept_id"), r.getLong("trace_id"),
                AssociationKind.fromSql(r.getString("kind")), r.getDouble("weight"), r.getInt("times"),
                instant(r, "first_at"), instant(r, "last_at"));
    }

    private static Instant instant(ResultSet r, String column) throws SQLException {
        OffsetDateTime time = r.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    /** Now, to the microsecond: what a TIMESTAMP column keeps, so that what is printed is what is stored. */
    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
    }
}
