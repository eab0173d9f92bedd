package dev.engram.recall;

import dev.engram.store.Association;
import dev.engram.store.AssociationKind;
import dev.engram.store.Concept;
import dev.engram.store.Neighbour;
import dev.engram.store.Space;
import dev.engram.store.Store;
import dev.engram.store.Trace;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recalls concepts from a point of a space.
 *
 * <p>Score: the cue's k nearest traces vote for the concepts they are bound to. Neighbour i at
 * distance d_i gives concept c the vote w(c, i) * v / (d_i + eps), where w is the Hebbian weight of
 * the association (0 if none), v its kind's vote ({@link AssociationKind#vote}: 0.5 for a lexicon
 * text, else 1) and eps = 1e-9 keeps an exact match finite. Of a concept's lexicon texts among
 * the neighbours only the best vote counts: how many words a dictionary lists for a concept is
 * no evidence that a cue means it (docs/architecture.md, "Lexical knowledge"). A concept's score is
 * its share of all votes, so scores lie in [0, 1] and sum to 1 over every concept voted for
 * (the listed ones, cut at {@code concepts}, may sum to less; when no neighbour is bound to any
 * concept, no concept is listed). This is distance-weighted k-nearest-neighbour voting
 * (Dudani 1976) with the associations' strengths as a prior on each vote.
 *
 * <p>A concept's members are its strongest traces in each space, whatever space the cue came
 * from: a spoken word recalls the concept's images and texts (cross-modal recall).
 *
 * <p>Caches concepts, parent chains, members and neighbour traces across cues: one Recaller serves
 * a whole run.
 */
public final class Recaller {
    private static final double EPS = 1e-9;
    /** Neighbour traces kept across batches: about 40 MB of traces and associations. */
    private static final int NEIGHBOURS_KEPT = 100_000;

    private final Store store;
    private final Space space;
    private final Options options;
    private final Map<Long, Concept> concepts = new HashMap<>();
    private final Map<Long, List<Concept>> parents = new HashMap<>();
    private final Map<Long, List<Member>> members = new HashMap<>();
    /**
     * The traces found as neighbours so far, with their associations: the cues of a long run
     * share most of their neighbours (10,000 Fashion-MNIST cues: 100,000 neighbours, about half
     * of them distinct), so each is read from the store once. The run reads one committed
     * state of the store, so what is kept stays true; beyond {@link #NEIGHBOURS_KEPT} it is
     * dropped and read again as needed.
     */
    private final Map<Long, Trace> neighbourTraces = new HashMap<>();
    private final Map<Long, List<Association>> neighbourAssociations = new HashMap<>();

    /**
     * @param neighbours k, the nearest traces that vote
     * @param concepts   how many of the best concepts to report
     * @param members    how many of each reported concept's strongest traces to list, per space
     * @param memberSpaces the spaces whose traces are listed as members (null: every space)
     * @param siblings   whether to list each reported concept's siblings (the other children of its parent)
     */
    public record Options(int neighbours, int concepts, int members, Set<Integer> memberSpaces, boolean siblings) {
    }

    public record Hit(Trace trace, double distance, List<String> concepts) {
    }

    public record Member(Trace trace, Association association) {
    }

    public record ConceptScore(Concept concept, double score, int votes, List<Concept> parents, List<Member> members,
                               List<Concept> siblings) {
    }

    /** What a cue recalled. {@code surprise} is NaN when the cue has none (a concept cue). */
    public record Recollection(String cue, String kind, double surprise, double surprisePercentile, List<Hit> neighbours,
                               List<ConceptScore> concepts) {
        public ConceptScore top() {
            return concepts.isEmpty() ? null : concepts.getFirst();
        }
    }

    public Recaller(Store store, Space space, Options options) {
        this.store = store;
        this.space = space;
        this.options = options;
    }

    /** Recall from a point of the space, with the cue's own surprise (NaN if unknown). */
    public Recollection recall(String cue, String kind, float[] latent, double surprise) {
        return recallAll(List.of(cue), kind, new float[][] {latent}, new double[] {surprise}).getFirst();
    }

