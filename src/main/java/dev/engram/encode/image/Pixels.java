package dev.engram.encode.image;

import dev.engram.EngramException;
import dev.engram.io.FileErrors;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decoding PNG and JPEG into float planes, and bringing planes to an {@link ImageShape}.
 *
 * <p>Pixels are read from the raster, not drawn with Graphics2D: Java2D treats 8-bit grey as
 * linear and gamma-converts it when drawing into another image type, which would change every
 * grey value, so a grey PNG and the IDX file it came from would no longer give the same pixels.
 */
final class Pixels {
    /** Images above this many pixels are refused rather than risk running out of memory. */
    static final long MAX_PIXELS = 1L << 26;
    /** At least one bit for each 8×8 block: the most pixels a byte of a whole JPEG holds. */
    private static final long JPEG_PIXELS_PER_BYTE = 8 * 8 * 8;
    /** DEFLATE, a PNG's compression, expands its input at most 1032-fold (zlib's technical notes). */
    private static final long MAX_INFLATION = 1032;

    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    enum Format {
        PNG("png"), JPEG("jpeg");

        final String imageIoName;

        Format(String imageIoName) {
            this.imageIoName = imageIoName;
        }
    }

    /** An image at its own size: {@code channels} planes of height × width, channel-major. */
    record Planes(int channels, int height, int width, float[] data) {
    }

    private Pixels() {
    }

    /** The format the first bytes announce, or null when they are neither PNG nor JPEG. */
    static Format sniff(byte[] head) {
        if (startsWith(head, PNG_MAGIC)) {
            return Format.PNG;
        }
        if (head.length >= 3 && (head[0] & 0xFF) == 0xFF && (head[1] & 0xFF) == 0xD8 && (head[2] & 0xFF) == 0xFF) {
            return Format.JPEG;
        }
        return null;
    }

    private static boolean startsWith(byte[] bytes, byte[] prefix) {
        if (bytes.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** Decodes a whole PNG or JPEG file; every failure is one line naming the file. */
    static Planes decode(Path file, byte[] bytes, Format format) {
        if (format == Format.PNG) {
            checkPngChunks(file, bytes);
        }
        ImageReader reader = readerFor(format);
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            // The JPEG reader does not throw on a truncated file: it warns "Premature end of JPEG
            // file" and fills the rest with grey. A warning therefore means a damaged file.
            List<String> warnings = new ArrayList<>();
            reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
            checkSize(file, format, bytes, reader.getWidth(0), reader.getHeight(0));
            BufferedImage image = reader.read(0);
            if (!warnings.isEmpty()) {
                throw FileErrors.invalid(file, damaged(format, bytes) + " (" + oneLine(warnings.get(0)) + ")");
            }
            return planes(image);
        } catch (EngramException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // ImageIO reports damage as IIOException, but crafted files also reach it as
            // IndexOutOfBounds, NegativeArraySize or IllegalArgument exceptions.
            throw FileErrors.invalid(file, damaged(format, bytes) + " (" + describe(e) + ")", e);
        } finally {
            reader.dispose();
        }
    }

    /** Reads only the header: width, height and whether the image is grey. */
    static ImageShape headerShape(Path file, byte[] bytes, Format format) {
        if (format == Format.PNG) {
            checkPngChunks(file, bytes);
        }
        ImageReader reader = readerFor(format);
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            reader.setInput(in, true, true);
            int width = reader.getWidth(0);
            int height = reader.getHeight(0);
            checkSize(file, format, bytes, width, height);
            ImageTypeSpecifier type = reader.getRawImageType(0);
            if (type == null) {
                Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
                type = types.hasNext() ? types.next() : null;
            }
            boolean grey = type != null && isGrey(type.getColorModel());
            return new ImageShape(grey ? 1 : 3, height, width);
        } catch (EngramException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw FileErrors.invalid(file, damaged(format, bytes) + " (" + describe(e) + ")", e);
        } finally {
            reader.dispose();
        }
    }

    private static ImageReader readerFor(Format format) {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(format.imageIoName);
        if (!readers.hasNext()) {
            throw EngramException.internal("this Java runtime has no ImageIO reader for " + format, null);
        }
        return readers.next();
    }

