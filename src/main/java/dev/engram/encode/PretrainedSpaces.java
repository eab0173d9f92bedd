package dev.engram.encode;

import dev.engram.EngramException;
import dev.engram.Json;
import dev.engram.io.FileErrors;
import dev.engram.store.ModelRepository;
import dev.engram.store.NewTrace;
import dev.engram.store.Space;
import dev.engram.store.Store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Spaces whose encoder is a user's pretrained network, frozen (transfer learning, as the
 * model's paper proposes): a trace is the network's feature vector, and a small dense
 * autoencoder trained on the features of the space's first inputs (the head) gives their
 * reconstruction and so the surprise, in feature space. There is no decoder back to pictures or
 * sound. The network file is copied into the space's model files with the head, so the store
 * needs nothing outside itself (docs/architecture.md, Pretrained encoders).
 */
public final class PretrainedSpaces {
    static final String ARCHITECTURE = "pretrained";

    private PretrainedSpaces() {
    }

    /**
     * A space's model description (its {@code config}).
     *
     * @param architecture always {@value #ARCHITECTURE}
     * @param network      the frozen network
     * @param head         the autoencoder on its features
     */
    public record Config(String architecture, Network network, AutoencoderConfig head) {
    }

    /**
     * The frozen network as a space records it.
     *
     * @param format   {@code onnx} or {@code torchscript}
     * @param name     the declared name, else the user's file name without its extension
     * @param file     the user's file name, for provenance
     * @param sha256   of the file's bytes
     * @param bytes    the file's size
     * @param input    C x H x W the network takes
     * @param mean     declared normalisation (null: 0)
     * @param std      declared normalisation (null: 1)
     * @param output   the declared output (null: the first)
     * @param features values per input of that output
     */
    public record Network(String format, String name, String file, String sha256, long bytes, int[] input,
                          float[] mean, float[] std, String output, int features) {

        NetworkDeclaration declaration() {
            return new NetworkDeclaration(name, input, mean, std, output);
        }
    }

    /** A user's network file and how to use it, as {@code encode --encoder} names them. */
    public record Choice(Path file, NetworkDeclaration declaration) {

        /** The declaration beside the file, with {@code given} (from the command line; may be null) over it. */
        public static Choice of(Path file, NetworkDeclaration given) {
            if (!Files.isRegularFile(file)) {
                throw EngramException.invalidInput("--encoder " + file + ": no such file");
            }
            NetworkDeclaration beside = NetworkDeclaration.beside(file);
            return new Choice(file, given == null ? beside : beside.over(given));
        }

        /** The C x H x W a new image space's inputs are read at: the declared input, or null. */
        public int[] input() {
            return declaration.input();
        }
    }

    /**
     * Whether a space is encoded by a pretrained network: its encoder is recorded as
     * {@code FORMAT:NAME} ({@code onnx:resnet18}), as no other encoder is.
     */
    public static boolean is(Space space) {
        for (PretrainedNetwork.Format format : PretrainedNetwork.Format.values()) {
            if (space.encoder().startsWith(format.id() + ":")) {
                return true;
            }
        }
        return false;
    }

    public static Config config(Space space) {
        return Json.LINES.fromJson(space.config(), Config.class);
    }

    /** Whether a space is encoded by exactly this file's network (its bytes' hash). */
    public static boolean uses(Space space, Path file) {
        return is(space) && config(space).network().sha256().equals(sha256(file));
    }

    /**
     * Creates a space: loads the network, extracts the features of {@code training} (store let
     * go meanwhile), and trains the head on them. {@code input} is the C x H x W the modality
     * reads its inputs at; a declared input must equal it.
     */
    public static <I extends Perception> SpaceEncoder<I> create(Store store, String name, Modality<I> modality,
                                                                Choice choice, int[] input, List<I> training,
                                                                NewSpace settings) {
        if (store.space(name).isPresent()) {
            throw EngramException.invalidInput("space '" + name + "' already exists in store " + store.location());
        }
        NetworkDeclaration declared = choice.declaration();
        if (declared.input() != null && !Arrays.equals(declared.input(), input)) {
            throw EngramException.wrongShape("--encoder " + choice.file() + " declares input "
                    + Arrays.toString(declared.input()) + " but " + modality.id() + " inputs are "
                    + Arrays.toString(input) + " here");
        }
        store.release(); // extracting and training take long: other processes read and write meanwhile
        Path file = choice.file();
        PretrainedNetwork.Format format = PretrainedNetwork.Format.of(file);
        PretrainedNetwork network = PretrainedNetwork.load(file, format, input, declared, file.toString());
        try {
            int features = network.features();
            if (settings.latent() >= features) {
                throw EngramException.invalidInput("--latent " + settings.latent() + " must be smaller than the "
                        + features + " features of network " + file + ": the head autoencoder compresses them");
            }
            String networkName = declared.name() != null ? declared.name() : stem(file);
            settings.listener().note("extracting %d features of %d %s inputs with %s network %s", features,
                    training.size(), modality.id(), format.id(), networkName);
            float[][] extracted = network.features(values(training));
            settings.listener().note("training a %d-dimensional autoencoder on the features (the head that measures"
                    + " surprise) for new %s space '%s'", settings.latent(), modality.id(), name);
            Autoencoder head = Autoencoder.train(Autoencoder.dense(features, settings.latent()), extracted, null,
                    settings.options(), settings.listener());
            Network recorded = new Network(format.id(), networkName, file.getFileName().toString(), sha256(file),
                    size(file), input, declared.mean(), declared.std(), declared.output(), features);
            Config config = new Config(ARCHITECTURE, recorded, head.config());
            Encoder<I> encoder = new Encoder<>(Space.draft(name, modality.id(), format.id() + ":" + networkName,
                    features, AutoencoderSpaces.METRIC, Json.LINES.toJson(config)), network, head, file);
            for (int i = 0; i < training.size(); i++) {
                encoder.extracted.put(training.get(i).contentHash(), extracted[i]);
            }
            return encoder;
        } catch (RuntimeException e) {
            network.close();
            throw e;
        }
    }

