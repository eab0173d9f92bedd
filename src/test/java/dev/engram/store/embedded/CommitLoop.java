package dev.engram.store.embedded;

import dev.engram.store.NewTrace;
import dev.engram.store.Space;
import dev.engram.store.Store;
import dev.engram.store.Stores;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The child process of {@link DurabilityTest}: stores one trace per unit of work, forever, and
 * prints each trace's number once its unit has returned (been acknowledged), until killed.
 */
public final class CommitLoop {
    private CommitLoop() {
    }

    static float[] vector(int i) {
        return new float[] {i, i % 7, i % 13};
    }

    public static void main(String[] args) {
        try (Store store = Stores.at(args[0], Duration.ofSeconds(30)).openOrCreate()) {
            Space space = store.space("s").orElseGet(() -> store.write(tx -> tx.createSpace("s", "vector", "test", 3,
                    "euclidean", "{}")));
            // Numbering goes on from what earlier runs left stored.
            for (int i = (int) store.traceCount(space); ; i++) {
                int n = i;
                store.write(tx -> tx.addTraces(Map.of(space, List.of(new NewTrace("t" + n, -1, "h" + n, vector(n),
                        0, 0)))));
                System.out.println(n);
                System.out.flush();
            }
        }
    }
}
