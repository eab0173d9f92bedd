package dev.engram.encode.vector;

import dev.engram.EngramException;
import dev.engram.io.PointFiles;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the rows of CSV and NumPy {@code .npy} files (through {@link PointFiles}) as vector
 * inputs: each row one input, in file order and then row order.
 *
 * <p>Every failure is an {@link EngramException} naming the file: {@code invalidInput} for a
 * file that cannot be read or holds a value that is not a finite number (with its row),
 * {@code wrongShape} when the files' rows differ in width, {@code nothingToDo} for no files or
 * a file without rows.
 */
public final class VectorSources {
    private VectorSources() {
    }

    public static List<VectorInput> read(List<String> args) {
        if (args.isEmpty()) {
            throw EngramException.nothingToDo("no vector files given");
        }
        List<VectorInput> inputs = new ArrayList<>();
        Path widthFrom = null;
        for (String arg : args) {
            Path file = Path.of(arg).toAbsolutePath().normalize();
            float[][] rows = PointFiles.read(file);
            if (rows.length == 0) {
                throw EngramException.nothingToDo(file + ": no rows of numbers");
            }
            if (widthFrom == null) {
                widthFrom = file;
            } else if (rows[0].length != inputs.getFirst().values().length) {
                throw EngramException.wrongShape(file + ": rows of " + rows[0].length + " values, but "
                        + widthFrom + " has rows of " + inputs.getFirst().values().length
                        + "; all vector files must have one width");
            }
            for (int r = 0; r < rows.length; r++) {
                for (float v : rows[r]) {
                    if (!Float.isFinite(v)) {
                        throw EngramException.invalidInput(file + ": row " + r + " holds " + v
                                + "; vectors must be finite numbers");
                    }
                }
                inputs.add(new VectorInput(file.toString(), r, rows[r]));
            }
        }
        return inputs;
    }
}
