package dev.engram.bind;

import dev.engram.EngramException;
import dev.engram.store.AssociationKind;
import dev.engram.store.Binding;
import dev.engram.store.Concept;
import dev.engram.store.Neighbour;
import dev.engram.store.NewTrace;
import dev.engram.store.Space;
import dev.engram.store.Store;
import dev.engram.store.Trace;
import dev.engram.store.Transaction;
import dev.engram.store.Writes;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Forms associations between concepts and traces. Every binding goes through the store's
 * Hebbian rule ({@link dev.engram.store.Hebbian}), so binding the same pair again strengthens
 * it instead of adding a row.
 */
public final class Binder {
    private final Store store;
    private final Writes writes;
    private final double rate;

    /** @param rate the Hebbian learning rate eta in (0, 1] */
    public Binder(Store store, double rate) {
        this(store, store, rate);
    }

    /**
     * @param writes where each pass stores its bindings: the store (a unit per pass), or one
     *               open unit for every pass of a run ({@link Writes#within})
     */
    public Binder(Store store, Writes writes, double rate) {
        if (!(rate > 0 && rate <= 1)) {
            throw EngramException.invalidInput("--rate must be in (0, 1], not " + rate);
        }
        this.store = store;
        this.writes = writes;
        this.rate = rate;
    }

    /** What a binding pass did: traces bound, new associations, concepts involved, traces left unbound. */
    public record Result(String kind, int bound, int newAssociations, int concepts, int unbound,
                         double maxDistance) {
    }

    /**
     * Binds each trace named in {@code labels} (source as stored, {@code path#index} for items
     * of a file) to its concept. Every source must be a trace of the space; otherwise nothing is
     * bound and the error names the first unknown ones.
     */
    public Result labels(Space space, Map<String, String> labels) {
        Map<String, Long> bySource = store.traceIdsBySource(space);
        List<String> unknown = new ArrayList<>();
        for (String source : labels.keySet()) {
            if (!bySource.containsKey(source)) {
                unknown.add(source);
            }
        }
        if (!unknown.isEmpty()) {
            throw EngramException.unknownSource(unknown.size() + " of " + labels.size() + " labelled sources are not traces"
                    + " of space " + space.name() + ", e.g. " + String.join(", ", unknown.subList(0,
                    Math.min(3, unknown.size()))) + "; encode them first (nothing was bound)");
        }
        Map<Long, String> byTrace = new LinkedHashMap<>();
        labels.forEach((source, concept) -> byTrace.put(bySource.get(source), concept));
        return bindLabels("label", byTrace);
    }

    /** Labels each image file's trace with its parent directory's name ({@code ankle-boot/001.png}). */
    public Result directories(Space space) {
        // The traces are at hand here: no need to go through source names as labels() does.
        Map<Long, String> byTrace = new LinkedHashMap<>();
        store.forEachTrace(space, t -> {
            if (t.sourceIndex() < 0) {
                Path parent = Path.of(t.source()).getParent();
                if (parent != null && parent.getFileName() != null) {
                    byTrace.put(t.id(), parent.getFileName().toString());
                }
            }
        });
        if (byTrace.isEmpty()) {
            throw EngramException.nothingToDo("space " + space.name() + " has no traces from image files in folders");
        }
        return bindLabels("directory", byTrace);
    }

    private Result bindLabels(String pass, Map<Long, String> conceptOfTrace) {
        Map<String, Concept> concepts = new HashMap<>();
        List<Binding> bindings = new ArrayList<>(conceptOfTrace.size());
        int created = writes.write(tx -> {
            conceptOfTrace.forEach((trace, name) -> bindings.add(new Binding(
                    concepts.computeIfAbsent(name, tx::conceptNamed).id(), trace, AssociationKind.LABEL, rate)));
            return tx.bind(bindings);
        });
        return new Result(pass, bindings.size(), created, concepts.size(), -1, Double.NaN);
    }

