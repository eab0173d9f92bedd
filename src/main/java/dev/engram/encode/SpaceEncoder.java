package dev.engram.encode;

import dev.engram.store.NewTrace;
import dev.engram.store.Space;

import java.util.List;
import java.util.Optional;

/**
 * The encoder of one space, whatever it is (an autoencoder trained on the space's inputs, a
 * pretrained sentence encoder): inputs in, points of the space and their surprise out, and
 * back again where there is a decoder. Holds native memory: close it.
 */
public interface SpaceEncoder<I extends Input> extends AutoCloseable {

    Space space();

    /**
     * The traces to store for the inputs (no event yet). Each one's surprise is what the space
     * calls surprise, measured as if the inputs were stored one by one.
     */
    List<NewTrace> traces(List<I> inputs);

    /** The inputs as cues: their points, surprise against the space as stored, and reconstructions. */
    Encoded encode(List<I> inputs);

    /** Maps points of the space back to inputs; empty where the encoder has no decoder. */
    Optional<Decoder> decoder();

    @Override
    void close();

    /**
     * @param vectors         one point per input
     * @param surprise        one per input
     * @param reconstructions the decoder's output for each input, or null without a decoder
     */
    record Encoded(float[][] vectors, double[] surprise, float[][] reconstructions) {
    }

    /** A decoder: points of the space to input values. */
    @FunctionalInterface
    interface Decoder {
        float[][] decode(float[][] vectors);
    }
}
