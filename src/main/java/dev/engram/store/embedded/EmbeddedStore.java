package dev.engram.store.embedded;

import dev.engram.EngramException;
import dev.engram.store.Association;
import dev.engram.store.AssociationKind;
import dev.engram.store.Binding;
import dev.engram.store.Concept;
import dev.engram.store.ConceptRules;
import dev.engram.store.DimReport;
import dev.engram.store.ModelRepository;
import dev.engram.store.Neighbour;
import dev.engram.store.NewTrace;
import dev.engram.store.Space;
import dev.engram.store.SpaceIndexes;
import dev.engram.store.Store;
import dev.engram.store.StoreLocation;
import dev.engram.store.StoreProvider;
import dev.engram.store.StoreSummary;
import dev.engram.store.Stores;
import dev.engram.store.SurpriseDistribution;
import dev.engram.store.Trace;
import dev.engram.store.Transaction;
import dev.engram.store.UnitOfWork;
import dev.engram.store.Vectors;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
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
 * The default store: one directory with an H2 database (the record), a Lucene HNSW index per
 * space (derived, see {@link SpaceIndexes}) and the spaces' model files under
 * {@code models/SPACE/vN}. Many processes may read it at once; a writer takes it alone, only
 * for the length of a unit of work ({@link StoreAccess}, docs/architecture.md "Many processes,
 * one store"). A unit of work is one H2 transaction, opened read-write for it; the indexes take
 * the new traces after it commits, before the store is let go.
 */
public final class EmbeddedStore implements Store {
    private static final Logger log = LogManager.getLogger(EmbeddedStore.class);
    private static final String DATABASE = "engram";
    private static final String TRACE_COLUMNS =
            "id, space_id, source, source_index, content_hash, vector, surprise, created_at, content";

    /** Whether opening may create a new, empty store. */
    enum Mode { CREATE, EXISTING }

    /** The embedded backend: every {@code --store} value that is not a URL is a directory. */
    public static final class Provider implements StoreProvider {
        @Override
        public String name() {
            return "directory";
        }

        @Override
        public int order() {
            return Integer.MAX_VALUE;
        }

        @Override
        public boolean accepts(String spec) {
            return !Stores.isUrl(spec);
        }

        @Override
        public StoreLocation locate(String spec, Duration wait) {
            Path dir;
            try {
                dir = Path.of(spec).toAbsolutePath().normalize();
            } catch (InvalidPathException e) {
                throw EngramException.invalidInput("--store '" + spec + "' is not a usable directory path: "
                        + e.getReason());
            }
            return new StoreLocation() {
                @Override
                public String describe() {
                    return dir.toString();
                }

                @Override
                public boolean exists() {
                    return EmbeddedStore.exists(dir);
                }

                @Override
                public Store open() {
                    return EmbeddedStore.open(dir, Mode.EXISTING, wait);
                }

                @Override
                public Store openOrCreate() {
                    return EmbeddedStore.open(dir, Mode.CREATE, wait);
                }
            };
        }
    }

    private final Path directory;
    private final Duration wait;
    private final StoreAccess access;
    private final DirectoryModels models;
    private final Map<Integer, SurpriseDistribution> surprises = new HashMap<>();
    // The section held now (docs/architecture.md, "Many processes, one store"): none, reading
    // (H2 opened read-only, the indexes as committed) or writing (H2 read-write, inside write).
    private StoreAccess.Section section;
    private boolean writing;
    private Connection db;
    private SpaceIndexes indexes;
    private UnitOfWork open;
    private boolean failed;
    private boolean closed;

    private EmbeddedStore(Path directory, Duration wait) {
        this.directory = directory;
        this.wait = wait;
        this.access = StoreAccess.of(directory);
        this.models = new DirectoryModels(directory.resolve("models"));
    }

    static boolean exists(Path directory) {
        return Files.isRegularFile(directory.resolve(DATABASE + ".mv.db"));
    }

    /**
     * Opens the store for reading (a new one is created first, in a write section of its own).
     * Reads take the store's shared section when first needed and keep it until {@link #release},
     * {@link #write} or {@link #close}; opening takes it at once, so that a store that cannot be
     * read is refused here.
     */
    static EmbeddedStore open(Path directory, Mode mode, Duration wait) {
        Path dir = directory.toAbsolutePath().normalize();
        if (!exists(dir) && mode == Mode.EXISTING) {
            throw EngramException.storeUnavailable("no engram store at " + dir
                    + "; create one with 'engram encode --store " + dir + " ...'", null);
        }
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw EngramException.storeUnavailable("cannot create store " + dir + ": " + describe(e), e);
            }
        }
        EmbeddedStore store = new EmbeddedStore(dir, wait);
        try {
            if (!exists(dir)) {
                store.create();
            }
            store.beginRead();
            return store;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /**
     * Creates the database under the exclusive section. Another process may have created it
     * while this one waited (then it is simply used). A failed creation removes the database it
     * made before it lets go of the store, so that no other process can have used it; the
     * directory and its lock file stay (another process may be waiting on that file).
     */
    private void create() {
        beginWrite(true);
        try {
            boolean fresh = Schema.version(db) == 0;
            try {
                Schema.migrate(db, directory.toString());
            } catch (SQLException | RuntimeException e) {
                if (fresh) {
                    closeDatabase();
                    deleteDatabase();
                }
                throw e;
            }
            if (fresh) {
                log.info("created store {} (format version {})", directory, Schema.CURRENT_VERSION);
            }
        } catch (SQLException e) {
            throw EngramException.storeUnavailable("cannot create store " + directory + ": " + firstLine(e.getMessage()),
                    e);
        } finally {
            endSection();
        }
    }

    private void deleteDatabase() {
        try {
            Files.deleteIfExists(directory.resolve(DATABASE + ".mv.db"));
            Files.deleteIfExists(directory.resolve(DATABASE + ".trace.db"));
        } catch (IOException e) {
            log.debug("could not remove the half-created store {}", directory, e);
        }
    }

    static String describe(IOException e) {
        return e.getClass().getSimpleName().replace("Exception", "").replaceAll("([a-z])([A-Z])", "$1 $2")
                .toLowerCase(java.util.Locale.ROOT) + " " + e.getMessage();
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }

    // --- sections

    /** The shared section: H2 read-only, the indexes as last committed, never repaired here. */
    private void beginRead() {
        section = access.read(wait);
        try {
            db = connect(true, false);
            int version = Schema.version(db);
            Schema.requireReadable(version, directory.toString());
            if (version < Schema.CURRENT_VERSION) {
                // Written by an older engram: migrated once, by a writer, then read.
                endSection();
                beginWrite(false);
                endSection();
                beginRead();
                return;
            }
            indexes = new SpaceIndexes(this, space -> new LuceneVectorIndex(index(space), space, false), false);
        } catch (SQLException e) {
            endSection();
            throw EngramException.storeUnavailable("cannot open store " + directory + ": " + firstLine(e.getMessage()), e);
        } catch (RuntimeException e) {
            endSection();
            throw e;
        }
    }

    /** The exclusive section: H2 read-write (migrated if older), indexes repaired when they disagree. */
    private void beginWrite(boolean mayCreate) {
        section = access.write(wait);
        writing = true;
        try {
            db = connect(false, mayCreate);
            if (!mayCreate) {
                int found = Schema.migrate(db, directory.toString());
                if (found < Schema.CURRENT_VERSION) {
                    log.warn("migrated store {} from format version {} to {}", directory, found,
                            Schema.CURRENT_VERSION);
                }
            }
            indexes = new SpaceIndexes(this, space -> new LuceneVectorIndex(index(space), space, true), true);
        } catch (SQLException e) {
            endSection();
            throw EngramException.storeUnavailable("cannot open store " + directory + " for writing: "
                    + firstLine(e.getMessage()), e);
        } catch (RuntimeException e) {
            endSection();
            throw e;
        }
    }

    private Path index(Space space) {
        return directory.resolve("index").resolve(Integer.toString(space.id()));
    }

    private Connection connect(boolean readOnly, boolean mayCreate) throws SQLException {
        String url = "jdbc:h2:file:" + directory.resolve(DATABASE) + ";DB_CLOSE_ON_EXIT=FALSE"
                + (readOnly ? ";ACCESS_MODE_DATA=r" : "") + (mayCreate ? "" : ";IFEXISTS=TRUE");
        Connection connection = DriverManager.getConnection(url, "engram", "");
        connection.setAutoCommit(false);
        return connection;
    }

    /** Ends the section held, if any: the database and indexes are closed, the store let go. */
    private void endSection() {
        if (indexes != null) {
            try {
                indexes.close();
            } catch (RuntimeException e) {
                log.warn("closing the vector indexes of store {}: {}", directory, e.getMessage());
            }
            indexes = null;
        }
        closeDatabase();
        surprises.clear();
        writing = false;
        if (section != null) {
            section.close();
            section = null;
        }
    }

    private void closeDatabase() {
        if (db != null) {
            try {
                if (writing) {
                    db.rollback();
                }
                db.close();
            } catch (SQLException e) {
                // After a failed unit the database may refuse even to close (a full disk): the
                // unit's own error is the one to tell.
                if (failed) {
                    log.debug("closing store {} after a failed unit of work", directory, e);
                } else {
                    log.warn("closing store {}: {}", directory, e.getMessage());
                }
            }
            db = null;
            failed = false;
        }
    }

    /** The connection of the section held, taking the shared one if none is. */
    private Connection connection() {
        if (closed) {
            throw new IllegalStateException("store " + directory + " is closed");
        }
        if (section == null) {
            beginRead();
        }
        return db;
    }

    @Override
    public void release() {
        if (open != null) {
            throw new IllegalStateException("a unit of work is open: finish it first");
        }
        endSection();
    }

    @Override
    public boolean writable() {
        return access.writable();
    }

    @Override
    public String location() {
        return directory.toString();
    }

    @Override
    public ModelRepository models() {
        return models;
    }

    // --- units of work

    @Override
    public <T> T write(Work<T> work) {
        if (open != null) {
            throw new IllegalStateException("units of work do not nest: finish the open one first");
        }
        if (closed) {
            throw new IllegalStateException("store " + directory + " is closed");
        }
        endSection();
        beginWrite(false);
        try {
            // Only writers repair: every index that disagrees with the record (a writer killed
            // between the two commits) is rebuilt here, before the record changes.
            for (Space space : spaces()) {
                indexes.of(space);
            }
            H2Transaction writes = new H2Transaction();
            UnitOfWork unit = new UnitOfWork(writes);
            open = unit;
            T result;
            try {
                result = work.run(unit);
                unit.requireCommittable();
                commit();
            } catch (Throwable t) {
                // Whatever ended the work (a checked exception thrown sneakily included), nothing of
                // it may reach the next unit's commit, nor stay in a cache read inside the unit.
                rollbackQuietly();
                writes.undoModels();
                failed = true;
                throw t;
            } finally {
                unit.end();
                open = null;
            }
            // Committed: from here on the unit's models stay, whatever happens to the checkpoint.
            writes.keepModels();
            checkpoint();
            // The record is committed, and so the unit has succeeded: from here on a failure only
            // leaves an index behind, which is repaired from the record by the next writer.
            for (Map.Entry<Space, List<Trace>> fresh : writes.created.entrySet()) {
                try {
                    indexes.of(fresh.getKey()).add(fresh.getValue());
                } catch (RuntimeException e) {
                    log.warn("vector index of space {} could not take {} new traces ({}); it is rebuilt from the"
                            + " record by the next write", fresh.getKey().name(), fresh.getValue().size(), e.toString());
                    indexes.evict(fresh.getKey());
                }
            }
            return result;
        } finally {
            endSection();
        }
    }

    /**
     * Commits and writes the commit to the file before returning: H2 acknowledges a commit
     * before its background writer has stored it (WRITE_DELAY, 500 ms), and a process killed in
     * between loses it. Measured here: thousands of acknowledged commits lost per SIGKILL of a
     * tight commit loop without the checkpoint, none with it. A unit reported done is durable:
     * {@link #checkpoint} follows before {@code write} returns.
     */
    private void commit() {
        try {
            db.commit();
        } catch (SQLException e) {
            throw failure("committing", e);
        }
    }

    /**
     * The second half of {@link #commit}. If it fails (a full disk), the commit may or may not
     * have reached the file: the unit's models are kept (a model no space uses is harmless, a
     * space without its model is not), and the user is told the outcome is unknown.
     */
    private void checkpoint() {
        try (Statement checkpoint = db.createStatement()) {
            checkpoint.execute("CHECKPOINT");
        } catch (SQLException e) {
            failed = true;
            String refused = fileSystemRefusal(e);
            throw EngramException.storeUnavailable("cannot write to store " + directory + " ("
                    + (refused == null ? firstLine(e.getMessage()) : refused) + ") while writing a commit to disk;"
                    + " it may or may not have been stored: see 'engram info'", e);
        }
    }

    /** The writes of one unit of work, uncommitted on the store's connection until {@link #write} commits. */
    private final class H2Transaction implements Transaction {
        private final Map<Space, List<Trace>> created = new LinkedHashMap<>();
        private final List<DirectoryModels.Placed> placed = new ArrayList<>();
        private final OffsetDateTime time = now();

        @Override
        public Optional<Space> space(String name) {
            return EmbeddedStore.this.space(name);
        }

        @Override
        public void writeModel(String space, int version, ModelRepository.Writer writer) {
            // In place at once (no other process writes while this one holds the store); taken
            // back if the unit does not commit.
            placed.add(models.write(space, version, writer));
        }

        void keepModels() {
            placed.forEach(DirectoryModels.Placed::keep);
        }

        void undoModels() {
            for (DirectoryModels.Placed p : placed.reversed()) {
                p.undo();
            }
        }

        @Override
        public Space createSpace(String name, String modality, String encoder, int dimension, String metric,
                                 String config) {
            insert("INSERT INTO spaces(name, modality, encoder, dimension, metric, model_version, config, created_at)"
                    + " VALUES(?, ?, ?, ?, ?, 1, ?, ?)", name, modality, encoder, dimension, metric, config, time);
            return space(name).orElseThrow();
        }

        @Override
        public long createEvent(String name, Instant time, String source) {
            return insert("INSERT INTO events(name, happened_at, source) VALUES(?, ?, ?)", name,
                    time == null ? null : time.atOffset(ZoneOffset.UTC), source);
        }

        @Override
        public Map<Space, List<StoredTrace>> addTraces(Map<Space, List<NewTrace>> batches) {
            // Reconcile the indexes with the record before the record changes, so that the new
            // traces are added to them exactly once.
            for (Space space : batches.keySet()) {
                indexes.of(space);
            }
            Map<Space, List<StoredTrace>> stored = new LinkedHashMap<>();
            try (PreparedStatement find = db.prepareStatement("SELECT " + TRACE_COLUMNS
                    + " FROM traces WHERE space_id = ? AND content_hash = ?");
                 PreparedStatement insert = db.prepareStatement("INSERT INTO traces(space_id, source,"
                         + " source_index, content_hash, vector, surprise, created_at, content)"
                         + " VALUES(?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS);
                 PreparedStatement perceived = db.prepareStatement(
                         "MERGE INTO event_traces(event_id, trace_id) KEY(event_id, trace_id) VALUES(?, ?)")) {
                for (Map.Entry<Space, List<NewTrace>> batch : batches.entrySet()) {
                    Space space = batch.getKey();
                    stored.put(space, insertTraces(space, batch.getValue(), time, find, insert, perceived,
                            created.computeIfAbsent(space, s -> new ArrayList<>())));
                }
                return stored;
            } catch (SQLException e) {
                throw failure("storing traces in space " + String.join(", ",
                        batches.keySet().stream().map(Space::name).toList()), e);
            }
        }

        @Override
        public Concept conceptNamed(String name) {
            Optional<Concept> existing = concept(name);
            if (existing.isPresent()) {
                return existing.get();
            }
            ConceptRules.requireValidName(name);
            return insertConcept(name);
        }

        @Override
        public Concept createUnnamedConcept() {
            return insertConcept(null);
        }

        private Concept insertConcept(String name) {
            return new Concept(insert("INSERT INTO concepts(name, created_at) VALUES(?, ?)", name, time), name, 0);
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
            return new Concept(concept.id(), name, concept.parentId());
        }

        @Override
        public int bind(List<Binding> bindings) {
            int createdPairs = 0;
            Instant at = time.toInstant();
            try (PreparedStatement find = db.prepareStatement("SELECT * FROM associations WHERE concept_id = ?"
                    + " AND trace_id = ?");
                 PreparedStatement update = db.prepareStatement("UPDATE associations SET kind = ?, weight = ?,"
                         + " times = ?, last_at = ? WHERE concept_id = ? AND trace_id = ?");
                 PreparedStatement insert = db.prepareStatement("INSERT INTO associations(concept_id, trace_id,"
                         + " kind, weight, times, first_at, last_at) VALUES(?, ?, ?, ?, ?, ?, ?)")) {
                for (Binding b : bindings) {
                    find.setLong(1, b.conceptId());
                    find.setLong(2, b.traceId());
                    Association existing;
                    try (ResultSet row = find.executeQuery()) {
                        existing = row.next() ? association(row) : null;
                    }
                    Association next = Association.bound(existing, b, at);
                    if (existing != null) {
                        update.setString(1, next.kind().sqlName());
                        update.setDouble(2, next.weight());
                        update.setInt(3, next.count());
                        update.setObject(4, time);
                        update.setLong(5, b.conceptId());
                        update.setLong(6, b.traceId());
                        update.executeUpdate();
                    } else {
                        insert.setLong(1, b.conceptId());
                        insert.setLong(2, b.traceId());
                        insert.setString(3, next.kind().sqlName());
                        insert.setDouble(4, next.weight());
                        insert.setInt(5, next.count());
                        insert.setObject(6, time);
                        insert.setObject(7, time);
                        insert.executeUpdate();
                        createdPairs++;
                    }
                }
                return createdPairs;
            } catch (SQLException e) {
                throw failure("binding traces", e);
            }
        }

        // One connection: the store's reads already see this unit's writes.
        @Override
        public Optional<Concept> concept(String label) {
            return EmbeddedStore.this.concept(label);
        }

        @Override
        public Optional<Concept> concept(long id) {
            return EmbeddedStore.this.concept(id);
        }

        @Override
        public List<Concept> parentChain(Concept concept) {
            return EmbeddedStore.this.parentChain(concept);
        }

        @Override
        public DimReport addDimReport(String target, String estimator, String parameters, int points, long seed,
                                      double estimate) {
            long id = insert("INSERT INTO dim_reports(target, estimator, parameters, points, seed, estimate,"
                    + " created_at) VALUES(?, ?, ?, ?, ?, ?, ?)", target, estimator, parameters, points, seed,
                    estimate, time);
            return new DimReport(id, target, estimator, parameters, points, seed, estimate, time.toInstant());
        }
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

    // --- traces

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
        SurpriseDistribution known = surprises.get(space.id());
        if (known == null) {
            known = new SurpriseDistribution(query("SELECT surprise FROM traces WHERE space_id = ?",
                    r -> r.getDouble(1), space.id()).stream().mapToDouble(Double::doubleValue).toArray());
            if (!writing) {
                // Inside a unit the connection sees uncommitted rows: never cache those.
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

    @Override
    public List<Neighbour> nearest(Space space, float[] vector, int k) {
        if (vector.length != space.dimension()) {
            throw new IllegalArgumentException("query of dimension " + vector.length + " for space " + space.name()
                    + " of dimension " + space.dimension());
        }
        connection();
        return indexes.of(space).search(vector, k);
    }

    // --- events

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
                + " JOIN traces t ON t.id = p.trace_id WHERE t.space_id = ?)")
                + " ORDER BY e.event_id, e.trace_id";
        Map<Long, List<Long>> events = new LinkedHashMap<>();
        for (long[] pair : query(sql, r -> new long[] {r.getLong(1), r.getLong(2)},
                space == null ? new Object[0] : new Object[] {space.id()})) {
            events.computeIfAbsent(pair[0], e -> new ArrayList<>()).add(pair[1]);
        }
        return events;
    }

    // --- concepts

    @Override
    public Optional<Concept> concept(String label) {
        OptionalLong id = ConceptRules.parseLabel(label);
        if (id.isPresent()) {
            return concept(id.getAsLong());
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

    /** Drops uncommitted changes: a unit of work that fails part-way leaves the store as it was. */
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
            return new StoreSummary(directory.toString(), Schema.version(connection()), spaces,
                    count("SELECT COUNT(*) FROM events"), count("SELECT COUNT(*) FROM concepts"),
                    count("SELECT COUNT(*) FROM associations"), count("SELECT COUNT(*) FROM dim_reports"));
        } catch (SQLException e) {
            throw failure("summarising the store", e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            endSection();
        } finally {
            access.close();
        }
    }

    // --- JDBC plumbing

    @FunctionalInterface
    private interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    private <T> List<T> query(String sql, RowMapper<T> mapper, Object... args) {
        try (PreparedStatement select = connection().prepareStatement(sql)) {
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
        try (PreparedStatement statement = connection().prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            statement.executeUpdate();
            try (ResultSet keys = statement.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        } catch (SQLException e) {
            throw failure("writing to the store", e);
        }
    }

    private long count(String sql, Object... args) {
        return query(sql, r -> r.getLong(1), args).getFirst();
    }

    private void update(String sql, Object... args) {
        try (PreparedStatement statement = connection().prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            throw failure("updating the store", e);
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

    /**
     * A database error as the user should hear it: the file system refusing (a full disk, a
     * read-only mount) is the store being unwritable (exit 6), anything else a fault of ours.
     */
    private RuntimeException failure(String what, SQLException e) {
        String refused = fileSystemRefusal(e);
        if (refused != null) {
            return EngramException.storeUnavailable("cannot write to store " + directory + " (" + refused + ") while "
                    + what + "; nothing of this command was stored", e);
        }
        return EngramException.internal("store error while " + what + ": " + firstLine(e.getMessage()), e);
    }

    private static final List<String> REFUSALS = List.of("No space left on device", "Read-only file system",
            "Disk quota exceeded", "Permission denied");

    /** The file system's reason, if one is the cause of {@code e} (H2 wraps it in its own messages). */
    static String fileSystemRefusal(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = String.valueOf(t.getMessage());
            for (String refusal : REFUSALS) {
                if (message.contains(refusal)) {
                    return refusal.toLowerCase(java.util.Locale.ROOT);
                }
            }
        }
        return null;
    }
}
