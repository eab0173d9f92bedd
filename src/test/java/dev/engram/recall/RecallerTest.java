package dev.engram.recall;

import dev.engram.TempStore;
import dev.engram.store.Concept;
import dev.engram.store.NewTrace;
import dev.engram.store.Space;
import dev.engram.store.Trace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Recall on stores filled by hand with 2-D points, scored on paper: neighbour i at distance d_i
 * votes w / d_i for each concept it is bound to with weight w, and a concept scores its share
 * of all the votes.
 */
class RecallerTest {
    private static final float[] ORIGIN = {0, 0};

    @RegisterExtension
    final TempStore db = new TempStore();

    private static Recaller.Options options(int k, int concepts) {
        return new Recaller.Options(k, concepts, 5, null, false);
    }

    private long add(Space space, String source, double surprise, float... vector) {
        return db.add(space, new NewTrace(source, -1, source, vector, surprise, 0));
    }

    private static List<String> names(List<Concept> concepts) {
        return concepts.stream().map(Concept::label).toList();
    }

    private static List<String> sources(Recaller.ConceptScore score) {
        return score.members().stream().map(m -> m.trace().source()).toList();
    }

    /** Later batches reuse the neighbours read for earlier ones: what each cue recalls does not change. */
    @Test
    void batchesSharingNeighboursRecallWhatEachCueRecallsAlone() {
        Space s = db.space("s", 2);
        for (int i = 0; i < 40; i++) {
            long t = add(s, "t" + i, 0.01 * i, (float) Math.cos(i), (float) Math.sin(i) * i / 10f);
            db.label(t, i % 3 == 0 ? "a" : "b", 0.3 + 0.01 * i);
        }
        float[][] cues = new float[30][];
        java.util.Random random = new java.util.Random(2);
        for (int i = 0; i < cues.length; i++) {
            cues[i] = new float[] {(float) random.nextGaussian(), (float) random.nextGaussian() * 2};
        }
        Recaller shared = new Recaller(db.store(), s, options(5, 3));
        List<Recaller.Recollection> batched = new java.util.ArrayList<>();
        for (int from = 0; from < cues.length; from += 7) {
            int to = Math.min(cues.length, from + 7);
            List<String> labels = java.util.stream.IntStream.range(from, to).mapToObj(i -> "c" + i).toList();
            batched.addAll(shared.recallAll(labels, "vector", java.util.Arrays.copyOfRange(cues, from, to),
                    new double[to - from]));
        }
        for (int i = 0; i < cues.length; i++) {
            Recaller.Recollection alone = new Recaller(db.store(), s, options(5, 3)).recall("c" + i, "vector", cues[i], 0);
            assertEquals(summary(alone), summary(batched.get(i)), "cue " + i);
        }
    }

    /** What a recollection says, with traces by id (a trace's vector is an array: no value equality). */
    private static String summary(Recaller.Recollection r) {
        return r.cue() + " " + r.surprisePercentile() + " " + r.neighbours().stream()
                .map(h -> h.trace().id() + "@" + h.distance() + h.concepts()).toList() + " " + r.concepts().stream()
                .map(c -> c.concept().label() + "=" + c.score() + "/" + c.votes() + c.members().stream()
                        .map(m -> m.trace().id()).toList()).toList();
    }

