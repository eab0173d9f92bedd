package dev.engram.app;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.engram.EngramException;
import dev.engram.ExitCode;
import dev.engram.io.Npy;
import dev.engram.store.Concept;
import dev.engram.store.Store;
import dev.engram.store.StoreDump;
import dev.engram.store.StoreLocation;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Export and import between embedded stores: a memory of pictures and captions bound by synchrony
 * and labels, with a hierarchy, an unnamed concept and a dim report, exported, imported into an
 * empty store and exported again (the same up to ids), merged, filtered, and refused when broken.
 */
class ExportImportTest {
    @TempDir
    static Path shared;
    static StoreLocation original;
    static Path export;

    @TempDir
    Path tmp;

    @BeforeAll
    static void perceiveBindAndExport() throws IOException {
        original = Bars.memory(shared);
        export = shared.resolve("export");
        Export.run(original, export, all(), Progress.SILENT);
    }

    private static Export.Filter all() {
        return new Export.Filter(List.of(), List.of(), null, null);
    }

    private static String dump(StoreLocation location) {
        try (Store store = location.open()) {
            return StoreDump.of(store);
        }
    }

    @Test
    void anExportImportedIntoAnEmptyStoreExportsTheSameUpToIds() throws IOException {
        StoreLocation copy = Bars.store(tmp.resolve("copy"));
        Import.Imported imported = Import.run(copy, export, Map.of(), Progress.SILENT);
        assertEquals(List.of("image", "text"), imported.spaces().stream().map(Import.SpaceImported::space).toList());
        assertTrue(imported.spaces().stream().allMatch(s -> s.created() && s.newTraces() == s.traces() && s.traces() > 0));
        assertEquals(0, imported.matchedConcepts() + imported.joinedAssociations() + imported.matchedEvents());
        assertEquals(1, imported.newDimReports());

        Path again = tmp.resolve("again");
        Export.run(copy, again, all(), Progress.SILENT);
        assertEquals(canonical(export), canonical(again));
        for (String space : List.of("image", "text")) {
            Path latents = Path.of("spaces", space, "latents.npy");
            assertArrayEquals(Files.readAllBytes(export.resolve(latents)), Files.readAllBytes(again.resolve(latents)));
        }
        assertEquals(files(export.resolve("spaces/image/model")), files(again.resolve("spaces/image/model")));
        assertFalse(files(export.resolve("spaces/image/model")).isEmpty());

        // The imported store recalls: its own traces are found again at distance 0 under the same concepts.
        try (Store store = copy.open()) {
            var space = store.space("image").orElseThrow();
            float[][] latents = Npy.read(export.resolve("spaces/image/latents.npy"));
            assertEquals(0.0, store.nearest(space, latents[0], 1).getFirst().distance(), 1e-6);
        }
    }

    @Test
    void importingTheSameExportAgainChangesNothingButUnnamedConcepts() {
        StoreLocation twice = Bars.store(tmp.resolve("twice"));
        Import.run(twice, export, Map.of(), Progress.SILENT);
        String once = dump(twice);
        Import.Imported second = Import.run(twice, export, Map.of(), Progress.SILENT);
        assertTrue(second.spaces().stream().allMatch(s -> !s.created() && s.newTraces() == 0));
        assertEquals(0, second.newAssociations() + second.newEvents() + second.newDimReports());
        assertEquals(1, second.newConcepts(), "the unnamed concept, which nothing identifies, is made again");
        String after = dump(twice);
        List<String> added = new ArrayList<>(after.lines().toList());
        added.removeAll(once.lines().toList());
        assertEquals(2, added.size(), added.toString()); // the new unnamed concept and the highest ids
        assertTrue(added.getFirst().startsWith("Concept[") && added.getFirst().contains("name=null"), added.toString());
    }

