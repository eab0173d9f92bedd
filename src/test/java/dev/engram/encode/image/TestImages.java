package dev.engram.encode.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;

/** Small images and IDX files made in the tests, so that no test data has to be shipped. */
public final class TestImages {
    private TestImages() {
    }

    /** A deterministic 8-bit picture: a diagonal gradient with a bright square, {@code seed} shifts it. */
    static byte[] picture(int rows, int cols, int seed) {
        byte[] b = new byte[rows * cols];
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < cols; x++) {
                int v = (x * 7 + y * 13 + seed * 31) % 256;
                if (x > cols / 4 && x < cols / 2 && y > rows / 4 && y < rows / 2) {
                    v = 255;
                }
                b[y * cols + x] = (byte) v;
            }
        }
        return b;
    }

    /** Writes a grey PNG whose samples are exactly {@code grey} (set on the raster, no gamma). */
    static Path greyPng(Path file, int rows, int cols, byte[] grey) throws IOException {
        BufferedImage image = new BufferedImage(cols, rows, BufferedImage.TYPE_BYTE_GRAY);
        int[] samples = new int[grey.length];
        for (int i = 0; i < grey.length; i++) {
            samples[i] = grey[i] & 0xFF;
        }
        image.getRaster().setSamples(0, 0, cols, rows, 0, samples);
        return write(image, "png", file);
    }

    /** Writes an RGB image (PNG or JPEG) filled with one colour. */
    static Path solidRgb(Path file, String format, int rows, int cols, int rgb) throws IOException {
        BufferedImage image = new BufferedImage(cols, rows, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < cols; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        return write(image, format, file);
    }

    /** Writes an RGB image whose three channels all hold {@code grey}. */
    static Path greyAsRgbPng(Path file, int rows, int cols, byte[] grey) throws IOException {
        BufferedImage image = new BufferedImage(cols, rows, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < rows; y++) {
            for (int x = 0; x < cols; x++) {
                int v = grey[y * cols + x] & 0xFF;
                image.setRGB(x, y, (v << 16) | (v << 8) | v);
            }
        }
        return write(image, "png", file);
    }

    static Path write(BufferedImage image, String format, Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (!ImageIO.write(image, format, file.toFile())) {
            throw new IllegalStateException("no ImageIO writer for " + format);
        }
        return file;
    }

    /** The bytes of an IDX3 unsigned-byte image file holding {@code images}. */
    static byte[] idxImages(int rows, int cols, byte[]... images) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x00000803);
        out.writeInt(images.length);
        out.writeInt(rows);
        out.writeInt(cols);
        for (byte[] image : images) {
            out.write(image);
        }
        out.flush();
        return bytes.toByteArray();
    }

    /** The bytes of an IDX1 label file. */
    public static byte[] idxLabels(int... labels) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x00000801);
        out.writeInt(labels.length);
        for (int label : labels) {
            out.writeByte(label);
        }
        out.flush();
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    static float[] unit(byte[] grey) {
        float[] f = new float[grey.length];
        for (int i = 0; i < grey.length; i++) {
            f[i] = (grey[i] & 0xFF) / 255f;
        }
        return f;
    }
}