    /**
     * Locality: each trace bound to no concept joins the concept that its k nearest bound
     * neighbours vote for, weighting each vote by 1 / distance, provided the winning neighbours
     * lie within {@code maxDistance}. The association's rate is eta times the winner's share of
     * the votes, so a contested join is a weak one.
     *
     * <p>Only traces bound before this pass vote: joining is judged against the memory as it was,
     * and the order of traces does not matter.
     *
     * @param maxDistance NaN for the default: the 95th percentile of the distance from a bound
     *                    trace to its nearest bound neighbour of the same concept (measured on up
     *                    to 2,000 bound traces), i.e. a join must be as close as concept members
     *                    usually are to one another
     */
    public Result locality(Space space, int k, double maxDistance) {
        if (k < 1) {
            throw EngramException.invalidInput("-k must be at least 1");
        }
        Set<Long> bound = store.boundTraceIds(space);
        if (bound.isEmpty()) {
            throw EngramException.nothingToDo("space " + space.name() + " has no bound traces to vote;"
                    + " bind some by label first");
        }
        Map<Long, Long> conceptOf = strongestConcepts(bound);
        double bound95 = Double.isNaN(maxDistance) ? defaultMaxDistance(space, bound, conceptOf) : maxDistance;
        List<Trace> unboundTraces = new ArrayList<>();
        store.forEachTrace(space, t -> {
            if (!bound.contains(t.id())) {
                unboundTraces.add(t);
            }
        });
        // Ask the index for more than k so that k bound neighbours remain after dropping unbound ones.
        int candidates = Math.max(4 * k, 50);
        List<Binding> bindings = new ArrayList<>();
        Set<Long> concepts = new java.util.HashSet<>();
        for (Trace t : unboundTraces) {
            Map<Long, Double> votes = new HashMap<>();
            double total = 0;
            int used = 0;
            for (Neighbour n : store.nearest(space, t.vector(), candidates)) {
                Long concept = conceptOf.get(n.traceId());
                if (concept == null || n.traceId() == t.id()) {
                    continue;
                }
                if (n.distance() > bound95) {
                    break;
                }
                double vote = 1.0 / (n.distance() + 1e-9);
                votes.merge(concept, vote, Double::sum);
                total += vote;
                if (++used == k) {
                    break;
                }
            }
            if (votes.isEmpty()) {
                continue;
            }
            Map.Entry<Long, Double> best = votes.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
            bindings.add(new Binding(best.getKey(), t.id(), AssociationKind.LOCALITY, rate * best.getValue() / total));
            concepts.add(best.getKey());
        }
        int created = writes.write(tx -> tx.bind(bindings));
        return new Result("locality", bindings.size(), created, concepts.size(),
                unboundTraces.size() - bindings.size(), bound95);
    }

    /** For each bound trace, the concept of its strongest association. */
    private Map<Long, Long> strongestConcepts(Set<Long> traces) {
        Map<Long, Long> conceptOf = new HashMap<>();
        store.associationsOf(traces).forEach((trace, associations) -> associations.stream()
                .max((a, b) -> Double.compare(a.weight(), b.weight()))
                .ifPresent(a -> conceptOf.put(trace, a.conceptId())));
        return conceptOf;
    }

    private double defaultMaxDistance(Space space, Set<Long> bound, Map<Long, Long> conceptOf) {
        List<Long> ids = new ArrayList<>(bound);
        java.util.Collections.sort(ids);
        java.util.Collections.shuffle(ids, new Random(1));
        List<Trace> sample = store.traces(ids.subList(0, Math.min(2000, ids.size())));
        double[] nearestSame = new double[sample.size()];
        int n = 0;
        for (Trace t : sample) {
            Long concept = conceptOf.get(t.id());
            for (Neighbour neighbour : store.nearest(space, t.vector(), 50)) {
                if (neighbour.traceId() != t.id() && concept.equals(conceptOf.get(neighbour.traceId()))) {
                    nearestSame[n++] = neighbour.distance();
                    break;
                }
            }
        }
        if (n == 0) {
            return Double.POSITIVE_INFINITY;
        }
        double[] d = Arrays.copyOf(nearestSame, n);
        Arrays.sort(d);
        return d[Math.min(n - 1, (int) Math.ceil(0.95 * n) - 1)];
    }

    /**
     * Synchrony: the traces of each event are bound to one concept: the event's own concept
     * when the manifest named one, else the concept that a trace of the event is already bound
     * to by label, else a new unnamed concept (named later with {@code bind --name}). Binding
     * again after more events strengthens the associations by the Hebbian rule.
     *
     * @param space null for events in any space
     */
    public Result synchrony(Space space) {
        Map<Long, List<Long>> events = store.eventTraces(space);
        if (events.isEmpty()) {
            throw EngramException.nothingToDo("no events with traces" + (space == null ? "" : " in space "
                    + space.name()) + "; encode a manifest first");
        }
        Map<Long, String> eventNames = store.eventNames(events.keySet());
        List<String> names = new ArrayList<>(events.size());
        events.keySet().forEach(e -> names.add(eventNames.get(e)));
        return bindTogether("synchrony", new ArrayList<>(events.values()), names, -1);
    }

    /**
     * Synchrony by time: traces that belong to no event are grouped into windows by the time
     * they were stored ({@link TimeWindows#group}), and each window holding traces of at least
     * two spaces is bound like an unnamed event. A window of one space's traces is left alone:
     * one {@code encode} run stores a whole batch at one time, and binding it would fuse the
     * batch into one concept; perceiving together means perceiving through several senses.
     *
     * @param space null for windows in any space, else only windows with a trace in it
     * @return a result whose {@code unbound} counts the traces outside events left unbound
     */
    public Result windows(Space space, Duration window) {
        Set<Long> inEvents = new java.util.HashSet<>();
        store.eventTraces(null).values().forEach(inEvents::addAll);
        List<TimeWindows.Timed> loose = new ArrayList<>();
        for (Space s : store.spaces()) {
            store.forEachTrace(s, t -> {
                if (!inEvents.contains(t.id())) {
                    loose.add(new TimeWindows.Timed(t.id(), t.spaceId(), t.createdAt()));
                }
            });
        }
        List<List<Long>> groups = new ArrayList<>();
        for (List<TimeWindows.Timed> w : TimeWindows.group(loose, window)) {
            boolean severalSpaces = w.stream().mapToInt(TimeWindows.Timed::spaceId).distinct().count() >= 2;
            boolean inSpace = space == null || w.stream().anyMatch(t -> t.spaceId() == space.id());
            if (severalSpaces && inSpace) {
                groups.add(w.stream().map(TimeWindows.Timed::traceId).toList());
            }
        }
        int bound = groups.stream().mapToInt(List::size).sum();
        return bindTogether("window", groups, java.util.Collections.nCopies(groups.size(), null), loose.size() - bound);
    }

