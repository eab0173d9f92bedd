package dev.engram.encode;

import java.util.List;

/**
 * Everything needed to rebuild an autoencoder's network before loading its parameters, plus
 * its provenance (Tribuo-style: what it was trained on, with which settings, when). Stored as
 * JSON beside the parameters and in the space's record. Fields added after the first format
 * ({@code standardisation}, {@code provenance.shaping}) are absent, hence null, in older files,
 * which is what they mean there: no standardisation, a plain space.
 *
 * @param architecture    {@code conv2d} for images, {@code dense} for numeric vectors
 * @param inputShape      the input tensor shape without the batch axis, e.g. [1, 28, 28] or [12]
 * @param latent          latent dimension: the width of the bottleneck
 * @param widths          channels (conv2d) or units (dense) of the hidden layers, outermost first
 * @param standardisation the per-value mapping applied before the encoder (dense); null for none
 */
public record AutoencoderConfig(String architecture, int[] inputShape, int latent, int[] widths,
                                Standardisation standardisation, Provenance provenance) {

    /** A config without standardisation, as every conv2d config is. */
    public AutoencoderConfig(String architecture, int[] inputShape, int latent, int[] widths, Provenance provenance) {
        this(architecture, inputShape, latent, widths, null, provenance);
    }

    public int inputSize() {
        int size = 1;
        for (int s : inputShape) {
            size *= s;
        }
        return size;
    }

    /** True when the latent space was shaped by concepts during training. */
    public boolean shaped() {
        return provenance != null && provenance.shaping() != null;
    }

    /**
     * How and on what the parameters were trained. {@code lossPerEpoch} is the reconstruction
     * loss (MSE per value, in the units the network sees: standardised for dense); {@code shaping}
     * is null for a plain autoencoder.
     */
    public record Provenance(int examples, int epochs, int batchSize, double learningRate, long seed,
                             List<Double> lossPerEpoch, double seconds, String trainedAt, String engine,
                             Shaping shaping) {
    }

    /**
     * The concept-shaping term a space was trained with.
     *
     * @param method       {@code latent-softmax}: a linear softmax classifier on the latent vector,
     *                     trained jointly by cross-entropy and discarded after training
     * @param weight       the term's weight against the reconstruction MSE
     * @param concepts     how many concepts the classifier told apart
     * @param labelled     how many training inputs had a concept
     * @param lossPerEpoch the mean cross-entropy (nats) over the labelled inputs of each epoch
     */
    public record Shaping(String method, double weight, int concepts, int labelled, List<Double> lossPerEpoch) {
    }
}
