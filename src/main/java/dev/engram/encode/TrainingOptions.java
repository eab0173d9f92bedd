package dev.engram.encode;

/** How an autoencoder is trained: epochs, mini-batch size, Adam learning rate and the seed. */
public record TrainingOptions(int epochs, int batchSize, double learningRate, long seed) {
    public TrainingOptions {
        if (epochs < 1 || batchSize < 1 || !(learningRate > 0)) {
            throw new IllegalArgumentException("epochs and batch size must be positive, learning rate > 0");
        }
    }
}
