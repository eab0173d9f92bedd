package dev.engram.encode;

import dev.engram.EngramException;
import dev.engram.ExitCode;
import dev.engram.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dense autoencoder for numeric vectors, its standardisation, and concept-shaped training. */
class AutoencoderDenseTest {
    private static final TrainingOptions OPTIONS = new TrainingOptions(30, 128, 0.005, 7);

    @TempDir
    Path dir;

    /**
     * A 2-d plane embedded in 10-d, columns in very different units and offsets: a 2-d latent
     * space can hold all of it, so the surprise (standardised MSE) must end far below 1.0, the
     * variance of every standardised column.
     */
    @Test
    void learnsAPlaneInTenDimensionsAndKeepsTheOriginalUnits() {
        Random random = new Random(1);
        double[][] basis = gaussian(random, 2, 10, 1);
        float[][] data = new float[400][10];
        for (float[] row : data) {
            double s = random.nextGaussian();
            double t = random.nextGaussian();
            for (int j = 0; j < 10; j++) {
                row[j] = (float) ((s * basis[0][j] + t * basis[1][j]) * Math.pow(10, j - 4) + 100 * j);
            }
        }
        try (Autoencoder model = Autoencoder.train(Autoencoder.dense(10, 2), data, OPTIONS, TrainingListener.SILENT)) {
            double surprise = mean(model.surprise(data));
            assertTrue(surprise < 0.05, "standardised reconstruction MSE " + surprise);

            float[][] reconstructions = model.decode(model.encode(data));
            // In the original units: column j sits near 100 j with a spread of about 10^(j-4), so
            // reconstructions left in standardised units would miss most columns by far more
            // than their spread.
            Standardisation s = model.config().standardisation();
            for (int j = 0; j < 10; j++) {
                double error = 0;
                for (int i = 0; i < data.length; i++) {
                    error += Math.abs(reconstructions[i][j] - data[i][j]);
                }
                assertTrue(error / data.length < 0.5 * s.scale()[j],
                        "column " + j + ": mean error " + error / data.length + ", spread " + s.scale()[j]);
            }
            assertEquals(900, s.mean()[9], 0.1 * s.scale()[9]);
            double[] raw = Autoencoder.reconstructionErrors(data, reconstructions);
            assertTrue(mean(raw) > 100 * surprise, "raw MSE is in the columns' own units");
        }
    }

    @Test
    void aConstantColumnIsStandardisedWithScaleOne() {
        Standardisation s = Standardisation.fit(new float[][] {{1, 5}, {3, 5}});
        assertArrayEquals(new float[] {2, 5}, s.mean());
        assertArrayEquals(new float[] {1, 1}, s.scale());
        float[][] z = s.apply(new float[][] {{3, 7}});
        assertArrayEquals(new float[] {1, 2}, z[0]);
        assertArrayEquals(new float[] {3, 7}, s.invert(z)[0]);
    }

    @Test
    void saveAndLoadGiveTheSameEncodingsAndStandardisation() {
        float[][] data = labelled(new Random(3), 200).points;
        Path saved = dir.resolve("model");
        float[][] before;
        float[][] decoded;
        AutoencoderConfig config;
        try (Autoencoder model = Autoencoder.train(Autoencoder.dense(10, 3), data,
                new TrainingOptions(3, 64, 0.003, 1), TrainingListener.SILENT)) {
            model.save(saved);
            before = model.encode(data);
            decoded = model.decode(before);
            config = model.config();
        }
        try (Autoencoder loaded = Autoencoder.load(saved)) {
            assertArrayEquals(config.standardisation().mean(), loaded.config().standardisation().mean());
            assertArrayEquals(config.standardisation().scale(), loaded.config().standardisation().scale());
            assertArrayEquals(before, loaded.encode(data));
            assertArrayEquals(decoded, loaded.decode(before));
            assertFalse(loaded.config().shaped());
        }
    }

