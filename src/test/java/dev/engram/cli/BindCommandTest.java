package dev.engram.cli;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.engram.cli.Engram.json;
import static dev.engram.cli.Engram.on;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bind --wordnet} and {@code bind --synchrony --window} end to end, in process, on a store
 * whose concepts are named like Fashion-MNIST classes (plus one WordNet lacks) and bound from
 * folders of small synthetic images.
 */
class BindCommandTest {
    @RegisterExtension
    static final TemplateStore TEMPLATE = TemplateStore.of("bind-command", BindCommandTest::makeTemplate);
    static Path more;

    @TempDir
    Path tmp;
    Path store;

    /** Space a holds two images of each concept, bound by folder; {@code more/} holds three images for space b. */
    static void makeTemplate(Path dir, Path template) {
        Random random = new Random(3);
        Path images = dir.resolve("images");
        List<String> kinds = List.of("hbar", "vbar", "square", "hbar");
        List<String> names = List.of("sandal", "ankle-boot", "t-shirt", "xyzzy");
        for (int c = 0; c < names.size(); c++) {
            for (int i = 0; i < 2; i++) {
                Engram.write(images.resolve(names.get(c)).resolve(i + ".png"), Engram.draw(kinds.get(c), random));
            }
        }
        for (int i = 0; i < 3; i++) {
            Engram.write(dir.resolve("more").resolve(i + ".png"), Engram.draw("square", random));
        }
        Engram.Run encode = Engram.run("encode", "--store", template.toString(), "--space", "a", "--epochs", "1",
                images.toString());
        assertEquals(0, encode.exit(), encode::toString);
        Engram.Run bind = Engram.run("bind", "--store", template.toString(), "--from-dirs");
        assertEquals(0, bind.exit(), bind::toString);
    }

    @BeforeAll
    static void inputs() {
        more = TEMPLATE.path("more");
    }

    @BeforeEach
    void copyStore() {
        store = TEMPLATE.copyTo(tmp.resolve("store"));
    }