    @Test
    void aConceptScoresItsShareOfTheDistanceWeightedVotesOfTheNearestTraces() {
        Space s = db.space("s", 2);
        long near = add(s, "near", 0.1, 1, 0);
        long mid = add(s, "mid", 0.2, 0, 2);
        long far = add(s, "far", 0.4, 0, -4);
        long beyond = add(s, "beyond", 0.5, 10, 0);
        db.label(near, "a", 0.5);
        db.label(mid, "b", 0.75);
        db.label(far, "a", 0.5);
        db.label(far, "b", 0.5);
        db.label(beyond, "c", 0.9);

        Recaller.Recollection r = new Recaller(db.store(), s, options(3, 10)).recall("origin", "vector", ORIGIN, 0.3);

        // a: 0.5 / 1 + 0.5 / 4 = 0.625; b: 0.75 / 2 + 0.5 / 4 = 0.5; c's trace is not among the 3 nearest.
        assertEquals(List.of("a", "b"), r.concepts().stream().map(c -> c.concept().label()).toList());
        assertEquals(0.625 / 1.125, r.concepts().get(0).score(), 1e-6);
        assertEquals(0.5 / 1.125, r.concepts().get(1).score(), 1e-6);
        assertEquals(1, r.concepts().stream().mapToDouble(Recaller.ConceptScore::score).sum(), 1e-9);
        assertEquals(List.of(2, 2), r.concepts().stream().map(Recaller.ConceptScore::votes).toList());
        assertEquals("a", r.top().concept().label());

        assertEquals(List.of("near", "mid", "far"), r.neighbours().stream().map(h -> h.trace().source()).toList());
        assertEquals(List.of(1.0, 2.0, 4.0), r.neighbours().stream().map(h -> (double) Math.round(h.distance() * 1e6)
                / 1e6).toList());
        assertEquals(Set.of("a", "b"), Set.copyOf(r.neighbours().get(2).concepts()));
        assertEquals("origin", r.cue());
        assertEquals("vector", r.kind());
        assertEquals(0.3, r.surprise());
        assertEquals(0.5, r.surprisePercentile(), 1e-12, "two of the four stored surprises are at most 0.3");
    }

    @Test
    void equalScoresAreRankedByNameAndOnlyTheBestAreListed() {
        Space s = db.space("s", 2);
        db.label(add(s, "right", 0, 1, 0), "beta", 0.5);
        db.label(add(s, "left", 0, -1, 0), "alpha", 0.5);

        Recaller.Recollection all = new Recaller(db.store(), s, options(2, 10)).recall("o", "vector", ORIGIN,
                Double.NaN);
        Recaller.Recollection best = new Recaller(db.store(), s, options(2, 1)).recall("o", "vector", ORIGIN,
                Double.NaN);

        assertEquals(List.of("alpha", "beta"), all.concepts().stream().map(c -> c.concept().label()).toList());
        assertEquals(List.of(0.5, 0.5), all.concepts().stream().map(Recaller.ConceptScore::score).toList());
        assertEquals(1, best.concepts().size());
        assertEquals("alpha", best.top().concept().label());
        assertEquals(0.5, best.top().score(), 1e-12, "a share of all the votes, listed or not");
        assertTrue(Double.isNaN(best.surprisePercentile()), "no surprise, no percentile");
    }

    @Test
    void neighboursBoundToNoConceptRecallNothing() {
        Space s = db.space("s", 2);
        add(s, "loose", 0, 1, 1);

        Recaller.Recollection r = new Recaller(db.store(), s, options(3, 10)).recall("o", "vector", ORIGIN, 0.1);

        assertEquals(1, r.neighbours().size());
        assertEquals(List.of(), r.neighbours().getFirst().concepts());
        assertEquals(List.of(), r.concepts());
        assertNull(r.top());
    }

    /** Concept cat: three images (weights 0.9, 0.5, 0.7) and one text (0.2). */
    private Map<String, Space> cat() {
        Space image = db.space("image", 2);
        Space text = db.space("text", 2);
        db.label(add(image, "cat-1.png", 0, 0, 0), "cat", 0.9);
        db.label(add(image, "cat-2.png", 0, 1, 0), "cat", 0.5);
        db.label(add(image, "cat-3.png", 0, 2, 0), "cat", 0.7);
        db.label(add(text, "cat.txt", 0, 5, 5), "cat", 0.2);
        return Map.of("image", image, "text", text);
    }

