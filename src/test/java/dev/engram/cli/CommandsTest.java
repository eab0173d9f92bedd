package dev.engram.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static dev.engram.cli.Engram.json;
import static dev.engram.cli.Engram.on;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The commands end to end, in process, on a small synthetic image set (three shapes). One store
 * is trained once for the class; each test works on its own copy.
 */
class CommandsTest {
    @RegisterExtension
    static final TemplateStore TEMPLATE = TemplateStore.shapes(12, 1, 40);
    static Path train;
    @TempDir
    static Path cues;

    @TempDir
    Path tmp;
    Path store;

    @BeforeAll
    static void drawCues() {
        train = TEMPLATE.path("train");
        Random random = new Random(99);
        for (String c : Engram.CLASSES) {
            for (int i = 1; i <= 3; i++) {
                Engram.write(cues.resolve(c + "-" + i + ".png"), Engram.draw(c, random));
            }
        }
    }

    @BeforeEach
    void copyStore() {
        store = TEMPLATE.copyTo(tmp.resolve("store"));
    }

    @Test
    void encodeStoresOneTracePerDistinctImageAndReportsSurprise() {
        Engram.Run again = on(store, "encode", "--space", "shapes", "--json", train.toString());
        assertEquals(0, again.exit(), again::toString);
        List<JsonObject> lines = json(again);
        assertEquals(36, lines.size());
        for (JsonObject line : lines) {
            assertFalse(line.get("new").getAsBoolean(), "an image stored before is the same trace");
            double surprise = line.get("surprise").getAsDouble();
            double percentile = line.get("surprise_percentile").getAsDouble();
            assertTrue(surprise > 0 && surprise < 0.1, "reconstruction MSE of a trained image: " + surprise);
            assertTrue(percentile > 0 && percentile <= 1);
            assertEquals(64, line.get("hash").getAsString().length());
        }
        assertTrue(again.err().contains("0 new traces, 36 already stored"), again::toString);

        Engram.Run added = on(store, "encode", "--space", "shapes", "--json", cues.toString());
        assertEquals(9, json(added).stream().filter(l -> l.get("new").getAsBoolean()).count());
        JsonObject info = json(on(store, "info", "--json")).getFirst();
        assertEquals(45, info.getAsJsonArray("spaces").get(0).getAsJsonObject().get("traces").getAsInt());
        assertEquals(3, info.get("concepts").getAsInt());
        assertEquals(36, info.get("associations").getAsInt());
    }

    @Test
    void recallRanksTheTrueConceptFirstForMostHeldBackCues() {
        Engram.Run run = on(store, "recall", "--json", cues.toString());
        assertEquals(0, run.exit(), run::toString);
        List<JsonObject> lines = json(run);
        assertEquals(9, lines.size());
        int right = 0;
        for (JsonObject line : lines) {
            JsonArray concepts = line.getAsJsonArray("concepts");
            double previous = Double.POSITIVE_INFINITY;
            double sum = 0;
            for (var c : concepts) {
                double score = c.getAsJsonObject().get("score").getAsDouble();
                assertTrue(score <= previous, "concepts are ranked best first");
                previous = score;
                sum += score;
            }
            assertTrue(sum <= 1 + 1e-9);
            String file = Path.of(line.get("cue").getAsString()).getFileName().toString();
            String truth = file.substring(0, file.lastIndexOf('-'));
            right += concepts.get(0).getAsJsonObject().get("name").getAsString().equals(truth) ? 1 : 0;
            assertEquals(10, line.getAsJsonArray("neighbours").size());
        }
        assertTrue(right >= 8, right + " of 9 cues recalled their true concept");
    }

