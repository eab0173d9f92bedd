package dev.engram.store.sql;

import java.util.List;

/**
 * What differs between the SQL databases that hold engram's record. Little does: the queries are
 * standard SQL that H2 and PostgreSQL both run. What differs is who may write at once. H2 in the
 * embedded store has one writer at a time (the store's exclusive section), so a row looked up
 * and found absent stays absent until the unit commits. PostgreSQL takes writers of many
 * processes and machines at once, so an insert can meet a row another writer committed
 * meanwhile, and a row read to be updated must be locked (docs/architecture.md, "The server
 * store").
 */
public enum SqlDialect {
    H2(false, "CLOB", "VARBINARY"),
    POSTGRESQL(true, "TEXT", "BYTEA");

    private final boolean concurrentWriters;
    /** The column types of long text and of bytes, as each database's migrations have named them. */
    private final String text;
    private final String bytes;

    SqlDialect(boolean concurrentWriters, String text, String bytes) {
        this.concurrentWriters = concurrentWriters;
        this.text = text;
        this.bytes = bytes;
    }

    /**
     * The tables of spaces' model versions (engram consolidate): every version of a space, and
     * the traces' points under the versions that are no longer current. One migration of each
     * database's schema (H2's format 3, PostgreSQL's 2).
     */
    /**
     * The migration that keeps each space's number of traces in its row (maintained by every
     * write that adds traces), so that counting a space's traces does not scan them: a unit of
     * work checks its spaces' indexes against that count, and at 10^6 traces the scan took 160 ms
     * of each unit (docs/architecture.md, "The record in SQL").
     */
    public List<String> traceCounts() {
        return List.of("ALTER TABLE spaces ADD COLUMN trace_count BIGINT DEFAULT 0 NOT NULL",
                "UPDATE spaces SET trace_count = (SELECT COUNT(*) FROM traces WHERE traces.space_id = spaces.id)");
    }

    public List<String> modelVersionTables() {
        return List.of("""
                CREATE TABLE space_versions(
                    space_id INT NOT NULL REFERENCES spaces(id),
                    version INT NOT NULL,
                    config %1$s NOT NULL,
                    consolidation %1$s,
                    created_at TIMESTAMP WITH TIME ZONE NOT NULL,
                    PRIMARY KEY(space_id, version))""".formatted(text), """
                CREATE TABLE trace_vectors(
                    trace_id BIGINT NOT NULL REFERENCES traces(id),
                    version INT NOT NULL,
                    vector %s NOT NULL,
                    surprise DOUBLE PRECISION NOT NULL,
                    PRIMARY KEY(trace_id, version))""".formatted(bytes));
    }

    /**
     * {@code insert} made to insert nothing, rather than fail, when a row with the same
     * {@code key} exists; the caller then reads the row that won (its update count is 0).
     */
    String ignoringConflict(String insert, String key) {
        return concurrentWriters ? insert + " ON CONFLICT (" + key + ") DO NOTHING" : insert;
    }

    /**
     * Reads, to update them, the associations of the pairs (concept, trace) given as two arrays
     * of equal length ({@code UNNEST(concepts, traces)}); may return other pairs of those traces
     * too. PostgreSQL reads and locks exactly the pairs, in one order (concept, then trace), so
     * that writers binding the same pairs lock them alike and others' pairs stay free. H2 (one
     * writer, no locks) reads the traces' associations through the trace index: looking up the
     * pairs themselves, its planner takes the concept's index and scans the concept's
     * associations per pair (measured: a synchrony pass of 120,000 bindings, 6 s became 17 s).
     */
    String associationsOfPairs() {
        return concurrentWriters
                ? "SELECT associations.* FROM UNNEST(?, ?) u(c, t) JOIN associations ON associations.concept_id = u.c"
                        + " AND associations.trace_id = u.t ORDER BY associations.concept_id, associations.trace_id"
                        + " FOR UPDATE OF associations"
                : "SELECT DISTINCT associations.* FROM UNNEST(?, ?) u(c, t) JOIN associations"
                        + " ON associations.trace_id = u.t";
    }

    /** The clause that keeps a row read for an update from changing until the unit ends. */
    String forUpdate() {
        return concurrentWriters ? " FOR UPDATE" : "";
    }

    /**
     * The clause that keeps a row a unit depends on (the space it writes to) from being updated
     * by another unit until this one ends, and waits for one that is updating it.
     */
    String forShare() {
        return concurrentWriters ? " FOR SHARE" : "";
    }
}
