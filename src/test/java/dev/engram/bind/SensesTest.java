package dev.engram.bind;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Sense choice and the lexicon texts of a sense, on the test dictionary and on Debian's. */
class SensesTest {
    @TempDir
    Path tmp;

    private static Map<String, List<String>> alone(String... names) {
        Map<String, List<String>> concepts = new LinkedHashMap<>();
        for (String name : names) {
            concepts.put(name, List.of());
        }
        return concepts;
    }

    @Test
    void aParentInTheStoreChoosesTheSenseItIsAHypernymOf() {
        WordNet wn = WordNet.open(WordNetTest.fixture(tmp));
        // Sense 1 of boot is footwear; under "object" directly, it is the kick (sense 2).
        Senses.Choice kick = Senses.choose(wn, Map.of("boot", List.of("object"))).get("boot");
        assertEquals("boot.n.02", kick.entry().senseName());
        assertTrue(kick.reason().contains("parent object"), kick.reason());
        Senses.Choice footwear = Senses.choose(wn, Map.of("boot", List.of("footwear"))).get("boot");
        assertEquals("boot.n.01", footwear.entry().senseName());
        Senses.Choice alone = Senses.choose(wn, alone("boot")).get("boot");
        assertEquals("boot.n.01", alone.entry().senseName());
        assertEquals("the most frequent of its 2 senses", alone.reason());
        assertEquals("its only sense", Senses.choose(wn, alone("sandal")).get("sandal").reason());
        assertFalse(Senses.choose(wn, alone("xyzzy")).containsKey("xyzzy"), "not found: no choice");
    }

    @Test
    void theLexiconOfASenseIsItsSynonymsGlossParentAndKinds() {
        WordNet wn = WordNet.open(WordNetTest.fixture(tmp));
        List<Lexicon.Text> shoe = Lexicon.of(wn, wn.lookup("shoe").orElseThrow());
        assertEquals(List.of("shoe", "footwear below the ankle", "footwear", "footgear", "sandal", "gym shoe",
                "sneaker", "tennis shoe"), shoe.stream().map(Lexicon.Text::text).toList());
        assertEquals(List.of(Lexicon.Part.SYNONYM, Lexicon.Part.GLOSS, Lexicon.Part.HYPERNYM, Lexicon.Part.HYPERNYM,
                Lexicon.Part.HYPONYM, Lexicon.Part.HYPONYM, Lexicon.Part.HYPONYM, Lexicon.Part.HYPONYM),
                shoe.stream().map(Lexicon.Text::part).toList());
        assertEquals("wordnet:shoe.n.01", shoe.getFirst().source());
        // A compound found by its head takes the head's words but not its parent's or its kinds.
        List<Lexicon.Text> ankleBoot = Lexicon.of(wn, wn.lookup("ankle-boot").orElseThrow());
        assertEquals(List.of("boot", "footwear reaching above the ankle"),
                ankleBoot.stream().map(Lexicon.Text::text).toList());
        assertTrue(ankleBoot.stream().allMatch(t -> t.concept().equals("ankle-boot")));

        // Names of concepts go (sandal is a concept of its own); a text both a synonym of one
        // concept and a hyponym of another stays with the first.
        List<Lexicon.Text> texts = new java.util.ArrayList<>(shoe);
        texts.addAll(Lexicon.of(wn, wn.lookup("sneaker").orElseThrow()));
        List<Lexicon.Text> kept = Lexicon.distinct(texts, List.of("shoe", "sandal", "sneaker"));
        assertEquals(List.of("shoe:footwear below the ankle", "shoe:footwear", "shoe:footgear", "sneaker:gym shoe",
                        "sneaker:tennis shoe", "sneaker:first word differs from the looked-up one"),
                kept.stream().map(t -> t.concept() + ":" + t.text()).toList());
    }

    @Test
    void theOtherConceptsChooseASenseOnlyWhenMostOfThemAgree() {
        assumeTrue(Files.isRegularFile(WordNet.DEBIAN_DICTIONARY.resolve("index.noun")), "wordnet-base is not installed");
        WordNet wn = WordNet.open(WordNet.DEBIAN_DICTIONARY);
        Senses.Choice mouse = Senses.choose(wn, alone("mouse", "keyboard", "monitor", "printer")).get("mouse");
        assertTrue(mouse.entry().number() > 1 && mouse.entry().sense().gloss().contains("computer"),
                mouse.entry().senseName() + ": " + mouse.entry().sense().gloss());
        assertTrue(mouse.reason().startsWith("it shares deeper hypernyms than sense 1 with "), mouse.reason());
        assertEquals(1, Senses.choose(wn, alone("mouse", "cat", "rat")).get("mouse").entry().number());
        // A few living things among many artifacts do not make apple the tree.
        Senses.Choice apple = Senses.choose(wn, alone("apple", "cat", "dog", "tree", "t-shirt", "trouser", "pullover",
                "dress", "coat", "sandal", "shirt", "sneaker", "bag", "car", "chair", "cup", "book")).get("apple");
        assertEquals("apple.n.01", apple.entry().senseName(), apple.reason());
    }
}
