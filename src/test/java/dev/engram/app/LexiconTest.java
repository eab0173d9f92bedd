package dev.engram.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.engram.EngramException;
import dev.engram.ExitCode;
import dev.engram.bind.Lexicon;
import dev.engram.encode.text.SentenceEncoder;
import dev.engram.encode.text.TextInput;
import dev.engram.encode.text.TextSpaces;
import dev.engram.recall.Recaller;
import dev.engram.store.AssociationKind;
import dev.engram.store.Binding;
import dev.engram.store.NewTrace;
import dev.engram.store.Space;
import dev.engram.store.Store;
import dev.engram.store.StoreLocation;
import dev.engram.store.StoreSummary;
import dev.engram.store.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Lexicon texts end to end on a real H2 store and the real sentence encoder: a glossary bound
 * with the kind lexicon, what recall makes of it, the encoder never mixed, and forgetting the
 * lexicon giving the old recall back.
 */
class LexiconTest {
    @TempDir
    Path tmp;
    private StoreLocation location;

    /** A text space holding the names trouser and shirt, each bound to its concept by label. */
    @BeforeEach
    void twoNames() {
        location = Stores.at(tmp.resolve("store").toString(), Duration.ofSeconds(5));
        SentenceEncoder encoder = SentenceEncoder.shared();
        try (Store store = location.openOrCreate()) {
            Space draft = TextSpaces.draft("text", encoder);
            List<NewTrace> traces = TextSpaces.traces(store, draft, encoder, List.of(
                    new TextInput("names", 1, "trouser"), new TextInput("names", 2, "shirt")));
            store.write(tx -> {
                Space s = tx.createSpace(draft.name(), draft.modality(), draft.encoder(), draft.dimension(),
                        draft.metric(), draft.config());
                List<Store.StoredTrace> stored = tx.addTraces(Map.of(s, traces)).get(s);
                return tx.bind(List.of(
                        new Binding(tx.conceptNamed("trouser").id(), stored.get(0).trace().id(), AssociationKind.LABEL, 0.5),
                        new Binding(tx.conceptNamed("shirt").id(), stored.get(1).trace().id(), AssociationKind.LABEL, 0.5)));
            });
        }
    }

    private Bind.Request glossary(Path file, String textModel) {
        return new Bind.Request(null, null, null, List.of(), false, false, null, false, 10, Double.NaN, Map.of(),
                Map.of(), null, List.of(), Integer.MAX_VALUE, true, file, textModel, 0.5);
    }

    private Map<String, Double> scores(String cue) {
        try (Store store = location.open()) {
            List<Recall.Recalled> recalled = new ArrayList<>();
            Recall.run(store, new Recall.Request(List.of(), List.of(cue), "text", List.of(), 10, 5, 3, false, null,
                    false, InputStream.nullInputStream()), Progress.SILENT, recalled::add);
            Map<String, Double> scores = new LinkedHashMap<>();
            for (Recaller.ConceptScore c : recalled.getFirst().recollection().concepts()) {
                scores.put(c.concept().label(), c.score());
            }
            return scores;
        }
    }

    private long traces() {
        try (Store store = location.open()) {
            return store.summary().spaces().stream().mapToLong(StoreSummary.SpaceSummary::traces).sum();
        }
    }

    @Test
    void aGlossaryBindsLexiconTextsAndForgettingThemRestoresTheOldRecall() throws Exception {
        Map<String, Double> before = scores("blue jeans");
        Path csv = Files.writeString(tmp.resolve("glossary.csv"),
                "concept,text\ntrouser,blue jeans\ntrouser,\"chinos, khakis\"\nshirt,a blouse\n# a comment\n");

        Bind.Result result = Bind.run(location, glossary(csv, null));

        assertEquals(List.of("blue jeans", "chinos, khakis", "a blouse"),
                result.lexicon().stream().map(Lexicon.Text::text).toList());
        assertEquals("lexicon", result.passes().getLast().kind());
        assertEquals(3, result.passes().getLast().newAssociations());
        assertEquals(5L, traces());
        try (Store store = location.open()) {
            Space text = store.space("text").orElseThrow();
            long jeans = store.traceIdsBySource(text).get(csv.toAbsolutePath() + "#2");
            assertEquals(AssociationKind.LEXICON, store.associationsOf(List.of(jeans)).get(jeans).getFirst().kind());
        }
        Map<String, Double> after = scores("blue jeans");
        assertEquals("trouser", after.keySet().iterator().next());
        assertNotEquals(before, after);

        Forget.Forgotten forgotten = Forget.run(location, new Forget.Request(List.of(), List.of(), List.of(),
                List.of(), null, null, List.of(), List.of(), false, false, true), gone -> { }, Progress.SILENT);
        assertEquals(Map.of("text", 3L), forgotten.tracesBySpace());
        assertEquals(2L, traces(), "the names, bound by label, stay");
        assertEquals(before, scores("blue jeans"));
    }

