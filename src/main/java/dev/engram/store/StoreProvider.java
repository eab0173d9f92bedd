package dev.engram.store;

import java.time.Duration;

/**
 * A store backend, as {@link Stores} sees it: which {@code --store} values it takes and how it
 * locates a store from one. A new backend is one more provider (docs/architecture.md).
 */
public interface StoreProvider {

    /** A short name for messages ("directory", "postgresql+solr"). */
    String name();

    /** Providers are asked in increasing order; one that takes any path comes last. */
    default int order() {
        return 0;
    }

    /** Whether this backend takes the value (for example a URL with its scheme). */
    boolean accepts(String spec);

    /**
     * The store the value names.
     *
     * @param wait how long opening may wait for other processes that hold the store
     */
    StoreLocation locate(String spec, Duration wait);
}
