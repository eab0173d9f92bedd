package dev.engram.app;

import dev.engram.store.Store;
import dev.engram.store.StoreLocation;
import dev.engram.store.StoreSummary;

/** The info use case: what a store holds (format version, spaces with their trace counts, totals). */
public final class Info {
    private Info() {
    }

    public static StoreSummary summary(StoreLocation location) {
        try (Store store = location.open()) {
            return store.summary();
        }
    }
}
