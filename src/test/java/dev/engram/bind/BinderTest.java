package dev.engram.bind;

import dev.engram.EngramException;
import dev.engram.ExitCode;
import dev.engram.TempStore;
import dev.engram.store.Association;
import dev.engram.store.AssociationKind;
import dev.engram.store.Concept;
import dev.engram.store.NewTrace;
import dev.engram.store.Space;
import dev.engram.store.Store;
import dev.engram.store.Transaction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.engram.TempStore.trace;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The binding passes on stores filled by hand with 2-D points, so that every vote, weight and
 * count can be worked out on paper. The rate is 0.5 throughout: by the Hebbian rule
 * {@code w <- w + 0.5 (1 - w)} a pair bound once weighs 0.5, twice 0.75, three times 0.875.
 */
class BinderTest {
    private static final double RATE = 0.5;

    @RegisterExtension
    final TempStore db = new TempStore();

    private Binder binder() {
        return new Binder(db.store(), RATE);
    }

    private Store store() {
        return db.store();
    }

    private static void assertFails(ExitCode code, Executable action) {
        EngramException e = assertThrows(EngramException.class, action);
        assertEquals(code, e.exitCode(), e.getMessage());
    }

    private void assertAssociation(long trace, String concept, AssociationKind kind, double weight, int count) {
        Association a = db.association(trace, concept);
        assertEquals(kind, a.kind(), a::toString);
        assertEquals(weight, a.weight(), 1e-6, a::toString);
        assertEquals(count, a.count(), a::toString);
    }

    @Test
    void aRateOutsideZeroToOneIsRefused() {
        for (double rate : new double[] {0, -0.5, 1.01, Double.NaN}) {
            assertFails(ExitCode.INVALID_INPUT, () -> new Binder(store(), rate));
        }
        new Binder(store(), 1);
    }

    // --- labels and folders

    @Test
    void labelsBindEachSourceToItsConceptAndBindingAgainStrengthens() {
        Space s = db.space("s", 2);
        long a = db.add(s, "a.png", 0, 0);
        long b = db.add(s, "b.png", 1, 0);
        long item = db.add(s, new NewTrace("items.idx", 3, "items-3", new float[] {2, 0}, 0, 0));

        Binder.Result first = binder().labels(s, Map.of("a.png", "x", "b.png", "x", "items.idx#3", "y"));

        assertEquals(new Binder.Result("label", 3, 3, 2, -1, Double.NaN), first);
        assertAssociation(a, "x", AssociationKind.LABEL, 0.5, 1);
        assertAssociation(b, "x", AssociationKind.LABEL, 0.5, 1);
        assertAssociation(item, "y", AssociationKind.LABEL, 0.5, 1);

        assertEquals(new Binder.Result("label", 1, 0, 1, -1, Double.NaN), binder().labels(s, Map.of("a.png", "x")));
        assertAssociation(a, "x", AssociationKind.LABEL, 0.75, 2);
        binder().labels(s, Map.of("a.png", "x"));
        assertAssociation(a, "x", AssociationKind.LABEL, 0.875, 3);
        assertAssociation(b, "x", AssociationKind.LABEL, 0.5, 1);
    }

    @Test
    void labelsNamingSourcesThatAreNoTracesOfTheSpaceBindNothing() {
        Space s = db.space("s", 2);
        Space other = db.space("other", 2);
        db.add(s, "a.png", 0, 0);
        db.add(other, "elsewhere.png", 0, 0);
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("a.png", "x");
        labels.put("nope.png", "y");
        labels.put("elsewhere.png", "z");

        EngramException e = assertThrows(EngramException.class, () -> binder().labels(s, labels));

        assertEquals(ExitCode.UNKNOWN_SOURCE, e.exitCode());
        assertEquals(8, e.exitCode().code());
        assertTrue(e.getMessage().contains("2 of 3") && e.getMessage().contains("nope.png")
                && e.getMessage().contains("elsewhere.png") && e.getMessage().contains("nothing was bound"),
                e.getMessage());
        assertTrue(store().concepts().isEmpty(), "not even the known source's concept");
        assertTrue(store().boundTraceIds(s).isEmpty());
    }

