package dev.engram.app;

import dev.engram.store.Space;
import dev.engram.store.Store;
import dev.engram.store.StoreLocation;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The reindex use case: each space's vector index rebuilt from the record, for an index that was
 * lost or damaged, or (on a server store) one that fell behind while its search engine was away.
 */
public final class Reindex {
    private Reindex() {
    }

    /** One space rebuilt: how many traces its index holds now, and how long it took. */
    public record Rebuilt(String space, long traces, double seconds) {
    }

    /** Rebuilds the named spaces (all when {@code names} is empty), telling {@code done} of each as it ends. */
    public static List<Rebuilt> run(StoreLocation location, List<String> names, Consumer<Rebuilt> done) {
        try (Store store = location.open()) {
            store.requireWritable();
            List<Space> spaces = new ArrayList<>();
            if (names.isEmpty()) {
                spaces.addAll(store.spaces());
            } else {
                for (String name : names) {
                    spaces.add(Spaces.named(store, name));
                }
            }
            store.release();
            List<Rebuilt> rebuilt = new ArrayList<>();
            for (Space space : spaces) {
                long start = System.nanoTime();
                long traces = store.reindex(space);
                Rebuilt r = new Rebuilt(space.name(), traces, (System.nanoTime() - start) / 1e9);
                rebuilt.add(r);
                done.accept(r);
            }
            return rebuilt;
        }
    }
}