    @Test
    void aLexiconVoteCountsHalfALabelsAndOncePerConcept() {
        StoreLocation points = Stores.at(tmp.resolve("points").toString(), Duration.ofSeconds(5));
        try (Store store = points.openOrCreate()) {
            Space space = store.write(tx -> {
                Space s = tx.createSpace("s", "vector", "test", 2, "euclidean", "{}");
                List<Store.StoredTrace> t = tx.addTraces(Map.of(s, List.of(
                        new NewTrace("a", 1, "a", new float[] {1, 0}, 0, 0),
                        new NewTrace("b", 1, "b", new float[] {-1, 0}, 0, 0),
                        new NewTrace("c", 1, "c", new float[] {0, 1}, 0, 0),
                        new NewTrace("d", 1, "d", new float[] {0, -1}, 0, 0)))).get(s);
                tx.bind(List.of(
                        new Binding(tx.conceptNamed("named").id(), t.get(0).trace().id(), AssociationKind.LABEL, 0.5),
                        new Binding(tx.conceptNamed("worded").id(), t.get(1).trace().id(), AssociationKind.LEXICON, 0.5),
                        new Binding(tx.conceptNamed("worded").id(), t.get(2).trace().id(), AssociationKind.LEXICON, 0.5),
                        new Binding(tx.conceptNamed("worded").id(), t.get(3).trace().id(), AssociationKind.LEXICON, 0.5)));
                return s;
            });
            // Four traces at distance 1 from the cue: the label's vote is 0.5, the three lexicon
            // texts' 0.25 each, of which one counts.
            Recaller.Recollection r = new Recaller(store, space, new Recaller.Options(10, 5, 0, null, false))
                    .recall("origin", "vector", new float[] {0, 0}, Double.NaN);
            assertEquals("named", r.top().concept().label());
            assertEquals(2.0 / 3, r.top().score(), 1e-6);
            assertEquals(1.0 / 3, r.concepts().get(1).score(), 1e-6);
        }
    }

    @Test
    void aSpaceNeverMixesTwoEncoders() throws Exception {
        Path csv = Files.writeString(tmp.resolve("glossary.csv"), "trouser,slacks\n");

        EngramException bind = assertThrows(EngramException.class,
                () -> Bind.run(location, glossary(csv, "e5-small-v2")));
        assertEquals(ExitCode.INVALID_INPUT, bind.exitCode());
        assertTrue(bind.getMessage().contains("was encoded by all-minilm-l6-v2, not e5-small-v2"), bind.getMessage());
        EngramException encode = assertThrows(EngramException.class, () -> Encode.run(location, new Encode.Request(
                List.of("text"), "text", List.of(), List.of("slacks"), null, null, 8, null, 1, 8, 0.01, 1, false, 0,
                InputStream.nullInputStream(), List.of(), "e5-small-v2"), Progress.SILENT));
        assertEquals(ExitCode.INVALID_INPUT, encode.exitCode());
        EngramException unknown = assertThrows(EngramException.class,
                () -> Bind.run(location, glossary(csv, "word2vec")));
        assertTrue(unknown.getMessage().contains("choose one of all-minilm-l6-v2, bge-small-en-v1.5, e5-small-v2"),
                unknown.getMessage());
        assertEquals(2L, traces(), "nothing stored");
    }

    @Test
    void aBadGlossaryRowIsRefusedBeforeTheStoreIsTouched() throws Exception {
        Path csv = Files.writeString(tmp.resolve("glossary.csv"), "trouser,slacks\nshirt\n");
        EngramException e = assertThrows(EngramException.class, () -> Bind.run(location, glossary(csv, null)));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertTrue(e.getMessage().endsWith("glossary.csv:2: expected 'concept,text', got 'shirt'"), e.getMessage());
        assertEquals(2L, traces());

        String tooLong = "s".repeat(201);
        Files.writeString(csv, "# a comment, not a row\ntrouser,slacks\n" + tooLong + ",a blouse\n");
        EngramException name = assertThrows(EngramException.class, () -> Bind.run(location, glossary(csv, null)));
        assertEquals(ExitCode.INVALID_INPUT, name.exitCode());
        assertTrue(name.getMessage().contains("glossary.csv:3: 'sss"), name.getMessage());
        assertTrue(name.getMessage().endsWith("' is no concept name: names must not be blank, start with '#', or"
                + " exceed 200 characters"), name.getMessage());
        assertEquals(2L, traces());
    }
}
