package dev.engram.encode.audio;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpectrogramPngTest {
    @TempDir
    Path dir;

    @Test
    void lowFrequenciesAreAtTheBottomAndTimeRunsLeftToRight() throws IOException {
        float[] values = new float[LogMel.MELS * LogMel.FRAMES];
        for (int t = 0; t < LogMel.FRAMES; t++) {
            values[t] = 1f; // band 0, the lowest, all along
        }
        values[(LogMel.MELS - 1) * LogMel.FRAMES + 5] = 0.5f; // the highest band, frame 5
        Path png = dir.resolve("s.png");

        SpectrogramPng.write(values, png);

        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(LogMel.FRAMES, image.getWidth());
        assertEquals(LogMel.MELS, image.getHeight());
        int bottom = LogMel.MELS - 1;
        assertEquals(255, image.getRaster().getSample(0, bottom, 0));
        assertEquals(255, image.getRaster().getSample(LogMel.FRAMES - 1, bottom, 0));
        assertEquals(0, image.getRaster().getSample(0, 0, 0));
        assertEquals(128, image.getRaster().getSample(5, 0, 0));
        assertEquals(0, image.getRaster().getSample(6, 0, 0));
    }

    @Test
    void otherSizesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> SpectrogramPng.write(new float[10], dir.resolve("x.png")));
    }
}
