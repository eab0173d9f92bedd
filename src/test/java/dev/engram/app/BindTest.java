package dev.engram.app;

import dev.engram.EngramException;
import dev.engram.ExitCode;
import dev.engram.bind.Binder;
import dev.engram.store.NewTrace;
import dev.engram.store.Space;
import dev.engram.store.Store;
import dev.engram.store.StoreLocation;
import dev.engram.store.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bind use case in process: its passes in order, and bad requests refused before anything is stored. */
class BindTest {
    @TempDir
    Path tmp;
    private StoreLocation location;

    @BeforeEach
    void twoTracesInFolders() {
        location = Stores.at(tmp.resolve("store").toString(), Duration.ofSeconds(5));
        try (Store store = location.openOrCreate()) {
            store.write(tx -> {
                Space s = tx.createSpace("s", "vector", "test", 2, "euclidean", "{}");
                return tx.addTraces(Map.of(s, List.of(
                        new NewTrace("/data/coat/1.png", -1, "h1", new float[] {0, 0}, 0, 0),
                        new NewTrace("/data/bag/2.png", -1, "h2", new float[] {1, 1}, 0, 0))));
            });
        }
    }

    private static Bind.Request request(boolean fromDirs, Map<String, String> parents, Map<String, String> names) {
        return new Bind.Request(null, null, null, List.of(), fromDirs, false, null, false, 10, Double.NaN, parents,
                names, null, List.of(), Integer.MAX_VALUE, true, null, null, 0.5);
    }

    @Test
    void passesRunInOrderAndReportWhatTheyBound() {
        Bind.Result result = Bind.run(location, request(true, Map.of("coat", "clothing"), Map.of()));
        assertEquals("s", result.space().name());
        assertEquals(List.of("directory"), result.passes().stream().map(Binder.Result::kind).toList());
        assertEquals(2, result.passes().getFirst().bound());
        assertEquals(1, result.parentsSet());
        assertNull(result.wordnet());
        try (Store store = location.open()) {
            assertEquals("clothing", store.parentChain(store.concept("coat").orElseThrow()).getFirst().label());
        }
    }

    @Test
    void aBadNameIsRefusedBeforeTheFirstPassIsStored() {
        for (Map<String, String> parents : List.of(Map.of("coat", "#x"), Map.of(" ", "clothing"))) {
            EngramException e = assertThrows(EngramException.class,
                    () -> Bind.run(location, request(true, parents, Map.of())));
            assertEquals(ExitCode.INVALID_INPUT, e.exitCode(), e.getMessage());
        }
        EngramException e = assertThrows(EngramException.class,
                () -> Bind.run(location, request(true, Map.of(), Map.of("#1", "#2"))));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        try (Store store = location.open()) {
            assertTrue(store.concepts().isEmpty(), "the folder pass stored nothing");
        }
    }

    @Test
    void aBindOfSeveralPassesIsStoredWholeOrNotAtAll() {
        // The folder pass succeeds, then synchrony finds no events: the run fails, and the
        // folder pass's bindings go with it (a re-run must not strengthen them twice).
        Bind.Request both = new Bind.Request(null, null, null, List.of(), true, true, null, false, 10, Double.NaN,
                Map.of(), Map.of(), null, List.of(), Integer.MAX_VALUE, true, null, null, 0.5);
        EngramException e = assertThrows(EngramException.class, () -> Bind.run(location, both));
        assertEquals(ExitCode.NOTHING_TO_DO, e.exitCode(), e.getMessage());
        try (Store store = location.open()) {
            assertTrue(store.concepts().isEmpty(), "nothing of the run is stored");
            assertTrue(store.boundTraceIds(store.space("s").orElseThrow()).isEmpty());
        }
    }

    @Test
    void nothingToBindAndAMissingLabelFileLeaveTheStoreAlone() {
        EngramException nothing = assertThrows(EngramException.class,
                () -> Bind.run(location, request(false, Map.of(), Map.of())));
        assertEquals(ExitCode.NOTHING_TO_DO, nothing.exitCode());
        Path missing = tmp.resolve("labels.csv");
        assertTrue(Files.notExists(missing));
        Bind.Request labels = new Bind.Request(null, missing, null, List.of(), true, false, null, false, 10,
                Double.NaN, Map.of(), Map.of(), null, List.of(), Integer.MAX_VALUE, true, null, null, 0.5);
        assertThrows(EngramException.class, () -> Bind.run(location, labels));
        try (Store store = location.open()) {
            assertTrue(store.concepts().isEmpty());
        }
    }
}
