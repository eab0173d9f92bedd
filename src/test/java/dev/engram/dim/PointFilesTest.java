package dev.engram.dim;

import dev.engram.EngramException;
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
}