    /** The encoder of an existing space: its network and head loaded from the store. */
    public static <I extends Perception> SpaceEncoder<I> open(Store store, Space space) {
        Config config = config(space);
        Network n = config.network();
        PretrainedNetwork.Format format = PretrainedNetwork.Format.of(n.format());
        return store.models().read(space.name(), space.modelVersion(), dir -> {
            PretrainedNetwork network = PretrainedNetwork.load(dir.resolve(format.fileName()), format, n.input(),
                    n.declaration(), "the network of space " + space.name());
            try {
                return new Encoder<I>(space, network, Autoencoder.load(dir), null);
            } catch (RuntimeException e) {
                network.close();
                throw e;
            }
        });
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw FileErrors.readFailure(file, e);
        }
    }

    static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw FileErrors.readFailure(file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static float[][] values(List<? extends Perception> inputs) {
        float[][] values = new float[inputs.size()][];
        for (int i = 0; i < values.length; i++) {
            values[i] = inputs.get(i).values();
        }
        return values;
    }

    /** A pretrained space: a point is the network's features, surprise the head's reconstruction error of them. */
    private static final class Encoder<I extends Perception> implements SpaceEncoder<I> {
        private final Space space;
        private final PretrainedNetwork network;
        private final Autoencoder head;
        /** The user's network file, copied into a new space's model files; null for a recorded space. */
        private final Path file;
        /** Features extracted for training a new space, by content hash, so that its traces reuse them. */
        final Map<String, float[]> extracted = new HashMap<>();

        Encoder(Space space, PretrainedNetwork network, Autoencoder head, Path file) {
            this.space = space;
            this.network = network;
            this.head = head;
            this.file = file;
        }

        @Override
        public Space space() {
            return space;
        }

        @Override
        public List<NewTrace> traces(List<I> inputs) {
            float[][] features = features(inputs);
            double[] surprise = head.surprise(features);
            List<NewTrace> traces = new ArrayList<>(inputs.size());
            for (int i = 0; i < inputs.size(); i++) {
                I input = inputs.get(i);
                traces.add(new NewTrace(input.source(), input.index(), input.contentHash(), features[i], surprise[i],
                        0));
            }
            return traces;
        }

        private float[][] features(List<I> inputs) {
            float[][] features = new float[inputs.size()][];
            List<Integer> missing = new ArrayList<>();
            for (int i = 0; i < features.length; i++) {
                features[i] = extracted.get(inputs.get(i).contentHash());
                if (features[i] == null) {
                    missing.add(i);
                }
            }
            if (!missing.isEmpty()) {
                float[][] values = new float[missing.size()][];
                for (int m = 0; m < values.length; m++) {
                    values[m] = inputs.get(missing.get(m)).values();
                }
                float[][] computed = network.features(values);
                for (int m = 0; m < values.length; m++) {
                    features[missing.get(m)] = computed[m];
                }
            }
            return features;
        }

        @Override
        public Encoded encode(List<I> inputs) {
            float[][] features = features(inputs);
            return new Encoded(features, head.surprise(features), null);
        }

        @Override
        public Optional<ModelRepository.Writer> modelFiles() {
            if (file == null) {
                return Optional.empty();
            }
            return Optional.of(dir -> {
                Files.createDirectories(dir);
                Files.copy(file, dir.resolve(network.format().fileName()), StandardCopyOption.REPLACE_EXISTING);
                head.save(dir);
            });
        }

        @Override
        public Optional<Decoder> decoder() {
            return Optional.empty();
        }

        @Override
        public void close() {
            network.close();
            head.close();
        }
    }
}