    @Test
    void recallFromATraceAndFromAConceptAndWritesReconstructions() throws IOException {
        Path out = tmp.resolve("png");
        Engram.Run run = on(store, "recall", "--json", "--reconstruct", out.toString(), "trace:1", "vbar",
                cues.resolve("hbar-1.png").toString());
        assertEquals(0, run.exit(), run::toString);
        List<JsonObject> lines = json(run);
        assertEquals(3, lines.size());
        // Image cues come first (they are batched), then the others in order.
        assertEquals("image", lines.get(0).get("kind").getAsString());
        assertTrue(Files.size(Path.of(lines.get(0).get("reconstruction").getAsString())) > 0);
        JsonObject trace = lines.get(1);
        assertEquals("trace", trace.get("kind").getAsString());
        assertEquals(0.0, trace.getAsJsonArray("neighbours").get(0).getAsJsonObject().get("distance").getAsDouble(),
                1e-3, "a stored trace is its own nearest neighbour");
        JsonObject concept = lines.get(2);
        assertEquals("vbar", concept.getAsJsonArray("concepts").get(0).getAsJsonObject().get("name").getAsString());
        assertEquals(5, concept.getAsJsonArray("concepts").get(0).getAsJsonObject().getAsJsonArray("members").size());
        try (var files = Files.list(out)) {
            assertTrue(files.filter(p -> p.getFileName().toString().startsWith("trace-")).count() >= 5);
        }
    }

    @Test
    void bindingTheSamePairAgainStrengthensItByTheHebbianRule() {
        Path labels = tmp.resolve("labels.csv");
        String source = train.resolve("hbar").resolve("000.png").toString();
        Engram.writeString(labels, "source,concept\n" + source + ",hbar\n");
        assertEquals(0, on(store, "bind", "--labels", labels.toString()).exit());
        Engram.Run recall = on(store, "recall", "--json", "--members", "50", "hbar");
        JsonArray members = json(recall).getFirst().getAsJsonArray("concepts").get(0).getAsJsonObject()
                .getAsJsonArray("members");
        JsonObject strongest = members.get(0).getAsJsonObject();
        assertEquals(source, strongest.get("source").getAsString());
        // from-dirs bound it at rate 0.5 (w = 0.5); the label binds again: 0.5 + 0.5 * (1 - 0.5).
        assertEquals(0.75, strongest.get("weight").getAsDouble(), 1e-12);
        assertEquals(2, strongest.get("count").getAsInt());
        JsonObject info = json(on(store, "info", "--json")).getFirst();
        assertEquals(36, info.get("associations").getAsInt(), "no new row for a pair bound again");
    }

    @Test
    void localityJoinsUnboundTracesToTheirNeighboursConcept() {
        assertEquals(0, on(store, "encode", "--space", "shapes", cues.toString()).exit());
        Engram.Run run = on(store, "bind", "--json", "--locality", "-k", "5", "--max-distance", "1e9");
        assertEquals(0, run.exit(), run::toString);
        JsonObject report = json(run).getFirst();
        assertEquals("locality", report.get("pass").getAsString());
        assertEquals(9, report.get("bound").getAsInt());
        assertEquals(0, report.get("unbound").getAsInt());
        int right = 0;
        for (String c : Engram.CLASSES) {
            for (int i = 1; i <= 3; i++) {
                String cue = cues.resolve(c + "-" + i + ".png").toString();
                JsonObject r = json(on(store, "recall", "--json", "-k", "1", cue)).getFirst();
                // The cue is now a stored trace, bound by locality: its own nearest neighbour.
                JsonObject self = r.getAsJsonArray("neighbours").get(0).getAsJsonObject();
                right += self.getAsJsonArray("concepts").get(0).getAsString().equals(c) ? 1 : 0;
            }
        }
        assertTrue(right >= 8, right + " of 9 joined their true concept");

        Engram.Run tight = on(store, "bind", "--json", "--locality", "--max-distance", "0");
        assertEquals(0, json(tight).getFirst().get("bound").getAsInt(), "nothing is unbound any more");
    }