    /**
     * Concepts that sit in low-variance directions, under three large nuisance factors: a 2-d
     * plain space keeps the large factors and mixes the concepts; shaped by the concepts, the
     * same network with the same seed keeps them apart. Measured on held-out points as the ratio
     * of mean within-concept to mean between-concept latent distance.
     */
    @Test
    void shapingByConceptsPullsAConceptsPointsTogether() {
        Labelled train = labelled(new Random(11), 640);
        Labelled test = labelled(new Random(12), 300);
        AutoencoderConfig architecture = Autoencoder.dense(10, 2);
        double plain;
        double shaped;
        try (Autoencoder model = Autoencoder.train(architecture, train.points, train.concepts, OPTIONS,
                TrainingListener.SILENT)) {
            assertFalse(model.config().shaped(), "weight 0 ignores the concepts");
            plain = withinOverBetween(model.encode(test.points), test.concepts);
        }
        Path saved = dir.resolve("shaped");
        float[][] latents;
        try (Autoencoder model = Autoencoder.train(architecture, train.points, train.concepts,
                OPTIONS.withShapeWeight(1), TrainingListener.SILENT)) {
            latents = model.encode(test.points);
            shaped = withinOverBetween(latents, test.concepts);
            AutoencoderConfig.Shaping shaping = model.config().provenance().shaping();
            assertEquals("latent-softmax", shaping.method());
            assertEquals(1.0, shaping.weight());
            assertEquals(4, shaping.concepts());
            assertEquals(480, shaping.labelled(), "a quarter of the points have no concept (-1)");
            assertEquals(OPTIONS.epochs(), shaping.lossPerEpoch().size());
            model.save(saved);
        }
        assertTrue(shaped < 0.6 * plain, "within/between distance ratio: shaped " + shaped + ", plain " + plain);
        try (Autoencoder loaded = Autoencoder.load(saved)) {
            assertTrue(loaded.config().shaped());
            assertArrayEquals(latents, loaded.encode(test.points), "the classifier is not part of the saved model");
        }
    }

    @Test
    void shapingWithoutTwoKnownConceptsIsRefused() {
        float[][] data = labelled(new Random(5), 20).points;
        TrainingOptions shaped = new TrainingOptions(1, 8, 0.001, 1, 0.5);
        int[] unknown = new int[20];
        Arrays.fill(unknown, -1);
        for (int[] concepts : new int[][] {null, unknown, new int[20]}) {
            EngramException e = assertThrows(EngramException.class, () -> Autoencoder.train(Autoencoder.dense(10, 2),
                    data, concepts, shaped, TrainingListener.SILENT));
            assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        }
        assertThrows(IllegalArgumentException.class, () -> new TrainingOptions(1, 8, 0.001, 1, -1));
    }

    @Test
    void inputsOfTheWrongWidthAreRefused() {
        EngramException e = assertThrows(EngramException.class, () -> Autoencoder.train(Autoencoder.dense(4, 2),
                new float[][] {{1, 2, 3}}, OPTIONS, TrainingListener.SILENT));
        assertEquals(ExitCode.WRONG_SHAPE, e.exitCode());
    }

    /** A conv2d config.json written before standardisation and shaping existed still reads. */
    @Test
    void aConfigOfTheFirstFormatReadsAsPlainAndUnstandardised() {
        String json = """
                {"architecture": "conv2d", "inputShape": [1, 28, 28], "latent": 16, "widths": [32, 64],
                 "provenance": {"examples": 60000, "epochs": 10, "batchSize": 128, "learningRate": 0.001,
                  "seed": 42, "lossPerEpoch": [0.02, 0.012], "seconds": 540.0,
                  "trainedAt": "2025-01-01T00:00:00Z", "engine": "PyTorch 2.7.1"}}""";
        AutoencoderConfig config = Json.PRETTY.fromJson(json, AutoencoderConfig.class);
        assertEquals(784, config.inputSize());
        assertNull(config.standardisation());
        assertFalse(config.shaped());
        assertEquals(60000, config.provenance().examples());
    }

    private record Labelled(float[][] points, int[] concepts) {
    }