    /**
     * Refuses, before any pixel is decoded (ImageIO allocates the whole image first), an image
     * larger than engram reads, or a JPEG whose declared size its bytes cannot hold: every 8×8
     * block takes at least one bit, so a whole JPEG holds at most 512 pixels a byte. (A PNG's
     * declared size is checked against its compressed data by {@link #checkPngChunks}.)
     */
    private static void checkSize(Path file, Format format, byte[] bytes, int width, int height) {
        long pixels = checkPixels(file, width, height);
        if (format == Format.JPEG && pixels > JPEG_PIXELS_PER_BYTE * bytes.length) {
            throw FileErrors.invalid(file, damaged(format, bytes) + " (" + width + "x" + height
                    + " pixels cannot be held in " + bytes.length + " bytes)");
        }
    }

    /** Width × height, unless that is more than {@link #MAX_PIXELS} (compared without overflow). */
    private static long checkPixels(Path file, long width, long height) {
        if (width > 0 && height > MAX_PIXELS / width) {
            throw FileErrors.invalid(file, "image of " + width + "x" + height + " is larger than the " + MAX_PIXELS
                    + " pixels engram reads; scale it down first");
        }
        return width * height;
    }

    /** A grey image: one grey colour component, or a palette whose entries are all grey. */
    private static boolean isGrey(ColorModel cm) {
        if (cm instanceof IndexColorModel icm) {
            for (int i = 0; i < icm.getMapSize(); i++) {
                if (icm.getRed(i) != icm.getGreen(i) || icm.getGreen(i) != icm.getBlue(i)) {
                    return false;
                }
            }
            return true;
        }
        return cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
    }

