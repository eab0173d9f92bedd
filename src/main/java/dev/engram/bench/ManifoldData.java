package dev.engram.bench;

import dev.engram.dim.Manifolds;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a sample of a benchmark manifold as a NumPy {@code .npy} file (format 1.0, little-endian
 * float32, C order), the input of {@code bin/bench dim}:
 * {@code ManifoldData NAME N SEED OUT.npy}, e.g. {@code Mn1_Nonlinear 20000 1 mn1.npy}.
 */
public final class ManifoldData {
    private ManifoldData() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: ManifoldData NAME N SEED OUT.npy");
            System.exit(2);
        }
        Manifolds.Benchmark manifold = Manifolds.Benchmark.named(args[0]);
        float[][] points = manifold.sample(Integer.parseInt(args[1]), Long.parseLong(args[2]));
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(Path.of(args[3])))) {
            writeNpy(points, out);
        }
        System.out.println("{\"manifold\":\"" + manifold.id() + "\",\"n\":" + points.length + ",\"ambient\":"
                + manifold.ambientDimension() + ",\"intrinsic\":" + manifold.intrinsicDimension() + "}");
    }

    /** Points as a 2-D little-endian float32 .npy (what PointFiles reads, and NumPy). */
    public static void writeNpy(float[][] points, OutputStream stream) throws IOException {
        int columns = points.length == 0 ? 0 : points[0].length;
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + points.length + ", " + columns + "), }";
        // Magic (6) + version (2) + header length (2) + header, padded with spaces and ended by a
        // newline so that the data starts on a 64-byte boundary (NEP 1).
        int unpadded = 10 + header.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        header = header + " ".repeat(padding) + "\n";
        DataOutputStream out = new DataOutputStream(stream);
        out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        out.write(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) header.length()).array());
        out.write(header.getBytes(StandardCharsets.US_ASCII));
        ByteBuffer row = ByteBuffer.allocate(columns * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (float[] point : points) {
            row.clear();
            row.asFloatBuffer().put(point);
            out.write(row.array());
        }
        out.flush();
    }
}
