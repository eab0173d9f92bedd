package dev.engram.encode;

import dev.engram.encode.image.ImageInput;
import dev.engram.encode.image.ImageShape;
import dev.engram.store.NewTrace;
import dev.engram.store.Space;
import dev.engram.store.Store;

import java.util.List;

/** Image spaces: a convolutional autoencoder per space over C×H×W images (see {@link AutoencoderSpaces}). */
public final class ImageSpaces {
    public static final String MODALITY = Modality.IMAGE.id();

    private ImageSpaces() {
    }

    public static AutoencoderSpaces.Created create(Store store, String name, ImageShape shape, int latent,
                                                   TrainingOptions options, List<ImageInput> inputs,
                                                   TrainingListener listener) {
        return AutoencoderSpaces.create(store, name, Modality.IMAGE,
                Autoencoder.conv2d(shape.channels(), shape.height(), shape.width(), latent), options, inputs, null,
                listener);
    }

    public static Autoencoder load(Store store, Space space) {
        requireImage(space);
        return AutoencoderSpaces.load(store, space);
    }

    public static ImageShape shape(Space space) {
        requireImage(space);
        int[] s = AutoencoderSpaces.config(space).inputShape();
        return new ImageShape(s[0], s[1], s[2]);
    }

    public static void requireImage(Space space) {
        AutoencoderSpaces.require(space, Modality.IMAGE);
    }

    public static List<NewTrace> traces(Autoencoder model, List<? extends Perception> inputs, long[] eventIds) {
        return AutoencoderSpaces.traces(model, inputs, eventIds);
    }

    public static float[][] pixels(List<? extends Perception> inputs) {
        return AutoencoderSpaces.values(inputs);
    }
}
