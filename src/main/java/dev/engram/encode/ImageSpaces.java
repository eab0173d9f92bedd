package dev.engram.encode;

import dev.engram.encode.image.ImageModality;
import dev.engram.encode.image.ImageShape;
import dev.engram.store.Space;

/** Image spaces: their C×H×W input shape (the model is an {@link AutoencoderSpaces} or {@link PretrainedSpaces} one). */
public final class ImageSpaces {
    public static final String MODALITY = ImageModality.ID;

    private ImageSpaces() {
    }

    public static ImageShape shape(Space space) {
        requireImage(space);
        int[] s = PretrainedSpaces.is(space) ? PretrainedSpaces.config(space).network().input()
                : AutoencoderSpaces.config(space).inputShape();
        return new ImageShape(s[0], s[1], s[2]);
    }

    public static void requireImage(Space space) {
        AutoencoderSpaces.require(space, ImageModality.INSTANCE);
    }
}
