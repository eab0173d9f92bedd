package dev.engram.io;

import dev.engram.EngramException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Points read from a file rather than a store, one point a row: a CSV file of numbers, a NumPy
 * {@code .npy} matrix, or an IDX image file (MNIST format; each image's pixels, in [0,1], are one
 * point). The kind is recognised by the first bytes (NumPy and IDX have magic numbers); anything
 * else is read as CSV when its name ends in {@code .csv} or {@code .txt}.
 *
 * <p>Every failure is an {@link EngramException#invalidInput} naming the file (and line, for CSV).
 */
public final class PointFiles {
    private PointFiles() {
    }

    public static float[][] read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw EngramException.invalidInput(file + (Files.exists(file) ? ": not a regular file"
                    : ": no such file"));
        }
        byte[] head = head(file);
        if (startsWith(head, Npy.MAGIC)) {
            return Npy.read(file);
        }
        if (Idx.isGzip(head) || Idx.isIdx(head)) {
            return readIdxImages(file);
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv") || name.endsWith(".txt")) {
            return readCsv(file);
        }
        throw EngramException.invalidInput(file + ": not a NumPy .npy file, an IDX image file, or a .csv/.txt file"
                + " of numbers");
    }

    // --- CSV

    /**
     * Numeric rows, comma-separated (semicolons, tabs and spaces also separate, since spreadsheets
     * and numpy.savetxt write those). A first row that is not numeric is a header and is skipped;
     * any later one is an error, as is a row whose length differs from the first.
     */
    static float[][] readCsv(Path file) {
        List<float[]> rows = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNumber = 0;
            boolean headerAllowed = true;
            while ((line = reader.readLine()) != null) {
                lineNumber++;
                String trimmed = line.strip();
                if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                    continue;
                }
                String[] cells = trimmed.split("\\s*[,;\\t ]\\s*");
                float[] row = new float[cells.length];
                boolean numeric = true;
                for (int i = 0; i < cells.length && numeric; i++) {
                    try {
                        row[i] = Float.parseFloat(cells[i]);
                    } catch (NumberFormatException e) {
                        numeric = false;
                    }
                }
                if (!numeric) {
                    if (headerAllowed) {
                        headerAllowed = false;
                        continue;
                    }
                    throw EngramException.invalidInput(file + ":" + lineNumber + ": not a row of numbers: "
                            + FileErrors.shown(trimmed));
                }
                headerAllowed = false;
                if (!rows.isEmpty() && row.length != rows.getFirst().length) {
                    throw EngramException.invalidInput(file + ":" + lineNumber + ": " + row.length
                            + " values, but the first row has " + rows.getFirst().length);
                }
                rows.add(row);
            }
        } catch (IOException e) {
            throw EngramException.invalidInput(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        if (rows.isEmpty()) {
            throw EngramException.nothingToDo(file + ": no rows of numbers");
        }
        return rows.toArray(float[][]::new);
    }

    // --- IDX

    /** Each image's pixels as one point, row by row, in [0, 1]: as the image encoder sees a grey IDX image. */
    private static float[][] readIdxImages(Path file) {
        try (Idx.Reader images = Idx.open(file, 3, "images")) {
            float[][] points = new float[images.count()][];
            for (int i = 0; i < points.length; i++) {
                points[i] = images.nextPixels();
            }
            if (points.length == 0) {
                throw EngramException.nothingToDo(file + ": no images (the IDX file holds 0 images)");
            }
            return points;
        }
    }

    private static byte[] head(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(8);
        } catch (IOException e) {
            throw EngramException.invalidInput(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static boolean startsWith(byte[] head, byte[] magic) {
        if (head.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (head[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