    /** Four concepts as small offsets in two directions, three big nuisance factors; every fourth unlabelled. */
    private static Labelled labelled(Random random, int n) {
        Random fixed = new Random(99); // the same embedding for every sample
        double[][] nuisance = gaussian(fixed, 3, 10, 1);
        double[][] signal = gaussian(fixed, 2, 10, 1);
        float[][] points = new float[n][10];
        int[] concepts = new int[n];
        for (int i = 0; i < n; i++) {
            int c = i % 4;
            double[] factors = {5 * random.nextGaussian(), 5 * random.nextGaussian(), 5 * random.nextGaussian()};
            double[] offset = {(c & 1) == 0 ? -1 : 1, (c & 2) == 0 ? -1 : 1};
            for (int j = 0; j < 10; j++) {
                double v = 0.1 * random.nextGaussian();
                for (int f = 0; f < 3; f++) {
                    v += factors[f] * nuisance[f][j];
                }
                for (int f = 0; f < 2; f++) {
                    v += offset[f] * signal[f][j];
                }
                points[i][j] = (float) v;
            }
            concepts[i] = i % 16 < 12 ? c : -1; // rows 12..15 of every 16: one of each concept unknown
        }
        return new Labelled(points, concepts);
    }

    private static double withinOverBetween(float[][] latents, int[] concepts) {
        double within = 0;
        double between = 0;
        long nw = 0;
        long nb = 0;
        for (int i = 0; i < latents.length; i++) {
            for (int j = i + 1; j < latents.length; j++) {
                double d = 0;
                for (int k = 0; k < latents[i].length; k++) {
                    double t = latents[i][k] - latents[j][k];
                    d += t * t;
                }
                d = Math.sqrt(d);
                if (i % 4 == j % 4) { // the true concept, known or not
                    within += d;
                    nw++;
                } else {
                    between += d;
                    nb++;
                }
            }
        }
        return (within / nw) / (between / nb);
    }

    private static double[][] gaussian(Random random, int rows, int cols, double scale) {
        double[][] m = new double[rows][cols];
        for (double[] row : m) {
            for (int j = 0; j < cols; j++) {
                row[j] = scale * random.nextGaussian();
            }
        }
        return m;
    }

    private static double mean(double[] values) {
        return Arrays.stream(values).average().orElseThrow();
    }

    /** A learning rate that throws the weights to infinity: a one-line error, no model. */
    @Test
    void aTrainingThatDivergesIsRefusedWithTheReason() {
        float[][] data = new float[200][6];
        Random random = new Random(3);
        for (float[] row : data) {
            for (int j = 0; j < row.length; j++) {
                row[j] = (float) random.nextGaussian();
            }
        }
        EngramException e = assertThrows(EngramException.class, () -> Autoencoder.train(Autoencoder.dense(6, 2),
                data, new TrainingOptions(5, 50, 1e30, 7), TrainingListener.SILENT));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertTrue(e.getMessage().startsWith("training diverged: the reconstruction loss became "), e.getMessage());
        assertTrue(e.getMessage().contains("--learning-rate (this run: 1.0E30)"), e.getMessage());

        // A last step can leave a parameter non-finite after a finite loss: checked after training.
        try (ai.djl.ndarray.NDManager manager = ai.djl.ndarray.NDManager.newBaseManager(
                ai.djl.Device.cpu(), Engines.pytorch().getEngineName())) {
            ai.djl.nn.core.Linear layer = ai.djl.nn.core.Linear.builder().setUnits(2).build();
            layer.initialize(manager, ai.djl.ndarray.types.DataType.FLOAT32, new ai.djl.ndarray.types.Shape(1, 3));
            Autoencoder.requireFiniteParameters(layer, 0.001);
            layer.getParameters().get("weight").getArray().set(new float[] {0, 0, Float.NaN, 0, 0, 0});
            EngramException last = assertThrows(EngramException.class,
                    () -> Autoencoder.requireFiniteParameters(layer, 0.001));
            assertEquals(ExitCode.INVALID_INPUT, last.exitCode());
            assertEquals("training diverged: parameter weight is not finite after the last step; try a lower"
                    + " --learning-rate (this run: 0.001)", last.getMessage());
        }
    }
}
