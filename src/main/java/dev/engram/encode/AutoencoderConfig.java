package dev.engram.encode;

import java.util.List;

/**
 * Everything needed to rebuild an autoencoder's network before loading its parameters, plus
 * its provenance (Tribuo-style: what it was trained on, with which settings, when). Stored as
 * JSON beside the parameters and in the space's record.
 *
 * @param architecture {@code conv2d} for images (more to come for other modalities)
 * @param inputShape   the input tensor shape without the batch axis, e.g. [1, 28, 28]
 * @param latent       latent dimension: the width of the bottleneck
 * @param widths       channels of the hidden layers, outermost first
 */
public record AutoencoderConfig(String architecture, int[] inputShape, int latent, int[] widths,
                                Provenance provenance) {

    public int inputSize() {
        int size = 1;
        for (int s : inputShape) {
            size *= s;
        }
        return size;
    }

    /** How and on what the parameters were trained. */
    public record Provenance(int examples, int epochs, int batchSize, double learningRate, long seed,
                             List<Double> lossPerEpoch, double seconds, String trainedAt, String engine) {
    }
}
