package dev.engram.encode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Whether PyTorch's convolution backward passes can be trusted with every instruction set this
 * CPU has: the check {@code bin/engram} runs once per machine before it lets oneDNN use AVX2 and
 * AVX-512 (docs/architecture.md, "oneDNN's instruction sets"). Early on, those kernels returned NaN
 * gradients on the AMD EPYC machines engram is built on; limiting oneDNN to AVX
 * ({@code ONEDNN_MAX_CPU_ISA=AVX}) fixed it, and costs about half the training speed where the
 * wider kernels are sound.
 *
 * <p>The check trains engram's own image network (conv2d, latent 16) for 24 seeded steps on
 * synthetic images and records the loss of every epoch and the latents of a few images after
 * training. Run first with oneDNN limited to AVX, it writes those figures to a file; run then
 * with no limit, it compares its own with them. The wide kernels pass when every figure is
 * finite and within a relative 1e-3 of the AVX run's (different kernels sum in different orders,
 * which moves the sixth digit, not the third).
 *
 * <pre>
 * BackwardPassCheck FILE    # FILE missing: write figures there; else compare.
 *                           # Exit 0: agree; 1: disagree (or NaN); 3: the check itself failed.
 * </pre>
 */
public final class BackwardPassCheck {
    static final double TOLERANCE = 1e-3;

    private BackwardPassCheck() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: BackwardPassCheck FILE");
            System.exit(2);
        }
        Path file = Path.of(args[0]);
        double[] figures;
        try {
            figures = figures();
        } catch (RuntimeException | Error e) {
            System.err.println("the check could not run: " + e);
            System.exit(3);
            return;
        }
        if (!Files.exists(file)) {
            List<String> lines = new ArrayList<>();
            for (double f : figures) {
                lines.add(Double.toString(f));
            }
            Files.write(file, lines);
            System.exit(allFinite(figures) ? 0 : 1);
        }
        double[] reference = Files.readAllLines(file).stream().mapToDouble(Double::parseDouble).toArray();
        String disagreement = disagreement(reference, figures);
        if (disagreement != null) {
            System.err.println(disagreement);
        }
        System.exit(disagreement == null ? 0 : 1);
    }

    /** Epoch losses, then the latents of the first four images, after seeded training. */
    static double[] figures() {
        int n = 256;
        float[][] images = images(n, new Random(7));
        AutoencoderConfig config = Autoencoder.conv2d(1, 28, 28, 16);
        List<Double> out = new ArrayList<>();
        try (Autoencoder autoencoder = Autoencoder.train(config, images, new TrainingOptions(3, 32, 1e-3, 42),
                TrainingListener.SILENT)) {
            out.addAll(autoencoder.config().provenance().lossPerEpoch());
            for (float[] latent : autoencoder.encode(java.util.Arrays.copyOf(images, 4))) {
                for (float v : latent) {
                    out.add((double) v);
                }
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** Why {@code figures} disagree with {@code reference}, or null when they agree. */
    static String disagreement(double[] reference, double[] figures) {
        if (reference.length != figures.length) {
            return "the check made " + figures.length + " figures, the reference " + reference.length;
        }
        double scale = 0;
        for (double r : reference) {
            scale = Math.max(scale, Math.abs(r));
        }
        for (int i = 0; i < figures.length; i++) {
            if (!Double.isFinite(figures[i])) {
                return "figure " + i + " is " + figures[i];
            }
            // Latents near 0 are judged against the largest figure, not their own size.
            double allowed = TOLERANCE * Math.max(Math.abs(reference[i]), i < 3 ? 0 : scale);
            if (!(Math.abs(figures[i] - reference[i]) <= allowed)) {
                return String.format(Locale.ROOT, "figure %d is %.6g with every instruction set, %.6g with AVX",
                        i, figures[i], reference[i]);
            }
        }
        return null;
    }

    private static boolean allFinite(double[] figures) {
        for (double f : figures) {
            if (!Double.isFinite(f)) {
                return false;
            }
        }
        return true;
    }

    /** Soft bright blobs on dark ground, in [0, 1]: something with edges for the convolutions. */
    private static float[][] images(int n, Random random) {
        float[][] images = new float[n][28 * 28];
        for (float[] image : images) {
            double cx = 6 + 16 * random.nextDouble();
            double cy = 6 + 16 * random.nextDouble();
            double r = 3 + 5 * random.nextDouble();
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    double d = Math.hypot(x - cx, y - cy) / r;
                    image[y * 28 + x] = (float) Math.max(0, 1 - d * d);
                }
            }
        }
        return images;
    }
}