    @Test
    void directoriesNameEachImagesConceptAfterItsFolder() {
        Space s = db.space("s", 2);
        long h0 = db.add(s, "/data/hbar/0.png", 0, 0);
        long h1 = db.add(s, "/data/hbar/1.png", 0, 1);
        long v0 = db.add(s, "/data/vbar/0.png", 5, 0);
        long item = db.add(s, new NewTrace("/data/items.idx", 0, "item-0", new float[] {9, 9}, 0, 0));
        long loose = db.add(s, "loose.png", 7, 7);

        assertEquals(new Binder.Result("directory", 3, 3, 2, -1, Double.NaN), binder().directories(s));

        assertEquals(List.of("hbar"), db.conceptsOf(h0));
        assertEquals(List.of("hbar"), db.conceptsOf(h1));
        assertEquals(List.of("vbar"), db.conceptsOf(v0));
        assertEquals(List.of(), db.conceptsOf(item), "an item of a file has no folder of its own");
        assertEquals(List.of(), db.conceptsOf(loose), "no folder in the source");
    }

    @Test
    void directoriesWithoutImageFilesInFoldersHaveNothingToDo() {
        Space s = db.space("s", 2);
        db.add(s, new NewTrace("/data/items.idx", 0, "item-0", new float[] {0, 0}, 0, 0));
        assertFails(ExitCode.NOTHING_TO_DO, () -> binder().directories(s));
    }

    // --- locality

    /** Concept a at (0,0) and (1,0), concept b at (10,0) and (10,1), each bound by label. */
    private Space twoConcepts() {
        Space s = db.space("s", 2);
        db.label(db.add(s, "a1", 0, 0), "a", RATE);
        db.label(db.add(s, "a2", 1, 0), "a", RATE);
        db.label(db.add(s, "b1", 10, 0), "b", RATE);
        db.label(db.add(s, "b2", 10, 1), "b", RATE);
        return s;
    }

    @Test
    void localityJoinsTheConceptOfTheNearestBoundNeighboursWithinTheBound() {
        Space s = twoConcepts();
        long near = db.add(s, "near", 2, 0);
        long far = db.add(s, "far", 100, 100);

        // near: its two nearest bound neighbours, a2 at 1 and a1 at 2, both vote a (b1 at 8 is
        // past k); far: its nearest bound neighbour lies past the bound of 5.
        Binder.Result r = binder().locality(s, 2, 5);

        assertEquals(new Binder.Result("locality", 1, 1, 1, 1, 5), r);
        assertAssociation(near, "a", AssociationKind.LOCALITY, RATE, 1);
        assertEquals(List.of(), db.conceptsOf(far));
    }

    @Test
    void aContestedVoteGivesAWeakerAssociation() {
        Space s = twoConcepts();
        long between = db.add(s, "between", 5, 0);

        binder().locality(s, 4, Double.POSITIVE_INFINITY);

        // Votes 1 / distance: a2 at 4 and a1 at 5 for a, b1 at 5 and b2 at sqrt(26) for b.
        double a = 1 / 4.0 + 1 / 5.0;
        double b = 1 / 5.0 + 1 / Math.sqrt(26);
        assertAssociation(between, "a", AssociationKind.LOCALITY, RATE * a / (a + b), 1);
        assertTrue(db.association(between, "a").weight() < 0.27, "a near tie is a weak join");
        assertNull(db.association(between, "b"), "only the winner is bound");
    }

    @Test
    void onlyTracesBoundBeforeThePassVote() {
        Space s = db.space("s", 2);
        db.label(db.add(s, "a", 0, 0), "a", RATE);
        db.label(db.add(s, "b", 10, 0), "b", RATE);
        long first = db.add(s, "first", 4, 0);
        long second = db.add(s, "second", 5.5f, 0);

        Binder.Result r = binder().locality(s, 1, Double.POSITIVE_INFINITY);

        assertEquals(2, r.bound());
        assertEquals(List.of("a"), db.conceptsOf(first));
        // first, joined to a earlier in the pass, is nearer (1.5) than b (4.5) but does not vote.
        assertEquals(List.of("b"), db.conceptsOf(second));
    }