    @Test
    void aMergedStoreKeepsItsOwnAndGainsWhatItLacked() {
        // A store that knows the row pictures as "row" only: the export adds the columns, the
        // captions, the hierarchy, and joins the associations it shares.
        Path rows = tmp.resolve("rows");
        Export.run(original, rows, new Export.Filter(List.of("image"), List.of("row"), null, null), Progress.SILENT);
        StoreLocation merged = Bars.store(tmp.resolve("merged"));
        Import.Imported first = Import.run(merged, rows, Map.of(), Progress.SILENT);
        assertEquals(List.of("image"), first.spaces().stream().map(Import.SpaceImported::space).toList());
        long rowTraces = first.spaces().getFirst().traces();
        assertTrue(rowTraces > 0);
        Import.Imported second = Import.run(merged, export, Map.of(), Progress.SILENT);
        Import.SpaceImported image = second.spaces().getFirst();
        assertEquals(rowTraces, image.traces() - image.newTraces(), "the row pictures were held already");
        assertTrue(second.joinedAssociations() >= rowTraces);
        try (Store store = merged.open(); Store from = original.open()) {
            assertEquals(from.summary().associations(), store.summary().associations());
            assertEquals(from.traceCount(from.space("image").orElseThrow()),
                    store.traceCount(store.space("image").orElseThrow()));
        }
    }

    @Test
    void filtersSelectSpacesConceptsAndTimes() throws IOException {
        Path text = tmp.resolve("text");
        Export.Exported onlyText = Export.run(original, text, new Export.Filter(List.of("text"), List.of(), null, null),
                Progress.SILENT);
        assertEquals(List.of("text"), onlyText.spaces().stream().map(Export.SpaceExported::space).toList());
        assertEquals(0, onlyText.dimReports(), "the report is about the image space");
        Path columns = tmp.resolve("columns");
        Export.Exported ofColumns = Export.run(original, columns, new Export.Filter(List.of(), List.of("column"), null,
                null), Progress.SILENT);
        for (JsonObject row : jsonLines(columns.resolve("spaces/image/traces.jsonl"))) {
            assertTrue(row.get("concepts").toString().contains("\"label\":\"column\""), row.toString());
        }
        assertTrue(jsonLines(columns.resolve("concepts.jsonl")).stream()
                .anyMatch(c -> c.has("name") && c.get("name").getAsString().equals("bar")), "the ancestors of its concepts come along");
        assertTrue(ofColumns.spaces().stream().allMatch(s -> s.traces() > 0));
        Path future = tmp.resolve("future");
        Export.Exported none = Export.run(original, future, new Export.Filter(List.of(), List.of(),
                Instant.now().plusSeconds(3600), null), Progress.SILENT);
        assertTrue(none.spaces().stream().allMatch(s -> s.traces() == 0));
        assertEquals(0, Npy.read(future.resolve("spaces/image/latents.npy")).length);
    }

    @Test
    void anExportIsRefusedIntoADirectoryThatHoldsAnything() throws IOException {
        Path full = tmp.resolve("full");
        Files.createDirectories(full);
        Files.writeString(full.resolve("mine.txt"), "mine");
        EngramException e = assertThrows(EngramException.class, () -> Export.run(original, full, all(), Progress.SILENT));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertEquals("mine", Files.readString(full.resolve("mine.txt")));
        assertEquals(ExitCode.UNKNOWN_NAME, assertThrows(EngramException.class, () -> Export.run(original,
                tmp.resolve("x"), new Export.Filter(List.of(), List.of("no-such"), null, null), Progress.SILENT)).exitCode());
        assertFalse(Files.exists(tmp.resolve("x")));
    }

