package dev.engram.encode.image;

import dev.engram.EngramException;
import dev.engram.io.FileErrors;
import dev.engram.io.Idx;
import dev.engram.io.InputFiles;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Expands command-line image arguments into {@link ImageInput}s at one {@link ImageShape}.
 *
 * <p>An argument is a PNG or JPEG file, an IDX image file (MNIST format, magic 0x00000803,
 * gzipped or not), a directory, or {@code -}. A directory is searched recursively for
 * {@code .png}, {@code .jpg} and {@code .jpeg} files (any case), in path order, skipping hidden
 * files and directories (names starting with a dot: {@code .git}, macOS {@code ._} files).
 * {@code -} reads paths, one per line, from the given input stream; blank lines are skipped.
 * A file given by name is recognised by its first bytes, not its extension.
 *
 * <p>{@link #resolve} checks the paths and lists the files; nothing is decoded until
 * {@link #stream} or {@link #readAll}. {@link #stream} decodes one file at a time (an IDX file
 * one item at a time) and keeps no decoded image; {@link #readAll} reads everything first, so
 * that a damaged file anywhere fails the call before any image is handed back.
 *
 * <p>Every failure is an {@link EngramException} with a one-line message that names the file:
 * {@code invalidInput} for a missing, unreadable, damaged or unsupported file, {@code nothingToDo}
 * when a directory or standard input yields no images.
 */
public final class ImageSources {
    private static final String STDIN = "-";
    /** What arguments name: image files, directories searched for them, {@code -} for a list. */
    private static final InputFiles FILES = InputFiles.byExtension("images", ".png", ".jpg", ".jpeg");

    private final List<Path> files;
    private final List<String> described;

    private ImageSources(List<Path> files, List<String> described) {
        this.files = List.copyOf(files);
        this.described = List.copyOf(described);
    }

    /**
     * Checks the arguments and lists the files they name. Reads {@code stdin} (to its end) when
     * an argument is {@code -}; {@code -} may appear once.
     */
    public static ImageSources resolve(List<String> args, InputStream stdin) {
        return new ImageSources(FILES.resolve(args, stdin), args);
    }

    /** {@link #resolve(List, InputStream)} for arguments that do not include {@code -}. */
    public static ImageSources resolve(List<String> args) {
        if (args.contains(STDIN)) {
            throw new IllegalArgumentException("'-' needs an input stream: use resolve(args, stdin)");
        }
        return resolve(args, InputStream.nullInputStream());
    }

    /** {@code resolve(args).inferShape()}: a default shape from the first image. No {@code -}. */
    public static ImageShape inferShape(List<String> args) {
        return resolve(args).inferShape();
    }

    /** {@code resolve(args, stdin).readAll(shape)}. */
    public static List<ImageInput> readAll(List<String> args, ImageShape shape, InputStream stdin) {
        return resolve(args, stdin).readAll(shape);
    }

    /** The files, in the order their images are read: arguments in order, directories sorted. */
    public List<Path> files() {
        return files;
    }

    /**
     * How many images {@link #stream} will yield, from IDX headers and file names, without
     * decoding anything: a progress total. Damage is reported by reading, not here.
     */
    public long count() {
        long n = 0;
        for (Path file : files) {
            if (hasImageExtension(file)) {
                n++;
                continue;
            }
            byte[] head = head(file);
            if (Idx.isGzip(head) || Idx.isIdx(head)) {
                try (Idx.Reader idx = openIdx(file)) {
                    n += idx.count();
                }
            } else {
                n++;
            }
        }
        return n;
    }

    /**
     * A default shape from the first file, reading only its header: an IDX file's rows × cols
     * with 1 channel; an image's own size with 1 channel if it is grey, 3 otherwise.
     */
    public ImageShape inferShape() {
        Path file = files.get(0);
        byte[] head = head(file);
        if (Idx.isGzip(head) || Idx.isIdx(head)) {
            try (Idx.Reader idx = openIdx(file)) {
                int[] rc = idx.itemSizes();
                return new ImageShape(1, rc[0], rc[1]);
            }
        }
        Pixels.Format format = formatOf(file, head);
        return Pixels.headerShape(file, readBytes(file), format);
    }

    /**
     * The images, decoded lazily in order. Close the stream (try-with-resources) if you stop
     * before its end; an IDX file is otherwise closed when its last item is read. A damaged file
     * throws when the stream reaches it.
     */
    public Stream<ImageInput> stream(ImageShape shape) {
        Cursor cursor = new Cursor(shape);
        return StreamSupport.stream(
                        Spliterators.spliteratorUnknownSize(cursor, Spliterator.ORDERED | Spliterator.NONNULL), false)
                .onClose(cursor::close);
    }

    /**
     * Every image, all decoded before this returns: a damaged file anywhere throws and nothing
     * is returned. Holds the float pixels of every image (60,000 MNIST images are 188 MB).
     */
    public List<ImageInput> readAll(ImageShape shape) {
        List<ImageInput> all = new ArrayList<>();
        try (Stream<ImageInput> images = stream(shape)) {
            images.forEachOrdered(all::add);
        }
        if (all.isEmpty()) {
            throw EngramException.nothingToDo("no images in " + String.join(" ", described)
                    + " (the IDX files hold 0 images)");
        }
        return Collections.unmodifiableList(all);
    }

    private static boolean hasImageExtension(Path p) {
        return FILES.wanted().test(p);
    }

    /**
     * Whether a file's first bytes are those of a PNG, a JPEG or an IDX file (gzipped or not):
     * how a file given by name is recognised, whatever its name.
     */
    public static boolean recognises(byte[] head) {
        return Pixels.sniff(head) != null || Idx.isGzip(head) || Idx.isIdx(head);
    }

    private static String sourceOf(Path file) {
        return file.toAbsolutePath().normalize().toString();
    }

    private static byte[] head(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(8);
        } catch (IOException e) {
            throw FileErrors.readFailure(file, e);
        }
    }

    private static byte[] readBytes(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw FileErrors.readFailure(file, e);
        } catch (OutOfMemoryError e) {
            throw FileErrors.invalid(file, "file too large to read as an image", e);
        }
    }

    /** An IDX image file, whose images may not be larger than a PNG or JPEG image may. */
    private static Idx.Reader openIdx(Path file) {
        Idx.Reader idx = Idx.open(file, 3, "images");
        int[] rc = idx.itemSizes();
        if ((long) rc[0] * rc[1] > Pixels.MAX_PIXELS) {
            idx.close();
            throw FileErrors.invalid(file, "IDX images of " + rc[0] + "x" + rc[1] + " are larger than the "
                    + Pixels.MAX_PIXELS + " pixels engram reads");
        }
        return idx;
    }

    private static Pixels.Format formatOf(Path file, byte[] head) {
        if (head.length == 0) {
            throw FileErrors.invalid(file, "empty file (0 bytes), not an image");
        }
        Pixels.Format format = Pixels.sniff(head);
        if (format == null) {
            throw FileErrors.invalid(file, "not a PNG, JPEG or IDX image file (unrecognised first bytes)");
        }
        return format;
    }

    /** Walks the files, holding at most one open IDX file and one decoded image. */
    private final class Cursor implements Iterator<ImageInput>, Closeable {
        private final ImageShape shape;
        private int nextFile;
        private Idx.Reader idx;
        private int[] idxRowsCols;
        private String idxSource;
        private int idxIndex;
        private ImageInput pending;

        Cursor(ImageShape shape) {
            this.shape = shape;
        }

        @Override
        public boolean hasNext() {
            try {
                while (pending == null) {
                    if (idx != null) {
                        if (idxIndex < idx.count()) {
                            pending = nextIdxItem();
                            continue;
                        }
                        closeIdx();
                    }
                    if (nextFile >= files.size()) {
                        return false;
                    }
                    open(files.get(nextFile++));
                }
                return true;
            } catch (RuntimeException e) {
                close();
                throw e;
            }
        }

        @Override
        public ImageInput next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            ImageInput next = pending;
            pending = null;
            return next;
        }

        private void open(Path file) {
            byte[] head = head(file);
            if (Idx.isGzip(head) || Idx.isIdx(head)) {
                idx = openIdx(file);
                idxRowsCols = idx.itemSizes();
                idxSource = sourceOf(file);
                idxIndex = 0;
                return;
            }
            Pixels.Format format = formatOf(file, head);
            Pixels.Planes planes = Pixels.decode(file, readBytes(file), format);
            pending = new ImageInput(sourceOf(file), -1, Pixels.toShape(planes, shape));
        }

        private ImageInput nextIdxItem() {
            int[] rc = idxRowsCols;
            float[] pixels = Pixels.toShape(new Pixels.Planes(1, rc[0], rc[1], idx.nextPixels()), shape);
            return new ImageInput(idxSource, idxIndex++, pixels);
        }

        private void closeIdx() {
            if (idx != null) {
                idx.close();
                idx = null;
            }
        }

        @Override
        public void close() {
            closeIdx();
        }
    }
}