    /** The hand-made dictionary of the WordNet tests (read only here, so used in place). */
    private static Path dictionary() {
        try {
            return Path.of(BindCommandTest.class.getResource("/wordnet/index.noun").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> parents(String concept) {
        JsonObject recall = json(on(store, "recall", "--json", concept)).getFirst();
        return recall.getAsJsonArray("concepts").get(0).getAsJsonObject().getAsJsonArray("parents").asList().stream()
                .map(e -> e.getAsString()).toList();
    }

    @Test
    void wordnetImportsChainsKeepsUserParentsAndStopsAtExistingChains() {
        Path dict = dictionary();
        assertEquals(0, on(store, "bind", "--parent", "t-shirt=top").exit());
        Engram.Run run = on(store, "bind", "--json", "--wordnet", dict.toString(), "--no-lexicon");
        assertEquals(0, run.exit(), run::toString);
        Set<String> links = json(run).stream().map(l -> l.get("child").getAsString() + ">" + l.get("parent").getAsString())
                .collect(Collectors.toSet());
        // Whichever of sandal and ankle-boot goes first, the second stops where it meets footwear's chain.
        assertEquals(Set.of("sandal>shoe", "shoe>footwear", "ankle-boot>boot", "boot>footwear", "footwear>covering",
                "covering>artifact", "artifact>object", "object>entity"), links, run::toString);
        assertEquals(8, run.outLines().size(), "one line per link, nothing else on stdout");
        assertTrue(json(run).stream().allMatch(l -> l.get("pass").getAsString().equals("wordnet")));
        assertTrue(run.err().contains("looked up 5 concepts"), run::toString);
        assertTrue(run.err().contains("2 not found (xyzzy, top)") || run.err().contains("2 not found (top, xyzzy)"),
                run::toString);
        assertTrue(run.err().contains("kept the parent top of t-shirt (WordNet's would be shirt)"), run::toString);
        assertEquals(List.of("shoe", "footwear", "covering", "artifact", "object", "entity"), parents("sandal"));
        assertEquals(List.of("boot", "footwear", "covering", "artifact", "object", "entity"), parents("ankle-boot"));
        assertEquals(List.of("top"), parents("t-shirt"));

        // Again: nothing left to link, and agreeing parents are not reported as kept.
        Engram.Run again = on(store, "bind", "--wordnet", dict.toString(), "--no-lexicon");
        assertEquals(0, again.exit(), again::toString);
        assertEquals("", again.out());
        assertTrue(again.err().contains("set 0 parent links"), again::toString);
        assertEquals(1, again.err().lines().filter(l -> l.contains("kept the parent")).count(), again::toString);
    }

    @Test
    void wordnetDepthAndChosenConcepts() {
        Engram.Run run = on(store, "bind", "--wordnet", dictionary().toString(), "--wordnet-depth", "2",
                "--concept", "sandal", "--no-lexicon");
        assertEquals(0, run.exit(), run::toString);
        List<String> rows = run.outLines();
        assertEquals(3, rows.size(), run::toString);
        assertTrue(rows.get(0).matches("child\\s+parent\\s+from\\s+lemma\\s+depth\\s+new-parent"), run::toString);
        assertTrue(rows.get(1).matches("sandal\\s+shoe\\s+sandal\\s+sandal\\s+1\\s+yes"), run::toString);
        assertTrue(rows.get(2).matches("shoe\\s+footwear\\s+sandal\\s+sandal\\s+2\\s+yes"), run::toString);
        assertEquals(List.of("footwear"), parents("shoe"));
        assertEquals(List.of(), parents("ankle-boot"));
    }

    @Test
    void wordnetBadInput() {
        String before = Engram.snapshot(store);
        Engram.Run missing = on(store, "bind", "--wordnet", tmp.resolve("nowhere").toString());
        assertEquals(3, missing.exit(), missing::toString);
        assertTrue(missing.err().contains("install Debian's wordnet-base"), missing::toString);
        assertEquals(1, missing.err().lines().filter(l -> !l.isBlank()).count(), missing::toString);
        Path dict = dictionary();
        Engram.Run unknown = on(store, "bind", "--wordnet", dict.toString(), "--concept", "nope");
        assertEquals(5, unknown.exit(), unknown::toString);
        Engram.Run depth = on(store, "bind", "--wordnet", dict.toString(), "--wordnet-depth", "0");
        assertEquals(3, depth.exit(), depth::toString);
        Engram.Run alone = on(store, "bind", "--wordnet-depth", "2");
        assertEquals(3, alone.exit(), alone::toString);
        assertEquals(before, Engram.snapshot(store));
    }

    @Test
    void timeWindowsBindTracesOfTwoSpacesStoredTogether() {
        Engram.Run encode = on(store, "encode", "--space", "b", "--epochs", "1", more.toString());
        assertEquals(0, encode.exit(), encode::toString);
        // Space a was stored in one batch and space b in a later one: no zero-length window holds both.
        Engram.Run none = on(store, "bind", "--synchrony", "--window", "0ms");
        assertEquals(4, none.exit(), none::toString);
        assertTrue(none.err().contains("11 traces outside events"), none::toString);

        Engram.Run run = on(store, "bind", "--json", "--synchrony", "--window", "PT1H");
        assertEquals(0, run.exit(), run::toString);
        List<JsonObject> rows = json(run);
        assertEquals(1, rows.size(), run::toString);
        JsonObject window = rows.getFirst();
        assertEquals("window", window.get("pass").getAsString());
        assertEquals(11, window.get("bound").getAsInt());
        assertEquals(1, window.get("concepts").getAsInt());
        assertEquals(0, window.get("unbound").getAsInt());
        // The window's concept is the strongest label one among its traces (all tie at 0.5: the first
        // found), so the two traces of that concept already had their pair: 11 - 2 new ones.
        assertEquals(9, window.get("new_associations").getAsInt());
    }

    @Test
    void windowBadInput() {
        Engram.Run unit = on(store, "bind", "--synchrony", "--window", "2 weeks");
        assertEquals(3, unit.exit(), unit::toString);
        assertTrue(unit.err().contains("cannot read time window '2 weeks'"), unit::toString);
        Engram.Run alone = on(store, "bind", "--window", "2s");
        assertEquals(3, alone.exit(), alone::toString);
        assertTrue(alone.err().contains("give --synchrony too"), alone::toString);
    }
}
