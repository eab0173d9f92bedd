package dev.engram.encode;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An event manifest: JSON Lines, one event per line, each a set of things perceived together.
 * <pre>
 * {"image": "photos/0001.png", "concept": "sandal", "time": "2026-11-24T10:00:00Z"}
 * </pre>
 * A modality field ({@code image}) holds a path relative to the manifest's folder, which it may
 * not leave; {@code concept} (optional) names the concept the event shows; {@code time}
 * (optional) is an ISO-8601 instant. Any other field is an error, so that a typo is not
 * silently ignored.
 */
public record Manifest(Path file, List<Event> events) {

    /** The modalities this engram can encode from a manifest. */
    public static final Set<String> MODALITIES = Set.of("image");
    private static final Set<String> OTHER_FIELDS = Set.of("concept", "time");

    /** One line: the inputs per modality (resolved paths), its concept and time if given. */
    public record Event(int line, Map<String, Path> inputs, String concept, Instant time) {
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
            throw EngramException.invalidInput(where + "not valid JSON: " + e.getMessage(), e);
        }
        Map<String, Path> inputs = new LinkedHashMap<>();
        String concept = null;
        Instant time = null;
        for (Map.Entry<String, JsonElement> field : object.entrySet()) {
            String name = field.getKey();
            if (!MODALITIES.contains(name) && !OTHER_FIELDS.contains(name)) {
                throw EngramException.invalidInput(where + "unknown field '" + name + "' (known: "
                        + String.join(", ", MODALITIES) + ", concept, time)");
            }
            if (!field.getValue().isJsonPrimitive() || !field.getValue().getAsJsonPrimitive().isString()) {
                throw EngramException.invalidInput(where + "field '" + name + "' must be a string");
            }
            String value = field.getValue().getAsString();
            switch (name) {
                case "concept" -> concept = value.isBlank() ? null : value.strip();
                case "time" -> time = instant(where, value);
                default -> inputs.put(name, inside(where, folder, value));
            }
        }
        if (inputs.isEmpty()) {
            throw EngramException.invalidInput(where + "an event needs at least one input ("
                    + String.join(", ", MODALITIES) + ")");
        }
        return new Event(line, inputs, concept, time);
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
