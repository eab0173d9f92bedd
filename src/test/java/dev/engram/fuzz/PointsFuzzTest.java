package dev.engram.fuzz;

import dev.engram.encode.vector.VectorModality;
import dev.engram.io.PointFiles;

import java.nio.file.Path;

/**
 * Files of numbers, one point a row: NumPy {@code .npy} matrices and CSV files, as vector
 * arguments of {@code engram encode} and as data files of {@code engram dim}.
 */
class PointsFuzzTest {
    @ParserFuzzTest
    void npy(byte[] bytes) throws Exception {
        read(Scratch.file("points", "input.npy", bytes));
    }

    @ParserFuzzTest
    void csv(byte[] bytes) throws Exception {
        read(Scratch.file("points", "input.csv", bytes));
    }

    private static void read(Path file) throws Exception {
        Contract.holds(() -> Encoding.argument(VectorModality.INSTANCE, file));
        Contract.holds(() -> PointFiles.read(file));
    }
}
