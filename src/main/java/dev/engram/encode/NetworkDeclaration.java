package dev.engram.encode;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.engram.EngramException;
import dev.engram.io.FileErrors;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

/**
 * What engram must know to feed a user's pretrained network and read its features: a small
 * JSON file beside the network ({@code resnet18.onnx} → {@code resnet18.json}) or given on
 * the command line (docs/architecture.md, Pretrained encoders). Every key is optional:
 *
 * <pre>
 * {"input": [3, 224, 224],                 C x H x W the network takes (images: read at this size)
 *  "mean": [0.485, 0.456, 0.406],          per channel (or one for all), subtracted from values in [0, 1]
 *  "std":  [0.229, 0.224, 0.225],          per channel (or one for all), divided by after that
 *  "output": "features",                   the output to read, by name (ONNX) or 0-based index; default the first
 *  "name": "resnet18"}                     how the space names its encoder; default the file's name
 * </pre>
 *
 * @param name   null for the network file's name without its extension
 * @param input  C x H x W, or null where the modality decides (sound: its spectrogram)
 * @param mean   one value per channel, or one for all; null for 0
 * @param std    one value per channel, or one for all; null for 1
 * @param output an output's name or 0-based index; null for the first
 */
public record NetworkDeclaration(String name, int[] input, float[] mean, float[] std, String output) {
    /** The sides engram reads images at, at most: a declaration asking for more is a mistake. */
    static final int MAX_SIDE = 4096;
    private static final Set<String> KEYS = Set.of("name", "input", "mean", "std", "output");

    public static final NetworkDeclaration NONE = new NetworkDeclaration(null, null, null, null, null);

    public NetworkDeclaration {
        String where = "the network's declaration";
        if (input != null) {
            if (input.length != 3 || Arrays.stream(input).anyMatch(s -> s < 1 || s > MAX_SIDE)) {
                throw EngramException.invalidInput(where + ": \"input\" must be [C, H, W] with sides from 1 to "
                        + MAX_SIDE + ", not " + Arrays.toString(input));
            }
            if (input[0] != 1 && input[0] != 3) {
                throw EngramException.invalidInput(where + ": \"input\" must have 1 (grey) or 3 (RGB) channels, not "
                        + input[0]);
            }
        }
        requirePerChannel(where, "mean", mean, input, false);
        requirePerChannel(where, "std", std, input, true);
        if (name != null && (name.isBlank() || name.length() > 100 || name.chars().anyMatch(Character::isISOControl))) {
            throw EngramException.invalidInput(where + ": \"name\" must be 1 to 100 printable characters");
        }
        input = input == null ? null : input.clone();
        mean = mean == null ? null : mean.clone();
        std = std == null ? null : std.clone();
    }

    private static void requirePerChannel(String where, String key, float[] values, int[] input, boolean positive) {
        if (values == null) {
            return;
        }
        int channels = input == null ? values.length : input[0];
        if (values.length != 1 && values.length != channels) {
            throw EngramException.invalidInput(where + ": \"" + key + "\" must have one value or one per channel ("
                    + channels + "), not " + values.length);
        }
        for (float v : values) {
            if (!Float.isFinite(v) || (positive && !(v > 0))) {
                throw EngramException.invalidInput(where + ": \"" + key + "\" must hold " + (positive ? "positive " : "")
                        + "finite numbers, not " + Arrays.toString(values));
            }
        }
    }

