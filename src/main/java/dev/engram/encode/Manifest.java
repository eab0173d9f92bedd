package dev.engram.encode;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.engram.EngramException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
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
 * {@code image} and {@code audio} hold a path relative to the manifest's folder, which it may
 * not leave; {@code text} holds the text itself; {@code vector} an array of numbers or the path
 * of a CSV or .npy file of one row. {@code concept} (optional) names the concept the event
 * shows; {@code time} (optional) is an ISO-8601 instant. Any other field is an error, so that a
 * typo is not silently ignored.
 *
 * <p>A folder: files that share a base name in one directory form one event
 * ({@code 0001.png}, {@code 0001.txt}, {@code 0001.wav}); the extension says the modality
 * ({@code .png/.jpg/.jpeg}, {@code .txt} (its content is the text), {@code .wav},
 * {@code .csv/.npy}). Such events have no concept and no time.
 */
public record Manifest(Path file, List<Event> events) {

    private static final Set<String> OTHER_FIELDS = Set.of("concept", "time");

    /** One perceived input: a file, or inline text or numbers. */
    public record Input(Path file, String text, float[] values) {
    }

    /** One event: where it was written ({@code line}, 1-based), its inputs per modality, concept and time. */
    public record Event(int line, String where, Map<Modality, Input> inputs, String concept, Instant time) {
    }

    public static Manifest read(Path file) {
        Path folder = file.toAbsolutePath().normalize().getParent();
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
                events.add(parse(file, folder, i + 1, text));
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
        Map<Path, Map<Modality, Input>> groups = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path p : paths.filter(Files::isRegularFile).sorted().toList()) {
                String name = p.getFileName().toString();
                if (name.startsWith(".")) {
                    continue;
                }
                Modality modality = Modality.ofFile(name);
                if (modality == null) {
                    throw EngramException.invalidInput(p + ": unknown kind of file in an events folder (known:"
                            + " .png .jpg .jpeg .txt .wav .csv .npy)");
                }
                int dot = name.lastIndexOf('.');
                Path key = p.toAbsolutePath().normalize().resolveSibling(name.substring(0, dot));
                Map<Modality, Input> inputs = groups.computeIfAbsent(key, k -> new EnumMap<>(Modality.class));
                Path file = p.toAbsolutePath().normalize();
                if (inputs.put(modality, new Input(file, null, null)) != null) {
                    throw EngramException.invalidInput(key + ": two " + modality + " files for one event");
                }
            }
        } catch (IOException e) {
            throw EngramException.invalidInput("cannot list " + directory + ": " + e.getMessage(), e);
        }
        if (groups.isEmpty()) {
            throw EngramException.nothingToDo("events folder " + directory + " holds no files");
        }
        List<Event> events = new ArrayList<>();
        for (Map.Entry<Path, Map<Modality, Input>> group : groups.entrySet()) {
            events.add(new Event(events.size() + 1, group.getKey().toString(), group.getValue(), null, null));
        }
        return new Manifest(directory, events);
    }

    private static Event parse(Path file, Path folder, int line, String text) {
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
        Map<Modality, Input> inputs = new EnumMap<>(Modality.class);
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
            Modality modality = modality(where, name);
            inputs.put(modality, switch (modality) {
                case IMAGE, AUDIO -> new Input(inside(where, folder, string(where, name, value)), null, null);
                case TEXT -> {
                    String words = string(where, name, value);
                    if (words.isBlank()) {
                        throw EngramException.invalidInput(where + "field 'text' is empty");
                    }
                    yield new Input(null, words.strip(), null);
                }
                case VECTOR -> value.isJsonArray() ? new Input(null, null, numbers(where, value.getAsJsonArray()))
                        : new Input(inside(where, folder, string(where, name, value)), null, null);
            });
        }
        if (inputs.isEmpty()) {
            throw EngramException.invalidInput(where + "an event needs at least one input (" + Modality.known() + ")");
        }
        return new Event(line, file + ":" + line, inputs, concept, time);
    }

    private static Modality modality(String where, String name) {
        for (Modality m : Modality.values()) {
            if (m.id().equals(name)) {
                return m;
            }
        }
        throw EngramException.invalidInput(where + "unknown field '" + name + "' (known: " + Modality.known()
                + ", concept, time)");
    }

    private static String string(String where, String name, JsonElement value) {
        if (!value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
            throw EngramException.invalidInput(where + "field '" + name + "' must be a string");
        }
        return value.getAsString();
    }

    private static float[] numbers(String where, JsonArray array) {
        if (array.isEmpty()) {
            throw EngramException.invalidInput(where + "field 'vector' is an empty array");
        }
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            JsonElement e = array.get(i);
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
                throw EngramException.invalidInput(where + "field 'vector' must hold numbers only");
            }
            values[i] = e.getAsFloat();
            if (!Float.isFinite(values[i])) {
                throw EngramException.invalidInput(where + "field 'vector' holds a number out of float range");
            }
        }
        return values;
    }

    private static Path inside(String where, Path folder, String value) {
        Path path = folder.resolve(value).normalize();
        if (!path.startsWith(folder)) {
            throw EngramException.invalidInput(where + "path '" + value + "' leaves the manifest's folder");
        }
        if (!Files.isRegularFile(path)) {
            throw EngramException.invalidInput(where + "no such file '" + value + "'");
        }
        return path;
    }

    private static Instant instant(String where, String value) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw EngramException.invalidInput(where + "time '" + value + "' is not an ISO-8601 instant"
                    + " (like 2026-11-24T10:00:00Z)");
        }
    }
}
