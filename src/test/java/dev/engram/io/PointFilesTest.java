package dev.engram.io;

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

class PointFilesTest {
    @TempDir
    Path tmp;

    @Test
    void csvSkipsAHeaderCommentsAndBlankLinesAndAcceptsOtherSeparators() throws IOException {
        Path file = tmp.resolve("p.csv");
        Files.writeString(file, "x;y;z\n# a comment\n1;2;3\n\n4.5; -6 ;7e1\r\n");
        float[][] points = PointFiles.read(file);
        assertEquals(2, points.length);
        assertArrayEquals(new float[]{4.5f, -6f, 70f}, points[1]);

        Path spaces = tmp.resolve("p.txt");
        Files.writeString(spaces, "1 2\n3\t4\n");
        assertArrayEquals(new float[]{3, 4}, PointFiles.read(spaces)[1]);
    }

    @Test
    void aSecondNonNumericRowIsAnErrorNotAHeader() throws IOException {
        Path file = tmp.resolve("two-headers.csv");
        Files.writeString(file, "x,y\nu,v\n1,2\n");
        EngramException e = assertThrows(EngramException.class, () -> PointFiles.read(file));
        assertTrue(e.getMessage().contains(file + ":2:"), e.getMessage());
    }

    @Test
    void aMissingFileIsInvalidInput() {
        EngramException e = assertThrows(EngramException.class, () -> PointFiles.read(tmp.resolve("none.csv")));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void idxImagesArePointsOfTheirPixelsInZeroToOneRowByRow() throws IOException {
        byte[] first = {0, (byte) 255, 51, 102, (byte) 204, 1};
        byte[] second = {(byte) 128, 0, 0, 0, 0, (byte) 255};
        Path plain = Files.write(tmp.resolve("images"), IdxFiles.idxImages(2, 3, first, second));
        Path gzipped = Files.write(tmp.resolve("images.data"), IdxFiles.gzip(IdxFiles.idxImages(2, 3, first, second)));
        for (Path file : new Path[] {plain, gzipped}) {
            float[][] points = PointFiles.read(file);
            assertEquals(2, points.length);
            assertArrayEquals(new float[] {0, 1, 0.2f, 0.4f, 0.8f, 1 / 255f}, points[0], 1e-7f);
            assertArrayEquals(new float[] {128 / 255f, 0, 0, 0, 0, 1}, points[1], 1e-7f);
        }
    }

    @Test
    void anIdxFileOfNoImagesIsNothingToDo() throws IOException {
        Path empty = Files.write(tmp.resolve("empty-idx3-ubyte"), IdxFiles.idxImages(28, 28));
        EngramException e = assertThrows(EngramException.class, () -> PointFiles.read(empty));
        assertEquals(ExitCode.NOTHING_TO_DO, e.exitCode());
        assertTrue(e.getMessage().startsWith(empty + ": no images"), e.getMessage());
    }

    @Test
    void anIdxLabelFileIsNotPoints() throws IOException {
        Path labels = Files.write(tmp.resolve("labels-idx1-ubyte"), IdxFiles.idxLabels(1, 2, 3));
        EngramException e = assertThrows(EngramException.class, () -> PointFiles.read(labels));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("this is an IDX label file"), e.getMessage());
    }
}
