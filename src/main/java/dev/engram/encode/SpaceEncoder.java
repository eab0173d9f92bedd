package dev.engram.encode;

import dev.engram.store.ModelRepository;
import dev.engram.store.NewTrace;
import dev.engram.store.Space;
import dev.engram.store.Transaction;

import java.util.List;
import java.util.Optional;

/**
 * The encoder of one space, whatever it is (an autoencoder trained on the space's inputs, a
 * pretrained sentence encoder): inputs in, points of the space and their surprise out, and
 * back again where there is a decoder. Holds native memory: close it.
 */
public interface SpaceEncoder<I extends Input> extends AutoCloseable {

    /** The space, or for a new one its {@link Space#draft draft} until the space is recorded. */
    Space space();

    /**
     * The traces to store for the inputs (no event yet). Each one's surprise is what the space
     * calls surprise, measured as if the inputs were stored one by one.
     */
    List<NewTrace> traces(List<I> inputs);

    /** The inputs as cues: their points, surprise against the space as stored, and reconstructions. */
    Encoded encode(List<I> inputs);

    /**
     * The files of the encoder's model, stored with a new space ({@link Space#draft}) in the unit
     * that records it; empty for an encoder that has no files of its own (a shipped model).
     */
    default Optional<ModelRepository.Writer> modelFiles() {
        return Optional.empty();
    }

    /**
     * Records a new space ({@link Space#draft}) with its model files in the unit of work, and
     * returns it as recorded; a space that is recorded already is returned as it is.
     */
    default Space record(Transaction tx) {
        Space space = space();
        if (space.recorded()) {
            return space;
        }
        modelFiles().ifPresent(files -> tx.writeModel(space.name(), space.modelVersion(), files));
        return tx.createSpace(space.name(), space.modality(), space.encoder(), space.dimension(), space.metric(),
                space.config());
    }

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
