package dev.engram.encode.image;

import java.awt.image.BufferedImage;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Writes C×H×W float pixels as an 8-bit PNG: grey for 1 channel, RGB for 3. Values are clamped
 * to [0,1] and quantised as {@code round(v*255)} (NaN as 0), the same quantisation as
 * {@link ImageInput#contentHash(float[])}, so a written image reads back with the same hash.
 */
public final class PngWriter {
    private PngWriter() {
    }

    /** Writes the PNG to {@code file}, replacing it; the parent directory must exist. */
    public static void write(float[] pixels, ImageShape shape, Path file) throws IOException {
        byte[] png = encode(pixels, shape);
        Files.write(file, png);
    }

    /** Writes the PNG to a stream, which is left open. */
    public static void write(float[] pixels, ImageShape shape, OutputStream out) throws IOException {
        out.write(encode(pixels, shape));
    }

    /** The PNG file's bytes. */
    public static byte[] encode(float[] pixels, ImageShape shape) {
        if (pixels.length != shape.size()) {
            throw new IllegalArgumentException(
                    pixels.length + " values do not make an image of shape " + shape + " (" + shape.size() + ")");
        }
        BufferedImage image = toImage(pixels, shape);
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        if (!writers.hasNext()) {
            throw new IllegalStateException("this Java runtime has no ImageIO PNG writer");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // A memory cache: ImageIO's default file cache would need a writable temp directory.
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(image);
        } catch (IOException e) {
            throw new IllegalStateException("writing a PNG to memory failed", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }

    /**
     * Samples are set on the raster directly: drawing or setRGB on a grey image would apply
     * Java2D's linear-grey gamma conversion and change the values.
     */
    private static BufferedImage toImage(float[] pixels, ImageShape shape) {
        int h = shape.height();
        int w = shape.width();
        int plane = h * w;
        BufferedImage image = new BufferedImage(w, h,
                shape.channels() == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_3BYTE_BGR);
        WritableRaster raster = image.getRaster();
        int[] row = new int[w];
        for (int c = 0; c < shape.channels(); c++) {
            // TYPE_3BYTE_BGR's raster bands are R, G, B in that order; only the storage is BGR.
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    row[x] = ImageInput.quantise(pixels[c * plane + y * w + x]);
                }
                raster.setSamples(0, y, w, 1, c, row);
            }
        }
        return image;
    }
}
