package dev.engram.encode;

import java.util.List;
import java.util.function.Function;

/**
 * How to make the encoder of a new space, for the modalities whose encoder learns from the
 * inputs (the sentence encoder is pretrained and takes none of it).
 *
 * @param latent   the latent dimension of a new autoencoder
 * @param options  how it is trained
 * @param concepts the concept of each training input (numbered, -1 unknown), asked only when
 *                 {@code options.shapeWeight() > 0}; it may refuse inputs of too few concepts
 * @param listener what people are told while the space is made
 * @param network  a user's pretrained network to encode with instead of training an autoencoder
 *                 (image and sound), or null
 * @param textModel the sentence encoder of a new text space ({@code --text-model}), or null for the default
 */
public record NewSpace(int latent, TrainingOptions options, Function<List<? extends Input>, int[]> concepts,
                       Listener listener, PretrainedSpaces.Choice network, String textModel) {

    /** Settings for a space whose encoder is trained on its inputs. */
    public NewSpace(int latent, TrainingOptions options, Function<List<? extends Input>, int[]> concepts,
                    Listener listener) {
        this(latent, options, concepts, listener, null, null);
    }

    /** Hears the notes and the training progress of a new space. */
    public interface Listener extends TrainingListener {
        /** A note for people, formatted as {@link String#format} in the root locale. */
        void note(String format, Object... args);
    }

    /** The concepts of the training inputs when the space is shaped by them, else null. */
    public int[] conceptsOf(List<? extends Input> inputs) {
        return options.shapeWeight() > 0 ? concepts.apply(inputs) : null;
    }
}