    @Test
    void membersAreTheStrongestTracesOfEachSpace() {
        Map<String, Space> spaces = cat();
        Recaller recaller = new Recaller(db.store(), spaces.get("image"), new Recaller.Options(3, 10, 2, null, false));

        Recaller.ConceptScore fromImage = recaller.recall("o", "image", new float[] {1, 0.1f}, Double.NaN).top();
        Recaller.ConceptScore fromConcept = recaller.recall("cat", db.concept("cat")).top();

        // Two per space: the text (0.2) is listed although the second image (0.5) is stronger.
        assertEquals(List.of("cat-1.png", "cat-3.png", "cat.txt"), sources(fromImage));
        assertEquals(List.of(0.9, 0.7, 0.2), fromImage.members().stream().map(m -> m.association().weight()).toList());
        assertEquals(sources(fromImage), sources(fromConcept));
    }

    @Test
    void memberSpacesKeepTheMembersOfTheSpacesNamed() {
        Map<String, Space> spaces = cat();
        Set<Integer> textOnly = Set.of(spaces.get("text").id());
        Recaller recaller = new Recaller(db.store(), spaces.get("image"), new Recaller.Options(3, 10, 2, textOnly,
                false));

        Recaller.ConceptScore cat = recaller.recall("o", "image", new float[] {1, 0.1f}, Double.NaN).top();

        assertEquals("cat", cat.concept().label(), "recalled from an image");
        assertEquals(List.of("cat.txt"), sources(cat), "listed in words");
        assertEquals(Set.of(spaces.get("text").id()),
                cat.members().stream().map(m -> m.trace().spaceId()).collect(Collectors.toSet()));
    }

    /** hbar, vbar and dash under line, line under shape. */
    private void shapes() {
        db.store().write(tx -> {
            Concept line = tx.conceptNamed("line");
            for (String child : List.of("hbar", "vbar", "dash")) {
                tx.setParent(tx.conceptNamed(child), line);
            }
            tx.setParent(line, tx.conceptNamed("shape"));
            return null;
        });
    }

    @Test
    void aConceptCueScoresOneWithItsParentsAndOnRequestItsSiblings() {
        shapes();
        Space s = db.space("s", 2);
        Recaller plain = new Recaller(db.store(), s, new Recaller.Options(3, 10, 5, null, false));
        Recaller withSiblings = new Recaller(db.store(), s, new Recaller.Options(3, 10, 5, null, true));

        Recaller.Recollection r = withSiblings.recall("hbar", db.concept("hbar"));

        assertEquals("concept", r.kind());
        assertTrue(Double.isNaN(r.surprise()) && Double.isNaN(r.surprisePercentile()));
        assertEquals(List.of(), r.neighbours());
        assertEquals(1, r.concepts().size());
        Recaller.ConceptScore hbar = r.top();
        assertEquals(1.0, hbar.score());
        assertEquals(0, hbar.votes());
        assertEquals(List.of("line", "shape"), names(hbar.parents()));
        assertEquals(List.of("vbar", "dash"), names(hbar.siblings()), "line's other children, in id order");
        assertEquals(List.of(), hbar.members());

        assertEquals(List.of(), plain.recall("hbar", db.concept("hbar")).top().siblings());
        Recaller.ConceptScore shape = withSiblings.recall("shape", db.concept("shape")).top();
        assertEquals(List.of(), shape.parents());
        assertEquals(List.of(), shape.siblings(), "a root has no siblings");
    }

    @Test
    void theConceptsOfAPointCueCarryTheirParentsAndSiblingsToo() {
        shapes();
        Space s = db.space("s", 2);
        long trace = add(s, "h.png", 0, 1, 0);
        db.label(trace, "hbar", 0.5);

        Recaller.ConceptScore hbar = new Recaller(db.store(), s, new Recaller.Options(3, 10, 5, null, true))
                .recall("o", "vector", ORIGIN, Double.NaN).top();

        assertEquals(List.of("line", "shape"), names(hbar.parents()));
        assertEquals(List.of("vbar", "dash"), names(hbar.siblings()));
        Trace member = hbar.members().getFirst().trace();
        assertEquals(trace, member.id());
    }
}
