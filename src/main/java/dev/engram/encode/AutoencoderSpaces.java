package dev.engram.encode;

import dev.engram.EngramException;
import dev.engram.Json;
import dev.engram.store.Metric;
import dev.engram.store.NewTrace;
import dev.engram.store.Space;
import dev.engram.store.Store;

import java.util.ArrayList;
import java.util.List;

/**
 * Spaces whose encoder is an autoencoder trained on the user's inputs (images, sound, numeric
 * signals): the model's files in the store's model repository, and the mapping of
 * inputs to traces (latent vector, content hash, reconstruction error as surprise).
 */
public final class AutoencoderSpaces {
    public static final String METRIC = Metric.EUCLIDEAN.id();

    private AutoencoderSpaces() {
    }

    /** A newly trained space and its model, ready to encode. */
    public record Created(Space space, Autoencoder model) {
    }

    /**
     * Trains a new space's autoencoder on {@code inputs} and records the space; {@code concepts}
     * (one per input, -1 for unknown; null for none) shape the latent space when
     * {@code options.shapeWeight() > 0} (see {@link Autoencoder#train}). The model is
     * written before the space is recorded, so a crash leaves at most an unreferenced model
     * (overwritten by the next attempt), never a space without its model.
     */
    public static Created create(Store store, String name, Modality modality, AutoencoderConfig architecture,
                                 TrainingOptions options, List<? extends Perception> inputs, int[] concepts,
                                 TrainingListener listener) {
        Autoencoder model = Autoencoder.train(architecture, values(inputs), concepts, options, listener);
        try {
            store.models().write(name, 1, model::save);
            return new Created(store.write(tx -> tx.createSpace(name, modality.id(), encoderName(architecture),
                    architecture.latent(), METRIC, Json.LINES.toJson(model.config()))), model);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static String encoderName(AutoencoderConfig architecture) {
        return architecture.architecture().equals("conv2d") ? "conv-autoencoder"
                : architecture.architecture() + "-autoencoder";
    }

    public static Autoencoder load(Store store, Space space) {
        return store.models().read(space.name(), space.modelVersion(), Autoencoder::load);
    }

    public static AutoencoderConfig config(Space space) {
        return Json.LINES.fromJson(space.config(), AutoencoderConfig.class);
    }

    public static void require(Space space, Modality modality) {
        if (!modality.id().equals(space.modality())) {
            throw EngramException.wrongShape("space " + space.name() + " holds " + space.modality()
                    + ", not " + modality.id());
        }
    }

    /** The traces the model makes of the inputs; {@code eventIds} may be null (no events). */
    public static List<NewTrace> traces(Autoencoder model, List<? extends Perception> inputs, long[] eventIds) {
        float[][] values = values(inputs);
        float[][] latents = model.encode(values);
        double[] surprise = model.surprise(values, model.decode(latents));
        List<NewTrace> traces = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            Perception input = inputs.get(i);
            traces.add(new NewTrace(input.source(), input.index(), input.contentHash(), latents[i], surprise[i],
                    eventIds == null ? 0 : eventIds[i]));
        }
        return traces;
    }

    public static float[][] values(List<? extends Perception> inputs) {
        float[][] values = new float[inputs.size()][];
        for (int i = 0; i < values.length; i++) {
            values[i] = inputs.get(i).values();
        }
        return values;
    }
}
