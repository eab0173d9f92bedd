package dev.engram.io;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * The IDX format of MNIST and Fashion-MNIST (http://yann.lecun.com/exdb/mnist/): a big-endian
 * magic {@code 0x0000TTDD} (T the element type, D the number of dimensions), D big-endian sizes,
 * then the elements. Only unsigned bytes (T = 0x08) are read, which is what both data sets use.
 * Files may be gzipped; that is decided by the gzip magic bytes, never by the file name.
 */
public final class Idx {
    static final int IMAGES_MAGIC = 0x00000803;
    static final int LABELS_MAGIC = 0x00000801;
    private static final int UNSIGNED_BYTE = 0x08;
    /** DEFLATE, gzip's compression, expands its input at most 1032-fold (zlib's technical notes). */
    private static final long MAX_INFLATION = 1032;

    private Idx() {
    }

    /** True when the first bytes are the gzip magic 1f 8b. */
    public static boolean isGzip(byte[] head) {
        return head.length >= 2 && (head[0] & 0xFF) == 0x1F && (head[1] & 0xFF) == 0x8B;
    }

    /** True when the first bytes look like an IDX magic: two zero bytes, then type and rank. */
    public static boolean isIdx(byte[] head) {
        return head.length >= 4 && head[0] == 0 && head[1] == 0 && head[3] > 0;
    }

    /** Opens a file, transparently gunzipping it when it starts with the gzip magic. */
    static InputStream openMaybeGzipped(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            raw.mark(2);
            byte[] head = raw.readNBytes(2);
            raw.reset();
            return isGzip(head) ? new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16) : raw;
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** An open IDX file of unsigned bytes, positioned at its first item. */
    public static final class Reader implements Closeable {
        private final Path file;
        private final DataInputStream in;
        private final boolean gzipped;
        private final int count;
        private final int[] itemSizes;
        private final int itemBytes;
        private final String what;
        private int read;

        private Reader(Path file, DataInputStream in, boolean gzipped, int count, int[] itemSizes, String what) {
            this.file = file;
            this.in = in;
            this.gzipped = gzipped;
            this.count = count;
            this.itemSizes = itemSizes;
            long bytes = 1;
            for (int s : itemSizes) {
                bytes *= s;
            }
            if (bytes > Integer.MAX_VALUE - 16) {
                throw FileErrors.invalid(file, "IDX items of " + dimsText(itemSizes) + " are too large to read");
            }
            this.itemBytes = (int) bytes;
            this.what = what;
        }

        /** Number of items the header announces. */
        public int count() {
            return count;
        }

        /** Sizes of one item: empty for labels, {rows, cols} for images. */
        public int[] itemSizes() {
            return itemSizes.clone();
        }

        int itemBytes() {
            return itemBytes;
        }

        /** Reads the next item's bytes into {@code into}; throws when the file ends early. */
        void next(byte[] into) {
            if (read >= count) {
                throw new IllegalStateException("all " + count + " items already read");
            }
            try {
                in.readFully(into, 0, itemBytes);
            } catch (EOFException e) {
                throw FileErrors.invalid(file, "truncated IDX file: the header announces " + count + " " + what
                        + " but the data ends in item " + read + "; the file is incomplete (re-download it)", e);
            } catch (IOException e) {
                throw FileErrors.readFailure(file, e);
            }
            read++;
            if (read == count) {
                checkEnd();
            }
        }

        /** Reads the next item's unsigned bytes as floats in [0, 1]: the intensities of a grey image. */
        public float[] nextPixels() {
            byte[] bytes = new byte[itemBytes];
            next(bytes);
            float[] pixels = new float[bytes.length];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (bytes[i] & 0xFF) / 255f;
            }
            return pixels;
        }

        /** Reads an item that is a single unsigned byte (a label). */
        int nextByte() {
            byte[] one = new byte[1];
            next(one);
            return one[0] & 0xFF;
        }

        private void checkEnd() {
            try {
                if (in.read() != -1) {
                    throw FileErrors.invalid(file, "IDX file is longer than its header says (" + count + " " + what
                            + "); it is corrupt or not an IDX file");
                }
            } catch (IOException e) {
                throw FileErrors.readFailure(file, e);
            }
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException e) {
                // Nothing was written; a failed close of a read-only stream loses nothing.
            }
        }

        boolean gzipped() {
            return gzipped;
        }
    }

    /**
     * Opens an IDX file and reads its header, checking that it holds unsigned bytes with
     * {@code expectedDims} dimensions and, for an uncompressed file, that its size matches.
     *
     * @param what what the items are called in messages: "images", "labels"
     */
    public static Reader open(Path file, int expectedDims, String what) {
        boolean gzipped;
        try (InputStream probe = Files.newInputStream(file)) {
            gzipped = isGzip(probe.readNBytes(2));
        } catch (IOException e) {
            throw FileErrors.readFailure(file, e);
        }
        DataInputStream in = null;
        try {
            in = new DataInputStream(openMaybeGzipped(file));
            int magic;
            try {
                magic = in.readInt();
            } catch (EOFException e) {
                throw FileErrors.invalid(file, gzipped ? "truncated gzip file: it ends before the IDX magic"
                        : "not an IDX file: shorter than the 4-byte IDX magic", e);
            }
            int expectedMagic = (UNSIGNED_BYTE << 8) | expectedDims;
            if (magic != expectedMagic) {
                throw FileErrors.invalid(file, wrongMagic(magic, expectedMagic, what));
            }
            int[] sizes = new int[expectedDims];
            try {
                for (int i = 0; i < expectedDims; i++) {
                    sizes[i] = in.readInt();
                }
            } catch (EOFException e) {
                throw FileErrors.invalid(file, "truncated IDX file: it ends inside the header; it is incomplete (re-download it)", e);
            }
            // A count may be 0; an item dimension may not (a 0-row image is no image).
            for (int i = 0; i < sizes.length; i++) {
                if (sizes[i] < (i == 0 ? 0 : 1)) {
                    throw FileErrors.invalid(file, "corrupt IDX header: sizes " + Arrays.toString(sizes));
                }
            }
            int[] itemSizes = Arrays.copyOfRange(sizes, 1, sizes.length);
            Reader reader = new Reader(file, in, gzipped, sizes[0], itemSizes, what);
            long expected = 4L + 4L * expectedDims + (long) reader.count() * reader.itemBytes();
            long actual = Files.size(file);
            if (gzipped && expected > MAX_INFLATION * actual) {
                // Refused before any item is read or allocated: the header lies (or the file is a bomb).
                throw FileErrors.invalid(file, "corrupt IDX header: it announces " + reader.count() + " " + what
                        + itemText(itemSizes) + " (" + expected + " bytes), more than a gzip file of " + actual
                        + " bytes can hold");
            }
            if (!gzipped) {
                if (actual < expected) {
                    throw FileErrors.invalid(file, "truncated IDX file: the header announces " + reader.count() + " " + what
                            + itemText(itemSizes) + " (" + expected + " bytes) but the file has " + actual
                            + " bytes; it is incomplete (re-download it)");
                }
                if (actual > expected) {
                    throw FileErrors.invalid(file, "IDX file is longer than its header says: " + reader.count() + " " + what
                            + itemText(itemSizes) + " make " + expected + " bytes, the file has " + actual
                            + "; it is corrupt or not an IDX file");
                }
            }
            if (reader.count() == 0) {
                reader.checkEnd();
            }
            return reader;
        } catch (IOException e) {
            close(in);
            throw FileErrors.readFailure(file, e);
        } catch (RuntimeException e) {
            close(in);
            throw e;
        }
    }

    private static String wrongMagic(int magic, int expected, String what) {
        String found = String.format("0x%08X", magic);
        String wanted = String.format("0x%08X", expected);
        if ((magic >>> 16) != 0) {
            return "not an IDX file: magic " + found + ", expected " + wanted + " (IDX " + what + ")";
        }
        int type = (magic >>> 8) & 0xFF;
        int dims = magic & 0xFF;
        if (type != UNSIGNED_BYTE) {
            return String.format("unsupported IDX element type 0x%02X (magic %s): only unsigned-byte %s "
                    + "(magic %s) are read", type, found, what, wanted);
        }
        if (dims == 1 && expected == IMAGES_MAGIC) {
            return "this is an IDX label file (magic " + found + "), not an IDX image file (magic " + wanted
                    + "); give it as labels";
        }
        if (dims == 3 && expected == LABELS_MAGIC) {
            return "this is an IDX image file (magic " + found + "), not an IDX label file (magic " + wanted + ")";
        }
        return "wrong IDX magic " + found + " (" + dims + " dimensions), expected " + wanted + " for " + what;
    }

    private static String itemText(int[] itemSizes) {
        return itemSizes.length == 0 ? "" : " of " + dimsText(itemSizes);
    }

    private static String dimsText(int[] sizes) {
        StringBuilder b = new StringBuilder();
        for (int s : sizes) {
            if (!b.isEmpty()) {
                b.append('x');
            }
            b.append(s);
        }
        return b.toString();
    }

    private static void close(Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // Reading only: nothing to lose.
            }
        }
    }
}
