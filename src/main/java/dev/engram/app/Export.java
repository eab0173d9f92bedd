package dev.engram.app;

import com.google.gson.annotations.SerializedName;
import dev.engram.EngramException;
import dev.engram.Json;
import dev.engram.io.Directories;
import dev.engram.io.Npy;
import dev.engram.store.Association;
import dev.engram.store.Concept;
import dev.engram.store.DimReport;
import dev.engram.store.Space;
import dev.engram.store.Store;
import dev.engram.store.StoreLocation;
import dev.engram.store.Trace;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The export use case: a store's record (or the part a filter selects) as plain files that numpy
 * and pandas read with no engram code, and that {@link Import} reads into another store. The
 * layout (docs/export-format.md):
 *
 * <pre>
 * manifest.json                 format, version, filters, and per space its description and files
 * spaces/NAME/latents.npy       float32, one row per trace, in the order of traces.jsonl
 * spaces/NAME/traces.jsonl      row, trace, source, index, hash, time, surprise, events, concepts, content
 * spaces/NAME/model/            the space's current model's files (none for a space without any)
 * concepts.jsonl                concept, name, parent, time
 * associations.jsonl            concept, trace, space, kind, weight, count, first, last
 * events.jsonl                  event, name, time, source
 * dim_reports.jsonl             report, target, estimator, parameters, points, seed, estimate, time
 * </pre>
 *
 * Ids are the source store's: they tie the files together and mean nothing elsewhere. The store
 * is read as of one committed point and not changed.
 */
public final class Export {
    /** What the export format's readers look for first: a directory without it is not an export. */
    public static final String MANIFEST = "manifest.json";
    public static final String FORMAT = "engram-export";
    public static final int VERSION = 1;
    /** Traces whose associations are read at a time. */
    private static final int BATCH = 10_000;

    private Export() {
    }

    /**
     * Which part of the store: spaces by name (empty: every space), traces bound to any of the
     * concepts or a concept below one (empty: every trace), traces perceived in {@code [since,
     * until)} (null: unbounded).
     */
    public record Filter(List<String> spaces, List<String> concepts, Instant since, Instant until) {
        public Filter {
            spaces = List.copyOf(spaces);
            concepts = List.copyOf(concepts);
        }

        boolean none() {
            return spaces.isEmpty() && concepts.isEmpty() && since == null && until == null;
        }

        boolean inTime(Instant t) {
            return (since == null || !t.isBefore(since)) && (until == null || t.isBefore(until));
        }

        /** The spaces named, or every space of the store. */
        List<Space> spaces(Store store) {
            return spaces.isEmpty() ? store.spaces() : Spaces.named(store, spaces);
        }

        /** Every trace bound to one of the concepts or to a concept below one; null without a concept filter. */
        Set<Long> boundTraces(Store store) {
            if (concepts.isEmpty()) {
                return null;
            }
            Set<Long> traces = new HashSet<>();
            for (Concept concept : conceptsBelow(store, concepts)) {
                store.members(concept, Integer.MAX_VALUE).forEach(a -> traces.add(a.traceId()));
            }
            return traces;
        }
    }

    /** One space written: its name, its traces, whether its model's files came along. */
    public record SpaceExported(String space, long traces, boolean model) {
    }

    public record Exported(String store, String to, List<SpaceExported> spaces, long concepts, long associations,
                           long events, long dimReports, double seconds) {
    }

    /** The manifest's record of one space (also what {@link Import} reads back). */
    record SpaceEntry(String name, String modality, String encoder, int dimension, String metric,
                      @SerializedName("model_version") int modelVersion,
                      String config, Instant time, long traces, String latents, String table, String model) {
    }

    record Manifest(String format, int version, String store, Instant exported, Map<String, Object> filter,
                    List<SpaceEntry> spaces, String concepts, String associations, String events,
                    @SerializedName("dim_reports") String dimReports) {
    }

    // The rows of the tables, field names as written.
    record TraceRow(long row, long trace, String source, int index, String hash, Instant time, double surprise,
                    List<Long> events, List<ConceptWeight> concepts, String content) {
    }

    record ConceptWeight(long concept, String label, double weight) {
    }

    record ConceptRow(long concept, String name, Long parent, Instant time) {
    }

    record AssociationRow(long concept, long trace, String space, String kind, double weight, int count,
                          Instant first, Instant last) {
    }

    record EventRow(long event, String name, Instant time, String source) {
    }

    record ReportRow(long report, String target, String estimator, String parameters, int points, long seed,
                     double estimate, Instant time) {
    }

