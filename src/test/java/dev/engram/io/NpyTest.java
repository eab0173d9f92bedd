package dev.engram.io;

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

    private static byte[] bytes(float[][] points) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Npy.write(points, out);
        return out.toByteArray();
    }
}
