package dev.engram.store.embedded;

import dev.engram.store.Space;
import dev.engram.store.Store;
import dev.engram.store.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A unit of work that returned survives the process being killed (SIGKILL) right after: every
 * acknowledged trace is in the record after a reopen, and the index agrees with the record.
 * H2 acknowledges commits before writing them unless told to (see EmbeddedStore.commit).
 */
class DurabilityTest {
    @TempDir
    Path tmp;

    @Test
    void acknowledgedUnitsSurviveSigkill() throws Exception {
        Path store = tmp.resolve("store");
        Random random = new Random(7);
        int acknowledged = -1;
        for (int kill = 0; kill < 3; kill++) {
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                    CommitLoop.class.getName(), store.toString()).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            int stopAfter = acknowledged + 20 + random.nextInt(40);
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.US_ASCII))) {
                String line;
                while ((line = out.readLine()) != null) {
                    acknowledged = Integer.parseInt(line.strip());
                    if (acknowledged >= stopAfter) {
                        child.destroyForcibly();
                        break;
                    }
                }
            }
            child.waitFor();
            assertTrue(acknowledged >= stopAfter, "the child acknowledged units before it was killed");
            try (Store reopened = Stores.at(store.toString(), Duration.ofSeconds(10)).open()) {
                Space space = reopened.space("s").orElseThrow();
                long count = reopened.traceCount(space);
                assertTrue(count >= acknowledged + 1, "kill " + kill + ": " + (acknowledged + 1)
                        + " units acknowledged, " + count + " stored");
                assertEquals(count, reopened.nearest(space, CommitLoop.vector(0), (int) count + 5).size(),
                        "the index agrees with the record");
                assertEquals(0, reopened.nearest(space, CommitLoop.vector(acknowledged), 1).getFirst().distance(),
                        1e-6, "the last acknowledged trace recalls itself");
            }
        }
    }
}