    /**
     * Recall from many points of the space at once, each with its cue's surprise (NaN if
     * unknown), in order: the neighbours of all of them searched (side by side where the store can), then the traces and
     * associations of all of them read in one query each (two queries per cue measured as a
     * quarter of a recall's time, before).
     */
    public List<Recollection> recallAll(List<String> cues, String kind, float[][] latents, double[] surprises) {
        List<List<Neighbour>> nearest = store.nearest(space, latents, options.neighbours());
        if (neighbourTraces.size() > NEIGHBOURS_KEPT) {
            neighbourTraces.clear();
            neighbourAssociations.clear();
        }
        java.util.Set<Long> ids = new java.util.LinkedHashSet<>();
        for (List<Neighbour> found : nearest) {
            for (Neighbour n : found) {
                if (!neighbourAssociations.containsKey(n.traceId())) {
                    ids.add(n.traceId());
                }
            }
        }
        for (Trace t : store.traces(ids)) {
            neighbourTraces.put(t.id(), t);
        }
        Map<Long, List<Association>> associations = store.associationsOf(ids);
        for (Long id : ids) {
            neighbourAssociations.put(id, associations.getOrDefault(id, List.of()));
        }
        List<Recollection> recollections = new ArrayList<>(cues.size());
        for (int i = 0; i < cues.size(); i++) {
            recollections.add(recollection(cues.get(i), kind, nearest.get(i), neighbourTraces, neighbourAssociations,
                    surprises[i]));
        }
        return recollections;
    }

    private Recollection recollection(String cue, String kind, List<Neighbour> nearest, Map<Long, Trace> traces,
                                      Map<Long, List<Association>> associations, double surprise) {
        Map<Long, Double> votes = new HashMap<>();
        Map<Long, Double> lexicon = new HashMap<>();
        Map<Long, Integer> voters = new HashMap<>();
        List<Hit> hits = new ArrayList<>(nearest.size());
        for (Neighbour n : nearest) {
            List<String> names = new ArrayList<>();
            for (Association a : associations.getOrDefault(n.traceId(), List.of())) {
                double vote = a.weight() * a.kind().vote() / (n.distance() + EPS);
                if (a.kind() == AssociationKind.LEXICON) {
                    lexicon.merge(a.conceptId(), vote, Math::max);
                } else {
                    votes.merge(a.conceptId(), vote, Double::sum);
                }
                voters.merge(a.conceptId(), 1, Integer::sum);
                names.add(concept(a.conceptId()).label());
            }
            Trace t = traces.get(n.traceId());
            if (t != null) {
                hits.add(new Hit(t, n.distance(), names));
            }
        }
        lexicon.forEach((concept, vote) -> votes.merge(concept, vote, Double::sum));
        double sum = votes.values().stream().mapToDouble(Double::doubleValue).sum();
        List<ConceptScore> ranked = votes.entrySet().stream()
                .sorted(Map.Entry.<Long, Double>comparingByValue().reversed()
                        .thenComparing(e -> concept(e.getKey()).label()))
                .limit(options.concepts())
                .map(e -> score(concept(e.getKey()), e.getValue() / sum, voters.get(e.getKey())))
                .toList();
        double percentile = Double.isNaN(surprise) ? Double.NaN : store.surprisePercentile(space, surprise);
        return new Recollection(cue, kind, surprise, percentile, hits, ranked);
    }

    /** Recall from a concept: the concept itself (score 1) with its parents and members. */
    public Recollection recall(String cue, Concept concept) {
        return new Recollection(cue, "concept", Double.NaN, Double.NaN, List.of(),
                List.of(score(concept, 1.0, 0)));
    }

    private ConceptScore score(Concept concept, double score, int votes) {
        List<Concept> chain = parents.computeIfAbsent(concept.id(), id -> store.parentChain(concept));
        List<Concept> siblings = !options.siblings() || chain.isEmpty() ? List.of()
                : store.children(chain.getFirst()).stream().filter(c -> c.id() != concept.id()).toList();
        return new ConceptScore(concept, score, votes, chain, members(concept), siblings);
    }

    private List<Member> members(Concept concept) {
        return members.computeIfAbsent(concept.id(), id -> {
            // Per space, so that a concept's many images cannot crowd out its one spoken word.
            List<Association> strongest = store.membersPerSpace(concept, options.members());
            Map<Long, Trace> traces = new HashMap<>();
            for (Trace t : store.traces(strongest.stream().map(Association::traceId).toList())) {
                traces.put(t.id(), t);
            }
            return strongest.stream().filter(a -> traces.containsKey(a.traceId()))
                    .filter(a -> options.memberSpaces() == null
                            || options.memberSpaces().contains(traces.get(a.traceId()).spaceId()))
                    .map(a -> new Member(traces.get(a.traceId()), a))
                    .sorted(Comparator.comparingDouble((Member m) -> -m.association().weight()))
                    .toList();
        });
    }

    private Concept concept(long id) {
        return concepts.computeIfAbsent(id, i -> store.concept(i).orElseThrow());
    }
}
