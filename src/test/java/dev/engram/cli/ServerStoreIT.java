package dev.engram.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.engram.store.Store;
import dev.engram.store.StoreDump;
import dev.engram.store.Stores;
import dev.engram.store.server.PostgresTestServer;
import dev.engram.store.server.ServerAddress;
import dev.engram.store.server.ServerStores;
import dev.engram.store.server.solr.SolrCloudTestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every command through the real launcher against a server store: PostgreSQL from the test
 * server, the vector indexes in the test SolrCloud, the password from a file named in the
 * environment, as a user would set it up (README, "A server store").
 */
@ExtendWith(SolrCloudTestCluster.class)
class ServerStoreIT {
    private static final Path LAUNCHER = LauncherIT.LAUNCHER;

    @RegisterExtension
    final PostgresTestServer pg = new PostgresTestServer();

    @TempDir
    Path tmp;

    private String address() {
        PostgresTestServer.Scratch s = pg.scratch();
        return "postgresql://" + s.server().host() + ":" + s.server().port() + "/" + s.database() + "?schema="
                + s.schema() + "&user=" + s.server().user() + "&solr=" + SolrCloudTestCluster.zkHost();
    }

    private Map<String, String> env() {
        return Map.of("ENGRAM_PG_PASSWORD_FILE", pg.scratch().server().passwordFile().toString());
    }

    private Process start(Path out, Path err, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(LAUNCHER.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove("ENGRAM_STORE");
        builder.environment().putAll(env());
        return builder.start();
    }

    private LauncherIT.Result run(String... args) throws Exception {
        return LauncherIT.runIn(tmp, LAUNCHER, env(), args);
    }

    private long outbox() throws Exception {
        try (Connection db = pg.scratch().connect(); Statement s = db.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*) FROM index_outbox")) {
            r.next();
            return r.getLong(1);
        }
    }

    /** Images of three shapes with a caption each, as one manifest of events. */
    private Path events() {
        Path events = tmp.resolve("events");
        Random random = new Random(3);
        StringBuilder manifest = new StringBuilder();
        Map<String, String> captions = Map.of("hbar", "a flat bar lying sideways", "vbar",
                "a tall vertical stripe", "square", "a solid square block");
        for (String c : Engram.CLASSES) {
            for (int i = 0; i < 6; i++) {
                String image = c + "/" + i + ".png";
                Engram.write(events.resolve(image), Engram.draw(c, random));
                manifest.append(String.format("{\"image\": \"%s\", \"text\": \"%s %d\", \"concept\": \"%s\"}%n",
                        image, captions.get(c), i, c));
            }
        }
        Engram.writeString(events.resolve("events.jsonl"), manifest.toString());
        return events;
    }

    @Test
    void everyCommandWorksUnchangedAgainstAServerStore() throws Exception {
        String store = address();
        Path events = events();
        LauncherIT.Result encode = run("encode", "--store", store, "--space", "image=shapes", "--epochs", "20",
                "--batch-size", "8", "--manifest", events.resolve("events.jsonl").toString());
        assertEquals(0, encode.exit(), encode::toString);
        assertTrue(!encode.err().contains(pg.scratch().server().passwordFile().toString()), "no credential in messages");
        LauncherIT.Result bind = run("bind", "--store", store, "--space", "shapes", "--synchrony", "--json");
        assertEquals(0, bind.exit(), bind::toString);

        LauncherIT.Result text = run("recall", "--store", store, "--json", "--text", "a tall vertical stripe");
        assertEquals(0, text.exit(), text::toString);
        assertEquals("vbar", top(text.out()));
        LauncherIT.Result image = run("recall", "--store", store, "--space", "shapes", "--json",
                events.resolve("square/2.png").toString());
        assertEquals(0, image.exit(), image::toString);
        assertEquals("square", top(image.out()));

        LauncherIT.Result dim = run("dim", "--store", store, "--space", "shapes", "--estimator", "twonn", "--json");
        assertEquals(0, dim.exit(), dim::toString);
        LauncherIT.Result info = run("info", "--store", store, "--json");
        assertEquals(0, info.exit(), info::toString);
        JsonObject summary = JsonParser.parseString(info.out().lines().findFirst().orElseThrow()).getAsJsonObject();
        long reports = dim.out().lines().count(); // TwoNN reports its two variants
        assertTrue(reports >= 1, dim::toString);
        assertEquals(reports, summary.get("dimReports").getAsLong(), info::toString);
        assertTrue(summary.get("directory").getAsString().startsWith("postgresql://"), info::toString);

        // A pretrained network's space: the network is a model file like any other, kept in PostgreSQL.
        Path network = Path.of("src", "test", "resources", "encoders", "tiny-image.onnx").toAbsolutePath();
        LauncherIT.Result pretrained = run("encode", "--store", store, "--space", "features", "--encoder",
                network.toString(), "--latent", "4", "--epochs", "2", events.resolve("square").toString());
        assertEquals(0, pretrained.exit(), pretrained::toString);
        LauncherIT.Result featureRecall = run("recall", "--store", store, "--space", "features", "--json",
                events.resolve("square/2.png").toString());
        assertEquals(0, featureRecall.exit(), featureRecall::toString);
        assertFindsItself(featureRecall, events.resolve("square/2.png").toString());
        assertEquals(0, outbox());
    }

