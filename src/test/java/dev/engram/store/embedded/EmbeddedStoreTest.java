package dev.engram.store.embedded;

import dev.engram.EngramException;
import dev.engram.ExitCode;
import dev.engram.store.NewTrace;
import dev.engram.store.Space;
import dev.engram.store.Store;
import dev.engram.store.StoreContract;
import dev.engram.store.StoreLocation;
import dev.engram.store.Stores;
import dev.engram.store.Trace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.channels.FileLock;
import java.nio.channels.FileChannel;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded store passes the Store contract, and keeps its own promises: index repair, the lock, migrations. */
class EmbeddedStoreTest extends StoreContract {
    @TempDir
    Path tmp;

    private Path dir() {
        return tmp.resolve("store");
    }

    @Override
    protected StoreLocation location() {
        return Stores.at(dir().toString(), Duration.ofSeconds(5));
    }

    @Override
    protected void markNewerFormat(StoreLocation location) throws Exception {
        try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + dir().resolve("engram"), "engram", "");
             Statement statement = db.createStatement()) {
            statement.executeUpdate("UPDATE meta SET content = '" + (Schema.CURRENT_VERSION + 1)
                    + "' WHERE name = 'format_version'");
        }
    }

    @Test
    void aDirectoryIsAnEmbeddedStoreAndAUrlNeedsABackend() {
        assertTrue(Stores.at("some/dir", Duration.ZERO).describe().endsWith("some/dir"));
        EngramException e = assertThrows(EngramException.class, () -> Stores.at("mysql://db/engram", Duration.ZERO));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("no backend for the scheme mysql"), e.getMessage());
    }

    @Test
    void modelsLiveInTheStoreDirectoryByVersion() throws IOException {
        try (Store store = create()) {
            store.write(tx -> {
                tx.writeModel("fashion", 2, d -> Files.writeString(d.resolve("config.json"), "{}"));
                return null;
            });
        }
        assertTrue(Files.isRegularFile(dir().resolve("models/fashion/v2/config.json")));
        try (Stream<Path> left = Files.list(dir().resolve("models/fashion"))) {
            assertEquals(List.of("v2"), left.map(p -> p.getFileName().toString()).toList(), "no scratch left");
        }
    }

    @Test
    void anIndexThatFailsAfterTheCommitDoesNotUndoTheUnitAndIsRepaired() throws IOException {
        Store store = create();
        Space space = space(store, "s", 2);
        Path index = dir().resolve("index").resolve(Integer.toString(space.id()));
        List<NewTrace> traces = randomTraces(3, 2, 1, "t");
        // The index cannot take the traces (its directory turned into a file), after the record committed.
        List<Store.StoredTrace> stored = store.write(tx -> {
            List<Store.StoredTrace> s = tx.addTraces(java.util.Map.of(space, traces.subList(0, 2))).get(space);
            try {
                deleteTree(index);
                Files.writeString(index, "not an index");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return s;
        });
        assertEquals(2, stored.size(), "the unit succeeded: its traces are stored");
        assertEquals(2, store.traceCount(space));
        Files.delete(index);
        add(store, space, traces.subList(2, 3));
        assertEquals(3, store.nearest(space, traces.getFirst().vector(), 10).size(),
                "the index was rebuilt from the record: nothing reported stored is missing");
    }

    @Test
    void anIndexBehindTheRecordIsRebuiltOnOpen() throws IOException {
        Path snapshot = tmp.resolve("old-index");
        try (Store store = create()) {
            add(store, space(store, "s", 8), randomTraces(20, 8, 1, "a"));
        }
        copy(dir().resolve("index"), snapshot);
        List<NewTrace> later = randomTraces(10, 8, 2, "b");
        try (Store store = reopen()) {
            add(store, store.space("s").orElseThrow(), later);
        }
        // As if the process died after committing to H2 but before Lucene committed.
        deleteTree(dir().resolve("index"));
        copy(snapshot, dir().resolve("index"));
        try (Store store = reopen()) {
            Space space = store.space("s").orElseThrow();
            assertEquals(30, store.nearest(space, later.getFirst().vector(), 100).size());
            assertEquals(0, store.nearest(space, later.getFirst().vector(), 1).getFirst().distance(), 1e-6);
        }
        deleteTree(dir().resolve("index"));
        try (Store store = reopen()) {
            assertEquals(30, store.nearest(store.space("s").orElseThrow(), later.getFirst().vector(), 100).size());
        }
    }

    @Test
    void readersShareTheStoreAndAWriterWaitsForThemThenGivesUp() {
        try (Store first = create();
             Store second = EmbeddedStore.open(dir(), EmbeddedStore.Mode.EXISTING, Duration.ofMillis(300))) {
            assertEquals(first.spaces(), second.spaces(), "two readers at once");
            EngramException e = assertThrows(EngramException.class, () -> EmbeddedStore.open(dir(),
                    EmbeddedStore.Mode.EXISTING, Duration.ofMillis(300)).write(tx -> tx.createEvent("e", null, null)));
            assertEquals(ExitCode.STORE_UNAVAILABLE, e.exitCode());
            assertTrue(e.getMessage().contains("--wait"), e.getMessage());
            first.release();
            second.release();
            try (Store writer = EmbeddedStore.open(dir(), EmbeddedStore.Mode.EXISTING, Duration.ofMillis(300))) {
                writer.write(tx -> tx.createEvent("e", null, null));
            }
        }
        try (Store store = reopen()) {
            assertEquals(1, store.summary().events(), "the abandoned writer stored nothing, the second one its event");
        }
    }

    @Test
    void aReaderSeesOneCommittedPointUntilItLetsGo() throws Exception {
        try (Store reader = create()) {
            assertEquals(0, reader.summary().events());
            Thread writer = new Thread(() -> {
                try (Store w = EmbeddedStore.open(dir(), EmbeddedStore.Mode.EXISTING, Duration.ofSeconds(20))) {
                    w.write(tx -> tx.createEvent("e", null, null));
                }
            });
            long start = System.nanoTime();
            writer.start();
            Thread.sleep(400);
            assertEquals(0, reader.summary().events(), "no commit while a reader holds its view");
            assertTrue(writer.isAlive(), "the writer waits for the reader");
            reader.release();
            writer.join(20_000);
            assertTrue(System.nanoTime() - start >= 300_000_000L);
            assertEquals(1, reader.summary().events(), "the next read sees the store as it is then");
        }
    }

    @Test
    @SuppressWarnings("try") // the lock is held for the body, never referenced
    void aWaitingProcessIsToldWhoHoldsTheStore() throws Exception {
        try (Store reader = create()) {
            reader.spaces();
            Path holders = dir().resolve(StoreAccess.HOLDERS);
            String self = Files.readString(holders.resolve(Long.toString(ProcessHandle.current().pid())));
            assertTrue(self.endsWith("\treading\n"), self);
        }
        // Another process reading: its share of the lock file's data byte, and its holder file
        // (this JVM's parent stands for a live process, an impossible pid for a dead one).
        Path holders = dir().resolve(StoreAccess.HOLDERS);
        long other = ProcessHandle.current().parent().orElseThrow().pid();
        Files.writeString(holders.resolve(Long.toString(other)), "engram recall\treading\n");
        Files.writeString(holders.resolve("999999999"), "engram encode\twriting\n");
        try (Store writer = EmbeddedStore.open(dir(), EmbeddedStore.Mode.EXISTING, Duration.ofMillis(200))) {
            writer.release();
            EngramException e;
            try (FileChannel channel = FileChannel.open(dir().resolve(StoreAccess.LOCK_FILE), StandardOpenOption.READ);
                 FileLock ignored = channel.lock(1, 1, true)) {
                e = assertThrows(EngramException.class, () -> writer.write(tx -> tx.createEvent("e", null, null)));
            }
            assertEquals(ExitCode.STORE_UNAVAILABLE, e.exitCode());
            assertTrue(e.getMessage().contains("in use by engram recall (pid " + other + ", reading)"), e.getMessage());
            assertFalse(e.getMessage().contains("encode"), "a dead holder is not named: " + e.getMessage());
            assertFalse(Files.exists(holders.resolve("999999999")), "and its file is removed");
            writer.write(tx -> tx.createEvent("e", null, null));
        }
    }

    @Test
    void aSpaceWhoseMetricThisEngramCannotSearchIsRefusedNotSearchedWrongly() throws Exception {
        try (Store store = create()) {
            add(store, space(store, "s", 2), randomTraces(3, 2, 1, "t"));
        }
        try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + dir().resolve("engram"), "engram", "");
             Statement statement = db.createStatement()) {
            statement.executeUpdate("UPDATE spaces SET metric = 'hyperbolic'");
        }
        try (Store store = location().open()) {
            Space space = store.space("s").orElseThrow();
            EngramException e = assertThrows(EngramException.class, () -> store.nearest(space, new float[2], 1));
            assertEquals(ExitCode.STORE_INCOMPATIBLE, e.exitCode());
        }
    }

    @Test
    void aVersionOneStoreIsMigratedWithItsTracesIntact() throws Exception {
        Files.createDirectories(dir());
        try (Connection db = DriverManager.getConnection("jdbc:h2:file:" + dir().resolve("engram"), "engram", "")) {
            db.setAutoCommit(false);
            assertEquals(0, Schema.migrate(db, "test", 1));
            try (Statement s = db.createStatement()) {
                s.executeUpdate("INSERT INTO spaces(name, modality, encoder, dimension, metric, model_version, config,"
                        + " created_at) VALUES('old', 'vector', 'test', 2, 'euclidean', 1, '{}', CURRENT_TIMESTAMP)");
            }
            try (PreparedStatement p = db.prepareStatement("INSERT INTO traces(space_id, source, source_index,"
                    + " content_hash, vector, surprise, created_at) VALUES(1, '/a.csv', 0, 'h', ?, 0.5, ?)")) {
                p.setBytes(1, dev.engram.store.Vectors.toBytes(new float[] {1, 2}));
                p.setObject(2, OffsetDateTime.now());
                p.executeUpdate();
            }
            db.commit();
            assertEquals(1, Schema.version(db));
        }
        try (Store store = location().open()) {
            assertEquals(Schema.CURRENT_VERSION, store.summary().formatVersion());
            Space old = store.space("old").orElseThrow();
            Trace t = store.traces(List.of(1L)).getFirst();
            assertEquals("/a.csv#0", t.sourceLabel());
            assertNull(t.content(), "traces from before the text column have no content");
            assertEquals(1, store.nearest(old, new float[] {1, 2}, 3).size());
        }
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.getFileName().toString().equals("write.lock")) {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
