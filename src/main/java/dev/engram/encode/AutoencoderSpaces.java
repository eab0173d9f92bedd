package dev.engram.encode;

import dev.engram.EngramException;
import dev.engram.Json;
import dev.engram.store.Metric;
import dev.engram.store.ModelRepository;
import dev.engram.store.NewTrace;
import dev.engram.store.Space;
import dev.engram.store.Store;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Spaces whose encoder is an autoencoder trained on the user's inputs (images, sound, numeric
 * signals): the model's files in the store's model repository, and the mapping of
 * inputs to traces (latent vector, content hash, reconstruction error as surprise).
 */
public final class AutoencoderSpaces {
    public static final String METRIC = Metric.EUCLIDEAN.id();

    private AutoencoderSpaces() {
    }

    /**
     * Tells what is about to be trained, and gives the concepts of the inputs when the space is
     * shaped by them (see {@link NewSpace#conceptsOf}).
     */
    public static int[] announce(String name, Modality<?> modality, Inputs<?> inputs, NewSpace settings) {
        settings.listener().note("training a %d-dimensional autoencoder for new %s space '%s' on %d distinct inputs",
                settings.latent(), modality.id(), name, inputs.size());
        return settings.conceptsOf(inputs.items());
    }

    /**
     * Trains a new space's autoencoder on {@code training}; {@code concepts} (one per input, -1
     * for unknown; null for none) shape the latent space when {@code options.shapeWeight() > 0}
     * (see {@link Autoencoder#train}). The space is not recorded here: its draft and model files
     * are, with its first traces, in one unit of work. The store is let go while the model
     * trains, so that other processes read and write meanwhile.
     */
    public static <I extends Perception> SpaceEncoder<I> create(Store store, String name, Modality<I> modality,
                                                                AutoencoderConfig architecture,
                                                                List<? extends Perception> training, int[] concepts,
                                                                NewSpace settings) {
        if (store.space(name).isPresent()) {
            throw EngramException.invalidInput("space '" + name + "' already exists in store " + store.location());
        }
        store.release();
        Autoencoder model = Autoencoder.train(architecture, values(training), concepts, settings.options(),
                settings.listener());
        return new Encoder<>(Space.draft(name, modality.id(), encoderName(architecture), architecture.latent(), METRIC,
                Json.LINES.toJson(model.config())), model);
    }

    private static String encoderName(AutoencoderConfig architecture) {
        return architecture.architecture().equals("conv2d") ? "conv-autoencoder"
                : architecture.architecture() + "-autoencoder";
    }

    /** The encoder of an existing space, its model loaded from the store. */
    public static <I extends Perception> SpaceEncoder<I> open(Store store, Space space) {
        return new Encoder<>(space, store.models().read(space.name(), space.modelVersion(), Autoencoder::load));
    }

    public static AutoencoderConfig config(Space space) {
        return Json.LINES.fromJson(space.config(), AutoencoderConfig.class);
    }

    public static void require(Space space, Modality<?> modality) {
        if (!modality.id().equals(space.modality())) {
            throw EngramException.wrongShape("space " + space.name() + " holds " + space.modality()
                    + ", not " + modality.id());
        }
    }

    private static float[][] values(List<? extends Perception> inputs) {
        float[][] values = new float[inputs.size()][];
        for (int i = 0; i < values.length; i++) {
            values[i] = inputs.get(i).values();
        }
        return values;
    }

    /** An autoencoder space: a point is the latent vector, surprise the reconstruction error. */
    private record Encoder<I extends Perception>(Space space, Autoencoder model) implements SpaceEncoder<I> {

        @Override
        public List<NewTrace> traces(List<I> inputs) {
            Encoded encoded = encode(inputs);
            List<NewTrace> traces = new ArrayList<>(inputs.size());
            for (int i = 0; i < inputs.size(); i++) {
                Perception input = inputs.get(i);
                traces.add(new NewTrace(input.source(), input.index(), input.contentHash(), encoded.vectors()[i],
                        encoded.surprise()[i], 0));
            }
            return traces;
        }

        @Override
        public Encoded encode(List<I> inputs) {
            float[][] values = values(inputs);
            float[][] latents = model.encode(values);
            float[][] reconstructions = model.decode(latents);
            return new Encoded(latents, model.surprise(values, reconstructions), reconstructions);
        }

        @Override
        public Optional<ModelRepository.Writer> modelFiles() {
            return Optional.of(model::save);
        }

        @Override
        public Optional<Decoder> decoder() {
            return Optional.of(model::decode);
        }

        @Override
        public void close() {
            model.close();
        }
    }
}
