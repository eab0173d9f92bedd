package dev.engram.bench;

import dev.engram.dim.Manifolds;
import dev.engram.io.Npy;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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
            Npy.write(points, out);
        }
        System.out.println("{\"manifold\":\"" + manifold.id() + "\",\"n\":" + points.length + ",\"ambient\":"
                + manifold.ambientDimension() + ",\"intrinsic\":" + manifold.intrinsicDimension() + "}");
    }
}