    /**
     * Raster to planes. Grey images keep their stored values (8 or 16 bit); everything else goes
     * through {@link BufferedImage#getRGB}, which resolves palettes and colour spaces to sRGB.
     * Transparency is composited over black, the background of MNIST-style data.
     */
    static Planes planes(BufferedImage image) {
        int w = image.getWidth();
        int h = image.getHeight();
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        if (!(cm instanceof IndexColorModel) && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            float[] out = new float[h * w];
            float max = (float) ((1L << cm.getComponentSize(0)) - 1);
            boolean alpha = cm.hasAlpha() && raster.getNumBands() > 1;
            float alphaMax = alpha ? (float) ((1L << cm.getComponentSize(1)) - 1) : 1f;
            int[] grey = new int[w];
            int[] a = new int[w];
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, grey);
                if (alpha) {
                    raster.getSamples(0, y, w, 1, 1, a);
                }
                for (int x = 0; x < w; x++) {
                    float v = grey[x] / max;
                    out[y * w + x] = alpha ? v * (a[x] / alphaMax) : v;
                }
            }
            return new Planes(1, h, w, out);
        }
        int plane = h * w;
        float[] out = new float[3 * plane];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            image.getRGB(0, y, w, 1, row, 0, w);
            for (int x = 0; x < w; x++) {
                int argb = row[x];
                float alpha = ((argb >>> 24) & 0xFF) / 255f;
                int i = y * w + x;
                out[i] = ((argb >>> 16) & 0xFF) / 255f * alpha;
                out[plane + i] = ((argb >>> 8) & 0xFF) / 255f * alpha;
                out[2 * plane + i] = (argb & 0xFF) / 255f * alpha;
            }
        }
        return new Planes(3, h, w, out);
    }

    /** Channel conversion, then resizing, into one C×H×W array of the shape. */
    static float[] toShape(Planes in, ImageShape shape) {
        float[] data = convertChannels(in, shape.channels());
        int plane = in.height() * in.width();
        if (in.height() == shape.height() && in.width() == shape.width()) {
            return data;
        }
        int outPlane = shape.height() * shape.width();
        float[] out = new float[shape.channels() * outPlane];
        Resampler rows = new Resampler(in.height(), shape.height());
        Resampler cols = new Resampler(in.width(), shape.width());
        float[] src = new float[plane];
        for (int c = 0; c < shape.channels(); c++) {
            System.arraycopy(data, c * plane, src, 0, plane);
            float[] resized = resize(src, in.height(), in.width(), rows, cols);
            System.arraycopy(resized, 0, out, c * outPlane, outPlane);
        }
        return out;
    }

    private static float[] convertChannels(Planes in, int channels) {
        if (in.channels() == channels) {
            return in.data();
        }
        int plane = in.height() * in.width();
        float[] d = in.data();
        if (channels == 3) {
            float[] out = new float[3 * plane];
            for (int c = 0; c < 3; c++) {
                System.arraycopy(d, 0, out, c * plane, plane);
            }
            return out;
        }
        // Luma with the ITU-R BT.601 weights, as PIL's convert("L") and most MNIST-style
        // pipelines use; computed in double so that r=g=b gives back exactly that grey.
        float[] out = new float[plane];
        for (int i = 0; i < plane; i++) {
            double v = 0.299 * d[i] + 0.587 * d[plane + i] + 0.114 * d[2 * plane + i];
            out[i] = (float) Math.min(1.0, v);
        }
        return out;
    }

    /**
     * Separable bilinear (triangle filter) resampling with pixel centres at +0.5. When shrinking,
     * the triangle is widened by the scale factor, as PIL's BILINEAR does, so that every source
     * pixel contributes; plain two-tap bilinear would skip pixels and alias. Weights are
     * non-negative and sum to one, so values stay in [0,1].
     */
    private static float[] resize(float[] src, int sh, int sw, Resampler rows, Resampler cols) {
        int dh = rows.outSize;
        int dw = cols.outSize;
        float[] tmp = new float[sh * dw];
        for (int y = 0; y < sh; y++) {
            for (int x = 0; x < dw; x++) {
                double acc = 0;
                int first = cols.first[x];
                double[] w = cols.weights[x];
                for (int k = 0; k < w.length; k++) {
                    acc += w[k] * src[y * sw + first + k];
                }
                tmp[y * dw + x] = (float) acc;
            }
        }
        float[] out = new float[dh * dw];
        for (int y = 0; y < dh; y++) {
            int first = rows.first[y];
            double[] w = rows.weights[y];
            for (int x = 0; x < dw; x++) {
                double acc = 0;
                for (int k = 0; k < w.length; k++) {
                    acc += w[k] * tmp[(first + k) * dw + x];
                }
                out[y * dw + x] = (float) Math.min(1.0, Math.max(0.0, acc));
            }
        }
        return out;
    }

    /** Filter taps for one axis: for each output index, the first input index and its weights. */
    private static final class Resampler {
        final int outSize;
        final int[] first;
        final double[][] weights;

        Resampler(int inSize, int outSize) {
            this.outSize = outSize;
            this.first = new int[outSize];
            this.weights = new double[outSize][];
            double scale = (double) inSize / outSize;
            double support = Math.max(1.0, scale);
            for (int i = 0; i < outSize; i++) {
                double centre = (i + 0.5) * scale;
                int lo = Math.max(0, (int) Math.floor(centre - support));
                int hi = Math.min(inSize, (int) Math.ceil(centre + support));
                double[] w = new double[hi - lo];
                double sum = 0;
                for (int j = lo; j < hi; j++) {
                    double t = 1.0 - Math.abs((j + 0.5 - centre) / support);
                    w[j - lo] = Math.max(0.0, t);
                    sum += w[j - lo];
                }
                if (sum == 0) {
                    // Cannot happen for support >= 1, but keep the nearest pixel rather than divide by 0.
                    int nearest = Math.min(inSize - 1, (int) centre);
                    lo = nearest;
                    w = new double[] {1.0};
                    sum = 1.0;
                }
                for (int k = 0; k < w.length; k++) {
                    w[k] /= sum;
                }
                first[i] = lo;
                weights[i] = w;
            }
        }
    }

    /**
     * Walks the PNG chunks and checks each CRC. Java's PNG reader does not verify CRCs and can
     * return an image decoded from damaged data, so damage is caught here, with its position.
     * Then the size the header declares must fit in the compressed image data (IDAT chunks), or
     * ImageIO would allocate the whole image for a file that cannot fill it.
     */
    static void checkPngChunks(Path file, byte[] bytes) {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        int pos = PNG_MAGIC.length;
        CRC32 crc = new CRC32();
        boolean first = true;
        long imageData = 0;
        while (true) {
            if (pos + 8 > bytes.length) {
                throw FileErrors.invalid(file, "truncated PNG: the file ends at byte " + bytes.length
                        + " before the IEND chunk; it is incomplete");
            }
            long length = buf.getInt(pos) & 0xFFFFFFFFL;
            String type = new String(bytes, pos + 4, 4, StandardCharsets.ISO_8859_1);
            if (first && !type.equals("IHDR")) {
                throw FileErrors.invalid(file, "corrupt PNG: the first chunk is '" + printable(type) + "', not IHDR");
            }
            first = false;
            if (length > Integer.MAX_VALUE || pos + 12 + length > bytes.length) {
                if (isChunkType(type)) {
                    throw FileErrors.invalid(file, "truncated PNG: the file ends inside the " + type + " chunk at byte "
                            + pos + " (" + bytes.length + " bytes); it is incomplete");
                }
                throw FileErrors.invalid(file, "corrupt PNG: bad chunk header at byte " + pos);
            }
            crc.reset();
            crc.update(bytes, pos + 4, (int) length + 4);
            long stored = buf.getInt(pos + 8 + (int) length) & 0xFFFFFFFFL;
            if (crc.getValue() != stored) {
                throw FileErrors.invalid(file, "corrupt PNG: CRC mismatch in the " + printable(type) + " chunk at byte " + pos);
            }
            if (type.equals("IDAT")) {
                imageData += length;
            }
            if (type.equals("IEND")) {
                checkPngDataSize(file, buf, imageData);
                return;
            }
            pos += 12 + (int) length;
        }
    }

    /**
     * Whether the compressed image data can inflate to the declared rows: width × height ×
     * bits per pixel of the IHDR chunk (which the walk has found first; a short one is left to
     * ImageIO to refuse).
     */
    private static void checkPngDataSize(Path file, ByteBuffer png, long imageData) {
        int ihdr = PNG_MAGIC.length + 8;
        if ((png.getInt(PNG_MAGIC.length) & 0xFFFFFFFFL) < 13) {
            return;
        }
        long width = png.getInt(ihdr) & 0xFFFFFFFFL;
        long height = png.getInt(ihdr + 4) & 0xFFFFFFFFL;
        checkPixels(file, width, height);
        int bitDepth = png.get(ihdr + 8) & 0xFF;
        int samples = switch (png.get(ihdr + 9)) {
            case 2 -> 3;
            case 4 -> 2;
            case 6 -> 4;
            default -> 1;
        };
        long rowBytes = (width * bitDepth * samples + 7) / 8;
        if (rowBytes * height > MAX_INFLATION * imageData) {
            throw FileErrors.invalid(file, "corrupt PNG: " + width + "x" + height + " pixels are more than its "
                    + imageData + " bytes of compressed image data can hold");
        }
    }

    private static boolean isChunkType(String type) {
        return type.chars().allMatch(c -> (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'));
    }

    private static String printable(String type) {
        return isChunkType(type) ? type : "?".repeat(4);
    }

    /** "truncated JPEG" when the end-of-image marker is missing, else "corrupt PNG/JPEG". */
    private static String damaged(Format format, byte[] bytes) {
        if (format == Format.JPEG && !endsWithEoi(bytes)) {
            return "truncated JPEG: no end-of-image marker; the file is incomplete";
        }
        return "corrupt " + format + ": cannot decode it";
    }

    private static boolean endsWithEoi(byte[] bytes) {
        // Some writers pad after EOI; look for FF D9 in the last few bytes.
        for (int i = bytes.length - 2; i >= Math.max(0, bytes.length - 64); i--) {
            if ((bytes[i] & 0xFF) == 0xFF && (bytes[i + 1] & 0xFF) == 0xD9) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable e) {
        Throwable t = e;
        // IIOException wraps the useful message ("Unexpected end of ZLIB input stream") as a cause.
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String msg = t.getMessage();
        String own = e.getMessage();
        String text = msg == null ? t.getClass().getSimpleName() : msg;
        if (t != e && own != null && !own.equals(msg)) {
            text = own + ": " + text;
        }
        return oneLine(text);
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s+", " ").trim();
    }
}
