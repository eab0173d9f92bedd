package dev.engram.encode;

import dev.engram.EngramException;
import dev.engram.Json;
import dev.engram.encode.image.ImageInput;
import dev.engram.encode.image.ImageShape;
import dev.engram.store.NewTrace;
import dev.engram.store.Space;
import dev.engram.store.Store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Image spaces: a convolutional autoencoder per space, its files under the store's
 * {@code models/SPACE/vN}, and the mapping of images to traces (latent vector, content hash,
 * reconstruction error as surprise).
 */
public final class ImageSpaces {
    public static final String MODALITY = "image";
    public static final String ENCODER = "conv-autoencoder";
    public static final String METRIC = "euclidean";

    private ImageSpaces() {
    }

    /**
     * Trains a new space's autoencoder on {@code inputs} and records the space. The model files
     * are written before the space row, so a crash leaves at most an unreferenced model
     * directory (overwritten by the next attempt), never a space without its model.
     */
    public static Created create(Store store, String name, ImageShape shape, int latent, TrainingOptions options,
                                 List<ImageInput> inputs, TrainingListener listener) {
        float[][] pixels = pixels(inputs);
        Autoencoder model = Autoencoder.train(Autoencoder.conv2d(shape.channels(), shape.height(), shape.width(),
                latent), pixels, options, listener);
        Path directory = store.modelDirectory(name, 1);
        deleteRecursively(directory);
        model.save(directory);
        try {
            return new Created(store.createSpace(name, MODALITY, ENCODER, latent, METRIC,
                    Json.LINES.toJson(model.config())), model);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /** A newly trained space and its model, ready to encode. */
    public record Created(Space space, Autoencoder model) {
    }

    public static Autoencoder load(Store store, Space space) {
        requireImage(space);
        return Autoencoder.load(store.modelDirectory(space.name(), space.modelVersion()));
    }

    public static ImageShape shape(Space space) {
        requireImage(space);
        AutoencoderConfig config = Json.LINES.fromJson(space.config(), AutoencoderConfig.class);
        int[] s = config.inputShape();
        return new ImageShape(s[0], s[1], s[2]);
    }

    public static void requireImage(Space space) {
        if (!MODALITY.equals(space.modality())) {
            throw EngramException.wrongShape("space " + space.name() + " holds " + space.modality()
                    + ", not images");
        }
    }

    /** The traces the model makes of the inputs; {@code eventIds} may be null (no events). */
    public static List<NewTrace> traces(Autoencoder model, List<? extends Perception> inputs, long[] eventIds) {
        float[][] pixels = pixels(inputs);
        float[][] latents = model.encode(pixels);
        double[] surprise = Autoencoder.reconstructionErrors(pixels, model.decode(latents));
        List<NewTrace> traces = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            Perception input = inputs.get(i);
            traces.add(new NewTrace(input.source(), input.index(), input.contentHash(), latents[i], surprise[i],
                    eventIds == null ? 0 : eventIds[i]));
        }
        return traces;
    }

    public static float[][] pixels(List<? extends Perception> inputs) {
        float[][] pixels = new float[inputs.size()][];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = inputs.get(i).values();
        }
        return pixels;
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw EngramException.storeUnavailable("cannot clear stale model directory " + directory + ": "
                    + e.getMessage(), e);
        }
    }
}
