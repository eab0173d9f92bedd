package dev.engram.encode.vector;

import dev.engram.EngramException;
import dev.engram.ExitCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VectorSourcesTest {
    @TempDir
    Path dir;

    @Test
    void rowsOfCsvAndNpyFilesAreInputsInOrder() throws IOException {
        Path csv = write("signals.csv", "heart,breath,temp\n60,12,36.6\n72,14,36.9\n");
        Path npy = dir.resolve("more.npy");
        Files.write(npy, npyFloat32(new float[][] {{1, 2, 3}, {4, 5, 6}}));

        List<VectorInput> inputs = VectorSources.read(List.of(csv.toString(), npy.toString()));

        assertEquals(4, inputs.size());
        assertEquals(csv.toAbsolutePath().normalize().toString(), inputs.get(0).source());
        assertEquals(1, inputs.get(1).index());
        assertArrayEquals(new float[] {72, 14, 36.9f}, inputs.get(1).values());
        assertEquals(npy.toString(), inputs.get(3).source());
        assertEquals(1, inputs.get(3).index());
        assertArrayEquals(new float[] {4, 5, 6}, inputs.get(3).values());
        assertEquals(inputs.get(3).source() + "#1", inputs.get(3).location());
    }

    @Test
    void theContentHashIsTheRowsFloatBits() {
        VectorInput a = new VectorInput("/a", 0, new float[] {1, 2, 3});
        VectorInput b = new VectorInput("/b", 7, new float[] {1, 2, 3});
        assertEquals(a.contentHash(), b.contentHash(), "where a row came from is not its content");
        assertEquals(64, a.contentHash().length());
        assertNotEquals(a.contentHash(), VectorInput.contentHash(new float[] {1, 2, 3.0000002f}));
        assertNotEquals(VectorInput.contentHash(new float[] {0f}), VectorInput.contentHash(new float[] {-0f}));
    }

    @Test
    void filesOfDifferentWidthsAreTheWrongShape() throws IOException {
        Path three = write("three.csv", "1,2,3\n");
        Path two = write("two.csv", "1,2\n");
        EngramException e = assertThrows(EngramException.class,
                () -> VectorSources.read(List.of(three.toString(), two.toString())));
        assertEquals(ExitCode.WRONG_SHAPE, e.exitCode());
        assertTrue(e.getMessage().contains(two.toString()) && e.getMessage().contains("2 values")
                && e.getMessage().contains("rows of 3"), e.getMessage());
    }

    @Test
    void aValueThatIsNotFiniteNamesFileAndRow() throws IOException {
        Path file = write("bad.csv", "1,2\n3,NaN\n");
        EngramException e = assertThrows(EngramException.class, () -> VectorSources.read(List.of(file.toString())));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("row 1"), e.getMessage());

        Path infinite = write("inf.csv", "Infinity,2\n");
        assertThrows(EngramException.class, () -> VectorSources.read(List.of(infinite.toString())));
    }

    @Test
    void anEmptyFileOrNoFileIsNothingToDo() throws IOException {
        Path empty = write("empty.csv", "");
        EngramException e = assertThrows(EngramException.class, () -> VectorSources.read(List.of(empty.toString())));
        assertEquals(ExitCode.NOTHING_TO_DO, e.exitCode());
        assertTrue(e.getMessage().contains(empty.toString()), e.getMessage());
        assertEquals(ExitCode.NOTHING_TO_DO,
                assertThrows(EngramException.class, () -> VectorSources.read(List.of())).exitCode());
    }

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    /** A version-1 .npy of little-endian float32 rows, its header padded to a multiple of 64 bytes. */
    private static byte[] npyFloat32(float[][] rows) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows.length + ", "
                + rows[0].length + "), }";
        int length = (10 + dict.length() + 1 + 63) / 64 * 64; // magic, version, size, header, padded
        String header = dict + " ".repeat(length - 10 - dict.length() - 1) + "\n";
        ByteBuffer b = ByteBuffer.allocate(length + rows.length * rows[0].length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (float[] row : rows) {
            for (float v : row) {
                b.putFloat(v);
            }
        }
        return b.array();
    }
}
