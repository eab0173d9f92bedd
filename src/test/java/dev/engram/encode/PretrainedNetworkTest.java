package dev.engram.encode;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.engram.EngramException;
import dev.engram.ExitCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A user's network as a frozen feature extractor, on the tiny networks of
 * src/test/resources/encoders (made by make-tiny-encoders.py with PyTorch 1.13, which also
 * wrote PyTorch's features of a fixed input into expected.json).
 */
class PretrainedNetworkTest {
    static final Path ENCODERS = Path.of("src", "test", "resources", "encoders");

    @TempDir
    Path tmp;

    @Test
    void onnxAndTorchScriptGiveTheFeaturesPyTorchGaveForTheSameNormalisedInput() throws IOException {
        JsonObject expected = JsonParser.parseString(Files.readString(ENCODERS.resolve("expected.json")))
                .getAsJsonObject();
        float[] image = expected(expected, "tiny-image");
        NetworkDeclaration declared = NetworkDeclaration.beside(ENCODERS.resolve("tiny-image.onnx"));
        try (PretrainedNetwork onnx = load("tiny-image.onnx", declared, 3, 16, 16)) {
            assertEquals(32, onnx.features());
            assertEquals(PretrainedNetwork.Format.ONNX, onnx.format());
            assertArrayEquals(image, onnx.features(new float[][] {ramp(3 * 16 * 16)})[0], 1e-5f);
        }
        // TorchScript outputs have no names: the same output by its index.
        NetworkDeclaration byIndex = declared.over(NetworkDeclaration.given("{\"output\": 0}"));
        try (PretrainedNetwork torchScript = load("tiny-image.pt", byIndex, 3, 16, 16)) {
            assertEquals(PretrainedNetwork.Format.TORCHSCRIPT, torchScript.format());
            // Batches of more than one, and a last batch that is not full: each row is its own input's.
            float[][] inputs = new float[PretrainedNetwork.BATCH + 3][];
            for (int i = 0; i < inputs.length; i++) {
                inputs[i] = i == PretrainedNetwork.BATCH + 1 ? ramp(3 * 16 * 16) : new float[3 * 16 * 16];
            }
            float[][] features = torchScript.features(inputs);
            assertEquals(inputs.length, features.length);
            assertArrayEquals(image, features[PretrainedNetwork.BATCH + 1], 1e-5f);
            assertArrayEquals(features[0], features[PretrainedNetwork.BATCH + 2], 0f);
        }
        try (PretrainedNetwork audio = load("tiny-audio.onnx", NetworkDeclaration.beside(
                ENCODERS.resolve("tiny-audio.onnx")), 1, 64, 64)) {
            assertEquals(24, audio.features());
            assertArrayEquals(expected(expected, "tiny-audio"), audio.features(new float[][] {ramp(64 * 64)})[0],
                    1e-5f);
        }
    }

    @Test
    void anotherOutputByName() {
        NetworkDeclaration logits = NetworkDeclaration.given("{\"output\": \"logits\"}");
        try (PretrainedNetwork network = load("tiny-image.onnx", logits, 3, 16, 16)) {
            assertEquals(3, network.features());
        }
    }

    @Test
    void aNetworkThatCannotBeUsedSoIsRefusedWithOneLineThatSaysWhy() throws IOException {
        EngramException output = assertThrows(EngramException.class, () -> load("tiny-image.onnx",
                NetworkDeclaration.given("{\"output\": \"pooled\"}"), 3, 16, 16));
        assertEquals(ExitCode.INVALID_INPUT, output.exitCode());
        assertTrue(output.getMessage().contains("has no output 'pooled'; its outputs are 'features' (#0), 'logits'"
                + " (#1)"), output.getMessage());

        EngramException size = assertThrows(EngramException.class,
                () -> load("tiny-image.onnx", NetworkDeclaration.NONE, 3, 28, 28));
        assertTrue(size.getMessage().contains("the network failed on a batch of 3x28x28 inputs"), size.getMessage());
        assertEquals(1, size.getMessage().lines().count());

        Path junk = Files.writeString(tmp.resolve("junk.onnx"), "this is no network");
        EngramException notANetwork = assertThrows(EngramException.class, () -> PretrainedNetwork.load(junk,
                PretrainedNetwork.Format.of(junk), new int[] {3, 16, 16}, NetworkDeclaration.NONE, junk.toString()));
        assertEquals(ExitCode.INVALID_INPUT, notANetwork.exitCode());
        assertTrue(notANetwork.getMessage().startsWith(junk + ": not an ONNX network"), notANetwork.getMessage());
    }

    @Test
    void theFormatIsToldByTheNameElseByTheFirstBytes() throws IOException {
        Path zip = Files.copy(ENCODERS.resolve("tiny-image.pt"), tmp.resolve("model.bin"));
        assertEquals(PretrainedNetwork.Format.TORCHSCRIPT, PretrainedNetwork.Format.of(zip));
        Path protobuf = Files.copy(ENCODERS.resolve("tiny-image.onnx"), tmp.resolve("model.data"));
        assertEquals(PretrainedNetwork.Format.ONNX, PretrainedNetwork.Format.of(protobuf));
    }

    private static PretrainedNetwork load(String file, NetworkDeclaration declaration, int... input) {
        Path path = ENCODERS.resolve(file);
        return PretrainedNetwork.load(path, PretrainedNetwork.Format.of(path), input, declaration, path.toString());
    }

    /** The input make-tiny-encoders.py fed: value i is (i * 37 mod 101) / 100. */
    static float[] ramp(int size) {
        float[] values = new float[size];
        for (int i = 0; i < size; i++) {
            values[i] = (float) ((i * 37L % 101) / 100.0);
        }
        return values;
    }

    private static float[] expected(JsonObject expected, String network) {
        var array = expected.getAsJsonArray(network);
        float[] values = new float[array.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = array.get(i).getAsFloat();
        }
        return values;
    }
}
