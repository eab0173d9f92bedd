package dev.engram.encode;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.engram.EngramException;
import dev.engram.io.FileErrors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Events: things perceived together. Two ways to write them down:
 *
 * <p>A manifest, JSON Lines, one event per line:
 * <pre>
 * {"image": "photos/0001.png", "text": "a red sandal", "audio": "speech/sandal.wav",
 *  "vector": [0.1, 2.5, -1], "concept": "sandal", "time": "2026-11-24T10:00:00Z"}
 * </pre>
 * A field named after a modality holds what the event perceived of it, read by the modality
 * ({@link Modality#field}): {@code image} and {@code audio} a path relative to the manifest's
 * folder, which it may not leave; {@code text} the text itself; {@code vector} an array of
 * numbers or the path of a CSV or .npy file of one row. {@code concept} (optional) names the
 * concept the event shows; {@code time} (optional) is an ISO-8601 instant. Any other field is an
 * error, so that a typo is not silently ignored.
 *
 * <p>A folder: files that share a base name in one directory form one event
 * ({@code 0001.png}, {@code 0001.txt}, {@code 0001.wav}); the extension says the modality
 * ({@code .png/.jpg/.jpeg}, {@code .txt} (its content is the text), {@code .wav},
 * {@code .csv/.npy}). Such events have no concept and no time.
 */
public record Manifest(Path file, List<Event> events) {

    private static final Set<String> OTHER_FIELDS = Set.of("concept", "time");

    /**
     * One event: where it was written ({@code line}, 1-based), its inputs per modality (in the
     * order of {@link Modalities#all()}), concept and time.
     */
    public record Event(int line, String where, Map<Modality<?>, Given> inputs, String concept, Instant time) {
    }

    /** A modality's field on one manifest line, as written, for the modality to read. */
    public static final class Field {
        private final String where;
        private final String name;
        private final JsonElement value;
        private final Path manifest;
        private final int line;

        Field(String where, String name, JsonElement value, Path manifest, int line) {
            this.where = where;
            this.name = name;
            this.value = value;
            this.manifest = manifest;
            this.line = line;
        }

        public boolean isArray() {
            return value.isJsonArray();
        }

        /** A string naming a file in the manifest's folder (or below it). */
        public Given file() {
            String path = string();
            Path folder = manifest.getParent();
            Path file;
            try {
                file = folder.resolve(path).normalize();
            } catch (InvalidPathException e) {
                throw EngramException.invalidInput(where + ": '" + FileErrors.shown(path) + "' is not a valid path", e);
            }
            if (!file.startsWith(folder)) {
                throw EngramException.invalidInput(where + ": path '" + FileErrors.shown(path)
                        + "' leaves the manifest's folder");
            }
            if (!Files.isRegularFile(file)) {
                throw EngramException.invalidInput(where + ": no such file '" + FileErrors.shown(path) + "'");
            }
            return Given.file(where, file);
        }

        /** A string that is the input itself: words, stripped. */
        public Given text() {
            String words = string();
            if (words.isBlank()) {
                throw EngramException.invalidInput(where + ": field '" + name + "' is empty");
            }
            return Given.text(where, manifest.toString(), line, words.strip());
        }

        /** An array of finite numbers that is the input itself. */
        public Given numbers() {
            if (!value.isJsonArray()) {
                throw EngramException.invalidInput(where + ": field '" + name + "' must be an array of numbers");
            }
            JsonArray array = value.getAsJsonArray();
            if (array.isEmpty()) {
                throw EngramException.invalidInput(where + ": field '" + name + "' is an empty array");
            }
            float[] values = new float[array.size()];
            for (int i = 0; i < values.length; i++) {
                JsonElement e = array.get(i);
                if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
                    throw EngramException.invalidInput(where + ": field '" + name + "' must hold numbers only");
                }
                values[i] = e.getAsFloat();
                if (!Float.isFinite(values[i])) {
                    throw EngramException.invalidInput(where + ": field '" + name + "' holds a number out of float range");
                }
            }
            return Given.values(where, manifest.toString(), line, values);
        }

        private String string() {
            return Manifest.string(where + ": ", name, value);
        }
    }

    public static Manifest read(Path file) {
        Path manifest = file.toAbsolutePath().normalize();
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw EngramException.invalidInput("cannot read manifest " + file + ": " + e.getMessage(), e);
        }
        List<Event> events = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i).strip();
            if (!text.isEmpty()) {
                events.add(parse(file, manifest, i + 1, text));
            }
        }
        if (events.isEmpty()) {
            throw EngramException.nothingToDo("manifest " + file + " has no events");
        }
        return new Manifest(file, events);
    }

    /** The events of a folder: one per base name (per directory), in path order. */
    public static Manifest ofFolder(Path directory) {
        if (!Files.isDirectory(directory)) {
            throw EngramException.invalidInput("--events " + directory + " is not a directory");
        }
        Map<Path, Map<Modality<?>, Given>> groups = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path p : paths.filter(Files::isRegularFile).sorted().toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                Modality<?> modality = Modalities.byExtension(name).orElseThrow(() -> EngramException.invalidInput(
                        p + ": unknown kind of file in an events folder (known: " + Modalities.extensions() + ")"));
                int dot = name.lastIndexOf('.');
                Path key = p.toAbsolutePath().normalize().resolveSibling(name.substring(0, dot));
                Map<Modality<?>, Given> inputs = groups.computeIfAbsent(key, k -> new HashMap<>());
                if (inputs.put(modality, Given.file(key.toString(), p.toAbsolutePath().normalize())) != null) {
                    throw EngramException.invalidInput(key + ": two " + modality.id() + " files for one event");
                }
            }
        } catch (IOException e) {
            throw EngramException.invalidInput("cannot list " + directory + ": " + e.getMessage(), e);
        }
        if (groups.isEmpty()) {
            throw EngramException.nothingToDo("events folder " + directory + " holds no files");
        }
        List<Event> events = new ArrayList<>();
        for (Map.Entry<Path, Map<Modality<?>, Given>> group : groups.entrySet()) {
            events.add(new Event(events.size() + 1, group.getKey().toString(), inOrder(group.getValue()), null, null));
        }
        return new Manifest(directory, events);
    }

    /** The distinct modalities of the events, in the order of {@link Modalities#all()}. */
    public List<Modality<?>> modalities() {
        return Modalities.all().stream()
                .filter(m -> events.stream().anyMatch(e -> e.inputs().containsKey(m))).toList();
    }

    private static Event parse(Path file, Path manifest, int line, String text) {
        String where = file + ":" + line + ": ";
        JsonObject object;
        try {
            JsonElement element = JsonParser.parseString(text);
            if (!element.isJsonObject()) {
                throw EngramException.invalidInput(where + "an event must be a JSON object");
            }
            object = element.getAsJsonObject();
        } catch (JsonParseException e) {
            // Gson's message spans lines and advises on its own API; the column is what helps.
            java.util.regex.Matcher column = java.util.regex.Pattern.compile("column (\\d+)")
                    .matcher(String.valueOf(e.getMessage()));
            throw EngramException.invalidInput(where + "not valid JSON" + (column.find() ? " (at column "
                    + column.group(1) + ")" : ""), e);
        }
        Map<Modality<?>, Given> inputs = new HashMap<>();
        String concept = null;
        Instant time = null;
        for (Map.Entry<String, JsonElement> field : object.entrySet()) {
            String name = field.getKey();
            JsonElement value = field.getValue();
            if (OTHER_FIELDS.contains(name)) {
                String string = string(where, name, value);
                if (name.equals("concept")) {
                    concept = string.isBlank() ? null : string.strip();
                } else {
                    time = instant(where, string);
                }
                continue;
            }
            Modality<?> modality = Modalities.find(name).orElseThrow(() -> EngramException.invalidInput(where
                    + "unknown field '" + FileErrors.shown(name) + "' (known: " + Modalities.known() + ", concept, time)"));
            inputs.put(modality, modality.field(new Field(file + ":" + line, name, value, manifest, line)));
        }
        if (inputs.isEmpty()) {
            throw EngramException.invalidInput(where + "an event needs at least one input (" + Modalities.known() + ")");
        }
        return new Event(line, file + ":" + line, inOrder(inputs), concept, time);
    }

    /** An event's inputs in the order of {@link Modalities#all()}, whatever order they were written in. */
    private static Map<Modality<?>, Given> inOrder(Map<Modality<?>, Given> inputs) {
        Map<Modality<?>, Given> ordered = new LinkedHashMap<>();
        Modalities.all().stream().filter(inputs::containsKey).forEach(m -> ordered.put(m, inputs.get(m)));
        return ordered;
    }

    private static String string(String where, String name, JsonElement value) {
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw EngramException.invalidInput(where + "field '" + name + "' must be a string");
        }
        return value.getAsString();
    }

    private static Instant instant(String where, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw EngramException.invalidInput(where + "time '" + FileErrors.shown(value) + "' is not an ISO-8601 instant"
                    + " (like 2026-11-24T10:00:00Z)");
        }
    }
}
