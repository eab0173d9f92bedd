package dev.engram.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.engram.ExitCode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static dev.engram.cli.Engram.json;
import static dev.engram.cli.Engram.on;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Text spaces, multimodal events and cross-modal recall, through the commands. */
class MultimodalTest {
    /** Words for the synthetic shapes, as a caption writer might put them. */
    private static final Map<String, List<String>> CAPTIONS = Map.of(
            "hbar", List.of("a horizontal line across the picture", "a flat bar lying sideways",
                    "a wide horizontal stripe"),
            "vbar", List.of("a vertical line from top to bottom", "an upright standing bar",
                    "a tall vertical stripe"),
            "square", List.of("a small filled square in the middle", "a solid square block",
                    "a compact square box shape"));

    @RegisterExtension
    static final TemplateStore TEMPLATE = TemplateStore.of("multimodal", MultimodalTest::encodeEvents);

    @TempDir
    Path tmp;
    Path store;

    /** A store whose image and text spaces were filled from one manifest of image + caption events. */
    static void encodeEvents(Path dir, Path template) {
        Path events = dir.resolve("events");
        Random random = new Random(3);
        StringBuilder manifest = new StringBuilder();
        for (String c : Engram.CLASSES) {
            for (int i = 0; i < 8; i++) {
                String image = c + "/" + i + ".png";
                Engram.write(events.resolve(image), Engram.draw(c, random));
                manifest.append(String.format("{\"image\": \"%s\", \"text\": \"%s\", \"concept\": \"%s\"}%n",
                        image, CAPTIONS.get(c).get(i % 3), c));
            }
        }
        Engram.writeString(events.resolve("events.jsonl"), manifest.toString());
        Engram.Run encode = Engram.run("encode", "--store", template.toString(), "--space", "image=shapes",
                "--epochs", "30", "--batch-size", "8", "--manifest", events.resolve("events.jsonl").toString());
        assertEquals(0, encode.exit(), encode::toString);
        Engram.Run bind = Engram.run("bind", "--store", template.toString(), "--space", "shapes", "--synchrony");
        assertEquals(0, bind.exit(), bind::toString);
    }

    @BeforeEach
    void copyStore() {
        store = TEMPLATE.copyTo(tmp.resolve("store"));
    }

    @Test
    void eventsStoreOneTracePerModalityAndSynchronyBindsThemToTheEventsConcept() {
        Engram.Run info = on(store, "info", "--json");
        assertEquals(0, info.exit(), info::toString);
        JsonObject summary = json(info).getFirst();
        Set<String> spaces = new HashSet<>();
        for (JsonElement s : summary.getAsJsonArray("spaces")) {
            JsonObject space = s.getAsJsonObject();
            spaces.add(space.get("name").getAsString() + ":" + space.get("modality").getAsString()
                    + ":" + space.get("traces").getAsLong());
        }
        // 24 images, and 9 distinct captions (the same words twice are one trace).
        assertEquals(Set.of("shapes:image:24", "text:text:9"), spaces);
        assertEquals(24, summary.get("events").getAsLong());
    }

    @Test
    void aWrittenPhraseRecallsTheConceptWithItsImagesAndTexts() {
        Engram.Run recall = on(store, "recall", "--json", "--text", "a vertical stripe standing upright",
                "--members", "2");
        assertEquals(0, recall.exit(), recall::toString);
        JsonObject r = json(recall).getFirst();
        assertEquals("text", r.get("kind").getAsString());
        JsonObject top = r.getAsJsonArray("concepts").get(0).getAsJsonObject();
        assertEquals("vbar", top.get("name").getAsString());
        Set<String> modalities = new HashSet<>();
        for (JsonElement m : top.getAsJsonArray("members")) {
            JsonObject member = m.getAsJsonObject();
            modalities.add(member.get("modality").getAsString());
            if (member.get("modality").getAsString().equals("text")) {
                assertTrue(CAPTIONS.get("vbar").contains(member.get("text").getAsString()), member::toString);
            }
        }
        assertEquals(Set.of("image", "text"), modalities, "members of every modality");
        // The surprise of a text is its distance to the nearest stored text: in (0, 2).
        double surprise = r.get("surprise").getAsDouble();
        assertTrue(surprise > 0 && surprise < 2, r::toString);
    }

    @Test
    void recallReportsTheParentChainAndOnRequestTheSiblings() {
        Engram.Run bind = on(store, "bind", "--parent", "hbar=line", "--parent", "vbar=line", "--parent", "line=shape",
                "--parent", "square=shape");
        assertEquals(0, bind.exit(), bind::toString);
        Engram.Run recall = on(store, "recall", "--json", "--siblings", "--text", "a tall vertical stripe");
        assertEquals(0, recall.exit(), recall::toString);
        JsonObject top = json(recall).getFirst().getAsJsonArray("concepts").get(0).getAsJsonObject();
        assertEquals("vbar", top.get("name").getAsString());
        assertEquals("[\"line\",\"shape\"]", top.getAsJsonArray("parents").toString());
        assertEquals("[\"hbar\"]", top.getAsJsonArray("siblings").toString());
        Engram.Run plain = on(store, "recall", "--json", "--text", "a tall vertical stripe");
        assertFalse(json(plain).getFirst().getAsJsonArray("concepts").get(0).getAsJsonObject().has("siblings"));
    }

