package dev.engram.encode;

/**
 * How an autoencoder is trained: epochs, mini-batch size, Adam learning rate, the seed, and
 * {@code shapeWeight}, the weight of the concept-shaping term on the latent space (0 trains a
 * plain autoencoder; see {@link Autoencoder#train(AutoencoderConfig, float[][], int[], TrainingOptions,
 * TrainingListener)}).
 */
public record TrainingOptions(int epochs, int batchSize, double learningRate, long seed, double shapeWeight) {
    public TrainingOptions {
        if (epochs < 1 || batchSize < 1 || !(learningRate > 0)) {
            throw new IllegalArgumentException("epochs and batch size must be positive, learning rate > 0");
        }
        if (!(shapeWeight >= 0) || Double.isInfinite(shapeWeight)) {
            throw new IllegalArgumentException("the shaping weight must be a finite number >= 0, not " + shapeWeight);
        }
    }

    /** Plain training: reconstruction only. */
    public TrainingOptions(int epochs, int batchSize, double learningRate, long seed) {
        this(epochs, batchSize, learningRate, seed, 0);
    }

    public TrainingOptions withShapeWeight(double weight) {
        return new TrainingOptions(epochs, batchSize, learningRate, seed, weight);
    }
}