    @Test
    void theDefaultBoundIsThe95thPercentileOfTheDistanceToTheNearestMemberOfTheSameConcept() {
        Space s = db.space("s", 2);
        // Nineteen members 1 apart on a line and one outlier 10 above the first: of the twenty
        // nearest-member distances, nineteen are 1; the 95th percentile (the 19th) is 1, not 10.
        for (int i = 0; i < 19; i++) {
            db.label(db.add(s, "on-line-" + i, i, 0), "a", RATE);
        }
        db.label(db.add(s, "outlier", 0, 10), "a", RATE);
        long close = db.add(s, "close", 5, 0.5f);
        long away = db.add(s, "away", 0, 5);

        Binder.Result r = binder().locality(s, 3, Double.NaN);

        assertEquals(1, r.maxDistance(), 1e-6);
        assertEquals(1, r.bound());
        assertEquals(1, r.unbound());
        assertEquals(List.of("a"), db.conceptsOf(close));
        assertEquals(List.of(), db.conceptsOf(away), "5 from its nearest members: past the bound");
    }

    @Test
    void localityNeedsKAndBoundTraces() {
        Space s = db.space("s", 2);
        db.add(s, "a", 0, 0);
        assertFails(ExitCode.NOTHING_TO_DO, () -> binder().locality(s, 3, Double.NaN));
        assertFails(ExitCode.INVALID_INPUT, () -> binder().locality(s, 0, Double.NaN));
    }

    // --- synchrony

    /** A trace to store in a space. */
    private record In(Space space, NewTrace trace) {
    }

    private static In in(Space space, String source, float... vector) {
        return new In(space, trace(source, vector));
    }

    /** Stores the traces in one unit of work, so that they share its time; returns their ids in the order given. */
    private List<Long> together(In... traces) {
        return store().write(tx -> add(tx, 0, traces));
    }

    /** Stores the traces as perceived in one event, named {@code name} (null for none). */
    private List<Long> event(String name, In... traces) {
        return store().write(tx -> add(tx, tx.createEvent(name, Instant.parse("2026-01-01T00:00:00Z"), "test"),
                traces));
    }

    private static List<Long> add(Transaction tx, long event, In... traces) {
        Map<Space, List<NewTrace>> batches = new LinkedHashMap<>();
        for (In t : traces) {
            batches.computeIfAbsent(t.space(), k -> new ArrayList<>()).add(t.trace().inEvent(event));
        }
        Map<Space, List<Store.StoredTrace>> stored = tx.addTraces(batches);
        Map<Space, Integer> taken = new HashMap<>();
        List<Long> ids = new ArrayList<>();
        for (In t : traces) {
            ids.add(stored.get(t.space()).get(taken.merge(t.space(), 1, Integer::sum) - 1).trace().id());
        }
        return ids;
    }

    @Test
    void anEventBindsItsTracesToTheConceptItIsNamedAfter() {
        Space image = db.space("image", 2);
        Space text = db.space("text", 2);
        List<Long> cat = event("cat", in(image, "cat.png", 0, 0), in(text, "cat.txt", 0, 0));

        assertEquals(new Binder.Result("synchrony", 2, 2, 1, -1, Double.NaN), binder().synchrony(null));

        assertAssociation(cat.get(0), "cat", AssociationKind.SYNCHRONY, RATE, 1);
        assertAssociation(cat.get(1), "cat", AssociationKind.SYNCHRONY, RATE, 1);
    }

    @Test
    void anUnnamedEventJoinsTheLabelConceptOfOneOfItsTraces() {
        Space image = db.space("image", 2);
        Space text = db.space("text", 2);
        long picture = db.add(image, "cat.png", 0, 0);
        db.label(picture, "cat", RATE);
        List<Long> ids = event(null, in(image, "cat.png", 0, 0), in(text, "cat.txt", 0, 0));
        assertEquals(picture, ids.get(0), "the image was stored before: the event holds that trace");

        assertEquals(new Binder.Result("synchrony", 2, 1, 1, -1, Double.NaN), binder().synchrony(null));

        assertAssociation(ids.get(1), "cat", AssociationKind.SYNCHRONY, RATE, 1);
        assertAssociation(picture, "cat", AssociationKind.LABEL, 0.75, 2);
        assertEquals(1, store().concepts().size(), "no concept of its own");
    }