    @Test
    void anImageRecallsTheTextsOfItsConceptAndModalityRestrictsTheMembers() {
        Path cue = tmp.resolve("cue.png");
        Engram.write(cue, Engram.draw("square", new Random(77)));
        Engram.Run recall = on(store, "recall", "--json", "--modality", "text", cue.toString());
        assertEquals(0, recall.exit(), recall::toString);
        JsonObject top = json(recall).getFirst().getAsJsonArray("concepts").get(0).getAsJsonObject();
        assertEquals("square", top.get("name").getAsString());
        JsonArray members = top.getAsJsonArray("members");
        assertFalse(members.isEmpty());
        for (JsonElement m : members) {
            assertEquals("text", m.getAsJsonObject().get("modality").getAsString(), m::toString);
        }
    }

    @Test
    void textSurpriseIsTheDistanceToTheNearestStoredText() {
        Engram.Run again = on(store, "encode", "--json", "--text", CAPTIONS.get("hbar").get(0),
                "--text", "the stock market closed higher on friday", "--text", "a horizontal line across the image");
        assertEquals(0, again.exit(), again::toString);
        List<JsonObject> rows = json(again);
        assertFalse(rows.get(0).get("new").getAsBoolean(), "known words are the stored trace");
        double paraphrase = rows.get(2).get("surprise").getAsDouble();
        assertTrue(paraphrase > 0 && paraphrase < 0.5, rows.get(2)::toString);
        JsonObject unrelated = rows.get(1);
        assertTrue(unrelated.get("new").getAsBoolean());
        assertTrue(unrelated.get("surprise").getAsDouble() > 1.0, unrelated::toString);
        // Above every stored caption but the first, which had nothing to compare with (2.0).
        assertEquals(10.0 / 11, unrelated.get("surprise_percentile").getAsDouble(), 1e-9, unrelated::toString);
    }

    @Test
    void textFromStandardInputIsOneTextPerLine() {
        Engram.Run run = withStdin("first line of words\n\n  second line  \n", () ->
                on(store, "encode", "--json", "--space", "notes", "--modality", "text", "-"));
        assertEquals(0, run.exit(), run::toString);
        List<JsonObject> rows = json(run);
        assertEquals(2, rows.size(), run::toString);
        assertEquals("second line", rows.get(1).get("text").getAsString());
        assertEquals(3, rows.get(1).get("index").getAsInt(), "the line number");
        assertEquals(2.0, rows.get(0).get("surprise").getAsDouble(), 0, "nothing stored to compare with");
    }

    @Test
    void anEventsFolderGroupsFilesByBaseName() throws Exception {
        Path folder = tmp.resolve("folder");
        Random random = new Random(11);
        for (int i = 0; i < 3; i++) {
            Engram.write(folder.resolve("00" + i + ".png"), Engram.draw("hbar", random));
            Files.writeString(folder.resolve("00" + i + ".txt"), "horizontal bar number " + i);
        }
        Engram.Run run = on(store, "encode", "--json", "--space", "image=shapes", "--events", folder.toString());
        assertEquals(0, run.exit(), run::toString);
        List<JsonObject> rows = json(run);
        assertEquals(6, rows.size());
        Map<Long, Integer> perEvent = new java.util.HashMap<>();
        rows.forEach(r -> perEvent.merge(r.get("event").getAsLong(), 1, Integer::sum));
        assertEquals(3, perEvent.size());
        assertTrue(perEvent.values().stream().allMatch(n -> n == 2), perEvent::toString);
    }

    @Test
    void badEventsAreRefusedWithNothingStored() throws Exception {
        String before = Engram.snapshot(store);
        Path dir = tmp.resolve("bad");
        Engram.write(dir.resolve("a.png"), Engram.draw("vbar", new Random(1)));
        Files.writeString(tmp.resolve("outside.png"), "x");
        String[] lines = {
                "{\"image\": \"a.png\", \"text\": \"fine\"}\n{\"image\": \"a.png\", \"smell\": \"roses\"}",
                "{\"image\": \"a.png\", \"text\": \"   \"}",
                "{\"image\": \"a.png\", \"text\": \"fine\"}\n{\"image\": \"missing.png\"}",
                "{\"image\": \"../outside.png\", \"text\": \"escapes\"}",
                "{\"image\": \"a.png\", \"text\": 7}",
                "not json"};
        for (String manifest : lines) {
            Path file = dir.resolve("events.jsonl");
            Files.writeString(file, manifest);
            Engram.Run run = on(store, "encode", "--space", "image=shapes", "--manifest", file.toString());
            assertEquals(ExitCode.INVALID_INPUT.code(), run.exit(), run::toString);
            assertEquals(1, run.err().lines().count(), run::toString);
        }
        Engram.Run emptyText = on(store, "encode", "--text", " ");
        assertEquals(ExitCode.INVALID_INPUT.code(), emptyText.exit(), emptyText::toString);
        Engram.Run twoImages = on(store, "encode", "--events", dir.toString(), "--space", "image=shapes");
        assertEquals(ExitCode.INVALID_INPUT.code(), twoImages.exit(), "events.jsonl is no modality: " + twoImages);
        assertEquals(before, Engram.snapshot(store), "nothing stored");
    }

    private static Engram.Run withStdin(String input, java.util.function.Supplier<Engram.Run> body) {
        java.io.InputStream saved = System.in;
        System.setIn(new java.io.ByteArrayInputStream(input.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        try {
            return body.get();
        } finally {
            System.setIn(saved);
        }
    }
}
