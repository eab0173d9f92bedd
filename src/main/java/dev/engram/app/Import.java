package dev.engram.app;

import com.google.gson.JsonParseException;
import dev.engram.EngramException;
import dev.engram.Json;
import dev.engram.io.Directories;
import dev.engram.io.Npy;
import dev.engram.store.Association;
import dev.engram.store.AssociationKind;
import dev.engram.store.Concept;
import dev.engram.store.ConceptRules;
import dev.engram.store.DimReport;
import dev.engram.store.Metric;
import dev.engram.store.NewTrace;
import dev.engram.store.Space;
import dev.engram.store.SpaceRules;
import dev.engram.store.Store;
import dev.engram.store.StoreLocation;
import dev.engram.store.Transaction;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The import use case: an {@link Export} read into a store, empty or not, in one unit of work
 * (stored whole or not at all). Everything is read and checked before the store is opened for
 * writing: a malformed export changes nothing. Ids are the destination's own (the export's only
 * tie its files together); a trace whose content hash its space already holds is that trace;
 * a named concept joins the concept of that name; an event of the same name, time and source
 * is that event; a report already held is not added again; associations are joined
 * ({@link Association#merged}). So importing the same export twice changes nothing, except
 * that unnamed concepts, which have nothing to be matched by, are made again
 * (docs/export-format.md).
 *
 * <p>A space the destination already holds takes the export's traces only if it is the same
 * space: same modality, encoder, dimension and metric, and the same model files (else the two
 * sets of points would not be comparable); {@code rename} imports a space under another name.
 */
public final class Import {
    private Import() {
    }

    public record SpaceImported(String space, String from, boolean created, long traces, long newTraces) {
    }

    public record Imported(String from, String store, List<SpaceImported> spaces, long newConcepts,
                           long matchedConcepts, long newAssociations, long joinedAssociations, long newEvents,
                           long matchedEvents, long newDimReports, long matchedDimReports, long parentsKept,
                           double seconds) {
    }

    /** One space of the export, read and checked. */
    private record SpaceData(Export.SpaceEntry entry, String name, float[][] latents, List<Export.TraceRow> rows,
                             Path model) {
    }

    private record Data(List<SpaceData> spaces, List<Export.ConceptRow> concepts,
                        List<Export.AssociationRow> associations, List<Export.EventRow> events,
                        List<Export.ReportRow> reports) {
    }

    public static Imported run(StoreLocation location, Path from, Map<String, String> rename, Progress progress) {
        long start = System.nanoTime();
        Data data = read(from, rename);
        try (Store store = location.openOrCreate()) {
            store.requireWritable();
            for (SpaceData s : data.spaces()) {
                store.space(s.name()).ifPresent(existing -> requireSameSpace(store, existing, s));
            }
            Map<List<Object>, Long> knownEvents = new HashMap<>();
            store.forEachEvent(e -> knownEvents.putIfAbsent(eventKey(e.name(), e.time(), e.source()), e.id()));
            Set<List<Object>> knownReports = new HashSet<>();
            for (DimReport r : store.dimReports()) {
                knownReports.add(reportKey(r.target(), r.estimator(), r.parameters(), r.points(), r.seed(), r.estimate(),
                        r.createdAt()));
            }
            Imported imported = store.write(tx -> {
                // Re-checked inside the unit: another writer may have made one of the spaces meanwhile.
                for (SpaceData s : data.spaces()) {
                    tx.space(s.name()).ifPresent(existing -> requireSameSpace(store, existing, s));
                }
                return write(tx, data, knownEvents, knownReports, from, store.location(), start, progress);
            });
            progress.clearProgress();
            return imported;
        }
    }

    /**
     * Reads and checks an export as an import does before it opens a store, writing nothing:
     * returns, or refuses it with a user's error (the export fuzz target runs this).
     */
    public static void check(Path from) {
        read(from, Map.of());
    }

    // --- reading and checking the export

    private static Data read(Path from, Map<String, String> rename) {
        if (!Files.isDirectory(from)) {
            throw EngramException.invalidInput(from + ": no such directory (an export is a directory that engram"
                    + " export wrote)");
        }
        Path manifestFile = from.resolve(Export.MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            throw EngramException.invalidInput(from + ": not an engram export (it has no " + Export.MANIFEST + ")");
        }
        Export.Manifest manifest;
        try {
            manifest = Json.LINES.fromJson(Files.readString(manifestFile, StandardCharsets.UTF_8), Export.Manifest.class);
        } catch (IOException | JsonParseException | java.time.DateTimeException e) {
            throw bad(manifestFile, "unreadable: " + message(e));
        }
        if (manifest == null || !Export.FORMAT.equals(manifest.format())) {
            throw bad(manifestFile, "not an engram export (format is not \"" + Export.FORMAT + "\")");
        }
        if (manifest.version() != Export.VERSION) {
            throw bad(manifestFile, "export format version " + manifest.version() + "; this engram reads version "
                    + Export.VERSION);
        }
        List<Export.SpaceEntry> entries = manifest.spaces() == null ? List.of() : manifest.spaces();
        // (List.of() refuses contains(null): a manifest without spaces reaches here with one.)
        if (entries.stream().anyMatch(java.util.Objects::isNull)) {
            throw bad(manifestFile, "a space entry is null");
        }
        for (String old : rename.keySet()) {
            if (entries.stream().noneMatch(e -> old.equals(e.name()))) {
                throw EngramException.unknown("--rename " + old + "=...: the export has no space " + old);
            }
        }
        List<SpaceData> spaces = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<Long> traceIds = new HashSet<>();
        for (Export.SpaceEntry entry : entries) {
            SpaceData s = readSpace(from, manifestFile, entry, rename);
            if (!names.add(s.name())) {
                throw bad(manifestFile, "two spaces would be named " + s.name());
            }
            for (Export.TraceRow row : s.rows()) {
                if (!traceIds.add(row.trace())) {
                    throw bad(from.resolve(entry.table()), "trace " + row.trace() + " appears twice");
                }
            }
            spaces.add(s);
        }
        List<Export.ConceptRow> concepts = lines(file(from, manifestFile, manifest.concepts()), Export.ConceptRow.class);
        Map<Long, Export.ConceptRow> conceptById = new HashMap<>();
        for (Export.ConceptRow c : concepts) {
            if (c.time() == null) {
                throw bad(file(from, manifestFile, manifest.concepts()), "concept " + c.concept() + " has no time");
            }
            if (c.name() != null) {
                try {
                    ConceptRules.requireValidName(c.name());
                } catch (EngramException e) {
                    throw bad(file(from, manifestFile, manifest.concepts()), e.getMessage());
                }
            }
            if (conceptById.put(c.concept(), c) != null) {
                throw bad(file(from, manifestFile, manifest.concepts()), "concept " + c.concept() + " appears twice");
            }
        }
        for (Export.ConceptRow c : concepts) {
            if (c.parent() != null && !conceptById.containsKey(c.parent())) {
                throw bad(file(from, manifestFile, manifest.concepts()), "concept " + c.concept() + " has parent "
                        + c.parent() + ", which the export does not hold");
            }
        }
        Path associationsFile = file(from, manifestFile, manifest.associations());
        List<Export.AssociationRow> associations = lines(associationsFile, Export.AssociationRow.class);
        for (Export.AssociationRow a : associations) {
            if (!conceptById.containsKey(a.concept()) || !traceIds.contains(a.trace())) {
                throw bad(associationsFile, "an association of concept " + a.concept() + " and trace " + a.trace()
                        + ", which the export does not both hold");
            }
            if (!(a.weight() > 0 && a.weight() <= 1) || a.count() < 1 || a.first() == null || a.last() == null
                    || kind(a.kind()) == null) {
                throw bad(associationsFile, "association of concept " + a.concept() + " and trace " + a.trace()
                        + ": a kind (locality, lexicon, synchrony, label), a weight in (0, 1], a count of at least 1 and its"
                        + " first and last times are needed");
            }
        }
        Path eventsFile = file(from, manifestFile, manifest.events());
        List<Export.EventRow> events = lines(eventsFile, Export.EventRow.class);
        Set<Long> eventIds = new HashSet<>();
        for (Export.EventRow e : events) {
            if (!eventIds.add(e.event())) {
                throw bad(eventsFile, "event " + e.event() + " appears twice");
            }
        }
        for (SpaceData s : spaces) {
            for (Export.TraceRow row : s.rows()) {
                for (long event : row.events()) {
                    if (!eventIds.contains(event)) {
                        throw bad(from.resolve(s.entry().table()), "trace " + row.trace() + " was perceived in event "
                                + event + ", which the export does not hold");
                    }
                }
            }
        }
        Path reportsFile = file(from, manifestFile, manifest.dimReports());
        List<Export.ReportRow> reports = lines(reportsFile, Export.ReportRow.class);
        for (Export.ReportRow r : reports) {
            if (r.target() == null || r.estimator() == null || r.time() == null) {
                throw bad(reportsFile, "report " + r.report() + " has no target, estimator or time");
            }
        }
        return new Data(spaces, concepts, associations, events, reports);
    }

    private static SpaceData readSpace(Path from, Path manifestFile, Export.SpaceEntry entry, Map<String, String> rename) {
        if (entry == null || entry.name() == null || entry.modality() == null || entry.encoder() == null
                || entry.metric() == null || entry.latents() == null || entry.table() == null) {
            throw bad(manifestFile, "a space without its name, modality, encoder, metric, latents or table");
        }
        String name = rename.getOrDefault(entry.name(), entry.name());
        try {
            SpaceRules.requireValidName(entry.name());
            SpaceRules.requireValidName(name);
            Metric.of(entry.metric());
        } catch (EngramException e) {
            throw bad(manifestFile, e.getMessage());
        }
        if (entry.dimension() < 1) {
            throw bad(manifestFile, "space " + entry.name() + " has dimension " + entry.dimension());
        }
        Path latentsFile = file(from, manifestFile, entry.latents());
        float[][] latents = Npy.read(latentsFile);
        Path tableFile = file(from, manifestFile, entry.table());
        List<Export.TraceRow> rows = lines(tableFile, Export.TraceRow.class);
        if (latents.length != rows.size() || rows.size() != entry.traces()) {
            throw bad(tableFile, rows.size() + " traces, " + latentsFile.getFileName() + " " + latents.length
                    + " rows, the manifest " + entry.traces() + ": they must agree");
        }
        for (int i = 0; i < rows.size(); i++) {
            Export.TraceRow row = rows.get(i);
            if (row.row() != i || row.source() == null || row.hash() == null || row.time() == null
                    || row.events() == null || row.events().stream().anyMatch(java.util.Objects::isNull)
                    || Double.isNaN(row.surprise())) {
                throw bad(tableFile, "line " + (i + 1) + ": a trace needs its row (" + i + "), source, hash, time,"
                        + " surprise and events");
            }
            if (latents[i].length != entry.dimension()) {
                throw bad(latentsFile, "rows of " + latents[i].length + " values for a space of dimension "
                        + entry.dimension());
            }
        }
        Path model = entry.model() == null ? null : file(from, manifestFile, entry.model());
        if (model != null && !Files.isDirectory(model)) {
            throw bad(manifestFile, "space " + entry.name() + "'s model " + entry.model() + " is not a directory");
        }
        return new SpaceData(entry, name, latents, rows, model);
    }

    /** A file the manifest names, which must lie inside the export. */
    private static Path file(Path from, Path manifestFile, String relative) {
        if (relative == null) {
            throw bad(manifestFile, "a file it should name is missing");
        }
        Path root = from.toAbsolutePath().normalize();
        Path file;
        try {
            file = root.resolve(relative).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw bad(manifestFile, "'" + relative + "' is not a path"); // bad() makes it one line
        }
        if (!file.startsWith(root) || file.equals(root)) {
            throw bad(manifestFile, "'" + relative + "' is not a path inside the export");
        }
        if (!Files.exists(file)) {
            throw bad(manifestFile, "'" + relative + "' does not exist");
        }
        return file;
    }

    /** A JSON Lines table, one record per non-blank line. */
    private static <T> List<T> lines(Path file, Class<T> type) {
        List<T> rows = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int number = 0;
            while ((line = in.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                T row;
                try {
                    row = Json.LINES.fromJson(line, type);
                } catch (JsonParseException | java.time.DateTimeException | IllegalStateException
                         | NumberFormatException e) {
                    throw bad(file, "line " + number + ": " + message(e));
                }
                if (row == null) {
                    throw bad(file, "line " + number + ": not a JSON object");
                }
                rows.add(row);
            }
        } catch (NoSuchFileException e) {
            throw bad(file, "missing");
        } catch (IOException e) {
            throw bad(file, "unreadable: " + e.getMessage());
        }
        return rows;
    }

    /** The kind an export names as the store does ({@link AssociationKind#sqlName}), or null. */
    private static AssociationKind kind(String name) {
        for (AssociationKind k : AssociationKind.values()) {
            if (k.sqlName().equals(name)) {
                return k;
            }
        }
        return null;
    }

    private static String message(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return m.lines().findFirst().orElse(m);
    }

    private static EngramException bad(Path file, String what) {
        // One line whatever the export holds: names and values from it are quoted in messages.
        return EngramException.invalidInput((file + ": " + what).replaceAll("\\p{Cntrl}", "?"));
    }

    // --- the destination

    /** The destination's space of the same name must be the export's: same description and model files. */
    private static void requireSameSpace(Store store, Space existing, SpaceData s) {
        Export.SpaceEntry e = s.entry();
        String differs = !existing.modality().equals(e.modality()) ? "modality " + existing.modality()
                : !existing.encoder().equals(e.encoder()) ? "encoder " + existing.encoder()
                : existing.dimension() != e.dimension() ? "dimension " + existing.dimension()
                : !existing.metric().equals(e.metric()) ? "metric " + existing.metric()
                : !sameModel(store, existing, s.model()) ? "another model" : null;
        if (differs != null) {
            throw EngramException.invalidInput("space " + s.name() + " exists in " + store.location() + " with "
                    + differs + ": the export's traces would not be comparable with its own; import the space"
                    + " under another name with --rename " + e.name() + "=NEW");
        }
    }

    private static boolean sameModel(Store store, Space existing, Path model) {
        boolean has = store.models().exists(existing.name(), existing.modelVersion());
        if (model == null || !has) {
            return model == null && !has;
        }
        return store.models().read(existing.name(), existing.modelVersion(), files -> sameFiles(files, model));
    }

    private static boolean sameFiles(Path a, Path b) throws IOException {
        List<Path> left = relativeFiles(a);
        if (!left.equals(relativeFiles(b))) {
            return false;
        }
        for (Path p : left) {
            if (Files.mismatch(a.resolve(p), b.resolve(p)) != -1) {
                return false;
            }
        }
        return true;
    }

    private static List<Path> relativeFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
        }
    }

    private static List<Object> eventKey(String name, Instant time, String source) {
        return Arrays.asList(name, time, source);
    }

    private static List<Object> reportKey(String target, String estimator, String parameters, int points, long seed,
                                          double estimate, Instant time) {
        return Arrays.asList(target, estimator, parameters, points, seed, estimate, time);
    }

    private static Imported write(Transaction tx, Data data, Map<List<Object>, Long> knownEvents,
                                  Set<List<Object>> knownReports, Path from, String storeName, long start,
                                  Progress progress) {
        // Events: matched by name, time and source.
        Map<Long, Long> eventIds = new HashMap<>();
        long newEvents = 0;
        for (Export.EventRow e : data.events()) {
            Long known = knownEvents.get(eventKey(e.name(), e.time(), e.source()));
            if (known == null) {
                known = tx.createEvent(e.name(), e.time(), e.source());
                knownEvents.put(eventKey(e.name(), e.time(), e.source()), known);
                newEvents++;
            }
            eventIds.put(e.event(), known);
        }
        // Concepts: named ones by name, unnamed ones made anew; then their parents.
        Map<Long, Concept> concepts = new LinkedHashMap<>();
        long newConcepts = 0;
        for (Export.ConceptRow c : data.concepts()) {
            Concept mine = c.name() == null ? null : tx.concept(c.name()).orElse(null);
            if (mine == null) {
                mine = tx.addConcept(c.name(), c.time());
                newConcepts++;
            }
            concepts.put(c.concept(), mine);
        }
        long parentsKept = 0;
        for (Export.ConceptRow c : data.concepts()) {
            if (c.parent() == null) {
                continue;
            }
            Concept child = tx.concept(concepts.get(c.concept()).id()).orElseThrow();
            Concept parent = concepts.get(c.parent());
            if (child.parentId() == parent.id()) {
                continue;
            }
            boolean cycle = child.id() == parent.id()
                    || tx.parentChain(parent).stream().anyMatch(p -> p.id() == child.id());
            if (child.parentId() > 0 || cycle) {
                parentsKept++; // the destination's own parent stands
            } else {
                tx.setParent(child, parent);
            }
        }
        // Spaces and traces.
        Map<Long, Long> traceIds = new HashMap<>();
        List<SpaceImported> spaces = new ArrayList<>();
        for (SpaceData s : data.spaces()) {
            Export.SpaceEntry e = s.entry();
            Space space = tx.space(s.name()).orElse(null);
            boolean created = space == null;
            if (created) {
                space = tx.createSpace(s.name(), e.modality(), e.encoder(), e.dimension(), e.metric(), e.config());
                if (s.model() != null) {
                    tx.writeModel(s.name(), space.modelVersion(), target -> Directories.copyRecursively(s.model(), target));
                }
            }
            List<NewTrace> traces = new ArrayList<>();
            List<Long> exportedIds = new ArrayList<>();
            for (int i = 0; i < s.rows().size(); i++) {
                Export.TraceRow row = s.rows().get(i);
                List<Long> events = row.events().isEmpty() ? List.of(0L)
                        : row.events().stream().map(eventIds::get).toList();
                // A trace perceived in several events is given once per event: the store joins the others.
                for (long event : events) {
                    traces.add(new NewTrace(row.source(), row.index(), row.hash(), s.latents()[i], row.surprise(), event,
                            row.content(), row.time()));
                    exportedIds.add(row.trace());
                }
            }
            List<dev.engram.store.Store.StoredTrace> stored = tx.addTraces(Map.of(space, traces)).get(space);
            long fresh = 0;
            for (int i = 0; i < stored.size(); i++) {
                if (traceIds.put(exportedIds.get(i), stored.get(i).trace().id()) == null && stored.get(i).created()) {
                    fresh++;
                }
            }
            spaces.add(new SpaceImported(s.name(), e.name(), created, s.rows().size(), fresh));
            progress.note("imported space %s%s: %d traces, %d of them new", s.name(),
                    s.name().equals(e.name()) ? "" : " (" + e.name() + " in the export)", s.rows().size(), fresh);
        }
        // Associations, joined with what the destination holds.
        List<Association> associations = new ArrayList<>(data.associations().size());
        for (Export.AssociationRow a : data.associations()) {
            associations.add(new Association(concepts.get(a.concept()).id(), traceIds.get(a.trace()), kind(a.kind()),
                    a.weight(), a.count(), a.first(), a.last()));
        }
        int newAssociations = tx.merge(associations);
        // Reports not held yet.
        long newReports = 0;
        for (Export.ReportRow r : data.reports()) {
            List<Object> key = reportKey(r.target(), r.estimator(), r.parameters(), r.points(), r.seed(), r.estimate(),
                    r.time());
            if (knownReports.add(key)) {
                tx.addDimReport(new DimReport(0, r.target(), r.estimator(), r.parameters(), r.points(), r.seed(),
                        r.estimate(), r.time()));
                newReports++;
            }
        }
        return new Imported(from.toString(), storeName, spaces, newConcepts, concepts.size() - newConcepts,
                newAssociations, associations.size() - newAssociations, newEvents, data.events().size() - newEvents,
                newReports, data.reports().size() - newReports, parentsKept, (System.nanoTime() - start) / 1e9);
    }
}