    @Test
    void anUnnamedEventWithoutLabelsFormsAnUnnamedConcept() {
        Space image = db.space("image", 2);
        Space text = db.space("text", 2);
        List<Long> ids = event(null, in(image, "x.png", 0, 0), in(text, "x.txt", 0, 0));

        binder().synchrony(null);

        List<Concept> concepts = store().concepts();
        assertEquals(1, concepts.size());
        assertNull(concepts.getFirst().name());
        String label = "#" + concepts.getFirst().id();
        assertEquals(List.of(label), db.conceptsOf(ids.get(0)));
        assertEquals(List.of(label), db.conceptsOf(ids.get(1)));
    }

    @Test
    void aLaterUnnamedEventSharingATraceJoinsTheEarliersConcept() {
        Space image = db.space("image", 2);
        Space text = db.space("text", 2);
        List<Long> first = event(null, in(image, "1.png", 0, 0), in(text, "words.txt", 5, 5));
        List<Long> second = event(null, in(image, "2.png", 1, 0), in(text, "words.txt", 5, 5));
        long words = first.get(1);
        assertEquals(words, second.get(1), "the same words are one trace, perceived in both events");

        Binder.Result r = binder().synchrony(null);

        // Four bindings, three pairs: the shared trace is bound twice in the pass.
        assertEquals(new Binder.Result("synchrony", 4, 3, 1, -1, Double.NaN), r);
        assertEquals(1, store().concepts().size());
        String concept = store().concepts().getFirst().label();
        assertEquals(List.of(concept), db.conceptsOf(first.get(0)));
        assertEquals(List.of(concept), db.conceptsOf(second.get(0)));
        assertAssociation(words, concept, AssociationKind.SYNCHRONY, 0.75, 2);
    }

    @Test
    void bindingEventsAgainStrengthensTheirAssociationsByTheHebbianRule() {
        Space image = db.space("image", 2);
        Space text = db.space("text", 2);
        List<Long> named = event("cat", in(image, "cat.png", 0, 0), in(text, "cat.txt", 0, 0));
        List<Long> unnamed = event(null, in(image, "x.png", 9, 9), in(text, "x.txt", 9, 9));

        binder().synchrony(null);
        String x = db.conceptsOf(unnamed.get(0)).getFirst();
        Binder.Result again = binder().synchrony(null);
        binder().synchrony(null);

        assertEquals(new Binder.Result("synchrony", 4, 0, 2, -1, Double.NaN), again);
        assertEquals(2, store().concepts().size(), "the unnamed event found its concept again");
        for (long trace : named) {
            assertAssociation(trace, "cat", AssociationKind.SYNCHRONY, 0.875, 3);
        }
        for (long trace : unnamed) {
            assertAssociation(trace, x, AssociationKind.SYNCHRONY, 0.875, 3);
        }
    }

    @Test
    void synchronyInASpaceTakesTheEventsWithATraceThere() {
        Space image = db.space("image", 2);
        Space text = db.space("text", 2);
        List<Long> cat = event("cat", in(image, "cat.png", 0, 0), in(text, "cat.txt", 0, 0));
        long dog = event("dog", in(text, "dog.txt", 1, 1)).getFirst();

        assertEquals(new Binder.Result("synchrony", 2, 2, 1, -1, Double.NaN), binder().synchrony(image));

        assertEquals(List.of("cat"), db.conceptsOf(cat.get(1)), "the text too: it was perceived with the image");
        assertEquals(List.of(), db.conceptsOf(dog));
        assertTrue(store().concept("dog").isEmpty());
        assertEquals(3, binder().synchrony(text).bound(), "cat's two traces again, and dog's");
        assertEquals(List.of("dog"), db.conceptsOf(dog));
    }

    @Test
    void synchronyWithoutEventsHasNothingToDo() {
        Space image = db.space("image", 2);
        db.add(image, "a.png", 0, 0);
        assertFails(ExitCode.NOTHING_TO_DO, () -> binder().synchrony(null));
        assertFails(ExitCode.NOTHING_TO_DO, () -> binder().synchrony(image));
    }

    // --- time windows

