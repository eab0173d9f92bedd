package dev.engram.store.server;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The PostgreSQL the server store's tests get: a schema of each test's own, dropped afterwards, and
 * the guarantees the store will build on (content-hash uniqueness through ON CONFLICT, snapshots
 * at REPEATABLE READ), on the real server. Also measures what a fresh schema and a fresh database
 * cost (printed to stderr: target/surefire-reports/...-output.txt).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresTestServerTest {
    @RegisterExtension
    final PostgresTestServer pg = new PostgresTestServer();

    /** The schema of the test that ran first, which must be gone when the next one runs. */
    private static String schemaOfTheFirstTest;

    @Test
    @Order(1)
    void eachTestHasAnEmptySchemaOfItsOwnFirstOnItsSearchPath() throws SQLException {
        String schema = pg.scratch().schema();
        assertTrue(schema.startsWith("engram_t_"), schema);
        try (Connection db = pg.scratch().connect(); Statement statement = db.createStatement()) {
            assertEquals(schema, single(statement, "SELECT current_schema()"));
            assertEquals("0", single(statement,
                    "SELECT count(*) FROM pg_tables WHERE schemaname = '" + schema + "'"));
            statement.execute("CREATE TABLE note (id bigint PRIMARY KEY)");
            assertEquals(schema, single(statement, "SELECT schemaname FROM pg_tables WHERE tablename = 'note'"));
        }
        schemaOfTheFirstTest = schema;
    }

    @Test
    @Order(2)
    void theSchemaOfTheTestBeforeIsDropped() throws SQLException {
        assumeTrue(schemaOfTheFirstTest != null, "runs after eachTestHasAnEmptySchemaOfItsOwnFirstOnItsSearchPath");
        assertFalse(schemaExists(schemaOfTheFirstTest), schemaOfTheFirstTest + " is still there");
    }

    @Test
    void insertOnConflictDoNothingReturnsTheIdOfANewRowOnly() throws SQLException {
        try (Connection db = pg.scratch().connect()) {
            createTraces(db);
            Long first = insert(db, "hash-a", "a");
            assertEquals(1L, first);
            assertNull(insert(db, "hash-a", "a again"), "a second trace with the same hash is not stored");
            assertEquals(3L, insert(db, "hash-b", "b"), "the conflicting insert used up id 2 all the same");
            try (Statement statement = db.createStatement()) {
                assertEquals("2", single(statement, "SELECT count(*) FROM trace"));
            }
        }
    }

    @Test
    void aSecondWriterOfTheSameHashWaitsForTheFirstAndThenStoresNothing() throws Exception {
        try (Connection setup = pg.scratch().connect()) {
            createTraces(setup);
        }
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Connection a = pg.scratch().connect(); Connection b = pg.scratch().connect()) {
            a.setAutoCommit(false);
            assertTrue(insert(a, "same", "from a") != null);
            Future<Long> fromB = pool.submit(() -> insert(b, "same", "from b"));
            assertThrows(TimeoutException.class, () -> fromB.get(500, TimeUnit.MILLISECONDS),
                    "b waits for a's uncommitted row with the same hash");
            a.commit();
            assertNull(fromB.get(10, TimeUnit.SECONDS), "b stores nothing once a committed");
            try (Statement statement = a.createStatement()) {
                assertEquals("from a", single(statement, "SELECT source FROM trace WHERE content_hash = 'same'"));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRepeatableReadTransactionSeesOneSnapshotWhileAnotherCommits() throws SQLException {
        try (Connection reader = pg.scratch().connect(); Connection writer = pg.scratch().connect()) {
            createTraces(writer);
            insert(writer, "h1", "one");
            reader.setAutoCommit(false);
            reader.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try (Statement statement = reader.createStatement()) {
                assertEquals("repeatable read", single(statement, "SHOW transaction_isolation"));
                assertEquals("1", single(statement, "SELECT count(*) FROM trace"));  // the snapshot is taken here
                insert(writer, "h2", "two");  // autocommit: committed now
                try (Statement other = writer.createStatement()) {
                    assertEquals("2", single(other, "SELECT count(*) FROM trace"));
                }
                assertEquals("1", single(statement, "SELECT count(*) FROM trace"), "the reader's snapshot holds");
                assertEquals("one", single(statement, "SELECT string_agg(source, ',' ORDER BY id) FROM trace"));
                reader.commit();
                assertEquals("2", single(statement, "SELECT count(*) FROM trace"), "a new transaction sees it");
                reader.commit();
            }
        }
    }

    @Test
    void aSchemaOrDatabaseMadeByHandIsDroppedWhenClosedAndTimedHere() throws SQLException {
        int schemas = 20;
        int databases = 5;
        long schemaNanos = 0;
        for (int i = 0; i < schemas; i++) {
            long start = System.nanoTime();
            PostgresTestServer.Scratch scratch = PostgresTestServer.newSchema();
            schemaNanos += System.nanoTime() - start;
            String name = scratch.schema();
            try (Connection db = scratch.connect(); Statement statement = db.createStatement()) {
                statement.execute("CREATE TABLE t (id bigint PRIMARY KEY, v text UNIQUE)");
            }
            assertTrue(schemaExists(name));
            start = System.nanoTime();
            scratch.close();
            schemaNanos += System.nanoTime() - start;
            assertFalse(schemaExists(name), name + " dropped on close");
        }
        long databaseNanos = 0;
        for (int i = 0; i < databases; i++) {
            long start = System.nanoTime();
            PostgresTestServer.Scratch scratch = PostgresTestServer.newDatabase();
            databaseNanos += System.nanoTime() - start;
            String name = scratch.database();
            assertNull(scratch.schema());
            try (Connection db = scratch.connect(); Statement statement = db.createStatement()) {
                assertEquals(name, single(statement, "SELECT current_database()"));
                statement.execute("CREATE TABLE t (id bigint PRIMARY KEY, v text UNIQUE)");
            }
            Connection forgotten = scratch.connect();  // left open: it does not keep the database from going
            start = System.nanoTime();
            scratch.close();
            databaseNanos += System.nanoTime() - start;
            assertFalse(databaseExists(name), name + " dropped on close");
            assertFalse(forgotten.isValid(5), "its connections were ended");
            forgotten.close();
        }
        long start = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            PostgresTestServer.server().connect(PostgresTestServer.server().url()).close();
        }
        long connectNanos = System.nanoTime() - start;
        System.err.printf("PostgresTestServer: create + drop a schema %.1f ms (mean of %d), a database %.1f ms"
                        + " (mean of %d); a new connection %.1f ms (mean of 10)%n", schemaNanos / 1e6 / schemas,
                schemas, databaseNanos / 1e6 / databases, databases, connectNanos / 1e6 / 10);
    }

    // --- helpers

    private static void createTraces(Connection db) throws SQLException {
        try (Statement statement = db.createStatement()) {
            statement.execute("CREATE TABLE trace (id bigserial PRIMARY KEY, content_hash text NOT NULL UNIQUE,"
                    + " source text NOT NULL)");
        }
        if (!db.getAutoCommit()) {
            db.commit();
        }
    }

    /** The new trace's id, or null when one with that hash exists. */
    private static Long insert(Connection db, String hash, String source) throws SQLException {
        try (PreparedStatement insert = db.prepareStatement("INSERT INTO trace (content_hash, source) VALUES (?, ?)"
                + " ON CONFLICT (content_hash) DO NOTHING RETURNING id")) {
            insert.setString(1, hash);
            insert.setString(2, source);
            try (ResultSet rows = insert.executeQuery()) {
                return rows.next() ? rows.getLong(1) : null;
            }
        }
    }

    private static String single(Statement statement, String sql) throws SQLException {
        try (ResultSet rows = statement.executeQuery(sql)) {
            assertTrue(rows.next(), sql);
            String value = rows.getString(1);
            assertFalse(rows.next(), sql);
            return value;
        }
    }

    private static boolean schemaExists(String name) throws SQLException {
        return exists("SELECT 1 FROM pg_namespace WHERE nspname = ?", name);
    }

    private static boolean databaseExists(String name) throws SQLException {
        return exists("SELECT 1 FROM pg_database WHERE datname = ?", name);
    }

    private static boolean exists(String sql, String name) throws SQLException {
        PostgresTestServer.Server server = PostgresTestServer.server();
        try (Connection db = server.connect(server.url()); PreparedStatement query = db.prepareStatement(sql)) {
            query.setString(1, name);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }
}
