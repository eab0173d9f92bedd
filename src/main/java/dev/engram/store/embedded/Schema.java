package dev.engram.store.embedded;

import dev.engram.EngramException;
import dev.engram.store.sql.SqlDialect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The H2 schema and its migrations. The store's format version is the number of migrations
 * applied; a store with a higher version was written by a newer engram and is refused, one
 * with a lower version is migrated forward in a single transaction.
 */
final class Schema {
    private Schema() {
    }

    /** Migration i (0-based) takes the store from format version i to i + 1. Append only. */
    private static final List<List<String>> MIGRATIONS = List.of(List.of(
            """
            CREATE TABLE meta(name VARCHAR(64) PRIMARY KEY, content VARCHAR(1024) NOT NULL)""",
            """
            CREATE TABLE spaces(
                id INT AUTO_INCREMENT PRIMARY KEY,
                name VARCHAR(200) NOT NULL UNIQUE,
                modality VARCHAR(32) NOT NULL,
                encoder VARCHAR(64) NOT NULL,
                dimension INT NOT NULL,
                metric VARCHAR(32) NOT NULL,
                model_version INT NOT NULL,
                config CLOB NOT NULL,
                created_at TIMESTAMP WITH TIME ZONE NOT NULL)""",
            """
            CREATE TABLE events(
                id BIGINT AUTO_INCREMENT PRIMARY KEY,
                name VARCHAR(1024),
                happened_at TIMESTAMP WITH TIME ZONE,
                source VARCHAR(4096))""",
            """
            CREATE TABLE traces(
                id BIGINT AUTO_INCREMENT PRIMARY KEY,
                space_id INT NOT NULL REFERENCES spaces(id),
                source VARCHAR(4096) NOT NULL,
                source_index INT NOT NULL,
                content_hash VARCHAR(64) NOT NULL,
                vector VARBINARY NOT NULL,
                surprise DOUBLE PRECISION NOT NULL,
                created_at TIMESTAMP WITH TIME ZONE NOT NULL,
                CONSTRAINT trace_content UNIQUE(space_id, content_hash))""",
            "CREATE INDEX traces_surprise ON traces(space_id, surprise)",
            "CREATE INDEX traces_source ON traces(space_id, source, source_index)",
            """
            CREATE TABLE event_traces(
                event_id BIGINT NOT NULL REFERENCES events(id),
                trace_id BIGINT NOT NULL REFERENCES traces(id),
                PRIMARY KEY(event_id, trace_id))""",
            "CREATE INDEX event_traces_trace ON event_traces(trace_id)",
            """
            CREATE TABLE concepts(
                id BIGINT AUTO_INCREMENT PRIMARY KEY,
                name VARCHAR(200) UNIQUE,
                parent_id BIGINT REFERENCES concepts(id),
                created_at TIMESTAMP WITH TIME ZONE NOT NULL)""",
            """
            CREATE TABLE associations(
                concept_id BIGINT NOT NULL REFERENCES concepts(id),
                trace_id BIGINT NOT NULL REFERENCES traces(id),
                kind VARCHAR(16) NOT NULL,
                weight DOUBLE PRECISION NOT NULL,
                times INT NOT NULL,
                first_at TIMESTAMP WITH TIME ZONE NOT NULL,
                last_at TIMESTAMP WITH TIME ZONE NOT NULL,
                PRIMARY KEY(concept_id, trace_id))""",
            "CREATE INDEX associations_trace ON associations(trace_id)",
            "CREATE INDEX associations_strength ON associations(concept_id, weight DESC)",
            """
            CREATE TABLE dim_reports(
                id BIGINT AUTO_INCREMENT PRIMARY KEY,
                target VARCHAR(4096) NOT NULL,
                estimator VARCHAR(64) NOT NULL,
                parameters CLOB NOT NULL,
                points INT NOT NULL,
                seed BIGINT NOT NULL,
                estimate DOUBLE PRECISION NOT NULL,
                created_at TIMESTAMP WITH TIME ZONE NOT NULL)"""
    ), List.of(
            // Version 2: spaces without a decoder (text) recall the stored input itself.
            "ALTER TABLE traces ADD COLUMN content CLOB"
    ),
            // Version 3: spaces keep learning (engram consolidate).
            SqlDialect.H2.modelVersionTables(),
            // Version 4: each space's number of traces kept in its row.
            SqlDialect.H2.traceCounts());

    static final int CURRENT_VERSION = MIGRATIONS.size();

    /** Brings the database to {@link #CURRENT_VERSION}; returns the version found. */
    static int migrate(Connection connection, String where) throws SQLException {
        return migrate(connection, where, CURRENT_VERSION);
    }

    /** Brings the database to {@code target} (the tests make old stores with it); returns the version found. */
    static int migrate(Connection connection, String where, int target) throws SQLException {
        int found = version(connection);
        requireReadable(found, where);
        if (found >= target) {
            return found;
        }
        try (Statement statement = connection.createStatement()) {
            for (int v = found; v < target; v++) {
                for (String sql : MIGRATIONS.get(v)) {
                    statement.execute(sql);
                }
            }
            statement.execute("MERGE INTO meta(name, content) KEY(name) VALUES('format_version', '"
                    + target + "')");
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        }
        return found;
    }

    /** Refuses a store written by a newer engram. */
    static void requireReadable(int found, String where) {
        if (found > CURRENT_VERSION) {
            throw EngramException.storeIncompatible("store " + where + " has format version " + found
                    + ", newer than this engram reads (" + CURRENT_VERSION + "); upgrade engram");
        }
    }

    static int version(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet tables = statement.executeQuery(
                     "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'META'"
                             + " AND TABLE_SCHEMA = 'PUBLIC'")) {
            tables.next();
            if (tables.getInt(1) == 0) {
                return 0;
            }
        }
        try (Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT content FROM meta WHERE name = 'format_version'")) {
            return row.next() ? Integer.parseInt(row.getString(1)) : 0;
        }
    }
}