    @Test
    void aWindowHoldingTracesOfSeveralSpacesIsBoundLikeAnUnnamedEvent() {
        Space image = db.space("image", 2);
        Space text = db.space("text", 2);
        List<Long> pair = together(in(image, "1.png", 0, 0), in(text, "1.txt", 0, 0));
        List<Long> batch = together(in(image, "2a.png", 1, 0), in(image, "2b.png", 1, 1));
        long batchOfOne = batch.getFirst();
        long single = together(in(image, "3.png", 2, 0)).getFirst();
        List<Long> inEvent = event("cat", in(image, "cat.png", 5, 5), in(text, "cat.txt", 5, 5));

        // A window of no length: the traces of one unit of work, stored at one time. Only the
        // first unit holds two spaces; the event's traces are not loose.
        Binder.Result zero = binder().windows(null, Duration.ZERO);

        assertEquals(new Binder.Result("window", 2, 2, 1, 3, Double.NaN), zero);
        String concept = db.conceptsOf(pair.get(0)).getFirst();
        assertTrue(concept.startsWith("#"), "an unnamed concept: " + concept);
        assertEquals(List.of(concept), db.conceptsOf(pair.get(1)));
        assertEquals(List.of(), db.conceptsOf(batchOfOne), "a window of one space is left alone");
        assertEquals(List.of(), db.conceptsOf(inEvent.get(0)));

        // A day: every loose trace in one window, which joins the concept its pair already has.
        Binder.Result day = binder().windows(null, Duration.ofDays(1));

        assertEquals(new Binder.Result("window", 5, 3, 1, 0, Double.NaN), day);
        assertEquals(List.of(concept), db.conceptsOf(batchOfOne));
        assertEquals(List.of(concept), db.conceptsOf(single));
        assertAssociation(pair.get(0), concept, AssociationKind.SYNCHRONY, 0.75, 2);
    }

    @Test
    void windowsInASpaceAreThoseWithATraceThere() {
        Space image = db.space("image", 2);
        Space text = db.space("text", 2);
        Space sound = db.space("sound", 2);
        List<Long> seenAndRead = together(in(image, "1.png", 0, 0), in(text, "1.txt", 0, 0));
        List<Long> seenAndHeard = together(in(image, "2.png", 1, 0), in(sound, "2.wav", 0, 0));

        assertEquals(new Binder.Result("window", 2, 2, 1, 2, Double.NaN), binder().windows(text, Duration.ZERO));
        assertEquals(List.of(), db.conceptsOf(seenAndHeard.get(0)));

        assertEquals(2, binder().windows(sound, Duration.ZERO).bound());
        assertEquals(db.conceptsOf(seenAndHeard.get(0)), db.conceptsOf(seenAndHeard.get(1)));
        assertEquals(1, db.conceptsOf(seenAndHeard.get(1)).size());
        assertNotEquals(db.conceptsOf(seenAndRead.get(1)), db.conceptsOf(seenAndHeard.get(1)),
                "two windows, two concepts");
    }

    // --- hierarchy

    @Test
    void hierarchySetsParentsCreatingConceptsAndNamesUnnamedOnes() {
        Concept blob = store().write(Transaction::createUnnamedConcept);
        Map<String, String> parents = new LinkedHashMap<>();
        parents.put("hbar", "line");
        parents.put("vbar", "line");
        parents.put("line", "shape");

        binder().hierarchy(parents, Map.of(blob.label(), "blob"));

        assertEquals(List.of("line", "shape"), store().parentChain(db.concept("hbar")).stream().map(Concept::label)
                .toList());
        assertEquals(List.of("line", "shape"), store().parentChain(db.concept("vbar")).stream().map(Concept::label)
                .toList());
        assertEquals(blob.id(), db.concept("blob").id());
    }

    @Test
    void aBadNameLeavesTheParentsUnsetToo() {
        Concept blob = store().write(Transaction::createUnnamedConcept);

        assertFails(ExitCode.UNKNOWN_NAME, () -> binder().hierarchy(Map.of("hbar", "line"), Map.of("#999", "x")));
        assertFails(ExitCode.INVALID_INPUT, () -> binder().hierarchy(Map.of("hbar", "line"),
                Map.of(blob.label(), "#not-a-name")));

        assertEquals(List.of(blob), store().concepts(), "neither hbar nor line exists, and blob is unnamed");
    }

    @Test
    void aCycleOfParentsIsRefusedWhole() {
        Map<String, String> parents = new LinkedHashMap<>();
        parents.put("a", "b");
        parents.put("b", "c");
        parents.put("c", "a");

        EngramException e = assertThrows(EngramException.class, () -> binder().hierarchy(parents, Map.of()));

        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("descends from it"), e.getMessage());
        assertTrue(store().concepts().isEmpty());
    }
}
