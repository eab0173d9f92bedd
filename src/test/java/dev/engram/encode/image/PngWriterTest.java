package dev.engram.encode.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PngWriterTest {
    @TempDir
    Path dir;

    @Test
    void greyRoundTripsExactly() throws IOException {
        ImageShape shape = new ImageShape(1, 28, 28);
        float[] pixels = TestImages.unit(TestImages.picture(28, 28, 4));
        Path png = dir.resolve("r.png");

        PngWriter.write(pixels, shape, png);

        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(BufferedImage.TYPE_BYTE_GRAY, image.getType());
        ImageInput back = ImageSources.readAll(List.of(png.toString()), shape, InputStream.nullInputStream()).get(0);
        assertArrayEquals(pixels, back.pixels());
        assertEquals(ImageInput.contentHash(pixels), back.contentHash());
    }

    @Test
    void rgbRoundTripsChannelMajor() throws IOException {
        ImageShape shape = new ImageShape(3, 2, 2);
        float[] pixels = {
            1f, 0f, 0.5f, 0f, // red plane
            0f, 1f, 0.5f, 0f, // green
            0f, 0f, 0.5f, 1f, // blue
        };
        Path png = dir.resolve("rgb.png");

        PngWriter.write(pixels, shape, png);

        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(0xFF0000, image.getRGB(0, 0) & 0xFFFFFF);
        assertEquals(0x00FF00, image.getRGB(1, 0) & 0xFFFFFF);
        assertEquals(0x808080, image.getRGB(0, 1) & 0xFFFFFF);
        assertEquals(0x0000FF, image.getRGB(1, 1) & 0xFFFFFF);
        float[] back = ImageSources.readAll(List.of(png.toString()), shape, InputStream.nullInputStream())
                .get(0).pixels();
        assertEquals(ImageInput.contentHash(pixels), ImageInput.contentHash(back));
    }

    @Test
    void valuesAreClampedAndQuantised() throws IOException {
        ImageShape shape = new ImageShape(1, 1, 5);
        float[] pixels = {-0.5f, Float.NaN, 0.5f, 1.7f, 0.1f};

        PngWriter.write(pixels, shape, dir.resolve("c.png"));

        int[] samples = ImageIO.read(dir.resolve("c.png").toFile()).getRaster().getSamples(0, 0, 5, 1, 0, (int[]) null);
        assertArrayEquals(new int[] {0, 0, 128, 255, 26}, samples);
    }

    @Test
    void wrongLengthIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> PngWriter.encode(new float[5], new ImageShape(1, 2, 2)));
    }
}