    @Test
    void synchronyBindsTheTracesOfOneEventToOneConcept() {
        Path events = tmp.resolve("events");
        Random random = new Random(5);
        StringBuilder manifest = new StringBuilder();
        for (int e = 0; e < 2; e++) {
            for (String c : List.of("hbar", "square")) {
                String name = "ev" + e + "-" + c + ".png";
                Engram.write(events.resolve(name), Engram.draw(c, random));
                manifest.append("{\"image\": \"").append(name).append("\", \"concept\": \"seen-")
                        .append(c).append("\"}\n");
            }
        }
        manifest.append("{\"image\": \"").append("ev0-hbar.png").append("\"}\n");
        Engram.writeString(events.resolve("events.jsonl"), manifest.toString());
        Engram.Run encode = on(store, "encode", "--space", "shapes", "--manifest",
                events.resolve("events.jsonl").toString());
        assertEquals(0, encode.exit(), encode::toString);
        Engram.Run bind = on(store, "bind", "--json", "--synchrony");
        assertEquals(0, bind.exit(), bind::toString);
        JsonObject report = json(bind).getFirst();
        assertEquals("synchrony", report.get("pass").getAsString());
        // Five events; the fifth repeats an image, so its trace is the first event's trace.
        assertEquals(5, report.get("bound").getAsInt());
        JsonObject recall = json(on(store, "recall", "--json", "seen-square")).getFirst();
        assertEquals(2, recall.getAsJsonArray("concepts").get(0).getAsJsonObject().getAsJsonArray("members").size());
    }

    @Test
    void parentsFormAChainAndCyclesAreRefused() {
        assertEquals(0, on(store, "bind", "--parent", "hbar=bar", "--parent", "bar=shape").exit());
        JsonObject recall = json(on(store, "recall", "--json", "hbar")).getFirst();
        JsonArray parents = recall.getAsJsonArray("concepts").get(0).getAsJsonObject().getAsJsonArray("parents");
        assertEquals("[\"bar\",\"shape\"]", parents.toString());
        Engram.Run cycle = on(store, "bind", "--parent", "shape=hbar");
        assertEquals(3, cycle.exit(), cycle::toString);
        assertTrue(cycle.err().contains("descends from it"), cycle::toString);
    }

    @Test
    void dimStoresItsEstimatesAsReports() {
        Engram.Run run = on(store, "dim", "--json", "-k", "5");
        assertEquals(0, run.exit(), run::toString);
        List<JsonObject> reports = json(run);
        assertEquals(List.of("twonn", "twonn-mle", "mle"), reports.stream().map(r -> r.get("estimator").getAsString()).toList());
        for (JsonObject r : reports) {
            double d = r.get("estimate").getAsDouble();
            assertTrue(d > 0.5 && d < 16, "an intrinsic dimension within the 16-dimensional space: " + d);
            assertEquals(36, r.get("points").getAsInt());
        }
        List<JsonObject> history = json(on(store, "dim", "--json", "--history"));
        assertEquals(3, history.size());
        assertEquals(reports, history, "the history lists the reports exactly as they were printed, times included");

        List<JsonObject> all = json(on(store, "dim", "--json", "--estimator", "all"));
        assertEquals(java.util.Set.of("twonn", "twonn-mle", "mle", "pca", "pca-pr", "corrint", "gride", "danco"),
                all.stream().map(r -> r.get("estimator").getAsString()).collect(java.util.stream.Collectors.toSet()));
        assertTrue(all.stream().allMatch(r -> Double.isFinite(r.get("estimate").getAsDouble())), all::toString);
        Engram.Run unknown = on(store, "dim", "--estimator", "nope");
        assertEquals(3, unknown.exit(), unknown::toString);
    }

    @Test
    void tablesGoToStdoutAndMessagesToStderr() {
        Engram.Run run = on(store, "recall", cues.resolve("vbar-1.png").toString());
        assertEquals(0, run.exit(), run::toString);
        assertTrue(run.out().startsWith("cue "), run::toString);
        assertFalse(run.out().contains("engram:"), "no messages on stdout");
        assertTrue(run.err().contains("recalled 1 cues"), run::toString);
        Engram.Run quiet = Engram.run("-q", "recall", "--store", store.toString(), cues.resolve("vbar-1.png").toString());
        assertEquals("", quiet.err());
        Engram.Run both = Engram.run("-q", "-v", "info", "--store", store.toString());
        assertEquals(2, both.exit(), both::toString);
    }
}