    public static Exported run(StoreLocation location, Path to, Filter filter, Progress progress) {
        long start = System.nanoTime();
        requireEmptyTarget(to);
        try (Store store = location.open()) {
            List<Space> spaces = filter.spaces(store);
            Set<Long> ofConcepts = filter.boundTraces(store);
            Path partial = to.resolveSibling(to.getFileName() + ".partial");
            try {
                Directories.deleteRecursively(partial);
                Files.createDirectories(partial);
                Files.createFile(partial.resolve("associations.jsonl"));
                Written written = new Written();
                List<SpaceEntry> entries = new ArrayList<>();
                List<SpaceExported> exported = new ArrayList<>();
                for (Space space : spaces) {
                    SpaceEntry entry = writeSpace(store, space, partial, filter, ofConcepts, written, progress);
                    entries.add(entry);
                    exported.add(new SpaceExported(space.name(), entry.traces(), entry.model() != null));
                }
                List<Concept> concepts = chosenConcepts(store, filter, written.concepts);
                writeLines(partial.resolve("concepts.jsonl"), concepts.stream()
                        .map(c -> new ConceptRow(c.id(), c.name(), c.parentId() > 0 ? c.parentId() : null, c.createdAt())).toList());
                long events = writeEvents(store, partial.resolve("events.jsonl"), filter, written.events);
                List<DimReport> reports = store.dimReports().stream()
                        .filter(r -> filter.spaces().isEmpty() || namesOneOf(r.target(), filter.spaces())).toList();
                writeLines(partial.resolve("dim_reports.jsonl"), reports.stream().map(r -> new ReportRow(r.id(),
                        r.target(), r.estimator(), r.parameters(), r.points(), r.seed(), r.estimate(), r.createdAt())).toList());
                Map<String, Object> filterJson = new LinkedHashMap<>();
                filterJson.put("spaces", filter.spaces());
                filterJson.put("concepts", filter.concepts());
                filterJson.put("since", filter.since());
                filterJson.put("until", filter.until());
                Manifest manifest = new Manifest(FORMAT, VERSION, store.location(), Instant.now(), filterJson, entries,
                        "concepts.jsonl", "associations.jsonl", "events.jsonl", "dim_reports.jsonl");
                Files.writeString(partial.resolve(MANIFEST), Json.PRETTY.toJson(manifest) + "\n", StandardCharsets.UTF_8);
                // Whole or not at all: the export appears under its name only once complete.
                Files.move(partial, to);
                return new Exported(store.location(), to.toString(), exported, concepts.size(), written.associations,
                        events, reports.size(), (System.nanoTime() - start) / 1e9);
            } catch (IOException e) {
                throw EngramException.invalidInput("cannot write the export into " + to + ": " + e.getMessage(), e);
            } finally {
                try {
                    Directories.deleteRecursively(partial);
                } catch (IOException ignored) {
                    // best effort: a leftover .partial directory is replaced by the next export
                }
            }
        }
    }

    /** The export creates its directory: an existing file or non-empty directory is refused, never overwritten. */
    private static void requireEmptyTarget(Path to) {
        if (Files.exists(to)) {
            boolean empty;
            try (var entries = Files.list(to)) {
                empty = entries.findAny().isEmpty();
            } catch (IOException e) {
                empty = false;
            }
            if (!empty) {
                throw EngramException.invalidInput(to + " exists and is not an empty directory: export into a new one");
            }
            try {
                Files.delete(to);
            } catch (IOException e) {
                throw EngramException.invalidInput("cannot write the export into " + to + ": " + e.getMessage(), e);
            }
        }
    }

    static List<Concept> conceptsBelow(Store store, Collection<String> labels) {
        List<Concept> all = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        Deque<Concept> todo = new ArrayDeque<>();
        for (String label : labels) {
            todo.add(store.concept(label).orElseThrow(() -> EngramException.unknown("no concept '" + label
                    + "' in store " + store.location())));
        }
        while (!todo.isEmpty()) {
            Concept c = todo.pop();
            if (seen.add(c.id())) {
                all.add(c);
                todo.addAll(store.children(c));
            }
        }
        return all;
    }

    /** Ids that the written traces refer to: the other tables keep what they need. */
    private static final class Written {
        final Set<Long> concepts = new HashSet<>();
        final Set<Long> events = new HashSet<>();
        long associations;
    }

