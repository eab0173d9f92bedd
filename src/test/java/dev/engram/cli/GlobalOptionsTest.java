package dev.engram.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --store, --wait, --json, -v and -q stand before the subcommand as well as after it, with one meaning. */
class GlobalOptionsTest {
    @TempDir
    Path tmp;

    private Path points() throws IOException {
        Random random = new Random(1);
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            double t = random.nextDouble() * 2 * Math.PI;
            csv.append(Math.cos(t)).append(',').append(Math.sin(t)).append(',').append(0.0).append('\n');
        }
        return Files.writeString(tmp.resolve("circle.csv"), csv);
    }

    @Test
    void optionsBeforeTheSubcommandMeanWhatTheyMeanAfterIt() throws IOException {
        Path store = tmp.resolve("store");
        Engram.Run before = Engram.run("--store", store.toString(), "--json", "--wait", "5", "-q", "dim",
                points().toString());
        assertEquals(0, before.exit(), before::toString);
        assertEquals("", before.err(), "-q before the subcommand silences it");
        assertEquals(3, Engram.json(before).size(), "--json before the subcommand: JSON Lines (twonn, twonn-mle, mle)");
        assertTrue(Files.isDirectory(store), "--store before the subcommand names the store");

        Engram.Run infoBefore = Engram.run("--store", store.toString(), "--json", "info");
        Engram.Run infoAfter = Engram.run("info", "--store", store.toString(), "--json");
        assertEquals(0, infoBefore.exit(), infoBefore::toString);
        assertEquals(infoAfter.out(), infoBefore.out());
        assertEquals(store.toAbsolutePath().normalize().toString(),
                Engram.json(infoBefore).getFirst().get("directory").getAsString());
    }

    @Test
    void quietAndVerboseStillExcludeEachOtherAcrossTheSubcommand() {
        Engram.Run run = Engram.run("-q", "info", "-v", "--store", tmp.resolve("none").toString());
        assertEquals(2, run.exit(), run::toString);
        assertTrue(run.err().contains("mutually exclusive"), run.err());
    }
}
