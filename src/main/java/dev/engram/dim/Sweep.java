package dev.engram.dim;

import dev.engram.encode.Autoencoder;
import dev.engram.encode.TrainingListener;
import dev.engram.encode.TrainingOptions;
import dev.engram.encode.image.ImageShape;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * A bottleneck sweep, the experiment of the latent-space paper: the same convolutional
 * autoencoder trained on the same inputs with the same seed and options at each latent size,
 * with its reconstruction error and the latent vectors it makes of the inputs, whose intrinsic
 * dimension can then be set beside that of the inputs themselves.
 */
public final class Sweep {

    private Sweep() {
    }

    /**
     * One trained size.
     *
     * @param mse     mean squared reconstruction error per value over all the inputs
     * @param latents the encoder's vectors of the inputs, in input order
     * @param losses  training loss per epoch
     */
    public record Size(int latent, double mse, float[][] latents, List<Double> losses) {
    }

    /** Hears when each size starts, and its training as it goes. */
    public interface Listener {
        void size(int index, int latent);

        TrainingListener training();
    }

    public static List<Size> run(float[][] inputs, ImageShape shape, int[] sizes, TrainingOptions options,
                                 Listener listener) {
        List<Size> result = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            listener.size(i, sizes[i]);
            try (Autoencoder model = Autoencoder.train(Autoencoder.conv2d(shape.channels(), shape.height(),
                    shape.width(), sizes[i]), inputs, options, listener.training())) {
                float[][] latents = model.encode(inputs);
                double[] errors = Autoencoder.reconstructionErrors(inputs, model.decode(latents));
                double sum = 0;
                for (double e : errors) {
                    sum += e;
                }
                result.add(new Size(sizes[i], sum / errors.length, latents, model.config().provenance().lossPerEpoch()));
            }
        }
        return result;
    }

    /**
     * The knee of reconstruction error against latent size by {@link Kneedle}, with the sizes on
     * a log2 scale: sweeps double the size at each step, and on a linear axis the first steps
     * (2, 4, 8) would crowd into one corner and the knee would always be found there.
     */
    public static OptionalInt knee(int[] sizes, double[] mse) {
        double[] x = new double[sizes.length];
        for (int i = 0; i < sizes.length; i++) {
            x[i] = Math.log(sizes[i]) / Math.log(2);
        }
        return Kneedle.knee(x, mse, Kneedle.DEFAULT_SENSITIVITY);
    }
}
