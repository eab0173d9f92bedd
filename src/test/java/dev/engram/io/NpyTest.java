package dev.engram.io;

import dev.engram.EngramException;
import dev.engram.ExitCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NpyTest {
    @TempDir
    Path tmp;

    @Test
    void whatIsWrittenReadsBackExactlyAndIsRecognisedByItsMagic() throws IOException {
        float[][] points = {{1.5f, -2f, 0f}, {Float.MIN_VALUE, 3e30f, -0.125f}};
        Path file = Files.write(tmp.resolve("points.bin"), bytes(points));

        assertArrayEquals(points, Npy.read(file));
        assertArrayEquals(points, PointFiles.read(file), "a .npy file is known by its first bytes, not its name");
    }

    @Test
    void theHeaderIsVersionOneAndTheDataStartsOnA64ByteBoundary() throws IOException {
        for (int rows : new int[] {0, 7, 123_456}) {
            byte[] npy = bytes(new float[rows][rows == 0 ? 0 : 4]);
            assertEquals(1, npy[6], "major version");
            int headerLength = ByteBuffer.wrap(npy, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort() & 0xFFFF;
            assertEquals(0, (10 + headerLength) % 64, "NEP 1 alignment");
            String header = new String(npy, 10, headerLength, StandardCharsets.US_ASCII);
            assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", "),
                    header);
            assertTrue(header.endsWith("\n"), header);
            assertEquals(10 + headerLength + (long) rows * (rows == 0 ? 0 : 4) * Float.BYTES, npy.length);
        }
    }

    @Test
    void shapesTheDataCannotHoldAreRefusedBeforeAllocating() throws IOException {
        // Each would allocate gigabytes (or throw NegativeArraySize) if the shape were believed.
        refuses("(2147483647, 2147483647)", 8, "the data is shorter than its 2147483647×2147483647 shape says");
        refuses("(4611686018427387904, 4)", 8, "the data is shorter than its 4611686018427387904×4 shape says");
        refuses("(1000000000, 0)", 0, "its 1000000000 points have 0 coordinates");
        refuses("(-3, 2)", 24, "the shape (-3, 2) is not a tuple of sizes");
        refuses("(3, two)", 24, "the shape (3, two) is not a tuple of sizes");
        refuses("(99999999999999999999, 1)", 8, "the shape (99999999999999999999, 1) is not a tuple of sizes");
    }

    @Test
    void anEmptyArrayHasNoRowsWhateverItsWidth() throws IOException {
        assertEquals(0, Npy.read(Files.write(tmp.resolve("e.npy"), npy("(0, 3000000000)", 0))).length);
    }

    @Test
    void aHeaderLongerThanTheFileIsTruncation() throws IOException {
        byte[] v2 = new byte[64];
        System.arraycopy(Npy.MAGIC, 0, v2, 0, Npy.MAGIC.length);
        v2[6] = 2;
        ByteBuffer.wrap(v2).order(ByteOrder.LITTLE_ENDIAN).putInt(8, 0x7FFF_FFF8);
        Path file = Files.write(tmp.resolve("v2.npy"), v2);

        EngramException e = assertThrows(EngramException.class, () -> Npy.read(file));
        assertEquals(file + ": not a .npy file engram reads: truncated header", e.getMessage());
    }

    private void refuses(String shape, int dataBytes, String expected) throws IOException {
        Path file = Files.write(tmp.resolve("bad.npy"), npy(shape, dataBytes));
        EngramException e = assertThrows(EngramException.class, () -> Npy.read(file));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertEquals(file + ": not a .npy file engram reads: " + expected, e.getMessage());
    }

    /** A version 1 float32 .npy whose header says {@code shape}, followed by {@code dataBytes} zeros. */
    private static byte[] npy(String shape, int dataBytes) {
        byte[] header = ("{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }\n")
                .getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(10 + header.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(Npy.MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length).put(header);
        return b.array();
    }

    private static byte[] bytes(float[][] points) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(points, out);
        return out.toByteArray();
    }
}