    @Test
    void aSpaceWithAnotherModelIsRefusedAndCanBeRenamed() throws IOException {
        StoreLocation other = Bars.store(tmp.resolve("other"));
        Path file = Bars.events(tmp.resolve("events"), 4);
        Encode.run(other, Bars.encode(List.of(), List.of(), file, false, 3, InputStream.nullInputStream()), Progress.SILENT);
        String before = dump(other);
        EngramException e = assertThrows(EngramException.class, () -> Import.run(other, export, Map.of(), Progress.SILENT));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("space image exists in") && e.getMessage().contains("another model")
                && e.getMessage().contains("--rename image=NEW"), e.getMessage());
        assertEquals(before, dump(other));
        Import.Imported renamed = Import.run(other, export, Map.of("image", "image-lab2"), Progress.SILENT);
        assertEquals("image-lab2", renamed.spaces().getFirst().space());
        assertTrue(renamed.spaces().getFirst().created());
    }

    @Test
    void aBrokenExportChangesNothing() throws IOException {
        StoreLocation target = Bars.store(tmp.resolve("target"));
        try (Store store = target.openOrCreate()) {
            store.write(tx -> tx.conceptNamed("mine"));
        }
        String before = dump(target);
        assertEquals(ExitCode.INVALID_INPUT, refused(target, tmp.resolve("missing")).exitCode());
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertTrue(refused(target, empty).getMessage().contains("not an engram export"));

        Path escape = copyOfExport("escape");
        rewrite(escape.resolve("manifest.json"), "\"spaces/image/latents.npy\"", "\"../../etc/passwd\"");
        assertTrue(refused(target, escape).getMessage().contains("is not a path inside the export"));

        Path short_ = copyOfExport("short");
        List<String> rows = Files.readAllLines(short_.resolve("spaces/image/traces.jsonl"));
        Files.write(short_.resolve("spaces/image/traces.jsonl"), rows.subList(1, rows.size()));
        assertTrue(refused(target, short_).getMessage().contains("must agree"));

        Path garbled = copyOfExport("garbled");
        Files.writeString(garbled.resolve("associations.jsonl"), "{\"concept\": oops\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        assertTrue(refused(target, garbled).getMessage().contains("associations.jsonl: line"));

        Path version = copyOfExport("version");
        rewrite(version.resolve("manifest.json"), "\"version\": 1", "\"version\": 9");
        assertTrue(refused(target, version).getMessage().contains("export format version 9"));

        assertEquals(before, dump(target));
    }

    @Test
    void numpyAndPandasReadItWithNoEngramCode() throws Exception {
        Assumptions.assumeTrue(python("import numpy") == 0, "python3 with numpy is not installed (Debian: python3-numpy)");
String script = "import json, numpy\n"
                + "m = json.load(open('" + export.resolve("manifest.json") + "'))\n"
                + "d = [s['dimension'] for s in m['spaces'] if s['name'] == 'image'][0]\n"
                + "x = numpy.load('" + export.resolve("spaces/image/latents.npy") + "')\n"
                + "rows = [json.loads(l) for l in open('" + export.resolve("spaces/image/traces.jsonl") + "')]\n"
                + "assert x.dtype == numpy.float32 and x.shape == (len(rows), d), (x.dtype, x.shape)\n"
                + "assert all(r['row'] == i for i, r in enumerate(rows))\n"
                + "try:\n"
                + "    import pandas\n"
                + "    t = pandas.read_json('" + export.resolve("spaces/image/traces.jsonl") + "', lines=True)\n"
                + "    assert len(t) == x.shape[0] and 'surprise' in t.columns\n"
                + "except ImportError:\n"
                + "    pass\n";
        assertEquals(0, python(script));
    }

    private static int python(String script) throws Exception {
        try {
            // Debian's python3 (python3-numpy, python3-pandas) when there is one, else the PATH's.
            String python = Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
            Process p = new ProcessBuilder(python, "-c", script).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(2, TimeUnit.MINUTES));
            if (p.exitValue() != 0 && !script.equals("import numpy")) {
                System.err.println(out);
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        }
    }

    private EngramException refused(StoreLocation target, Path from) {
        return assertThrows(EngramException.class, () -> Import.run(target, from, Map.of(), Progress.SILENT));
    }

    private Path copyOfExport(String name) throws IOException {
        Path copy = tmp.resolve(name);
        dev.engram.io.Directories.copyRecursively(export, copy);
        return copy;
    }

    private static void rewrite(Path file, String from, String to) throws IOException {
        String text = Files.readString(file);
        assertTrue(text.contains(from), text);
        Files.writeString(file, text.replace(from, to));
    }

    private static List<JsonObject> jsonLines(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
    }

    private static Map<String, String> files(Path dir) throws IOException {
        Map<String, String> files = new HashMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(f).toString(), java.util.HexFormat.of().formatHex(Files.readAllBytes(f)).hashCode() + "");
            }
        }
        return files;
    }

    /**
     * An export's tables with every id replaced by what it stands for: a concept by its place in
     * concepts.jsonl, an event by its place in events.jsonl, a trace by its space and row, a
     * report's own id dropped; the manifest without the store's name and the export's time.
     */
    private static String canonical(Path dir) throws IOException {
        Map<Long, Integer> concepts = new HashMap<>();
        Map<Long, Integer> events = new HashMap<>();
        Map<Long, String> traces = new HashMap<>();
        List<JsonObject> conceptRows = jsonLines(dir.resolve("concepts.jsonl"));
        for (JsonObject c : conceptRows) {
            concepts.put(c.get("concept").getAsLong(), concepts.size());
        }
        List<JsonObject> eventRows = jsonLines(dir.resolve("events.jsonl"));
        for (JsonObject e : eventRows) {
            events.put(e.get("event").getAsLong(), events.size());
        }
        JsonObject manifest = JsonParser.parseString(Files.readString(dir.resolve("manifest.json"))).getAsJsonObject();
        manifest.remove("store");
        manifest.remove("exported");
        StringBuilder out = new StringBuilder(manifest.toString()).append('\n');
        Map<String, List<JsonObject>> tables = new HashMap<>();
        for (JsonElement s : manifest.getAsJsonArray("spaces")) {
            String space = s.getAsJsonObject().get("name").getAsString();
            s.getAsJsonObject().remove("time");
            List<JsonObject> rows = jsonLines(dir.resolve(s.getAsJsonObject().get("table").getAsString()));
            rows.forEach(r -> traces.put(r.get("trace").getAsLong(), space + "/" + r.get("row").getAsLong()));
            tables.put(space, rows);
        }
        out.setLength(0);
        out.append(manifest).append('\n');
        for (Map.Entry<String, List<JsonObject>> table : new java.util.TreeMap<>(tables).entrySet()) {
            for (JsonObject r : table.getValue()) {
                r.remove("trace");
                r.add("events", ids(r.getAsJsonArray("events"), events));
                for (JsonElement c : r.getAsJsonArray("concepts")) {
                    JsonObject o = c.getAsJsonObject();
                    o.addProperty("concept", concepts.get(o.get("concept").getAsLong()));
                    if (o.get("label").getAsString().startsWith("#")) {
                        o.remove("label");
                    }
                }
                out.append(table.getKey()).append(' ').append(r).append('\n');
            }
        }
        for (JsonObject c : conceptRows) {
            c.addProperty("concept", concepts.get(c.get("concept").getAsLong()));
            if (c.has("parent")) {
                c.addProperty("parent", concepts.get(c.get("parent").getAsLong()));
            }
            out.append(c).append('\n');
        }
        for (JsonObject e : eventRows) {
            e.remove("event");
            out.append(e).append('\n');
        }
        for (JsonObject a : jsonLines(dir.resolve("associations.jsonl"))) {
            a.addProperty("concept", concepts.get(a.get("concept").getAsLong()));
            a.addProperty("trace", traces.get(a.get("trace").getAsLong()));
            out.append(a).append('\n');
        }
        for (JsonObject r : jsonLines(dir.resolve("dim_reports.jsonl"))) {
            r.remove("report");
            out.append(r).append('\n');
        }
        return out.toString();
    }

    private static com.google.gson.JsonArray ids(com.google.gson.JsonArray ids, Map<Long, Integer> ordinals) {
        com.google.gson.JsonArray mapped = new com.google.gson.JsonArray();
        ids.forEach(id -> mapped.add(ordinals.get(id.getAsLong())));
        return mapped;
    }
}