    /** Binds each group of traces perceived together to one concept (see {@link #synchrony}). */
    private Result bindTogether(String pass, List<List<Long>> groups, List<String> names, int unbound) {
        List<Binding> bindings = new ArrayList<>();
        Set<Long> concepts = new java.util.HashSet<>();
        // Concepts given in this pass, so that a later unnamed group sharing a trace with an
        // earlier one joins its concept rather than founding a new one.
        Map<Long, Concept> boundNow = new HashMap<>();
        int created = writes.write(tx -> {
            // Events name few concepts many times (every image of a class names the class).
            Map<String, Concept> named = new HashMap<>();
            for (int g = 0; g < groups.size(); g++) {
                String name = names.get(g);
                Concept concept = name != null ? named.computeIfAbsent(name, tx::conceptNamed)
                        : conceptOfEvent(tx, groups.get(g), boundNow);
                concepts.add(concept.id());
                for (Long trace : groups.get(g)) {
                    bindings.add(new Binding(concept.id(), trace, AssociationKind.SYNCHRONY, rate));
                    boundNow.putIfAbsent(trace, concept);
                }
            }
            return tx.bind(bindings);
        });
        return new Result(pass, bindings.size(), created, concepts.size(), unbound, Double.NaN);
    }

    /**
     * The concept an unnamed group perceived together joins: one a trace of the group joined
     * earlier in this pass, else the strongest label or synchrony concept of its traces bound
     * before the pass, else a new unnamed one.
     */
    private Concept conceptOfEvent(Transaction tx, List<Long> traces, Map<Long, Concept> boundNow) {
        for (Long trace : traces) {
            Concept concept = boundNow.get(trace);
            if (concept != null) {
                return concept;
            }
        }
        return store.associationsOf(traces).values().stream().flatMap(List::stream)
                .filter(a -> a.kind() == AssociationKind.LABEL || a.kind() == AssociationKind.SYNCHRONY)
                .max((a, b) -> Double.compare(a.weight(), b.weight()))
                .flatMap(a -> tx.concept(a.conceptId()))
                .orElseGet(tx::createUnnamedConcept);
    }

    /**
     * Stores lexicon texts as traces of a text space (recorded first if it is a draft) and binds
     * each to its concept with the kind {@code lexicon} (concepts created if absent: a
     * glossary may name new ones). {@code traces.get(i)} is the encoded {@code texts.get(i)}; a
     * text the space already holds is that trace, bound as well. Refuses, storing nothing, if
     * the space changed since the traces were made: created meanwhile by another process, or gone.
     */
    public Result lexicon(Space space, List<NewTrace> traces, List<Lexicon.Text> texts) {
        if (traces.size() != texts.size()) {
            throw new IllegalArgumentException(traces.size() + " traces for " + texts.size() + " texts");
        }
        Map<String, Concept> concepts = new HashMap<>();
        int created = writes.write(tx -> {
            Space now = tx.space(space.name()).orElse(null);
            if (space.recorded() ? now == null || now.id() != space.id() : now != null) {
                throw EngramException.storeUnavailable("text space " + space.name() + " was "
                        + (space.recorded() ? "forgotten" : "created") + " by another engram process while this one"
                        + " encoded the lexicon; nothing was stored: run the bind again", null);
            }
            Space recorded = space.recorded() ? space : tx.createSpace(space.name(), space.modality(),
                    space.encoder(), space.dimension(), space.metric(), space.config());
            List<Store.StoredTrace> stored = tx.addTraces(Map.of(recorded, traces)).get(recorded);
            List<Binding> bindings = new ArrayList<>(texts.size());
            for (int i = 0; i < texts.size(); i++) {
                bindings.add(new Binding(concepts.computeIfAbsent(texts.get(i).concept(), tx::conceptNamed).id(),
                        stored.get(i).trace().id(), AssociationKind.LEXICON, rate));
            }
            return tx.bind(bindings);
        });
        return new Result("lexicon", texts.size(), created, concepts.size(), -1, Double.NaN);
    }

    /** Sets parents ({@code child -> parent}, either created if needed) and names ({@code #id -> name}) in one unit of work. */
    public void hierarchy(Map<String, String> parents, Map<String, String> names) {
        if (parents.isEmpty() && names.isEmpty()) {
            return;
        }
        writes.write(tx -> {
            parents.forEach((child, parent) -> tx.setParent(tx.conceptNamed(child), tx.conceptNamed(parent)));
            names.forEach((concept, name) -> tx.renameConcept(tx.concept(concept)
                    .orElseThrow(() -> EngramException.unknown("no concept " + concept)), name));
            return null;
        });
    }
}
