package dev.engram.bind;

import dev.engram.EngramException;
import dev.engram.ExitCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The WordNet reader on a hand-made dictionary in WordNet's format (test resources), and on Debian's if installed. */
class WordNetTest {
    @TempDir
    Path tmp;

    /** The fixture's folder: a copy, so that a test may damage it. */
    static Path fixture(Path into) {
        try {
            Path source = Path.of(WordNetTest.class.getResource("/wordnet/index.noun").toURI()).getParent();
            Path dir = Files.createDirectories(into.resolve("wordnet"));
            for (String file : List.of("index.noun", "data.noun", "noun.exc")) {
                Files.copy(source.resolve(file), dir.resolve(file));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> parents(WordNet wordNet, String name) {
        return wordNet.lookup(name).orElseThrow(() -> new AssertionError(name + " not found")).parents();
    }

    @Test
    void followsTheFirstSenseAndTheFirstHypernymToTheRoot() {
        WordNet wn = WordNet.open(fixture(tmp));
        assertEquals(List.of("shoe", "footwear", "covering", "artifact", "object", "entity"), parents(wn, "sandal"));
        // Sense 1 of boot is the footwear, not the kick; covering's first hypernym is artifact, not commodity.
        assertEquals(List.of("footwear", "covering", "artifact", "object", "entity"), parents(wn, "boot"));
        assertEquals(List.of(), parents(wn, "entity"));
        // A word that is not its synset's first: the synset is gym_shoe, its parent shoe.
        WordNet.Entry sneaker = wn.lookup("sneaker").orElseThrow();
        assertEquals("gym-shoe", sneaker.sense().name());
        assertEquals(List.of("gym_shoe", "sneaker", "tennis_shoe"), sneaker.sense().words());
        assertEquals("shoe", sneaker.parents().getFirst());
        // An instance (@i pointer).
        assertEquals(List.of("person", "object", "entity"), parents(wn, "Ada Lovelace"));
    }

    @Test
    void spellingsOfEngramNames() {
        WordNet wn = WordNet.open(fixture(tmp));
        // WordNet keeps t-shirt's hyphen; the synset's first word is capitalised but names are lower case.
        WordNet.Entry tshirt = wn.lookup("T-Shirt").orElseThrow();
        assertEquals("t-shirt", tshirt.lemma());
        assertEquals("t-shirt", tshirt.sense().name());
        assertEquals(List.of("shirt", "covering", "artifact", "object", "entity"), tshirt.parents());
        assertEquals("tee_shirt", wn.lookup("tee-shirt").orElseThrow().lemma());
        assertEquals("tee_shirt", wn.lookup("tee shirt").orElseThrow().lemma());
        assertEquals("sandal", wn.lookup("sandals").orElseThrow().lemma());
        assertEquals("shoe", wn.lookup("shoon").orElseThrow().lemma(), "noun.exc");
        assertFalse(wn.lookup("sandals").orElseThrow().head());
    }

    @Test
    void aCompoundFallsBackToItsHeadWhichBecomesTheFirstParent() {
        WordNet wn = WordNet.open(fixture(tmp));
        WordNet.Entry ankleBoot = wn.lookup("ankle-boot").orElseThrow();
        assertTrue(ankleBoot.head());
        assertEquals("boot", ankleBoot.lemma());
        assertEquals(List.of("boot", "footwear", "covering", "artifact", "object", "entity"), ankleBoot.parents());
        assertEquals("boot", wn.lookup("ankle boots").orElseThrow().lemma());
    }

    @Test
    void unknownWordsAreNotFound() {
        WordNet wn = WordNet.open(fixture(tmp));
        for (String name : List.of("xyzzy", "aaa", "zzz", "café", "-", "", "#3", "shoe-xyzzy")) {
            assertTrue(wn.lookup(name).isEmpty(), name);
        }
    }

    @Test
    void candidatesInOrder() {
        assertEquals(List.of("ankle-boots", "ankle_boots", "ankleboots", "ankle-boot", "ankle_boot", "ankleboot",
                        "boots", "boot"),
                WordNet.candidates(" Ankle-Boots ", Map.of()).stream().map(WordNet.Candidate::lemma).toList());
        assertEquals(List.of("dress"), WordNet.candidates("dress", Map.of()).stream()
                .map(WordNet.Candidate::lemma).toList(), "Morphy leaves -ss alone");
    }

    @Test
    void aMissingDictionarySaysWhatToInstall() {
        EngramException e = assertThrows(EngramException.class, () -> WordNet.open(tmp.resolve("none")));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("wordnet-base"), e.getMessage());
    }

    @Test
    void corruptFilesAreReportedNotFollowed() throws IOException {
        Path dir = fixture(tmp);
        Path data = dir.resolve("data.noun");
        String text = Files.readString(data, StandardCharsets.ISO_8859_1);
        // shoe's hypernym pointer to footwear now points into the middle of a line.
        String shoe = text.lines().filter(l -> l.contains(" shoe 0 ")).findFirst().orElseThrow();
        String footwear = text.lines().filter(l -> l.contains(" footwear 0 ")).findFirst().orElseThrow().substring(0, 8);
        Files.writeString(data, text.replace(shoe, shoe.replace("@ " + footwear, "@ " + String.format("%08d",
                Long.parseLong(footwear) + 3))), StandardCharsets.ISO_8859_1);
        WordNet wn = WordNet.open(dir);
        EngramException e = assertThrows(EngramException.class, () -> wn.lookup("sandal"));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("data.noun is corrupt"), e.getMessage());
        assertTrue(wn.lookup("artifact").isPresent(), "the rest of the file still reads");

        Path index = dir.resolve("index.noun");
        Files.writeString(index, Files.readString(index).replace("sandal n 1 1 @ 1 0", "sandal n one 1 @ 1 0"));
        EngramException badIndex = assertThrows(EngramException.class, () -> WordNet.open(dir).lookup("sandal"));
        assertTrue(badIndex.getMessage().contains("index.noun is corrupt"), badIndex.getMessage());

        // A loop of hypernym pointers: entity's hyponym pointer becomes a hypernym one.
        Files.writeString(data, text.replace("001 ~ 00000246", "001 @ 00000246"), StandardCharsets.ISO_8859_1);
        EngramException loop = assertThrows(EngramException.class, () -> WordNet.open(dir).lookup("object"));
        assertTrue(loop.getMessage().contains("loop"), loop.getMessage());
    }

    @Test
    void debiansDictionary() {
        assumeTrue(Files.isRegularFile(WordNet.DEBIAN_DICTIONARY.resolve("index.noun")), "wordnet-base is not installed");
        WordNet wn = WordNet.open(WordNet.DEBIAN_DICTIONARY);
        List<String> sandal = parents(wn, "sandal");
        assertEquals(List.of("shoe", "footwear"), sandal.subList(0, 2));
        assertEquals("entity", sandal.getLast());
        assertEquals("boot", parents(wn, "ankle-boot").getFirst());
        assertEquals("shirt", parents(wn, "t-shirt").getFirst());
        for (String fashion : List.of("t-shirt", "trouser", "pullover", "dress", "coat", "sandal", "shirt", "sneaker",
                "bag", "ankle-boot")) {
            assertEquals("entity", parents(wn, fashion).getLast(), fashion);
        }
        assertTrue(wn.lookup("qwxzv").isEmpty());
    }
}
