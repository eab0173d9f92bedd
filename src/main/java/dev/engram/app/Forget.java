package dev.engram.app;

import dev.engram.EngramException;
import dev.engram.io.Directories;
import dev.engram.store.Association;
import dev.engram.store.AssociationKind;
import dev.engram.store.Concept;
import dev.engram.store.Space;
import dev.engram.store.Store;
import dev.engram.store.StoreLocation;
import dev.engram.store.Trace;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The forget use case: traces (chosen by id, source, concept, space and time, all given filters
 * at once), whole concepts, whole spaces, removed from the store with everything that refers to
 * them, in one unit of work. What goes is chosen as a reader sees the store, then removed in the
 * unit (a trace another process removed meanwhile is simply not there). A dry run lists what
 * would go and changes nothing. The disk is reclaimed as the store decides
 * (docs/architecture.md, "Forgetting"), or at once with {@link Store#compact}.
 */
public final class Forget {
    private Forget() {
    }

    /**
     * Traces: those of {@code spaces} (all if empty) that match every filter given ({@code
     * traces} by id, {@code sources} by file or directory, {@code concepts} bound to one of them
     * or to a concept below one, perceived in {@code [since, until)}, and with {@code lexicon}
     * only texts known from a lexicon: bound to concepts by kind lexicon alone, as {@code bind
     * --wordnet} and {@code --glossary} store them); and whole concepts and spaces by name.
     */
    public record Request(List<Long> traces, List<String> sources, List<String> concepts, List<String> spaces,
                          Instant since, Instant until, List<String> wholeConcepts, List<String> wholeSpaces,
                          boolean dryRun, boolean compact, boolean lexicon) {

        public Request(List<Long> traces, List<String> sources, List<String> concepts, List<String> spaces,
                       Instant since, Instant until, List<String> wholeConcepts, List<String> wholeSpaces,
                       boolean dryRun, boolean compact) {
            this(traces, sources, concepts, spaces, since, until, wholeConcepts, wholeSpaces, dryRun, compact, false);
        }

        public Request {
            traces = List.copyOf(traces);
            sources = List.copyOf(sources);
            concepts = List.copyOf(concepts);
            spaces = List.copyOf(spaces);
            wholeConcepts = List.copyOf(wholeConcepts);
            wholeSpaces = List.copyOf(wholeSpaces);
        }

        /** The filters this request shares with an export (spaces, concepts, time). */
        Export.Filter filter() {
            return new Export.Filter(spaces, concepts, since, until);
        }

        boolean selectsTraces() {
            return !traces.isEmpty() || !sources.isEmpty() || !concepts.isEmpty() || !spaces.isEmpty() || since != null
                    || until != null || lexicon;
        }
    }

    /** One trace that goes (or would go, in a dry run). */
    public record Gone(long trace, String space, String source) {
    }

    public record Forgotten(Map<String, Long> tracesBySpace, List<String> concepts, List<String> spaces, boolean dryRun,
                            long bytesBefore, long bytesAfter, String compaction, double seconds) {
    }

    public static Forgotten run(StoreLocation location, Request request, Consumer<Gone> each, Progress progress) {
        if (!request.selectsTraces() && request.wholeConcepts().isEmpty() && request.wholeSpaces().isEmpty()) {
            throw EngramException.invalidInput("nothing chosen to forget: give --trace, --source, --concept, --space,"
                    + " --since, --until or --lexicon for traces, or --whole-concept or --whole-space");
        }
        long start = System.nanoTime();
        try (Store store = location.open()) {
            store.requireWritable();
            Path directory = Path.of(store.location());
            long before = java.nio.file.Files.isDirectory(directory) ? Directories.size(directory) : -1;
            List<Space> wholeSpaces = Spaces.named(store, request.wholeSpaces());
            List<Concept> wholeConcepts = new ArrayList<>();
            for (String label : new java.util.LinkedHashSet<>(request.wholeConcepts())) {
                wholeConcepts.add(store.concept(label).orElseThrow(() -> EngramException.unknown("no concept '" + label
                        + "' in store " + store.location())));
            }
            Map<Space, List<Long>> traces = request.selectsTraces() ? choose(store, request, wholeSpaces, each)
                    : Map.of();
            Map<String, Long> counts = new LinkedHashMap<>();
            traces.forEach((space, ids) -> counts.put(space.name(), (long) ids.size()));
            for (Space space : wholeSpaces) {
                long n = store.traceCount(space);
                counts.put(space.name(), n);
                if (request.dryRun()) {
                    store.forEachTrace(space, t -> each.accept(new Gone(t.id(), space.name(), t.sourceLabel())));
                }
            }
            List<String> conceptLabels = wholeConcepts.stream().map(Concept::label).toList();
            List<String> spaceNames = wholeSpaces.stream().map(Space::name).toList();
            if (request.dryRun()) {
                return new Forgotten(counts, conceptLabels, spaceNames, true, before, before, null,
                        (System.nanoTime() - start) / 1e9);
            }
            store.write(tx -> {
                for (Map.Entry<Space, List<Long>> e : traces.entrySet()) {
                    int removed = tx.forgetTraces(e.getKey(), e.getValue());
                    counts.put(e.getKey().name(), (long) removed);
                }
                for (Concept c : wholeConcepts) {
                    tx.forgetConcept(c);
                }
                for (Space s : wholeSpaces) {
                    tx.forgetSpace(tx.space(s.name()).orElse(s));
                }
                return null;
            });
            counts.forEach((space, n) -> progress.note("forgot %d traces of space %s", n, space));
            conceptLabels.forEach(c -> progress.note("forgot concept %s", c));
            String compaction = request.compact() ? store.compact() : null;
            long after = java.nio.file.Files.isDirectory(directory) ? Directories.size(directory) : -1;
            return new Forgotten(counts, conceptLabels, spaceNames, false, before, after, compaction,
                    (System.nanoTime() - start) / 1e9);
        }
    }

    /** The traces every filter lets through, by space (spaces forgotten whole left out: all of theirs go). */
    private static Map<Space, List<Long>> choose(Store store, Request request, List<Space> wholeSpaces,
                                                 Consumer<Gone> each) {
        Export.Filter filter = request.filter();
        Set<Integer> whole = new HashSet<>();
        wholeSpaces.forEach(s -> whole.add(s.id()));
        Set<Long> ids = request.traces().isEmpty() ? null : new HashSet<>(request.traces());
        Set<Long> bound = filter.boundTraces(store);
        List<String> sources = request.sources().stream().map(Forget::normalised).toList();
        Map<Space, List<Long>> chosen = new LinkedHashMap<>();
        for (Space space : filter.spaces(store)) {
            if (whole.contains(space.id())) {
                continue;
            }
            List<Trace> matching = new ArrayList<>();
            store.forEachTrace(space, t -> {
                if ((ids == null || ids.contains(t.id())) && (bound == null || bound.contains(t.id()))
                        && filter.inTime(t.createdAt()) && (sources.isEmpty() || fromOneOf(t, sources))) {
                    matching.add(t);
                }
            });
            if (request.lexicon() && !matching.isEmpty()) {
                Map<Long, List<Association>> associations = store.associationsOf(matching.stream().map(Trace::id).toList());
                matching.removeIf(t -> {
                    List<Association> of = associations.getOrDefault(t.id(), List.of());
                    return of.isEmpty() || of.stream().anyMatch(a -> a.kind() != AssociationKind.LEXICON);
                });
            }
            List<Long> of = new ArrayList<>(matching.size());
            for (Trace t : matching) {
                of.add(t.id());
                each.accept(new Gone(t.id(), space.name(), t.sourceLabel()));
            }
            if (!of.isEmpty()) {
                chosen.put(space, of);
            }
        }
        return chosen;
    }

    /** A trace is from a source given as its file, its item ({@code file#index}) or a directory above its file. */
    private static boolean fromOneOf(Trace t, List<String> sources) {
        String file = normalised(t.source());
        String label = normalised(t.sourceLabel());
        for (String s : sources) {
            if (file.equals(s) || label.equals(s) || file.startsWith(s.endsWith("/") ? s : s + "/")) {
                return true;
            }
        }
        return false;
    }

    private static String normalised(String source) {
        try {
            int hash = source.lastIndexOf('#');
            String path = hash < 0 ? source : source.substring(0, hash);
            String normal = Path.of(path).toAbsolutePath().normalize().toString();
            return hash < 0 ? normal : normal + source.substring(hash);
        } catch (java.nio.file.InvalidPathException e) {
            return source;
        }
    }
}
