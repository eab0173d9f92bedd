package dev.engram.store.sql;

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
    H2(false),
    POSTGRESQL(true);

    private final boolean concurrentWriters;

    SqlDialect(boolean concurrentWriters) {
        this.concurrentWriters = concurrentWriters;
    }

    /**
     * {@code insert} made to insert nothing, rather than fail, when a row with the same
     * {@code key} exists; the caller then reads the row that won (its update count is 0).
     */
    String ignoringConflict(String insert, String key) {
        return concurrentWriters ? insert + " ON CONFLICT (" + key + ") DO NOTHING" : insert;
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