    @Test
    void aDirectoryCopiedIntoAServerStoreAndBackIsTheSameMemory() throws Exception {
        String server = address();
        String dir = tmp.resolve("mem").toString();
        String back = tmp.resolve("back").toString();
        Path events = events();
        assertEquals(0, run("encode", "--store", dir, "--space", "image=shapes", "--epochs", "20", "--batch-size", "8",
                "--manifest", events.resolve("events.jsonl").toString()).exit());
        assertEquals(0, run("bind", "--store", dir, "--synchrony").exit());
        assertEquals(0, run("dim", "--store", dir, "--space", "shapes", "--estimator", "twonn").exit());

        LauncherIT.Result there = run("copy", "--from", dir, "--to", server, "--json");
        assertEquals(0, there.exit(), there::toString);
        JsonObject copied = JsonParser.parseString(there.out().strip()).getAsJsonObject();
        assertEquals(18, copied.getAsJsonArray("spaces").get(0).getAsJsonObject().get("traces").getAsLong(),
                there::toString);
        assertEquals(0, outbox(), "the collections took every copied trace");
        LauncherIT.Result again = run("copy", "--from", dir, "--to", server);
        assertEquals(10, again.exit(), again::toString);
        assertEquals(1, again.err().lines().filter(l -> !l.startsWith("WARNING: Using incubator")).count(),
                again::toString);
        assertTrue(again.err().contains("is not empty (2 spaces, 18 events, 3 concepts,"), again::toString);
        LauncherIT.Result home = run("--store", server, "copy", "--to", back);
        assertEquals(0, home.exit(), home::toString);
        assertTrue(home.out().startsWith("copied"), home::toString);

        String want;
        try (Store original = Stores.at(dir, Duration.ofSeconds(10)).open()) {
            want = StoreDump.of(original);
        }
        try (Store copy = ServerStores.at(ServerAddress.parse(server, env()), env()).open()) {
            assertEquals(want, StoreDump.of(copy), "the server store holds the directory's memory");
        }
        try (Store copy = Stores.at(back, Duration.ofSeconds(10)).open()) {
            assertEquals(want, StoreDump.of(copy), "and the directory copied back holds it too");
        }
        for (String cue : List.of(events.resolve("square/2.png").toString(), "vbar")) {
            String original = run("recall", "--store", dir, "--json", cue).out();
            assertEquals(original, run("recall", "--store", back, "--json", cue).out(), cue);
            LauncherIT.Result remote = run("recall", "--store", server, "--json", cue);
            assertEquals(top(original), top(remote.out()), remote::toString);
        }
    }

    @Test
    void aConsolidatedSpaceSearchesItsNewVersionsCollectionAndCanGoBack() throws Exception {
        String store = address();
        Path train = Engram.images(tmp.resolve("train"), 6, 11);
        Path more = Engram.images(tmp.resolve("more"), 3, 12);
        assertEquals(0, run("encode", "--store", store, "--space", "shapes", "--epochs", "5", "--batch-size", "6",
                train.toString()).exit());
        assertEquals(0, run("encode", "--store", store, "--space", "shapes", more.toString()).exit());
        LauncherIT.Result consolidate = run("consolidate", "--store", store, "--space", "shapes", "--epochs", "3",
                "--json");
        assertEquals(0, consolidate.exit(), consolidate::toString);
        assertTrue(consolidate.out().contains("\"changed\":true"), consolidate::toString);
        assertEquals(0, outbox(), "the new version's collection took every trace");
        assertFindsItself(run("recall", "--store", store, "--space", "shapes", "--json",
                more.resolve("vbar/001.png").toString()), "vbar/001.png");
        LauncherIT.Result info = run("info", "--store", store);
        assertTrue(info.out().contains("v2 *"), info::toString);
        LauncherIT.Result back = run("consolidate", "--store", store, "--space", "shapes", "--restore", "v1");
        assertEquals(0, back.exit(), back::toString);
        assertEquals(0, outbox());
        assertFindsItself(run("recall", "--store", store, "--space", "shapes", "--json",
                train.resolve("hbar/002.png").toString()), "hbar/002.png");
    }

