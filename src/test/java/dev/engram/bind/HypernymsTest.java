package dev.engram.bind;

import dev.engram.EngramException;
import dev.engram.ExitCode;
import dev.engram.TempStore;
import dev.engram.store.Concept;
import dev.engram.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * WordNet hypernym chains imported as concept parents, on the hand-made dictionary of
 * {@link WordNetTest}: sandal &lt; shoe &lt; footwear &lt; covering &lt; artifact &lt; object &lt; entity,
 * boot &lt; footwear, T-shirt &lt; shirt &lt; covering.
 */
class HypernymsTest {
    @RegisterExtension
    final TempStore db = new TempStore();

    @TempDir
    Path tmp;

    private Store store() {
        return db.store();
    }

    /** Named concepts, created in this order; {@code child=parent} also sets a parent as a user would. */
    private void concepts(String... names) {
        store().write(tx -> {
            for (String name : names) {
                String[] pair = name.split("=");
                Concept c = tx.conceptNamed(pair[0]);
                if (pair.length == 2) {
                    tx.setParent(c, tx.conceptNamed(pair[1]));
                }
            }
            return null;
        });
    }

    private Hypernyms hypernyms(Path dictionary) {
        return new Hypernyms(store(), store(), WordNet.open(dictionary));
    }

    private List<String> parents(String concept) {
        return store().parentChain(db.concept(concept)).stream().map(Concept::label).toList();
    }

    /** Every concept with its parent's label (or "-"), in id order: the whole hierarchy as text. */
    private List<String> hierarchy() {
        return store().concepts().stream().map(c -> c.label() + " < " + (c.parentId() == 0 ? "-"
                : store().concept(c.parentId()).orElseThrow().label())).toList();
    }

    @Test
    void linksWholeChainsStoppingWhereAChainMeetsOneAlreadyLinked() {
        concepts("sandal", "ankle-boot", "t-shirt=top", "xyzzy");

        Hypernyms.Report report = hypernyms(WordNetTest.fixture(tmp)).importChains(List.of(), 10);

        assertEquals(5, report.lookedUp(), "every named concept, top included");
        assertEquals(List.of("top", "xyzzy"), report.notFound());
        assertEquals(List.of(
                new Hypernyms.Link("sandal", "shoe", "sandal", "sandal", 1, true),
                new Hypernyms.Link("shoe", "footwear", "sandal", "sandal", 2, true),
                new Hypernyms.Link("footwear", "covering", "sandal", "sandal", 3, true),
                new Hypernyms.Link("covering", "artifact", "sandal", "sandal", 4, true),
                new Hypernyms.Link("artifact", "object", "sandal", "sandal", 5, true),
                new Hypernyms.Link("object", "entity", "sandal", "sandal", 6, true),
                // Found by its head word, boot; footwear is linked already, so the chain stops there.
                new Hypernyms.Link("ankle-boot", "boot", "ankle-boot", "boot", 1, true),
                new Hypernyms.Link("boot", "footwear", "ankle-boot", "boot", 2, false)), report.links());
        assertEquals(7, report.conceptsCreated());
        assertEquals(List.of(new Hypernyms.Kept("t-shirt", "top", "shirt")), report.kept());
        assertEquals(List.of(), report.refused());

        assertEquals(List.of("shoe", "footwear", "covering", "artifact", "object", "entity"), parents("sandal"));
        assertEquals(List.of("boot", "footwear", "covering", "artifact", "object", "entity"), parents("ankle-boot"));
        assertEquals(List.of("top"), parents("t-shirt"));
        assertTrue(store().concept("shirt").isEmpty(), "the user's parent is kept, WordNet's not made");
    }

    @Test
    void importingAgainLinksNothingAndReportsOnlyParentsThatDiffer() {
        concepts("sandal", "ankle-boot", "t-shirt=top", "xyzzy");
        Hypernyms hypernyms = hypernyms(WordNetTest.fixture(tmp));
        hypernyms.importChains(List.of(), 10);
        List<String> before = hierarchy();

        Hypernyms.Report again = hypernyms.importChains(List.of(), 10);

        assertEquals(12, again.lookedUp(), "the five and the seven concepts the first import made");
        assertEquals(List.of(), again.links());
        assertEquals(List.of(new Hypernyms.Kept("t-shirt", "top", "shirt")), again.kept());
        assertEquals(before, hierarchy());
    }

