package dev.engram.store.server;

import dev.engram.EngramException;
import dev.engram.store.Store;
import dev.engram.store.StoreLocation;
import dev.engram.store.StoreProvider;
import dev.engram.store.server.solr.SolrCluster;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * The server backend as {@link dev.engram.store.Stores} sees it: {@code --store postgresql://...}
 * (see {@link ServerAddress}) names a store whose record is in PostgreSQL and whose vector
 * indexes are in SolrCloud.
 */
public final class ServerStores {
    private ServerStores() {
    }

    /** The provider {@code META-INF/services} lists. */
    public static final class Provider implements StoreProvider {
        @Override
        public String name() {
            return "postgresql+solr";
        }

        @Override
        public boolean accepts(String spec) {
            return ServerAddress.names(spec);
        }

        @Override
        public StoreLocation locate(String spec, Duration wait) {
            return at(ServerAddress.parse(spec, System.getenv()), System.getenv());
        }
    }

    /** The store at {@code address}, credentials taken from {@code env}. */
    public static StoreLocation at(ServerAddress address, Map<String, String> env) {
        return new StoreLocation() {
            @Override
            public String describe() {
                return address.describe();
            }

            @Override
            public boolean exists() {
                try (Connection db = connect(address, env)) {
                    boolean found = PostgresSchema.version(db) > 0;
                    db.rollback();
                    return found;
                } catch (SQLException e) {
                    throw failure(address.describe(), "looking for the store", e);
                }
            }

            @Override
            public Store open() {
                return ServerStores.open(address, env, false);
            }

            @Override
            public Store openOrCreate() {
                return ServerStores.open(address, env, true);
            }
        };
    }

    private static Store open(ServerAddress address, Map<String, String> env, boolean create) {
        String where = address.describe();
        Connection db = null;
        try {
            db = connect(address, env);
            int version = PostgresSchema.version(db);
            db.commit();
            if (version == 0 && !create) {
                throw EngramException.storeUnavailable("no engram store at " + where + "; create one with 'engram"
                        + " encode --store " + where + " ...'", null);
            }
            PostgresSchema.requireReadable(version, where);
            if (version < PostgresSchema.CURRENT_VERSION) {
                if (version == 0) {
                    try (Statement schema = db.createStatement()) {
                        schema.execute("CREATE SCHEMA IF NOT EXISTS " + address.schema());
                    }
                }
                PostgresSchema.migrate(db, where);
            }
            SolrIndexes indexes = new SolrIndexes(address, env);
            return new ServerStore(address, db, indexes);
        } catch (SQLException e) {
            close(db);
            throw failure(where, "opening the store", e);
        } catch (RuntimeException e) {
            close(db);
            throw e;
        }
    }

    private static void close(Connection db) {
        if (db != null) {
            try {
                db.close();
            } catch (SQLException ignored) {
                // the error that got us here is the one to report
            }
        }
    }

    /** A connection in the store's schema, not auto-committing; no credential is ever logged. */
    static Connection connect(ServerAddress address, Map<String, String> env) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", address.user());
        String password = ServerAddress.password(env, "ENGRAM_PG");
        if (password != null) {
            properties.setProperty("password", password);
        } else {
            Path pgpass = ServerAddress.pgpass(env);
            if (pgpass != null) {
                ServerAddress.requirePrivate(pgpass, "PostgreSQL's password file " + pgpass);
            }
        }
        Connection db = DriverManager.getConnection(address.jdbcUrl(), properties);
        db.setAutoCommit(false);
        return db;
    }

    /**
     * A PostgreSQL error as the user should hear it. A server that cannot be reached, refuses the
     * login or lacks the database, a full disk or a read-only server make the store unavailable
     * (exit 6); anything else is a fault of ours. SQLSTATE classes: PostgreSQL's "Appendix A.
     * PostgreSQL Error Codes".
     */
    static RuntimeException failure(String where, String what, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
        boolean unavailable = state.startsWith("08") // connection exception
                || state.startsWith("28")            // invalid authorization
                || state.equals("3D000")             // no such database
                || state.equals("3F000")             // no such schema
                || state.startsWith("53")            // insufficient resources: disk full, out of memory
                || state.equals("25006")             // read-only transaction: a standby
                || state.startsWith("57P")           // the server shutting down
                || state.equals("42501");            // insufficient privilege: a role that may only read
        if (unavailable) {
            return EngramException.storeUnavailable("store " + where + " is unavailable while " + what + ": "
                    + message, e);
        }
        return EngramException.internal("store error while " + what + " (" + where + "): " + message, e);
    }
}
