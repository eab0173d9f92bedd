package dev.engram.dim.plot;

import dev.engram.dim.Gride;
import dev.engram.dim.Neighbours;
import dev.engram.dim.TwoNN;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlotsTest {
    @TempDir
    Path tmp;

    private static int pixelsOf(BufferedImage image, Color color) {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == (color.getRGB() & 0xffffff)) {
                    count++;
                }
            }
        }
        return count;
    }

    private static float[][] square(int n) {
        Random random = new Random(4);
        float[][] points = new float[n][];
        for (int i = 0; i < n; i++) {
            points[i] = new float[] {random.nextFloat(), random.nextFloat(), 0.5f};
        }
        return points;
    }

    @Test
    void sweepChartIsAPngWithEverySeriesDrawn() throws IOException {
        Map<String, double[]> latent = new LinkedHashMap<>();
        latent.put("twonn", new double[] {1.9, 3.5, 5.2, 6.0, 6.1, 6.3});
        Chart chart = Plots.sweep("digits", new int[] {2, 4, 8, 16, 32, 64},
                new double[] {0.09, 0.04, 0.02, 0.012, 0.010, 0.009}, latent, Map.of("twonn", 7.2), 8);
        Path file = tmp.resolve("sub/sweep.png");

        chart.write(file);

        BufferedImage image = ImageIO.read(file.toFile());
        assertEquals(900, image.getWidth());
        assertEquals(560, image.getHeight());
        assertTrue(pixelsOf(image, Chart.color(0)) > 200, "the MSE curve is drawn");
        assertTrue(pixelsOf(image, Chart.color(1)) > 200, "the latent ID curve is drawn");
    }

    @Test
    void twoNNFitDrawsThePointsAndTheLine() throws IOException {
        TwoNN.Result r = TwoNN.estimate(square(500), 0.1);
        Path file = tmp.resolve("twonn.png");

        Plots.twoNN("file:square.csv", r).write(file);

        BufferedImage image = ImageIO.read(file.toFile());
        assertTrue(pixelsOf(image, Chart.color(0)) > 100, "the points");
        assertTrue(pixelsOf(image, Chart.color(1)) > 300, "the fitted line");
    }

    @Test
    void grideCurveHasOnePointPerScale() throws IOException {
        float[][] points = square(600);
        Gride.Result r = Gride.estimate(Neighbours.search(points, 64), 64);
        Path file = tmp.resolve("gride.png");

        Plots.gride("file:square.csv", r).write(file);

        assertEquals(6, r.scales().size());
        assertTrue(pixelsOf(ImageIO.read(file.toFile()), Chart.color(0)) > 300);
    }

    @Test
    void ticksAreRoundNumbers() {
        assertEquals(List.of(0.0, 0.02, 0.04, 0.06, 0.08, 0.1), Chart.ticks(new double[] {0, 0.1}, Chart.Scale.LINEAR)
                .stream().map(t -> Math.round(t * 1e9) / 1e9).toList());
        assertEquals(List.of(2.0, 4.0, 8.0, 16.0), Chart.ticks(new double[] {1.5, 20}, Chart.Scale.LOG2));
        assertEquals("100", Chart.format(100));
        assertEquals("0.025", Chart.format(0.025));
    }
}
