package dev.engram.encode.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.engram.EngramException;
import dev.engram.ExitCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;

class ModelFilesTest {
    private static final String RESOURCE = TextModel.DEFAULT.tokenizerResource;
    private static final String SHA256 = TextModel.DEFAULT.tokenizerSha256;

    @Test
    void copiesOnceThenReusesTheStampedCopy(@TempDir Path dir) throws IOException {
        Path file = ModelFiles.extract(RESOURCE, SHA256, dir, "tokenizer.json");
        assertEquals(SHA256, ModelFiles.sha256(file));
        FileTime old = FileTime.fromMillis(0);
        Files.setLastModifiedTime(file, old);

        assertEquals(file, ModelFiles.extract(RESOURCE, SHA256, dir, "tokenizer.json"));
        assertEquals(old, Files.getLastModifiedTime(file), "a stamped copy is not rewritten");
    }

    @Test
    void aDamagedCopyIsReplaced(@TempDir Path dir) throws IOException {
        Path file = ModelFiles.extract(RESOURCE, SHA256, dir, "tokenizer.json");
        Files.writeString(file, "truncated", StandardOpenOption.TRUNCATE_EXISTING);

        ModelFiles.extract(RESOURCE, SHA256, dir, "tokenizer.json");

        assertEquals(SHA256, ModelFiles.sha256(file));
    }

    @Test
    void aResourceOfAnotherVersionIsRefused(@TempDir Path dir) throws IOException {
        String other = "0".repeat(64);

        EngramException e = assertThrows(EngramException.class,
                () -> ModelFiles.extract(RESOURCE, other, dir, "tokenizer.json"));

        assertEquals(ExitCode.INTERNAL_ERROR, e.exitCode());
        try (var left = Files.list(dir)) {
            assertFalse(left.findAny().isPresent(), "nothing is left behind");
        }
        e = assertThrows(EngramException.class, () -> ModelFiles.extract("/no-such-model.onnx", SHA256, dir, "x"));
        assertEquals(ExitCode.INTERNAL_ERROR, e.exitCode());
    }
}