    private static SpaceEntry writeSpace(Store store, Space space, Path root, Filter filter, Set<Long> ofConcepts,
                                         Written written, Progress progress) throws IOException {
        List<Trace> traces = new ArrayList<>();
        store.forEachTrace(space, t -> {
            if (filter.inTime(t.createdAt()) && (ofConcepts == null || ofConcepts.contains(t.id()))) {
                traces.add(t);
            }
        });
        Map<Long, List<Long>> eventsOf = new HashMap<>();
        store.eventTraces(space).forEach((event, ids) -> ids.forEach(id ->
                eventsOf.computeIfAbsent(id, x -> new ArrayList<>()).add(event)));
        Map<Long, String> labels = new HashMap<>();
        Path dir = root.resolve("spaces").resolve(space.name());
        Files.createDirectories(dir);
        String latents = "spaces/" + space.name() + "/latents.npy";
        String table = "spaces/" + space.name() + "/traces.jsonl";
        try (OutputStream out = Files.newOutputStream(root.resolve(latents))) {
            Npy.write(traces.stream().map(Trace::vector).toArray(float[][]::new), space.dimension(), out);
        }
        try (Writer rows = Files.newBufferedWriter(root.resolve(table), StandardCharsets.UTF_8);
             Writer associations = new BufferedWriter(Files.newBufferedWriter(root.resolve("associations.jsonl"),
                     StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND))) {
            for (int from = 0; from < traces.size(); from += BATCH) {
                List<Trace> part = traces.subList(from, Math.min(traces.size(), from + BATCH));
                Map<Long, List<Association>> bound = store.associationsOf(part.stream().map(Trace::id).toList());
                for (int i = 0; i < part.size(); i++) {
                    Trace t = part.get(i);
                    List<Association> of = new ArrayList<>(bound.getOrDefault(t.id(), List.of()));
                    of.sort((a, b) -> a.weight() != b.weight() ? Double.compare(b.weight(), a.weight())
                            : Long.compare(a.conceptId(), b.conceptId()));
                    List<ConceptWeight> concepts = new ArrayList<>();
                    for (Association a : of) {
                        String label = labels.computeIfAbsent(a.conceptId(), id -> store.concept(id).map(Concept::label)
                                .orElse("#" + id));
                        concepts.add(new ConceptWeight(a.conceptId(), label, a.weight()));
                        associations.write(Json.LINES.toJson(new AssociationRow(a.conceptId(), a.traceId(), space.name(),
                                a.kind().sqlName(), a.weight(), a.count(), a.firstAt(),
                                a.lastAt())));
                        associations.write('\n');
                        written.concepts.add(a.conceptId());
                        written.associations++;
                    }
                    List<Long> events = eventsOf.getOrDefault(t.id(), List.of()).stream().sorted().toList();
                    written.events.addAll(events);
                    rows.write(Json.LINES.toJson(new TraceRow(from + i, t.id(), t.source(), t.sourceIndex(),
                            t.contentHash(), t.createdAt(), t.surprise(), events, concepts, t.content())));
                    rows.write('\n');
                }
                progress.progress("exporting " + space.name(), from + part.size(), traces.size());
            }
        }
        progress.clearProgress();
        String model = null;
        if (store.models().exists(space.name(), space.modelVersion())) {
            model = "spaces/" + space.name() + "/model";
            Path target = root.resolve(model);
            store.models().read(space.name(), space.modelVersion(), files -> {
                Directories.copyRecursively(files, target);
                return null;
            });
        }
        progress.note("exported space %s: %d traces", space.name(), traces.size());
        return new SpaceEntry(space.name(), space.modality(), space.encoder(), space.dimension(), space.metric(),
                space.modelVersion(), space.config(), space.createdAt(), traces.size(), latents, table, model);
    }

    /** Without a filter every concept; else the written traces' concepts and every ancestor of one. */
    private static List<Concept> chosenConcepts(Store store, Filter filter, Set<Long> used) {
        if (filter.none()) {
            return store.concepts().stream().sorted((a, b) -> Long.compare(a.id(), b.id())).toList();
        }
        Map<Long, Concept> chosen = new TreeMap<>();
        for (long id : used) {
            Concept c = store.concept(id).orElseThrow();
            chosen.put(c.id(), c);
            for (Concept parent : store.parentChain(c)) {
                chosen.put(parent.id(), parent);
            }
        }
        return List.copyOf(chosen.values());
    }

    private static long writeEvents(Store store, Path file, Filter filter, Set<Long> used) throws IOException {
        long[] count = {0};
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            store.forEachEvent(e -> {
                if (filter.none() || used.contains(e.id())) {
                    try {
                        out.write(Json.LINES.toJson(new EventRow(e.id(), e.name(), e.time(), e.source())));
                        out.write('\n');
                    } catch (IOException x) {
                        throw new UncheckedIOException(x);
                    }
                    count[0]++;
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return count[0];
    }

    /** Whether a report's target ({@code space:S}, {@code raw:S}, {@code concept:C@S}, {@code sweep:S/...}) is about one of the spaces. */
    private static boolean namesOneOf(String target, List<String> spaces) {
        for (String s : spaces) {
            if (target.equals("space:" + s) || target.equals("raw:" + s) || target.endsWith("@" + s)
                    || target.startsWith("sweep:" + s + "/")) {
                return true;
            }
        }
        return false;
    }

    private static void writeLines(Path file, List<?> rows) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Object row : rows) {
                out.write(Json.LINES.toJson(row));
                out.write('\n');
            }
        }
    }
}
