package dev.engram;

import dev.engram.store.Association;
import dev.engram.store.AssociationKind;
import dev.engram.store.Binding;
import dev.engram.store.Concept;
import dev.engram.store.NewTrace;
import dev.engram.store.Space;
import dev.engram.store.Store;
import dev.engram.store.Stores;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * An empty embedded store of its own for each test, filled by hand through the Store API, so
 * that a test of a use case can work out every expectation on paper. Register it on an
 * instance field:
 *
 * <pre>{@code
 * @RegisterExtension
 * final TempStore db = new TempStore();
 * }</pre>
 */
public final class TempStore implements BeforeEachCallback, AfterEachCallback {
    private Path dir;
    private Store store;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("engram-test-store-");
        store = Stores.at(dir.resolve("store").toString(), Duration.ofSeconds(5)).openOrCreate();
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        try {
            store.close();
        } finally {
            Trees.delete(dir);
        }
    }

    public Store store() {
        return store;
    }

    /** A new Euclidean vector space. */
    public Space space(String name, int dimension) {
        return store.write(tx -> tx.createSpace(name, "vector", "test", dimension, "euclidean", "{}"));
    }

    /** A trace to store: named {@code source} (its content hash too), with surprise 0 and no event. */
    public static NewTrace trace(String source, float... vector) {
        return new NewTrace(source, -1, source, vector, 0, 0);
    }

    /** Stores one trace in its own unit of work and returns its id. */
    public long add(Space space, String source, float... vector) {
        return add(space, trace(source, vector));
    }

    public long add(Space space, NewTrace trace) {
        return store.write(tx -> tx.addTraces(Map.of(space, List.of(trace)))).get(space).getFirst().trace().id();
    }

    /** Binds the trace to the named concept (created if need be), by label, at {@code rate}. */
    public void label(long trace, String concept, double rate) {
        store.write(tx -> tx.bind(List.of(new Binding(tx.conceptNamed(concept).id(), trace, AssociationKind.LABEL,
                rate))));
    }

    public Concept concept(String label) {
        return store.concept(label).orElseThrow(() -> new AssertionError("no concept " + label));
    }

    /** The association of the trace with the concept (by label), or null if there is none. */
    public Association association(long trace, String concept) {
        long id = concept(concept).id();
        return store.associationsOf(List.of(trace)).getOrDefault(trace, List.of()).stream()
                .filter(a -> a.conceptId() == id).findFirst().orElse(null);
    }

    /** The labels of the concepts the trace is bound to, in id order. */
    public List<String> conceptsOf(long trace) {
        return store.associationsOf(List.of(trace)).getOrDefault(trace, List.of()).stream()
                .map(Association::conceptId).sorted().map(id -> store.concept(id).orElseThrow().label()).toList();
    }
}
