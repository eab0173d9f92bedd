package dev.engram.store.server;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Properties;

/**
 * A real PostgreSQL for tests (docs/server-store-postgresql.md), as a JUnit extension that gives
 * each test an empty place of its own and drops it after the test. Register it on an instance field:
 *
 * <pre>{@code
 * @RegisterExtension
 * final PostgresTestServer pg = new PostgresTestServer();   // a fresh schema per test
 * ... pg.scratch().jdbcUrl(), pg.scratch().connect(), pg.scratch().schema() ...
 * }</pre>
 *
 * <p>A schema per test is the default: creating and dropping one takes milliseconds, a database
 * tens of them (PostgresTestServerTest measures both). Its JDBC URL carries
 * {@code currentSchema=NAME}, so the {@code search_path} of every connection made from it starts
 * with the schema and unqualified names (the store's own tables) land there. A test that needs a
 * whole database (one that names schemas itself) registers {@link #databasePerTest()} instead. For
 * a place shared by the tests of a class, or several in one test, call {@link #newSchema()} or
 * {@link #newDatabase()} and close what they return.
 *
 * <p>Where the server is: {@value #URL} (a JDBC URL), {@value #USER} and {@value #PASSWORD_FILE}
 * (a file holding the password), as {@code bin/postgres env} prints them; without them, the
 * cluster {@code bin/postgres start} runs for this checkout, if it does. When there is none the
 * test is skipped with the reason, unless {@value #REQUIRE} is 1 (bin/test sets it): then it fails.
 */
public final class PostgresTestServer implements BeforeEachCallback, AfterEachCallback {
    public static final String URL = "ENGRAM_TEST_PG";
    public static final String USER = "ENGRAM_TEST_PG_USER";
    public static final String PASSWORD_FILE = "ENGRAM_TEST_PG_PASSWORD_FILE";
    public static final String REQUIRE = "ENGRAM_TEST_REQUIRE_PG";

