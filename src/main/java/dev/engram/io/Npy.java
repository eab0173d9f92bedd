package dev.engram.io;

import dev.engram.EngramException;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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
 * NumPy's {@code .npy} matrices (https://numpy.org/doc/stable/reference/generated/numpy.lib.format.html):
 * magic, version, a little-endian header length (2 bytes in v1, 4 in v2/v3), a Python dict
 * literal, then the raw data. Only 2-D arrays of plain numbers: one point a row.
 *
 * <p>Every read failure is an {@link EngramException#invalidInput} naming the file.
 */
public final class Npy {
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /**
     * The rows of a 2-D array as numpy.save writes it: format 1, 2 or 3, little-endian floats or
     * integers, C order. Object arrays (pickles) are refused on purpose.
     */
    public static float[][] read(Path file) {
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
        long headerLength;
        int headerStart;
        if (major == 1) {
            headerLength = buffer.getShort(8) & 0xFFFF;
            headerStart = 10;
        } else if (major == 2 || major == 3) {
            if (bytes.length < 12) {
                throw npy(file, "truncated header");
            }
            headerLength = buffer.getInt(8) & 0xFFFF_FFFFL;
            headerStart = 12;
        } else {
            throw npy(file, "format version " + major + " is not supported (only 1, 2 and 3)");
        }
        if (headerStart + headerLength > bytes.length) {
            throw npy(file, "truncated header");
        }
        int dataStart = headerStart + (int) headerLength;
        String header = new String(bytes, headerStart, (int) headerLength,
                major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(file, DESCR, header, "descr");
        if (group(file, FORTRAN, header, "fortran_order").equals("True")) {
            throw npy(file, "the array is in Fortran (column-major) order; save it with np.ascontiguousarray first");
        }
        List<Long> shape = shape(file, group(file, SHAPE, header, "shape"));
        if (shape.size() != 2) {
            throw npy(file, "the array has " + shape.size() + " dimensions; it must be 2-D (points × coordinates)");
        }
        Element element = Element.of(file, descr);
        long rows = shape.get(0);
        long cols = shape.get(1);
        if (rows == 0) {
            return new float[0][];
        }
        if (cols == 0) {
            throw npy(file, "its " + rows + " points have 0 coordinates");
        }
        // Checked against the data the file holds before anything is allocated, by division: the
        // product of two declared sizes may overflow.
        long values = (bytes.length - dataStart) / element.size;
        if (rows > values / cols) {
            throw npy(file, "the data is shorter than its " + rows + "×" + cols + " shape says");
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
            EngramException unsupported = npy(file, "dtype '" + FileErrors.shown(descr) + "' is not supported"
                    + " (little-endian float32, float64 or integers only; convert with arr.astype('<f4'))");
            if (descr.length() < 3 || "<|=".indexOf(descr.charAt(0)) < 0) {
                throw unsupported;
            }
            try {
                return valueOf(descr.substring(1).toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw unsupported;
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

    /** The sizes of a shape tuple, {@code "3, 2"} or {@code "3,"}: whole numbers, none negative. */
    private static List<Long> shape(Path file, String tuple) {
        List<Long> shape = new ArrayList<>();
        for (String d : tuple.split(",", -1)) {
            if (d.isBlank()) {
                continue;
            }
            long size;
            try {
                size = Long.parseLong(d.strip());
            } catch (NumberFormatException e) {
                size = -1;
            }
            if (size < 0) {
                throw npy(file, "the shape (" + FileErrors.shown(tuple) + ") is not a tuple of sizes");
            }
            shape.add(size);
        }
        return shape;
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

    /** Points as a 2-D little-endian float32 .npy, format 1.0 (what {@link #read} and NumPy read). */
    public static void write(float[][] points, OutputStream stream) throws IOException {
        write(points, points.length == 0 ? 0 : points[0].length, stream);
    }

    /** The same, with the number of columns given: an empty array keeps its shape ({@code (0, columns)}). */
    public static void write(float[][] points, int columns, OutputStream stream) throws IOException {
        for (float[] point : points) {
            if (point.length != columns) {
                throw new IllegalArgumentException("a row of " + point.length + " values in an array of " + columns + " columns");
            }
        }
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + points.length + ", " + columns + "), }";
        // Magic (6) + version (2) + header length (2) + header, padded with spaces and ended by a
        // newline so that the data starts on a 64-byte boundary (NEP 1).
        int unpadded = 10 + header.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        header = header + " ".repeat(padding) + "\n";
        DataOutputStream out = new DataOutputStream(stream);
        out.write(MAGIC);
        out.write(new byte[] {1, 0});
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
