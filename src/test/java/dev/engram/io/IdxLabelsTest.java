package dev.engram.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.engram.EngramException;
import dev.engram.ExitCode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxLabelsTest {
    @TempDir
    Path dir;

    @Test
    void readsPlainAndGzippedLabels() throws IOException {
        int[] labels = {9, 0, 0, 3, 255, 7};
        Path plain = Files.write(dir.resolve("labels"), IdxFiles.idxLabels(labels));
        Path gz = Files.write(dir.resolve("labels.bin"), IdxFiles.gzip(IdxFiles.idxLabels(labels)));

        assertArrayEquals(labels, IdxLabels.read(plain));
        assertArrayEquals(labels, IdxLabels.read(gz));
    }

    @Test
    void emptyLabelFileGivesNoLabels() throws IOException {
        Path empty = Files.write(dir.resolve("none"), IdxFiles.idxLabels());

        assertEquals(0, IdxLabels.read(empty).length);
    }

    @Test
    void truncatedLabelsAreReported() throws IOException {
        byte[] full = IdxFiles.idxLabels(1, 2, 3, 4, 5);
        Path cut = Files.write(dir.resolve("cut"), Arrays.copyOf(full, full.length - 2));
        Path cutGz = Files.write(dir.resolve("cut.gz"), IdxFiles.gzip(Arrays.copyOf(full, full.length - 2)));

        assertFails(cut, cut + ": truncated IDX file: the header announces 5 labels (13 bytes) but the file has 11 bytes");
        assertFails(cutGz, cutGz + ": truncated IDX file: the header announces 5 labels but the data ends in item 3");
    }

    @Test
    void aGzippedHeaderAnnouncingMoreThanTheFileCanHoldIsRefusedBeforeReading() throws IOException {
        // 2^31 - 1 labels in a gzip file of some 40 bytes: IdxLabels would allocate 8 GB for them.
        byte[] header = ByteBuffer.allocate(8).putInt(0x00000801).putInt(Integer.MAX_VALUE).array();
        Path bomb = Files.write(dir.resolve("bomb.gz"), IdxFiles.gzip(header));

        assertFails(bomb, bomb + ": corrupt IDX header: it announces 2147483647 labels (2147483655 bytes), more than"
                + " a gzip file of " + Files.size(bomb) + " bytes can hold");
    }

    @Test
    void imageFileIsNotLabels() throws IOException {
        Path images = Files.write(dir.resolve("images"), IdxFiles.idxImages(2, 2, new byte[4]));

        assertFails(images, images + ": this is an IDX image file (magic 0x00000803), not an IDX label file");
    }

    @Test
    void missingFileIsReported() {
        Path missing = dir.resolve("missing");

        assertFails(missing, missing + ": no such file");
    }

    private static void assertFails(Path file, String expectedStart) {
        EngramException e = assertThrows(EngramException.class, () -> IdxLabels.read(file));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertTrue(e.getMessage().startsWith(expectedStart), e.getMessage());
    }
}