    @Test
    void depthAndChosenConceptsLimitTheImport() {
        concepts("sandal", "ankle-boot");

        Hypernyms.Report report = hypernyms(WordNetTest.fixture(tmp)).importChains(List.of("sandal"), 2);

        assertEquals(1, report.lookedUp());
        assertEquals(List.of(new Hypernyms.Link("sandal", "shoe", "sandal", "sandal", 1, true),
                new Hypernyms.Link("shoe", "footwear", "sandal", "sandal", 2, true)), report.links());
        assertEquals(List.of("shoe", "footwear"), parents("sandal"));
        assertEquals(List.of(), parents("ankle-boot"));
    }

    @Test
    void aLinkThatWouldCloseACycleIsRefusedAndTheUsersParentKept() {
        // The user put footwear under shoe; WordNet has it the other way round.
        concepts("shoe", "footwear=shoe");

        Hypernyms.Report report = hypernyms(WordNetTest.fixture(tmp)).importChains(List.of(), 10);

        assertEquals(List.of(new Hypernyms.Refused("shoe", "footwear")), report.refused());
        assertEquals(List.of(new Hypernyms.Kept("footwear", "shoe", "covering")), report.kept());
        assertEquals(List.of(), report.links());
        assertEquals(List.of("shoe < -", "footwear < shoe"), hierarchy());
    }

    @Test
    void unknownConceptsAndDepthsBelowOneAreRefused() {
        concepts("sandal");
        Hypernyms hypernyms = hypernyms(WordNetTest.fixture(tmp));

        EngramException unknown = assertThrows(EngramException.class,
                () -> hypernyms.importChains(List.of("sandal", "nope"), 3));
        assertEquals(ExitCode.UNKNOWN_NAME, unknown.exitCode());
        assertTrue(unknown.getMessage().contains("'nope'"), unknown.getMessage());
        EngramException depth = assertThrows(EngramException.class, () -> hypernyms.importChains(List.of(), 0));
        assertEquals(ExitCode.INVALID_INPUT, depth.exitCode());

        assertEquals(List.of("sandal < -"), hierarchy());
    }

    @Test
    void aCorruptDictionaryStoresNothing() throws IOException {
        concepts("ankle-boot", "sandal");
        Path dictionary = WordNetTest.fixture(tmp);
        // shoe's hypernym pointer now points into the middle of a line: boot's chain still
        // reads, sandal's (through shoe) does not.
        Path data = dictionary.resolve("data.noun");
        String text = Files.readString(data, StandardCharsets.ISO_8859_1);
        Files.writeString(data, text.replace("00001155 06 n 01 shoe 0 003 @ 00001037",
                "00001155 06 n 01 shoe 0 003 @ 00001040"), StandardCharsets.ISO_8859_1);

        EngramException e = assertThrows(EngramException.class,
                () -> hypernyms(dictionary).importChains(List.of(), 10));

        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("data.noun is corrupt"), e.getMessage());
        assertEquals(List.of("ankle-boot < -", "sandal < -"), hierarchy());
    }

    @Test
    void anImportThatFailsWhileWritingStoresNothing() throws IOException {
        concepts("sandal");
        Path dictionary = WordNetTest.fixture(tmp);
        // Artifact's synset now gives a name engram refuses (# is kept for unnamed concepts), of
        // the same length so that every byte offset holds: the chain fails at its fourth link,
        // after three were written in the same unit of work.
        Path data = dictionary.resolve("data.noun");
        String text = Files.readString(data, StandardCharsets.ISO_8859_1);
        Files.writeString(data, text.replace(" 02 artifact 0 artefact ", " 02 #rtifact 0 artefact "),
                StandardCharsets.ISO_8859_1);

        EngramException e = assertThrows(EngramException.class,
                () -> hypernyms(dictionary).importChains(List.of(), 10));

        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("#rtifact"), e.getMessage());
        assertEquals(List.of("sandal < -"), hierarchy(), "no parent set, no concept made");
    }
}
