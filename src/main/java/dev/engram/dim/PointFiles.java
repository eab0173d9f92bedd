package dev.engram.dim;

import dev.engram.EngramException;
import dev.engram.encode.image.ImageInput;
import dev.engram.encode.image.ImageSources;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Points read from a file rather than a store, one point a row: a CSV file of numbers, a NumPy
 * {@code .npy} matrix, or an IDX image file (MNIST format; each image's pixels, in [0,1], are one
 * point). The kind is recognised by the first bytes (NumPy and IDX have magic numbers); anything
 * else is read as CSV when its name ends in {@code .csv} or {@code .txt}.
 *
 * <p>Every failure is an {@link EngramException#invalidInput} naming the file (and line, for CSV).
 */
public final class PointFiles {
    private static final byte[] NPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private PointFiles() {
    }

    public static float[][] read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw EngramException.invalidInput(file + (Files.exists(file) ? ": not a regular file"
                    : ": no such file"));
        }
        byte[] head = head(file);
        if (startsWith(head, NPY_MAGIC)) {
            return readNpy(file);
        }
        if (isIdxOrGzip(head)) {
            return readIdx(file);
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
                            + abbreviate(trimmed));
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

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    // --- NumPy

    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /**
     * The .npy format (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html):
     * magic, version, a little-endian header length (2 bytes in v1, 4 in v2/v3), a Python dict
     * literal, then the raw data. Only what numpy.save writes for a 2-D array of plain numbers is
     * accepted; object arrays (pickles) are refused on purpose.
     */
    static float[][] readNpy(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw EngramException.invalidInput(file + ": cannot read (" + e.getMessage() + ")", e);
        } catch (OutOfMemoryError e) {
            throw EngramException.invalidInput(file + ": too large to read into memory", e);
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if (bytes.length < 10) {
            throw npy(file, "truncated header");
        }
        int major = bytes[6] & 0xFF;
        int headerLength;
        int dataStart;
        if (major == 1) {
            headerLength = buffer.getShort(8) & 0xFFFF;
            dataStart = 10 + headerLength;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw npy(file, "truncated header");
            }
            headerLength = buffer.getInt(8);
            dataStart = 12 + headerLength;
        } else {
            throw npy(file, "format version " + major + " is not supported (only 1, 2 and 3)");
        }
        if (headerLength < 0 || dataStart > bytes.length) {
            throw npy(file, "truncated header");
        }
        String header = new String(bytes, dataStart - headerLength, headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(file, DESCR, header, "descr");
        if (group(file, FORTRAN, header, "fortran_order").equals("True")) {
            throw npy(file, "the array is in Fortran (column-major) order; save it with np.ascontiguousarray first");
        }
        String[] dims = group(file, SHAPE, header, "shape").split(",");
        List<Long> shape = new ArrayList<>();
        for (String d : dims) {
            if (!d.isBlank()) {
                shape.add(Long.parseLong(d.strip()));
            }
        }
        if (shape.size() != 2) {
            throw npy(file, "the array has " + shape.size() + " dimensions; it must be 2-D (points × coordinates)");
        }
        Element element = Element.of(file, descr);
        long rows = shape.get(0);
        long cols = shape.get(1);
        if (rows * cols * element.size > bytes.length - dataStart) {
            throw npy(file, "the data is shorter than its " + rows + "×" + cols + " shape says");
        }
        if (rows * cols > Integer.MAX_VALUE - 8) {
            throw npy(file, "too large (" + rows + "×" + cols + ")");
        }
        float[][] points = new float[(int) rows][(int) cols];
        int at = dataStart;
        for (float[] point : points) {
            for (int j = 0; j < cols; j++) {
                point[j] = element.read(buffer, at);
                at += element.size;
            }
        }
        return points;
    }

    private enum Element {
        F4(4), F8(8), I1(1), U1(1), I2(2), U2(2), I4(4), U4(4), I8(8), U8(8);

        final int size;

        Element(int size) {
            this.size = size;
        }

        static Element of(Path file, String descr) {
            // '<' little-endian, '|' not applicable (one byte), '=' native: numpy writes '<' on every
            // platform engram runs on. '>' (big-endian) data would need byte swapping we do not do.
            if (descr.length() < 3 || "<|=".indexOf(descr.charAt(0)) < 0) {
                throw npy(file, "dtype '" + descr + "' is not supported (little-endian float32, float64 or"
                        + " integers only; convert with arr.astype('<f4'))");
            }
            try {
                return valueOf(descr.substring(1).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw npy(file, "dtype '" + descr + "' is not supported (little-endian float32, float64 or"
                        + " integers only; convert with arr.astype('<f4'))");
            }
        }

        private static float unsigned(long v) {
            return v >= 0 ? v : (v >>> 1) * 2f;
        }

        float read(ByteBuffer b, int at) {
            return switch (this) {
                case F4 -> b.getFloat(at);
                case F8 -> (float) b.getDouble(at);
                case I1 -> b.get(at);
                case U1 -> b.get(at) & 0xFF;
                case I2 -> b.getShort(at);
                case U2 -> b.getShort(at) & 0xFFFF;
                case I4 -> b.getInt(at);
                case U4 -> b.getInt(at) & 0xFFFFFFFFL;
                case I8 -> b.getLong(at);
                case U8 -> unsigned(b.getLong(at));
            };
        }
    }

    private static String group(Path file, Pattern pattern, String header, String key) {
        Matcher m = pattern.matcher(header);
        if (!m.find()) {
            throw npy(file, "the header has no '" + key + "'");
        }
        return m.group(1);
    }

    private static EngramException npy(Path file, String what) {
        return EngramException.invalidInput(file + ": not a .npy file engram reads: " + what);
    }

    // --- IDX

    private static float[][] readIdx(Path file) {
        ImageSources sources = ImageSources.resolve(List.of(file.toString()));
        List<ImageInput> images = sources.readAll(sources.inferShape());
        return images.stream().map(ImageInput::pixels).toArray(float[][]::new);
    }

    private static boolean isIdxOrGzip(byte[] head) {
        boolean gzip = head.length >= 2 && (head[0] & 0xFF) == 0x1F && (head[1] & 0xFF) == 0x8B;
        boolean idx = head.length >= 4 && head[0] == 0 && head[1] == 0 && head[3] > 0;
        return gzip || idx;
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
