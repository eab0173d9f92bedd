package dev.engram.store.embedded;

import dev.engram.EngramException;
import dev.engram.io.Directories;
import dev.engram.store.ModelRepository;
import dev.engram.store.Neighbour;
import dev.engram.store.Space;
import dev.engram.store.SpaceIndexes;
import dev.engram.store.Store;
import dev.engram.store.StoreLocation;
import dev.engram.store.StoreProvider;
import dev.engram.store.Stores;
import dev.engram.store.Trace;
import dev.engram.store.UnitOfWork;
import dev.engram.store.VectorIndex;
import dev.engram.store.sql.SqlDialect;
import dev.engram.store.sql.SqlStore;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The default store: one directory with an H2 database (the record), a Lucene HNSW index per
 * space (derived, see {@link SpaceIndexes}) and the spaces' model files under
 * {@code models/SPACE/vN}. Many processes may read it at once; a writer takes it alone, only
 * for the length of a unit of work ({@link StoreAccess}, docs/architecture.md "Many processes,
 * one store"). A unit of work is one H2 transaction, opened read-write for it; the indexes take
 * the new traces after it commits, before the store is let go.
 */
public final class EmbeddedStore extends SqlStore {
    private static final Logger log = LogManager.getLogger(EmbeddedStore.class);
    private static final String DATABASE = "engram";

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
        super(SqlDialect.H2);
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

    /** A space's index directory: {@code index/ID} for its first model version, {@code index/ID-vN} for later ones. */
    private Path index(Space space) {
        return directory.resolve("index").resolve(space.id() + (space.modelVersion() == 1 ? ""
                : "-v" + space.modelVersion()));
    }

    /** H2's embedded connection runs one statement at a time, from any thread (SqlStore.warm). */
    @Override
    protected boolean readsInBackground() {
        return true;
    }

    /** Below this share (percent) of live content in the file's chunks a writer compacts the file. */
    static final int COMPACT_BELOW = 50;

    private Connection connect(boolean readOnly, boolean mayCreate) throws SQLException {
        String url = "jdbc:h2:file:" + directory.resolve(DATABASE) + ";DB_CLOSE_ON_EXIT=FALSE;MAX_COMPACT_TIME=0" // compactIfWorthwhile
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
        forgetView();
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
    @Override
    protected Connection connection() {
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
                rollbackQuietly(db);
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
            for (Space space : writes.revised()) {
                reviseIndex(space);
            }
            for (Map.Entry<Space, List<Trace>> fresh : writes.created().entrySet()) {
                if (writes.revised().stream().anyMatch(r -> r.id() == fresh.getKey().id())) {
                    continue; // its new index was built from the record, these traces included
                }
                try {
                    indexes.of(fresh.getKey()).add(fresh.getValue());
                } catch (RuntimeException e) {
                    log.warn("vector index of space {} could not take {} new traces ({}); it is rebuilt from the"
                            + " record by the next write", fresh.getKey().name(), fresh.getValue().size(), e.toString());
                    indexes.evict(fresh.getKey());
                }
            }
            for (Map.Entry<Space, List<Long>> gone : writes.forgotten().entrySet()) {
                try {
                    indexes.of(gone.getKey()).delete(gone.getValue());
                } catch (RuntimeException e) {
                    log.warn("vector index of space {} could not lose {} forgotten traces ({}); it is rebuilt from the"
                            + " record by the next write", gone.getKey().name(), gone.getValue().size(), e.toString());
                    indexes.evict(gone.getKey());
                }
            }
            for (Space space : writes.dropped()) {
                dropIndexAndModels(space);
            }
            if (compactAsked) {
                compactDatabase("asked");
            } else {
                compactIfWorthwhile();
            }
            return result;
        } finally {
            compactAsked = false;
            endSection();
        }
    }

    /** A forgotten space's index directories (every model version's) and model files go; best effort. */
    private void dropIndexAndModels(Space space) {
        indexes.evict(space);
        try {
            deleteIndexes(space, null);
        } catch (IOException e) {
            log.warn("could not remove the index of forgotten space {}: {}", space.name(), e.toString());
        }
        models.forget(space.name());
    }

    /** Deletes the index directories of every model version of the space but {@code keep} (null: all). */
    private void deleteIndexes(Space space, Path keep) throws IOException {
        Path root = directory.resolve("index");
        if (!Files.isDirectory(root)) {
            return;
        }
        try (var all = Files.list(root)) {
            for (Path p : all.toList()) {
                String name = p.getFileName().toString();
                if (!p.equals(keep) && (name.equals(Integer.toString(space.id())) || name.startsWith(space.id() + "-v"))) {
                    Directories.deleteRecursively(p);
                }
            }
        }
    }

    /**
     * H2 closes without compacting ({@code MAX_COMPACT_TIME=0}: its default 200 ms of compaction at
     * every close was half of each unit's cost at 10^6 traces), so dead pages accumulate in the
     * file's chunks as units rewrite them. Once less than {@link #COMPACT_BELOW} percent of the
     * chunks' content is live, the writer that notices rewrites the file whole before it lets
     * go ({@code SHUTDOWN COMPACT}: into a temporary file, then an atomic rename, so a crash
     * leaves the old file). The cost, proportional to the store's size (3.3 s at 10^6 16-d
     * traces, 500 MB to 180 MB), is paid once per that much dead data written.
     */
    private void compactIfWorthwhile() {
        int live;
        try (Statement statement = db.createStatement();
             ResultSet row = statement.executeQuery("SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                     + " WHERE SETTING_NAME = 'info.CHUNKS_FILL_RATE'")) {
            if (!row.next()) {
                return;
            }
            live = Integer.parseInt(row.getString(1).strip());
        } catch (SQLException | NumberFormatException e) {
            log.debug("store {}: no fill rate to decide on compaction", directory, e);
            return;
        }
        if (live < COMPACT_BELOW) {
            compactDatabase(live + "% of the file's chunks live");
        }
    }

    /** Rewrites the database file with its live pages only; the connection is closed afterwards. */
    private void compactDatabase(String why) {
        Path file = directory.resolve(DATABASE + ".mv.db");
        long before = sizeOf(file);
        long start = System.nanoTime();
        try (Statement statement = db.createStatement()) {
            statement.execute("SHUTDOWN COMPACT");
        } catch (SQLException e) {
            log.warn("compacting store {} failed ({}); it stays as it was", directory, firstLine(e.getMessage()));
        } finally {
            try {
                db.close();
            } catch (SQLException ignored) {
                // closed by the shutdown already
            }
            db = null;
        }
        log.info("compacted store {} ({}): {} MB -> {} MB in {} s", directory, why, before >> 20, sizeOf(file) >> 20,
                String.format(java.util.Locale.ROOT, "%.1f", (System.nanoTime() - start) / 1e9));
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * A space whose model version the unit changed gets the new version's index, built from the
     * record, and loses the old one's (no reader can be in it: they wait while a writer commits).
     * If either fails, the next writer builds the index from the record and readers search the
     * record exactly meanwhile, as for any index that disagrees with the record.
     */
    private void reviseIndex(Space space) {
        try {
            indexes.rebuild(space);
        } catch (RuntimeException e) {
            log.warn("vector index of space {} could not be built for model v{} ({}); it is rebuilt from the record"
                    + " by the next write", space.name(), space.modelVersion(), e.toString());
            indexes.evict(space);
        }
        try {
            deleteIndexes(space, index(space));
        } catch (IOException e) {
            log.warn("could not remove the index of an earlier model version of space {}: {}", space.name(),
                    e.toString());
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
    private final class H2Transaction extends SqlTransaction {
        private final List<DirectoryModels.Placed> placed = new ArrayList<>();

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

        /**
         * Reconciles the indexes with the record before the record changes, so that the new
         * traces are added to them exactly once.
         */
        @Override
        protected void beforeAdding(Set<Space> spaces) {
            for (Space space : spaces) {
                indexes.of(space);
            }
        }
    }

    /** Set inside a unit of work to have it compact the database whatever its fill rate. */
    private boolean compactAsked;

    @Override
    public String compact() {
        long before = Directories.size(directory);
        long start = System.nanoTime();
        write(unit -> {
            for (Space space : spaces()) {
                indexes.of(space).compact();
            }
            compactAsked = true;
            return null;
        });
        long after = Directories.size(directory);
        return String.format(java.util.Locale.ROOT, "compacted store %s: %,d -> %,d bytes in %.1f s", directory,
                before, after, (System.nanoTime() - start) / 1e9);
    }

    @Override
    public long reindex(Space space) {
        return write(unit -> {
            // The space as the unit finds it: the index of its current model version.
            Space now = space(space.name()).orElse(space);
            List<Trace> all = new ArrayList<>();
            forEachTrace(now, all::add);
            indexes.of(now).rebuild(all);
            return (long) all.size();
        });
    }

    // --- reads: the record's are SqlStore's

    @Override
    public List<Neighbour> nearest(Space space, float[] vector, int k) {
        requireDimension(space, vector);
        connection();
        return indexes.of(space).search(vector, k);
    }

    /**
     * The searches on every core: once the first has opened the index, each is a read of the
     * same open Lucene reader (whose readers are safe to share between threads), independent of
     * the others.
     */
    @Override
    public List<List<Neighbour>> nearest(Space space, float[][] vectors, int k) {
        for (float[] vector : vectors) {
            requireDimension(space, vector);
        }
        if (vectors.length == 0) {
            return List.of();
        }
        connection();
        VectorIndex index = indexes.of(space);
        List<Neighbour> first = index.search(vectors[0], k);
        List<List<Neighbour>> all = new ArrayList<>(vectors.length);
        all.add(first);
        all.addAll(java.util.stream.IntStream.range(1, vectors.length).parallel()
                .mapToObj(i -> index.search(vectors[i], k)).toList());
        return all;
    }

    private static void requireDimension(Space space, float[] vector) {
        if (vector.length != space.dimension()) {
            throw new IllegalArgumentException("query of dimension " + vector.length + " for space " + space.name()
                    + " of dimension " + space.dimension());
        }
    }

    @Override
    protected boolean inUnit() {
        return writing;
    }

    @Override
    protected int formatVersion(Connection connection) throws SQLException {
        return Schema.version(connection);
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

    /**
     * A database error as the user should hear it: the file system refusing (a full disk, a
     * read-only mount) is the store being unwritable (exit 6), anything else a fault of ours.
     */
    @Override
    protected RuntimeException failure(String what, SQLException e) {
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
