package dev.engram.store;

import dev.engram.EngramException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
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
import java.util.Set;
import java.util.function.Consumer;

/**
 * The default store: one directory with an H2 database (the record), a Lucene index per space
 * (derived) and the spaces' model files. One process holds it at a time (see {@link StoreLock}).
 */
public final class EmbeddedStore implements Store {
    private static final Logger log = LogManager.getLogger(EmbeddedStore.class);
    private static final String DATABASE = "engram";
    private static final String TRACE_COLUMNS =
            "id, space_id, source, source_index, content_hash, vector, surprise, created_at, content";

    /** Whether opening may create a new, empty store. */
    public enum Mode { CREATE, EXISTING }

    private final Path directory;
    private final StoreLock lock;
    private final Connection db;
    private final Map<Integer, VectorIndex> indexes = new HashMap<>();
    private final Map<Integer, double[]> sortedSurprises = new HashMap<>();

    private EmbeddedStore(Path directory, StoreLock lock, Connection db) {
        this.directory = directory;
        this.lock = lock;
        this.db = db;
    }

    public static boolean exists(Path directory) {
        return Files.isRegularFile(directory.resolve(DATABASE + ".mv.db"));
    }

    public static EmbeddedStore open(Path directory, Mode mode, Duration lockWait) {
        Path dir = directory.toAbsolutePath().normalize();
        boolean fresh = !exists(dir);
        boolean createdDirectory = !Files.isDirectory(dir);
        if (fresh) {
            if (mode == Mode.EXISTING) {
                throw EngramException.storeUnavailable("no engram store at " + dir
                        + "; create one with 'engram encode --store " + dir + " ...'", null);
            }
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw EngramException.storeUnavailable("cannot create store " + dir + ": " + describe(e), e);
            }
        }
        StoreLock lock = StoreLock.acquire(dir, lockWait);
        Connection db = null;
        try {
            String url = "jdbc:h2:file:" + dir.resolve(DATABASE) + ";DB_CLOSE_ON_EXIT=FALSE"
                    + (mode == Mode.EXISTING ? ";IFEXISTS=TRUE" : "");
            db = DriverManager.getConnection(url, "engram", "");
            db.setAutoCommit(false);
            int found = Schema.migrate(db, dir.toString());
            if (found == 0) {
                log.info("created store {} (format version {})", dir, Schema.CURRENT_VERSION);
            } else if (found < Schema.CURRENT_VERSION) {
                log.warn("migrated store {} from format version {} to {}", dir, found, Schema.CURRENT_VERSION);
            }
            return new EmbeddedStore(dir, lock, db);
        } catch (SQLException e) {
            abandon(dir, db, lock, fresh, createdDirectory);
            throw EngramException.storeUnavailable("cannot open store " + dir + ": " + firstLine(e.getMessage()), e);
        } catch (RuntimeException e) {
            abandon(dir, db, lock, fresh, createdDirectory);
            throw e;
        }
    }

    /** Undoes a failed open; a store this call was creating is removed again, so no half-made store remains. */
    private static void abandon(Path dir, Connection db, StoreLock lock, boolean fresh, boolean createdDirectory) {
        closeQuietly(db);
        lock.close();
        if (!fresh) {
            return;
        }
        try {
            Files.deleteIfExists(dir.resolve(DATABASE + ".mv.db"));
            Files.deleteIfExists(dir.resolve(DATABASE + ".trace.db"));
            Files.deleteIfExists(dir.resolve("engram.lock"));
            if (createdDirectory) {
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            log.debug("could not remove the half-created store {}", dir, e);
        }
    }

    private static String describe(IOException e) {
        return e.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2")
                .toLowerCase(java.util.Locale.ROOT) + " " + e.getMessage();
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }

    private static void closeQuietly(Connection db) {
        if (db != null) {
            try {
                db.close();
            } catch (SQLException ignored) {
                // Already failing; the original error is what the user needs.
            }
        }
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public Path modelDirectory(String spaceName, int modelVersion) {
        return directory.resolve("models").resolve(spaceName).resolve("v" + modelVersion);
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

    private Space spaceById(int id) {
        return querySpaces("SELECT * FROM spaces WHERE id = ?", id).getFirst();
    }

    private List<Space> querySpaces(String sql, Object... args) {
        return query(sql, row -> new Space(row.getInt("id"), row.getString("name"), row.getString("modality"),
                row.getString("encoder"), row.getInt("dimension"), row.getString("metric"),
                row.getInt("model_version"), row.getString("config"), instant(row, "created_at")), args);
    }

    @Override
    public Space createSpace(String name, String modality, String encoder, int dimension, String metric,
                             String config) {
        insert("INSERT INTO spaces(name, modality, encoder, dimension, metric, model_version, config, created_at)"
                + " VALUES(?, ?, ?, ?, ?, 1, ?, ?)", name, modality, encoder, dimension, metric, config, now());
        commit();
        return space(name).orElseThrow();
    }

    // --- traces

    @Override
    public List<StoredTrace> addTraces(Space space, List<NewTrace> traces) {
        return addTraces(Map.of(space, traces)).get(space);
    }

    @Override
    public Map<Space, List<StoredTrace>> addTraces(Map<Space, List<NewTrace>> batches) {
        // Reconcile the indexes with the record before the record changes, so that the new
        // traces are added to them exactly once.
        Map<Space, VectorIndex> spaceIndexes = new LinkedHashMap<>();
        for (Space space : batches.keySet()) {
            spaceIndexes.put(space, index(space));
        }
        Map<Space, List<StoredTrace>> stored = new LinkedHashMap<>();
        Map<Space, List<Trace>> created = new LinkedHashMap<>();
        OffsetDateTime time = now();
        try (PreparedStatement find = db.prepareStatement("SELECT " + TRACE_COLUMNS
                + " FROM traces WHERE space_id = ? AND content_hash = ?");
             PreparedStatement insert = db.prepareStatement("INSERT INTO traces(space_id, source,"
                     + " source_index, content_hash, vector, surprise, created_at, content)"
                     + " VALUES(?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS);
             PreparedStatement perceived = db.prepareStatement(
                     "MERGE INTO event_traces(event_id, trace_id) KEY(event_id, trace_id) VALUES(?, ?)")) {
            for (Map.Entry<Space, List<NewTrace>> batch : batches.entrySet()) {
                Space space = batch.getKey();
                List<Trace> fresh = new ArrayList<>();
                stored.put(space, insertTraces(space, batch.getValue(), time, find, insert, perceived, fresh));
                created.put(space, fresh);
            }
            db.commit();
        } catch (SQLException e) {
            throw rollback("storing traces in space " + String.join(", ",
                    batches.keySet().stream().map(Space::name).toList()), e);
        } catch (RuntimeException e) {
            rollbackQuietly();
            throw e;
        }
        // The record is committed: from here on a failure only leaves an index behind, which
        // the next open detects and repairs.
        for (Map.Entry<Space, List<Trace>> fresh : created.entrySet()) {
            sortedSurprises.remove(fresh.getKey().id());
            spaceIndexes.get(fresh.getKey()).add(fresh.getValue());
        }
        return stored;
    }

    /** Inserts one space's new traces (uncommitted), collecting those created into {@code created}. */
    private static List<StoredTrace> insertTraces(Space space, List<NewTrace> traces, OffsetDateTime time,
                                                  PreparedStatement find, PreparedStatement insert,
                                                  PreparedStatement perceived, List<Trace> created)
            throws SQLException {
        List<StoredTrace> stored = new ArrayList<>(traces.size());
        Map<String, Trace> inThisBatch = new HashMap<>();
        for (NewTrace t : traces) {
            if (t.vector().length != space.dimension()) {
                throw new IllegalArgumentException("vector of dimension " + t.vector().length
                        + " for space " + space.name() + " of dimension " + space.dimension());
            }
            Trace existing = inThisBatch.get(t.contentHash());
            if (existing == null) {
                find.setInt(1, space.id());
                find.setString(2, t.contentHash());
                try (ResultSet row = find.executeQuery()) {
                    existing = row.next() ? trace(row) : null;
                }
            }
            Trace trace = existing;
            if (trace == null) {
                insert.setInt(1, space.id());
                insert.setString(2, t.source());
                insert.setInt(3, t.sourceIndex());
                insert.setString(4, t.contentHash());
                insert.setBytes(5, Vectors.toBytes(t.vector()));
                insert.setDouble(6, t.surprise());
                insert.setObject(7, time);
                insert.setString(8, t.content());
                insert.executeUpdate();
                long id;
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
                trace = new Trace(id, space.id(), t.source(), t.sourceIndex(), t.contentHash(), t.vector(),
                        t.surprise(), time.toInstant(), t.content());
                inThisBatch.put(t.contentHash(), trace);
                created.add(trace);
            }
            if (t.eventId() > 0) {
                perceived.setLong(1, t.eventId());
                perceived.setLong(2, trace.id());
                perceived.executeUpdate();
            }
            stored.add(new StoredTrace(trace, existing == null));
        }
        return stored;
    }

    @Override
    public Optional<Trace> trace(long id) {
        return query("SELECT " + TRACE_COLUMNS + " FROM traces WHERE id = ?", EmbeddedStore::trace, id)
                .stream().findFirst();
    }

    @Override
    public List<Trace> traces(Collection<Long> ids) {
        if (ids.isEmpty()) {
            return List.of();
        }
        Map<Long, Trace> byId = new HashMap<>();
        for (Trace t : query("SELECT " + TRACE_COLUMNS + " FROM traces WHERE id = ANY(?)", EmbeddedStore::trace,
                (Object) ids.toArray(Long[]::new))) {
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
        return count("SELECT COUNT(*) FROM traces WHERE space_id = ?", space.id());
    }

    @Override
    public double surprisePercentile(Space space, double surprise) {
        double[] sorted = sortedSurprises.computeIfAbsent(space.id(), id -> {
            List<Double> values = query("SELECT surprise FROM traces WHERE space_id = ?", r -> r.getDouble(1), id);
            double[] a = values.stream().mapToDouble(Double::doubleValue).toArray();
            Arrays.sort(a);
            return a;
        });
        if (sorted.length == 0) {
            return Double.NaN;
        }
        // Count of stored surprises <= the value: the upper bound found by binary search.
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= surprise) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return (double) lo / sorted.length;
    }

    @Override
    public void forEachTrace(Space space, Consumer<Trace> visitor) {
        try (PreparedStatement select = db.prepareStatement("SELECT " + TRACE_COLUMNS
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

    @Override
    public List<Neighbour> nearest(Space space, float[] vector, int k) {
        return index(space).search(vector, k);
    }

    /** Opens the space's index, rebuilding it from the record if the two disagree. */
    private VectorIndex index(Space space) {
        VectorIndex index = indexes.get(space.id());
        if (index == null) {
            index = new VectorIndex(directory.resolve("index").resolve(Integer.toString(space.id())), space.name());
            long inRecord = traceCount(space);
            long inIndex = index.committedCount();
            if (inIndex != inRecord && !(inIndex < 0 && inRecord == 0)) {
                log.warn("vector index of space {} holds {} traces but the record holds {}: rebuilding it",
                        space.name(), inIndex < 0 ? "no" : Long.toString(inIndex), inRecord);
                List<Trace> all = new ArrayList<>();
                forEachTrace(space, all::add);
                index.rebuild(all);
            }
            indexes.put(space.id(), index);
        }
        return index;
    }

    // --- events

    @Override
    public long createEvent(String name, Instant time, String source) {
        // Committed together with the event's traces by addTraces.
        return insert("INSERT INTO events(name, happened_at, source) VALUES(?, ?, ?)", name,
                time == null ? null : time.atOffset(ZoneOffset.UTC), source);
    }

    @Override
    public Map<Long, String> eventNames(Collection<Long> eventIds) {
        Map<Long, String> names = new HashMap<>();
        if (!eventIds.isEmpty()) {
            for (Object[] row : query("SELECT id, name FROM events WHERE name IS NOT NULL AND id = ANY(?)",
                    r -> new Object[] {r.getLong(1), r.getString(2)}, (Object) eventIds.toArray(Long[]::new))) {
                names.put((Long) row[0], (String) row[1]);
            }
        }
        return names;
    }

    @Override
    public Map<Long, List<Long>> eventTraces(Space space) {
        String sql = "SELECT e.event_id, e.trace_id FROM event_traces e"
                + (space == null ? "" : " WHERE e.event_id IN (SELECT p.event_id FROM event_traces p"
                + " JOIN traces t ON t.id = p.trace_id WHERE t.space_id = " + space.id() + ")")
                + " ORDER BY e.event_id, e.trace_id";
        Map<Long, List<Long>> events = new LinkedHashMap<>();
        for (long[] pair : query(sql, r -> new long[] {r.getLong(1), r.getLong(2)})) {
            events.computeIfAbsent(pair[0], e -> new ArrayList<>()).add(pair[1]);
        }
        return events;
    }

    // --- concepts

    @Override
    public Optional<Concept> concept(String label) {
        if (label.matches("#\\d{1,18}")) {
            return concept(Long.parseLong(label.substring(1)));
        }
        return query("SELECT id, name, parent_id FROM concepts WHERE name = ?", EmbeddedStore::concept, label)
                .stream().findFirst();
    }

    @Override
    public Optional<Concept> concept(long id) {
        return query("SELECT id, name, parent_id FROM concepts WHERE id = ?", EmbeddedStore::concept, id)
                .stream().findFirst();
    }

    @Override
    public Concept conceptNamed(String name) {
        Optional<Concept> existing = concept(name);
        if (existing.isPresent()) {
            return existing.get();
        }
        requireValidName(name);
        return insertConcept(name);
    }

    private static void requireValidName(String name) {
        if (name.isBlank() || name.startsWith("#") || name.length() > 200) {
            throw EngramException.invalidInput("invalid concept name '" + name
                    + "': names must not be blank, start with '#', or exceed 200 characters");
        }
    }

    @Override
    public Concept createUnnamedConcept() {
        return insertConcept(null);
    }

    private Concept insertConcept(String name) {
        // Committed with the bindings that use it (see bind), so a failed bind leaves no orphan.
        return new Concept(insert("INSERT INTO concepts(name, created_at) VALUES(?, ?)", name, now()), name, 0);
    }

    @Override
    public void setParent(Concept child, Concept parent) {
        for (Concept ancestor : parentChain(parent)) {
            if (ancestor.id() == child.id()) {
                throw EngramException.invalidInput("concept " + parent.label() + " cannot be the parent of "
                        + child.label() + ": it descends from it");
            }
        }
        if (parent.id() == child.id()) {
            throw EngramException.invalidInput("concept " + child.label() + " cannot be its own parent");
        }
        update("UPDATE concepts SET parent_id = ? WHERE id = ?", parent.id(), child.id());
        commit();
    }

    @Override
    public Concept renameConcept(Concept concept, String name) {
        requireValidName(name);
        Optional<Concept> taken = concept(name);
        if (taken.isPresent() && taken.get().id() != concept.id()) {
            throw EngramException.invalidInput("concept name '" + name + "' is already taken by " + taken.get().label());
        }
        update("UPDATE concepts SET name = ? WHERE id = ?", name, concept.id());
        commit();
        return new Concept(concept.id(), name, concept.parentId());
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
        return query("SELECT id, name, parent_id FROM concepts ORDER BY id", EmbeddedStore::concept);
    }

    @Override
    public List<Concept> children(Concept concept) {
        return query("SELECT id, name, parent_id FROM concepts WHERE parent_id = ? ORDER BY id", EmbeddedStore::concept,
                concept.id());
    }

    @Override
    public int bind(List<Binding> bindings) {
        int created = 0;
        OffsetDateTime time = now();
        try (PreparedStatement find = db.prepareStatement(
                "SELECT kind, weight FROM associations WHERE concept_id = ? AND trace_id = ?");
             PreparedStatement update = db.prepareStatement("UPDATE associations SET kind = ?, weight = ?,"
                     + " times = times + 1, last_at = ? WHERE concept_id = ? AND trace_id = ?");
             PreparedStatement insert = db.prepareStatement("INSERT INTO associations(concept_id, trace_id, kind,"
                     + " weight, times, first_at, last_at) VALUES(?, ?, ?, ?, 1, ?, ?)")) {
            for (Binding b : bindings) {
                find.setLong(1, b.conceptId());
                find.setLong(2, b.traceId());
                try (ResultSet row = find.executeQuery()) {
                    if (row.next()) {
                        AssociationKind kind = AssociationKind.fromSql(row.getString(1)).strongest(b.kind());
                        update.setString(1, kind.sqlName());
                        update.setDouble(2, Hebbian.strengthen(row.getDouble(2), b.rate()));
                        update.setObject(3, time);
                        update.setLong(4, b.conceptId());
                        update.setLong(5, b.traceId());
                        update.executeUpdate();
                        continue;
                    }
                }
                insert.setLong(1, b.conceptId());
                insert.setLong(2, b.traceId());
                insert.setString(3, b.kind().sqlName());
                insert.setDouble(4, Hebbian.strengthen(0, b.rate()));
                insert.setObject(5, time);
                insert.setObject(6, time);
                insert.executeUpdate();
                created++;
            }
            db.commit();
            return created;
        } catch (SQLException e) {
            throw rollback("binding traces", e);
        } catch (RuntimeException e) {
            rollbackQuietly();
            throw e;
        }
    }

    private void commit() {
        try {
            db.commit();
        } catch (SQLException e) {
            throw rollback("committing", e);
        }
    }

    /** Drops uncommitted changes: a command that fails part-way leaves the store as it was. */
    private void rollbackQuietly() {
        try {
            db.rollback();
        } catch (SQLException e) {
            log.debug("rollback failed", e);
        }
    }

    @Override
    public Map<Long, List<Association>> associationsOf(Collection<Long> traceIds) {
        Map<Long, List<Association>> byTrace = new HashMap<>();
        if (traceIds.isEmpty()) {
            return byTrace;
        }
        for (Association a : query("SELECT * FROM associations WHERE trace_id = ANY(?)", EmbeddedStore::association,
                (Object) traceIds.toArray(Long[]::new))) {
            byTrace.computeIfAbsent(a.traceId(), t -> new ArrayList<>()).add(a);
        }
        return byTrace;
    }

    @Override
    public List<Association> members(Concept concept, int limit) {
        return query("SELECT * FROM associations WHERE concept_id = ? ORDER BY weight DESC, last_at DESC, trace_id"
                + " LIMIT ?", EmbeddedStore::association, concept.id(), limit);
    }

    @Override
    public List<Association> membersPerSpace(Concept concept, int perSpace) {
        // The strongest per space, so that a concept's many images cannot crowd out its one word.
        return query("SELECT concept_id, trace_id, kind, weight, times, first_at, last_at FROM ("
                + " SELECT a.*, ROW_NUMBER() OVER (PARTITION BY t.space_id"
                + " ORDER BY a.weight DESC, a.last_at DESC, a.trace_id) AS rank_in_space"
                + " FROM associations a JOIN traces t ON t.id = a.trace_id WHERE a.concept_id = ?)"
                + " WHERE rank_in_space <= ? ORDER BY weight DESC, last_at DESC, trace_id",
                EmbeddedStore::association, concept.id(), perSpace);
    }

    @Override
    public Set<Long> boundTraceIds(Space space) {
        return new HashSet<>(query("SELECT DISTINCT a.trace_id FROM associations a JOIN traces t ON t.id = a.trace_id"
                + " WHERE t.space_id = ?", r -> r.getLong(1), space.id()));
    }

    // --- dim reports

    @Override
    public DimReport addDimReport(String target, String estimator, String parameters, int points, long seed,
                                  double estimate) {
        OffsetDateTime time = now();
        long id = insert("INSERT INTO dim_reports(target, estimator, parameters, points, seed, estimate, created_at)"
                + " VALUES(?, ?, ?, ?, ?, ?, ?)", target, estimator, parameters, points, seed, estimate, time);
        commit();
        return new DimReport(id, target, estimator, parameters, points, seed, estimate, time.toInstant());
    }

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
            spaces.add(new StoreSummary.SpaceSummary(s.name(), s.modality(), s.encoder(), s.dimension(), s.metric(),
                    s.modelVersion(), traceCount(s)));
        }
        try {
            return new StoreSummary(directory.toString(), Schema.version(db), spaces,
                    count("SELECT COUNT(*) FROM events"), count("SELECT COUNT(*) FROM concepts"),
                    count("SELECT COUNT(*) FROM associations"), count("SELECT COUNT(*) FROM dim_reports"));
        } catch (SQLException e) {
            throw failure("summarising the store", e);
        }
    }

    @Override
    public void close() {
        try {
            for (VectorIndex index : indexes.values()) {
                index.close();
            }
            db.rollback();
            db.close();
        } catch (SQLException e) {
            log.warn("closing store {}: {}", directory, e.getMessage());
        } finally {
            lock.close();
        }
    }

    // --- JDBC plumbing

    @FunctionalInterface
    private interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    private <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
        try (PreparedStatement select = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                select.setObject(i + 1, args[i]);
            }
            List<T> rows = new ArrayList<>();
            try (ResultSet r = select.executeQuery()) {
                while (r.next()) {
                    rows.add(mapper.map(r));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw failure("querying the store", e);
        }
    }

    /** Inserts one row (uncommitted) and returns its generated id. */
    private long insert(String sql, Object... args) {
        try (PreparedStatement statement = db.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            statement.executeUpdate();
            try (ResultSet keys = statement.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            throw rollback("writing to the store", e);
        }
    }

    private long count(String sql, Object... args) {
        return query(sql, r -> r.getLong(1), args).getFirst();
    }

    private void update(String sql, Object... args) {
        try (PreparedStatement statement = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            throw rollback("updating the store", e);
        }
    }

    private static Trace trace(ResultSet r) throws SQLException {
        return new Trace(r.getLong("id"), r.getInt("space_id"), r.getString("source"),
                r.getInt("source_index"), r.getString("content_hash"), Vectors.fromBytes(r.getBytes("vector")),
                r.getDouble("surprise"), instant(r, "created_at"), r.getString("content"));
    }

    private static Concept concept(ResultSet r) throws SQLException {
        return new Concept(r.getLong("id"), r.getString("name"), r.getLong("parent_id"));
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

    private RuntimeException rollback(String what, SQLException e) {
        rollbackQuietly();
        return failure(what, e);
    }

    private RuntimeException failure(String what, SQLException e) {
        return EngramException.internal("store error while " + what + ": " + firstLine(e.getMessage()), e);
    }
}
