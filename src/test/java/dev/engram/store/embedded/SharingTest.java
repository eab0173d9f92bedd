package dev.engram.store.embedded;

import dev.engram.EngramException;
import dev.engram.ExitCode;
import dev.engram.store.Store;
import dev.engram.store.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Processes sharing one store (docs/architecture.md, "Many processes, one store"): a reader in
 * another process lets this one read at once and makes a writer wait; a writer in another process
 * makes a reader wait, and the waiting process names the holder.
 */
class SharingTest {
    @TempDir
    Path tmp;

    private Path store() {
        Path store = tmp.resolve("store");
        Stores.at(store.toString(), Duration.ZERO).openOrCreate().close();
        return store;
    }

    @Test
    void aReaderElsewhereSharesTheStoreAndAWriterWaitsForIt() throws Exception {
        Path store = store();
        Process child = hold(store, "read");
        try {
            long start = System.nanoTime();
            try (Store reader = Stores.at(store.toString(), Duration.ofSeconds(5)).open()) {
                assertEquals(0, reader.summary().events());
            }
            assertTrue(System.nanoTime() - start < 3_000_000_000L, "a second reader does not wait");
            try (Store writer = Stores.at(store.toString(), Duration.ofMillis(1500)).open()) {
                EngramException e = assertThrows(EngramException.class,
                        () -> writer.write(tx -> tx.createEvent("e", null, null)));
                assertEquals(ExitCode.STORE_UNAVAILABLE, e.exitCode());
                assertTrue(e.getMessage().contains("engram hold-read (pid " + child.pid() + ", reading)"),
                        e.getMessage());
            }
        } finally {
            letGo(child);
        }
        try (Store writer = Stores.at(store.toString(), Duration.ofSeconds(5)).open()) {
            writer.write(tx -> tx.createEvent("e", null, null));
            assertEquals(1, writer.summary().events());
        }
    }

    @Test
    void aWriterElsewhereMakesAReaderWaitAndIsNamed() throws Exception {
        Path store = store();
        Process child = hold(store, "write");
        try {
            EngramException e = assertThrows(EngramException.class,
                    () -> Stores.at(store.toString(), Duration.ofMillis(1500)).open());
            assertEquals(ExitCode.STORE_UNAVAILABLE, e.exitCode());
            assertTrue(e.getMessage().contains("being written by engram hold-write (pid " + child.pid()
                    + ", writing)"), e.getMessage());
        } finally {
            letGo(child);
        }
        try (Store reader = Stores.at(store.toString(), Duration.ofSeconds(5)).open()) {
            assertEquals(1, reader.summary().events(), "the writer's unit, whole, once it committed");
        }
    }

    /** Starts a child that holds the store, and returns once it says it does. */
    private static Process hold(Path store, String how) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                HoldStore.class.getName(), store.toString(), how).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("holding", out.readLine(), "the child holds the store");
        return child;
    }

    private static void letGo(Process child) throws Exception {
        child.getOutputStream().close();
        assertTrue(child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
        assertEquals(0, child.exitValue());
    }
}