    @Test
    void twoProcessesEncodingIntoOneNewSpaceBothFinishWithEachInputOnce() throws Exception {
        String store = address();
        Path train = Engram.images(tmp.resolve("train"), 6, 5);
        List<Process> runs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            runs.add(start(tmp.resolve("out" + i), tmp.resolve("err" + i), "encode", "--store", store, "--space",
                    "shapes", "--epochs", "5", "--batch-size", "6", "--json", train.toString()));
        }
        for (int i = 0; i < 2; i++) {
            assertTrue(runs.get(i).waitFor(5, TimeUnit.MINUTES));
            assertEquals(0, runs.get(i).exitValue(), Files.readString(tmp.resolve("err" + i)));
        }
        Set<Long> ids = new HashSet<>();
        for (int i = 0; i < 2; i++) {
            for (String line : Files.readAllLines(tmp.resolve("out" + i))) {
                ids.add(JsonParser.parseString(line).getAsJsonObject().get("trace").getAsLong());
            }
        }
        assertEquals(18, ids.size(), "both runs report the same 18 traces");
        LauncherIT.Result info = run("info", "--store", store, "--json");
        assertTrue(info.out().contains("\"traces\":18"), info::toString);
        assertEquals(0, outbox());
    }

    @Test
    void solrNodesKilledMidEncodeLoseNothingAndTheIndexCatchesUpOnceTheyAreBack() throws Exception {
        String store = address();
        Path train = Engram.images(tmp.resolve("train"), 6, 7);
        LauncherIT.Result first = run("encode", "--store", store, "--space", "shapes", "--epochs", "5",
                "--batch-size", "6", train.toString());
        assertEquals(0, first.exit(), first::toString);
        // A new space whose training takes a while: both Solr nodes go while it trains.
        Path more = Engram.images(tmp.resolve("more"), 4, 8);
        Path err = tmp.resolve("err");
        Process encode = start(tmp.resolve("out"), err, "encode", "--store", store, "--space", "more",
                "--epochs", "1500", "--batch-size", "6", "--json", more.toString());
        try {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (!Files.readString(err).contains("epoch 1/") && encode.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            SolrCloudTestCluster.stopNode(0);
            SolrCloudTestCluster.stopNode(1);
            assertFalse(Files.readString(err).contains("epoch 1500/"), "Solr went before the traces were stored");
            assertTrue(encode.waitFor(5, TimeUnit.MINUTES));
            assertEquals(0, encode.exitValue(), Files.readString(err));
            assertEquals(12, outbox(), "stored in PostgreSQL, waiting for Solr");
            // Found while Solr is away: the traces it lacks are searched exactly.
            assertFindsItself(run("recall", "--store", store, "--space", "more", "--json",
                    more.resolve("vbar/001.png").toString()), "vbar/001.png");
        } finally {
            encode.destroyForcibly();
            SolrCloudTestCluster.startNode(0);
            SolrCloudTestCluster.startNode(1);
            SolrCloudTestCluster.awaitActive();
        }
        LauncherIT.Result reindex = run("reindex", "--store", store, "--json");
        assertEquals(0, reindex.exit(), reindex::toString);
        assertTrue(reindex.out().contains("{\"space\":\"more\",\"traces\":12"), reindex::toString);
        assertTrue(reindex.out().contains("{\"space\":\"shapes\",\"traces\":18"), reindex::toString);
        assertEquals(0, outbox());
        LauncherIT.Result recall = run("recall", "--store", store, "--space", "more", "--json",
                more.resolve("vbar/001.png").toString());
        assertFindsItself(recall, "vbar/001.png");
        assertTrue(!recall.err().contains("exactly"), recall::toString);
    }

    /** The recall's nearest trace is the cue's own, at distance 0. */
    private static void assertFindsItself(LauncherIT.Result recall, String source) {
        assertEquals(0, recall.exit(), recall::toString);
        JsonObject nearest = JsonParser.parseString(recall.out().lines().findFirst().orElseThrow()).getAsJsonObject()
                .getAsJsonArray("neighbours").get(0).getAsJsonObject();
        assertTrue(nearest.get("source").getAsString().endsWith(source), recall::toString);
        assertEquals(0, nearest.get("distance").getAsDouble(), 1e-3, recall::toString);
    }

    private static String top(String recallJson) {
        JsonObject r = JsonParser.parseString(recallJson.lines().findFirst().orElseThrow()).getAsJsonObject();
        return r.getAsJsonArray("concepts").get(0).getAsJsonObject().get("name").getAsString();
    }
}