    /**
     * The declaration beside a network file: {@code NAME.json} for {@code NAME.onnx}, else
     * {@code NAME.onnx.json}; {@link #NONE} when there is neither.
     */
    public static NetworkDeclaration beside(Path network) {
        String file = network.getFileName().toString();
        int dot = file.lastIndexOf('.');
        Path[] candidates = {network.resolveSibling((dot > 0 ? file.substring(0, dot) : file) + ".json"),
                network.resolveSibling(file + ".json")};
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                return read(candidate);
            }
        }
        return NONE;
    }

    /** A declaration given on the command line: inline JSON (starting with '{') or a file's name. */
    public static NetworkDeclaration given(String value) {
        return value.strip().startsWith("{") ? parse(value, "--encoder-config") : read(Path.of(value));
    }

    static NetworkDeclaration read(Path file) {
        try {
            if (Files.size(file) > 1 << 20) {
                throw FileErrors.invalid(file, "a network's declaration is a small JSON object, not "
                        + Files.size(file) + " bytes");
            }
            return parse(Files.readString(file), file.toString());
        } catch (IOException e) {
            throw FileErrors.readFailure(file, e);
        }
    }

    /** Parses a declaration; unknown keys are refused, so that a misspelt one is not silently ignored. */
    static NetworkDeclaration parse(String json, String where) {
        JsonObject object;
        try {
            JsonElement element = JsonParser.parseString(json);
            if (!element.isJsonObject()) {
                throw EngramException.invalidInput(where + ": a network's declaration must be a JSON object");
            }
            object = element.getAsJsonObject();
        } catch (JsonParseException e) {
            throw EngramException.invalidInput(where + ": not JSON: " + firstLine(e));
        }
        for (String key : object.keySet()) {
            if (!KEYS.contains(key)) {
                throw EngramException.invalidInput(where + ": unknown key \"" + key + "\" (known: input, mean, std,"
                        + " output, name)");
            }
        }
        try {
            return new NetworkDeclaration(string(object, "name", where), ints(object, "input", where),
                    floats(object, "mean", where), floats(object, "std", where), output(object, where));
        } catch (EngramException e) {
            throw EngramException.invalidInput(e.getMessage().replace("the network's declaration", where));
        }
    }

    private static String string(JsonObject object, String key, String where) {
        JsonElement e = object.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw EngramException.invalidInput(where + ": \"" + key + "\" must be a string");
        }
        return e.getAsString();
    }

    private static String output(JsonObject object, String where) {
        JsonElement e = object.get("output");
        if (e == null || e.isJsonNull()) {
            return null;
        }
        if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            double index = e.getAsDouble();
            if (index < 0 || index != Math.rint(index) || index > 1000) {
                throw EngramException.invalidInput(where + ": \"output\" must be an output's name or 0-based index,"
                        + " not " + e);
            }
            return Integer.toString((int) index);
        }
        return string(object, "output", where);
    }

    private static double[] numbers(JsonObject object, String key, String where) {
        JsonElement e = object.get(key);
        if (e == null || e.isJsonNull()) {
            return null;
        }
        JsonArray array = e.isJsonArray() ? e.getAsJsonArray() : null;
        if (array == null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
            array = new JsonArray();
            array.add(e);
        }
        if (array == null || array.isEmpty() || array.size() > MAX_SIDE) {
            throw EngramException.invalidInput(where + ": \"" + key + "\" must be a number or an array of numbers");
        }
        double[] values = new double[array.size()];
        for (int i = 0; i < values.length; i++) {
            if (!(array.get(i) instanceof JsonPrimitive p) || !p.isNumber()) {
                throw EngramException.invalidInput(where + ": \"" + key + "\" must hold numbers, not " + array.get(i));
            }
            values[i] = p.getAsDouble();
        }
        return values;
    }

    private static int[] ints(JsonObject object, String key, String where) {
        double[] values = numbers(object, key, where);
        if (values == null) {
            return null;
        }
        int[] ints = new int[values.length];
        for (int i = 0; i < ints.length; i++) {
            if (values[i] != Math.rint(values[i]) || Math.abs(values[i]) > Integer.MAX_VALUE) {
                throw EngramException.invalidInput(where + ": \"" + key + "\" must hold whole numbers");
            }
            ints[i] = (int) values[i];
        }
        return ints;
    }

    private static float[] floats(JsonObject object, String key, String where) {
        double[] values = numbers(object, key, where);
        if (values == null) {
            return null;
        }
        float[] floats = new float[values.length];
        for (int i = 0; i < floats.length; i++) {
            floats[i] = (float) values[i];
        }
        return floats;
    }

    private static String firstLine(Exception e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName() : message.lines().findFirst().orElse("");
    }

    /** This declaration with {@code other}'s keys where it sets them (the command line over the file beside). */
    public NetworkDeclaration over(NetworkDeclaration other) {
        return new NetworkDeclaration(other.name != null ? other.name : name, other.input != null ? other.input : input,
                other.mean != null ? other.mean : mean, other.std != null ? other.std : std,
                other.output != null ? other.output : output);
    }

    /** The value v of channel c, normalised as declared: (v - mean) / std. */
    float normalise(int channel, float v) {
        float m = mean == null ? 0 : mean[mean.length == 1 ? 0 : channel];
        float s = std == null ? 1 : std[std.length == 1 ? 0 : channel];
        return (v - m) / s;
    }

    // Records compare array components by identity; declarations are equal when their values are.
    @Override
    public boolean equals(Object o) {
        return o instanceof NetworkDeclaration d && Objects.equals(name, d.name)
                && Arrays.equals(input, d.input) && Arrays.equals(mean, d.mean) && Arrays.equals(std, d.std)
                && Objects.equals(output, d.output);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(input), Arrays.hashCode(mean), Arrays.hashCode(std),
                output);
    }

    @Override
    public String toString() {
        return "NetworkDeclaration[name=" + name + ", input=" + Arrays.toString(input) + ", mean="
                + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + ", output=" + output + "]";
    }
}