    /** The cluster bin/postgres runs for this checkout (tests run in the project's directory). */
    private static final Path LOCAL = Path.of("target", "postgres");
    private static final String LOCAL_ROLE = "engram_test";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The server and its credentials, as found once per JVM; null with {@link #unavailable} when none. */
    private static Server server;
    private static String unavailable;
    /**
     * One connection for making and dropping schemas and databases, kept for the JVM: a new
     * connection costs 10-20 ms (SCRAM), a schema 2 ms. Used under the class's lock.
     */
    private static Connection admin;

    private final boolean databases;
    private Scratch scratch;

    /** A fresh schema for each test. */
    public PostgresTestServer() {
        this(false);
    }

    private PostgresTestServer(boolean databases) {
        this.databases = databases;
    }

    /** A fresh database for each test. */
    public static PostgresTestServer databasePerTest() {
        return new PostgresTestServer(true);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws SQLException {
        scratch = databases ? newDatabase() : newSchema();
    }

    @Override
    public void afterEach(ExtensionContext context) throws SQLException {
        if (scratch != null) {
            try {
                scratch.close();
            } finally {
                scratch = null;
            }
        }
    }

    /** This test's schema or database. */
    public Scratch scratch() {
        if (scratch == null) {
            throw new IllegalStateException("no test is running (register PostgresTestServer on an instance field)");
        }
        return scratch;
    }

    /** The server (skips or fails the test when there is none). */
    public static synchronized Server server() {
        if (server == null && unavailable == null) {
            Server found = null;
            try {
                found = find();
                try (Connection probe = found.connect(found.url())) {
                    probe.isValid(5);
                }
                server = found;
            } catch (SQLException | IOException | RuntimeException e) {
                unavailable = "no PostgreSQL for the tests"
                        + (found == null ? "" : " at " + found.url() + (System.getenv(URL) == null
                        ? " (the cluster of bin/postgres, target/postgres)" : " (" + URL + ")"))
                        + ": " + e.getMessage();
            }
        }
        if (server != null) {
            return server;
        }
        if ("1".equals(System.getenv(REQUIRE))) {
            throw new AssertionError(unavailable + " (" + REQUIRE + "=1: bin/test starts one, or set " + URL + ")");
        }
        return Assumptions.abort(unavailable + " (bin/test starts one; see docs/server-store-postgresql.md)");
    }

    private static Server find() throws IOException {
        String url = System.getenv(URL);
        if (url != null && !url.isBlank()) {
            String user = System.getenv(USER);
            String file = System.getenv(PASSWORD_FILE);
            if (user == null || user.isBlank() || file == null || file.isBlank()) {
                throw new IllegalStateException(URL + " is set but " + USER + " or " + PASSWORD_FILE + " is not");
            }
            return new Server(url, user, Path.of(file));
        }
        Path port = LOCAL.resolve("port");
        Path password = LOCAL.resolve("password");
        if (!Files.isRegularFile(port) || !Files.isRegularFile(password)) {
            throw new IllegalStateException(URL + " is not set and bin/postgres has not started a cluster here");
        }
        return new Server("jdbc:postgresql://127.0.0.1:" + Files.readString(port).strip() + "/engram_test",
                LOCAL_ROLE, password.toAbsolutePath());
    }

    /** An empty schema of its own in the server's database; close it to drop it with all it holds. */
    public static Scratch newSchema() throws SQLException {
        Server at = server();
        String name = freshName();
        admin("CREATE SCHEMA " + name);
        String url = at.url() + (at.url().contains("?") ? "&" : "?") + "currentSchema=" + name;
        return new Scratch(at, url, at.database(), name);
    }

    /** An empty database of its own; close it to drop it (connections still open to it are ended). */
    public static Scratch newDatabase() throws SQLException {
        Server at = server();
        String name = freshName();
        admin("CREATE DATABASE " + name);
        URI uri = at.uri();
        String url = "jdbc:postgresql://" + uri.getRawAuthority() + "/" + name
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return new Scratch(at, url, name, null);
    }

    /**
     * Runs a statement on the admin connection, (re)opened as needed. A DROP SCHEMA waits at most
     * 10 s for locks, so that a test which left a transaction open fails rather than hangs.
     */
    private static synchronized void admin(String sql) throws SQLException {
        if (admin == null || !admin.isValid(5)) {
            Server at = server();
            admin = at.connect(at.url());
            try (Statement statement = admin.createStatement()) {
                statement.execute("SET lock_timeout = '10s'");
            }
        }
        try (Statement statement = admin.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String freshName() {
        byte[] bytes = new byte[6];
        RANDOM.nextBytes(bytes);
        return "engram_t_" + HexFormat.of().formatHex(bytes);
    }

    /** Where the server is and who the tests are on it: the role's password is read from a file. */
    public record Server(String url, String user, Path passwordFile) {
        URI uri() {
            if (!url.startsWith("jdbc:postgresql://")) {
                throw new IllegalStateException(URL + " is not a jdbc:postgresql://HOST:PORT/DATABASE URL: " + url);
            }
            return URI.create(url.substring("jdbc:".length()));
        }

        public String host() {
            return uri().getHost();
        }

        public int port() {
            int port = uri().getPort();
            return port < 0 ? 5432 : port;
        }

        /** The database the URL names, where schemas are made and from which databases are. */
        public String database() {
            return uri().getPath().substring(1);
        }

        /** The user and password as connection properties (never in a URL, which pgjdbc logs). */
        public Properties properties() {
            Properties properties = new Properties();
            properties.setProperty("user", user);
            try {
                properties.setProperty("password", Files.readString(passwordFile, StandardCharsets.UTF_8).strip());
            } catch (IOException e) {
                throw new IllegalStateException("cannot read the password file " + passwordFile + ": " + e, e);
            }
            properties.setProperty("connectTimeout", "10");
            properties.setProperty("ApplicationName", "engram-test");
            return properties;
        }

        Connection connect(String jdbcUrl) throws SQLException {
            return DriverManager.getConnection(jdbcUrl, properties());
        }
    }

    /**
     * One test's schema (in {@link #database()}) or database ({@link #schema()} null), with a JDBC
     * URL that reaches it and the credentials to connect. Closing it drops it.
     */
    public static final class Scratch implements AutoCloseable {
        private final Server server;
        private final String jdbcUrl;
        private final String database;
        private final String schema;
        private boolean dropped;

        Scratch(Server server, String jdbcUrl, String database, String schema) {
            this.server = server;
            this.jdbcUrl = jdbcUrl;
            this.database = database;
            this.schema = schema;
        }

        public Server server() {
            return server;
        }

        /** A JDBC URL to it, without credentials: for a schema it sets {@code currentSchema}. */
        public String jdbcUrl() {
            return jdbcUrl;
        }

        public String host() {
            return server.host();
        }

        public int port() {
            return server.port();
        }

        public String database() {
            return database;
        }

        /** The schema, or null when this is a database of its own (whose schema is public). */
        public String schema() {
            return schema;
        }

        public String user() {
            return server.user();
        }

        public Path passwordFile() {
            return server.passwordFile();
        }

        public Properties properties() {
            return server.properties();
        }

        public Connection connect() throws SQLException {
            return server.connect(jdbcUrl);
        }

        /**
         * Drops it. A schema whose tables another connection still locks (an open transaction the
         * test forgot) fails after 10 s rather than waiting; a database's connections are ended.
         */
        @Override
        public void close() throws SQLException {
            if (!dropped) {
                admin(schema != null ? "DROP SCHEMA " + schema + " CASCADE"
                        : "DROP DATABASE " + database + " WITH (FORCE)");
                dropped = true;
            }
        }

        @Override
        public String toString() {
            return schema != null ? "schema " + schema + " of " + database : "database " + database;
        }
    }
}
