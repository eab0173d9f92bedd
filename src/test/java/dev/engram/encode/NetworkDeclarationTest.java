package dev.engram.encode;

import dev.engram.EngramException;
import dev.engram.ExitCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The JSON that declares how to feed a pretrained network and which output to read. */
class NetworkDeclarationTest {
    @TempDir
    Path tmp;

    @Test
    void everyKeyIsRead() {
        NetworkDeclaration d = NetworkDeclaration.parse("{\"input\": [3, 224, 224], \"mean\": [0.5, 0.4, 0.3],"
                + " \"std\": 0.25, \"output\": \"pooled\", \"name\": \"resnet18\"}", "test");
        assertArrayEquals(new int[] {3, 224, 224}, d.input());
        assertArrayEquals(new float[] {0.5f, 0.4f, 0.3f}, d.mean());
        assertArrayEquals(new float[] {0.25f}, d.std());
        assertEquals("pooled", d.output());
        assertEquals("resnet18", d.name());
        // (v - mean[c]) / std: channel 1 of 0.9 is (0.9 - 0.4) / 0.25
        assertEquals(2.0f, d.normalise(1, 0.9f), 1e-6f);
        assertEquals("2", NetworkDeclaration.parse("{\"output\": 2}", "test").output());
    }

    @Test
    void mistakesAreRefusedNamingWhereTheyAre() {
        assertRefused("{\"inputs\": [3, 8, 8]}", "unknown key \"inputs\"");
        assertRefused("{\"input\": [3, 8]}", "\"input\" must be [C, H, W]");
        assertRefused("{\"input\": [2, 8, 8]}", "1 (grey) or 3 (RGB) channels");
        assertRefused("{\"input\": [3, 8, 8], \"mean\": [0.1, 0.2]}", "\"mean\" must have one value or one per channel");
        assertRefused("{\"std\": [0]}", "\"std\" must hold positive finite numbers");
        assertRefused("{\"output\": -1}", "\"output\" must be an output's name or 0-based index");
        assertRefused("{\"input\": [3, 8.5, 8]}", "whole numbers");
        assertRefused("[1, 2]", "must be a JSON object");
        assertRefused("{\"input\": ", "not JSON");
    }

    private static void assertRefused(String json, String expected) {
        EngramException e = assertThrows(EngramException.class, () -> NetworkDeclaration.parse(json, "where.json"));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertTrue(e.getMessage().startsWith("where.json: ") && e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void theFileBesideTheNetworkIsFoundAndTheCommandLineGoesOverItKeyByKey() throws IOException {
        Path network = Files.writeString(tmp.resolve("net.onnx"), "not read here");
        assertEquals(NetworkDeclaration.NONE, NetworkDeclaration.beside(network));
        Files.writeString(tmp.resolve("net.onnx.json"), "{\"output\": \"b\"}");
        assertEquals("b", NetworkDeclaration.beside(network).output());
        Files.writeString(tmp.resolve("net.json"), "{\"input\": [1, 4, 4], \"output\": \"a\"}");
        NetworkDeclaration beside = NetworkDeclaration.beside(network);
        assertEquals("a", beside.output(), "NAME.json wins over NAME.onnx.json");

        NetworkDeclaration over = beside.over(NetworkDeclaration.given("{\"output\": \"c\", \"std\": 2}"));
        assertArrayEquals(new int[] {1, 4, 4}, over.input());
        assertEquals("c", over.output());
        assertArrayEquals(new float[] {2}, over.std());
        assertNull(over.mean());

        Path file = Files.writeString(tmp.resolve("given.json"), "{\"name\": \"mine\"}");
        assertEquals("mine", NetworkDeclaration.given(file.toString()).name());
        EngramException missing = assertThrows(EngramException.class,
                () -> NetworkDeclaration.given(tmp.resolve("absent.json").toString()));
        assertTrue(missing.getMessage().contains("no such file"), missing.getMessage());
    }
}
