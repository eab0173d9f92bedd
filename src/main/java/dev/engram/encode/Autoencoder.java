package dev.engram.encode;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.Tracker;
import dev.engram.EngramException;
import dev.engram.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * An autoencoder trained with DJL on the PyTorch engine: an encoder block that compresses an
 * input to a latent vector and a decoder block that reconstructs the input from it. The
 * reconstruction error of an input is its surprise ("matching for prediction"), see
 * {@link #surprise(float[][], float[][])}. Two architectures: {@link #conv2d} for images and
 * {@link #dense} for numeric vectors; either can be trained plain or shaped by concepts.
 *
 * <p>Not thread-safe; one instance per process is the intended use (the PyTorch engine is
 * costly to start, see docs/architecture.md, Dependencies).
 */
public final class Autoencoder implements AutoCloseable {
    private static final String PARAMETERS = "autoencoder";
    private static final String CONFIG = "config.json";
    /**
     * Inputs per forward pass when encoding, decoding and scoring. At 512, the decoder's widest
     * activation (32 x 28 x 28 floats per image) took 51 MB, above glibc's largest mmap threshold
     * (32 MB): every batch mapped fresh pages and unmapped them, and a recall of 10,000 images
     * spent 5 s of system time on page faults. At 128 (13 MB) the memory is reused: 1 s, and the
     * whole recall 30% faster, with the same outputs.
     */
    private static final int INFERENCE_BATCH = 128;
    /** PyTorch's interpolation mode kNearest, as DJL's JNI numbers them. */
    private static final int NEAREST = 0;
    private static final String SHAPING_METHOD = "latent-softmax";

    private final AutoencoderConfig config;
    private final Model model;
    private final SequentialBlock encoder;
    private final SequentialBlock decoder;
    private final ParameterStore parameters;

    private Autoencoder(AutoencoderConfig config, Model model, SequentialBlock encoder, SequentialBlock decoder) {
        this.config = config;
        this.model = model;
        this.encoder = encoder;
        this.decoder = decoder;
        this.parameters = new ParameterStore(model.getNDManager(), false);
    }

    public AutoencoderConfig config() {
        return config;
    }

    public int latent() {
        return config.latent();
    }

    /** {@link #train(AutoencoderConfig, float[][], int[], TrainingOptions, TrainingListener)} without concepts. */
    public static Autoencoder train(AutoencoderConfig architecture, float[][] inputs, TrainingOptions options,
                                    TrainingListener listener) {
        return train(architecture, inputs, null, options, listener);
    }

    /**
     * Trains a new autoencoder on {@code inputs}, each flattened to the config's input shape
     * (values in [0, 1] for conv2d; any finite numbers for dense, which are standardised per
     * column first), minimising the mean squared reconstruction error with Adam.
     *
     * <p>With {@code options.shapeWeight() > 0}, the latent space is also shaped by concepts:
     * {@code concepts[i]} is the concept (0..K-1) of input i, or -1 when unknown. A linear softmax
     * classifier on the latent vector is trained jointly, and the loss is
     * {@code MSE + shapeWeight * cross-entropy} (the cross-entropy averaged over the batch's
     * labelled inputs). Pulling the latent vectors of one concept towards a region that a linear
     * read-out separates from the others is what lets locality binding and nearest-trace votes
     * find the right concept; the reconstruction term keeps the space an autoencoder's, so
     * surprise still means something. This is the "supervised autoencoder" of Le, Patterson &amp;
     * White 2018 (NeurIPS, "Supervised autoencoders: improving generalization performance with
     * unsupervised regularizers"). The classifier is discarded after training: the saved model is
     * encoder and decoder only, and loads like a plain one.
     */
    public static Autoencoder train(AutoencoderConfig architecture, float[][] inputs, int[] concepts,
                                    TrainingOptions options, TrainingListener listener) {
        requireInputs(architecture, inputs);
        Standardisation standardisation = "dense".equals(architecture.architecture())
                ? Standardisation.fit(inputs) : null;
        Engine engine = Engines.pytorchForTraining();
        engine.setRandomSeed((int) options.seed());
        Model model = Model.newInstance(PARAMETERS, Device.cpu(), engine.getEngineName());
        try {
            return fit(architecture, standardisation, model, encoderBlock(architecture), decoderBlock(architecture),
                    inputs, concepts, options, listener);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    /**
     * Trains this autoencoder further, from its present weights, on {@code inputs}: what makes
     * a space's next model version (engram consolidate). The same loss and optimiser as
     * {@link #train(AutoencoderConfig, float[][], int[], TrainingOptions, TrainingListener)}
     * (with a new concept classifier when shaping: the old one was not kept), and the same
     * standardisation as before, so that the inputs keep their meaning. This autoencoder is
     * trained in place; the one returned shares its network and describes the new training.
     */
    public Autoencoder trainFurther(float[][] inputs, int[] concepts, TrainingOptions options,
                                    TrainingListener listener) {
        requireInputs(config, inputs);
        Engines.pytorchForTraining().setRandomSeed((int) options.seed());
        return fit(config, config.standardisation(), model, encoder, decoder, inputs, concepts, options, listener);
    }

    private static void requireInputs(AutoencoderConfig architecture, float[][] inputs) {
        if (inputs.length == 0) {
            throw EngramException.nothingToDo("no inputs to train the autoencoder on");
        }
        for (float[] input : inputs) {
            if (input.length != architecture.inputSize()) {
                throw EngramException.wrongShape("an input has " + input.length + " values, but the "
                        + architecture.architecture() + " autoencoder takes " + architecture.inputSize());
            }
        }
    }

    /**
     * The training loop of {@link #train} and {@link #trainFurther}, on {@code model}'s encoder
     * and decoder; the caller closes the model if it fails.
     */
    private static Autoencoder fit(AutoencoderConfig architecture, Standardisation standardisation, Model model,
                                   SequentialBlock encoder, SequentialBlock decoder, float[][] inputs, int[] concepts,
                                   TrainingOptions options, TrainingListener listener) {
        ShapingPlan shaping = ShapingPlan.of(concepts, inputs.length, options.shapeWeight());
        float[][] working = standardisation == null ? inputs : standardisation.apply(inputs);
        Engine engine = Engines.pytorchForTraining();
        SequentialBlock autoencoder = new SequentialBlock().add(encoder).add(decoder);
        // While shaping, the network also ends in the classifier: decoder and classifier both read
        // the latent vector, and the forward pass returns (reconstruction, logits).
        model.setBlock(shaping == null ? autoencoder : new SequentialBlock().add(encoder).add(
                new ParallelBlock(outputs -> new NDList(outputs.get(0).singletonOrThrow(),
                        outputs.get(1).singletonOrThrow()),
                        List.of(decoder, Linear.builder().setUnits(shaping.concepts).build()))));
        int batchSize = Math.min(options.batchSize(), inputs.length);
        DefaultTrainingConfig trainingConfig = new DefaultTrainingConfig(Loss.l2Loss())
                .optOptimizer(Adam.builder().optLearningRateTracker(Tracker.fixed((float) options.learningRate()))
                        .build());
        long[] shape = batchShape(architecture, batchSize);
        List<Double> losses = new ArrayList<>();
        List<Double> shapingLosses = new ArrayList<>();
        long started = System.nanoTime();
        try (Trainer trainer = model.newTrainer(trainingConfig)) {
            trainer.initialize(new Shape(shape));
            Random random = new Random(options.seed());
            int[] order = new int[inputs.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            int batches = (inputs.length + batchSize - 1) / batchSize;
            for (int epoch = 1; epoch <= options.epochs(); epoch++) {
                long epochStart = System.nanoTime();
                shuffle(order, random);
                double sum = 0;
                long seen = 0;
                double shapingSum = 0;
                long labelledSeen = 0;
                for (int b = 0; b < batches; b++) {
                    int from = b * batchSize;
                    int to = Math.min(inputs.length, from + batchSize);
                    float loss;
                    float crossEntropy = 0;
                    int labelled = 0;
                    // The batch's arrays (input, activations, loss) live in a sub-manager closed
                    // before the optimizer step, so that nothing the step keeps (Adam's moments)
                    // can end up owned by, and freed with, the batch.
                    try (NDManager batchManager = trainer.getManager().newSubManager();
                         GradientCollector collector = trainer.newGradientCollector()) {
                        NDArray x = batchManager.create(gather(working, order, from, to),
                                new Shape(batchShape(architecture, to - from)));
                        NDList out = trainer.forward(new NDList(x));
                        NDArray mse = out.get(0).sub(x).square().mean();
                        NDArray objective = mse;
                        if (shaping != null) {
                            float[] oneHot = new float[(to - from) * shaping.concepts];
                            for (int i = from; i < to; i++) {
                                int c = concepts[order[i]];
                                if (c >= 0) {
                                    oneHot[(i - from) * shaping.concepts + c] = 1f;
                                    labelled++;
                                }
                            }
                            NDArray target = batchManager.create(oneHot, new Shape(to - from, shaping.concepts));
                            NDArray ce = out.get(1).logSoftmax(1).mul(target).sum().neg()
                                    .div(Math.max(1, labelled));
                            objective = mse.add(ce.mul((float) options.shapeWeight()));
                            crossEntropy = ce.getFloat();
                        }
                        collector.backward(objective);
                        loss = mse.getFloat();
                    }
                    if (!Float.isFinite(loss)) {
                        // Nothing is stored from a failed training: the space is not created or changed.
                        throw EngramException.invalidInput("training diverged: the reconstruction loss became "
                                + loss + " in epoch " + epoch + ", batch " + (b + 1) + "; try a lower"
                                + " --learning-rate (this run: " + options.learningRate() + ")"
                                + ("AVX".equals(System.getenv("ONEDNN_MAX_CPU_ISA")) ? ""
                                        : ", or ONEDNN_MAX_CPU_ISA=AVX (docs/architecture.md, \"oneDNN's instruction sets\")"));
                    }
                    trainer.step();
                    sum += (double) loss * (to - from);
                    seen += to - from;
                    shapingSum += (double) crossEntropy * labelled;
                    labelledSeen += labelled;
                    listener.batch(epoch, options.epochs(), b + 1, batches, sum / seen);
                }
                double epochLoss = sum / seen;
                losses.add(epochLoss);
                if (shaping != null) {
                    shapingLosses.add(shapingSum / Math.max(1, labelledSeen));
                }
                listener.epoch(epoch, options.epochs(), epochLoss, (System.nanoTime() - epochStart) / 1e9);
            }
        }
        // Each batch's loss was finite before its step; what the last step left is checked here.
        requireFiniteParameters(autoencoder, options.learningRate());
        if (shaping != null) {
            // The classifier's work is done: what is kept, saved and loaded is the autoencoder
            // alone. Initialising the new outer block records its input shape and keeps the
            // trained parameters (DJL initialises only parameters that have no value yet).
            model.setBlock(autoencoder);
            autoencoder.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(batchShape(architecture, 1)));
        }
        AutoencoderConfig trained = new AutoencoderConfig(architecture.architecture(), architecture.inputShape(),
                architecture.latent(), architecture.widths(), standardisation,
                new AutoencoderConfig.Provenance(inputs.length, options.epochs(), options.batchSize(),
                        options.learningRate(), options.seed(), losses, (System.nanoTime() - started) / 1e9,
                        Instant.now().toString(), engine.getEngineName() + " " + engine.getVersion(),
                        shaping == null ? null : new AutoencoderConfig.Shaping(SHAPING_METHOD,
                                options.shapeWeight(), shaping.concepts, shaping.labelled, shapingLosses)));
        return new Autoencoder(trained, model, encoder, decoder);
    }

    /** The concepts a shaped training tells apart, checked; null for plain training. */
    private record ShapingPlan(int concepts, int labelled) {
        static ShapingPlan of(int[] concepts, int inputs, double weight) {
            if (concepts != null && concepts.length != inputs) {
                throw new IllegalArgumentException(concepts.length + " concepts for " + inputs + " inputs");
            }
            if (weight == 0) {
                return null;
            }
            int count = 0;
            int labelled = 0;
            if (concepts != null) {
                for (int c : concepts) {
                    if (c < -1) {
                        throw new IllegalArgumentException("concept numbers are -1 (unknown) or >= 0, not " + c);
                    }
                    count = Math.max(count, c + 1);
                    labelled += c >= 0 ? 1 : 0;
                }
            }
            if (count < 2) {
                throw EngramException.invalidInput("shaping the latent space needs inputs of at least two known"
                        + " concepts; " + (labelled == 0 ? "none has one" : "all have the same one")
                        + " (train with shaping weight 0 for a plain space)");
            }
            return new ShapingPlan(count, labelled);
        }
    }

    /** Loads an autoencoder saved by {@link #save(Path)}. */
    public static Autoencoder load(Path directory) {
        AutoencoderConfig config;
        try {
            config = Json.PRETTY.fromJson(Files.readString(directory.resolve(CONFIG)), AutoencoderConfig.class);
        } catch (IOException e) {
            throw EngramException.storeUnavailable("cannot read model " + directory.resolve(CONFIG) + ": "
                    + e.getMessage(), e);
        }
        Engine engine = Engines.pytorch();
        Model model = Model.newInstance(PARAMETERS, Device.cpu(), engine.getEngineName());
        SequentialBlock encoder = encoderBlock(config);
        SequentialBlock decoder = decoderBlock(config);
        SequentialBlock whole = new SequentialBlock().add(encoder).add(decoder);
        model.setBlock(whole);
        try {
            whole.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(batchShape(config, 1)));
            model.load(directory, PARAMETERS);
        } catch (IOException | MalformedModelException e) {
            model.close();
            throw EngramException.storeUnavailable("cannot load model " + directory + ": " + e.getMessage(), e);
        }
        return new Autoencoder(config, model, encoder, decoder);
    }

    public void save(Path directory) {
        try {
            Files.createDirectories(directory);
            model.save(directory, PARAMETERS);
            Files.writeString(directory.resolve(CONFIG), Json.PRETTY.toJson(config));
        } catch (IOException e) {
            throw EngramException.storeUnavailable("cannot save model to " + directory + ": " + e.getMessage(), e);
        }
    }

    /** The latent vector of each input (in the input's own units; dense standardises first). */
    public float[][] encode(float[][] inputs) {
        float[][] working = config.standardisation() == null ? inputs : config.standardisation().apply(inputs);
        float[][] latents = new float[working.length][];
        for (int from = 0; from < working.length; from += INFERENCE_BATCH) {
            int to = Math.min(working.length, from + INFERENCE_BATCH);
            try (NDManager manager = model.getNDManager().newSubManager()) {
                NDArray z = forward(encoder, manager, slice(working, from, to),
                        batchShape(config, to - from));
                copyRows(z, latents, from, config.latent());
            }
        }
        return latents;
    }

    /**
     * The reconstruction of each latent vector, flattened like the inputs and in their units:
     * values in [0, 1] for conv2d, the original (unstandardised) units for dense.
     */
    public float[][] decode(float[][] latents) {
        float[][] outputs = new float[latents.length][];
        for (int from = 0; from < latents.length; from += INFERENCE_BATCH) {
            int to = Math.min(latents.length, from + INFERENCE_BATCH);
            try (NDManager manager = model.getNDManager().newSubManager()) {
                NDArray y = forward(decoder, manager, slice(latents, from, to), new long[] {to - from, config.latent()});
                copyRows(y, outputs, from, config.inputSize());
            }
        }
        return config.standardisation() == null ? outputs : config.standardisation().invert(outputs);
    }

    /**
     * The surprise of each input: the mean squared reconstruction error per value, measured in
     * the units the network was trained in, so that it is the training loss of that input. For
     * conv2d that is pixel values in [0, 1], the same as {@link #reconstructionErrors}; for dense
     * it is standardised units (each column divided by its training standard deviation), so that
     * a column's size in its own units does not decide the surprise, and 1.0 means an error as
     * large as the training data's own spread.
     *
     * @param reconstructions {@code decode(encode(inputs))}, as the caller usually has them already
     */
    public double[] surprise(float[][] inputs, float[][] reconstructions) {
        Standardisation s = config.standardisation();
        if (s == null) {
            return reconstructionErrors(inputs, reconstructions);
        }
        double[] errors = new double[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            double sum = 0;
            for (int j = 0; j < inputs[i].length; j++) {
                double d = (inputs[i][j] - reconstructions[i][j]) / s.scale()[j];
                sum += d * d;
            }
            errors[i] = sum / inputs[i].length;
        }
        return errors;
    }

    /** {@link #surprise(float[][], float[][])} of the inputs and their reconstructions. */
    public double[] surprise(float[][] inputs) {
        return surprise(inputs, decode(encode(inputs)));
    }

    /**
     * Mean squared error per value between each input and its reconstruction, in the units they
     * are given in. For conv2d this is the surprise; for a dense model use {@link #surprise}.
     */
    public static double[] reconstructionErrors(float[][] inputs, float[][] reconstructions) {
        double[] errors = new double[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            double sum = 0;
            for (int j = 0; j < inputs[i].length; j++) {
                double d = inputs[i][j] - reconstructions[i][j];
                sum += d * d;
            }
            errors[i] = sum / inputs[i].length;
        }
        return errors;
    }

    private NDArray forward(Block block, NDManager manager, float[] data, long[] shape) {
        NDArray input = manager.create(data, new Shape(shape));
        return block.forward(parameters, new NDList(input), false).singletonOrThrow();
    }

    private static void copyRows(NDArray array, float[][] into, int from, int width) {
        float[] flat = array.toFloatArray();
        for (int r = 0; r < flat.length / width; r++) {
            float[] row = new float[width];
            System.arraycopy(flat, r * width, row, 0, width);
            into[from + r] = row;
        }
    }

    private static float[] slice(float[][] rows, int from, int to) {
        int width = rows[from].length;
        float[] flat = new float[(to - from) * width];
        for (int r = from; r < to; r++) {
            System.arraycopy(rows[r], 0, flat, (r - from) * width, width);
        }
        return flat;
    }

    private static float[] gather(float[][] rows, int[] order, int from, int to) {
        int width = rows[0].length;
        float[] flat = new float[(to - from) * width];
        for (int i = from; i < to; i++) {
            System.arraycopy(rows[order[i]], 0, flat, (i - from) * width, width);
        }
        return flat;
    }

    private static void shuffle(int[] order, Random random) {
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    private static long[] batchShape(AutoencoderConfig config, int batch) {
        long[] shape = new long[config.inputShape().length + 1];
        shape[0] = batch;
        for (int i = 0; i < config.inputShape().length; i++) {
            shape[i + 1] = config.inputShape()[i];
        }
        return shape;
    }

    // --- architectures

    /** A convolutional autoencoder for C x H x W images, H and W divisible by 4. */
    public static AutoencoderConfig conv2d(int channels, int height, int width, int latent) {
        if (height % 4 != 0 || width % 4 != 0) {
            throw EngramException.invalidInput("image size " + height + "x" + width
                    + " is not divisible by 4, which the convolutional autoencoder needs");
        }
        return new AutoencoderConfig("conv2d", new int[] {channels, height, width}, latent, new int[] {32, 64}, null);
    }

    /**
     * A fully connected autoencoder for vectors of {@code inputSize} numbers ("internal signals"):
     * two ReLU hidden layers each side of a linear bottleneck, and a linear output, since
     * standardised values are not confined to [0, 1] as pixels are.
     */
    public static AutoencoderConfig dense(int inputSize, int latent) {
        if (inputSize < 1 || latent < 1) {
            throw EngramException.invalidInput("a dense autoencoder needs at least one input value and one latent"
                    + " dimension, not " + inputSize + " and " + latent);
        }
        return new AutoencoderConfig("dense", new int[] {inputSize}, latent, new int[] {128, 64}, null);
    }

    private static SequentialBlock encoderBlock(AutoencoderConfig config) {
        if (requireKnown(config).equals("dense")) {
            SequentialBlock block = new SequentialBlock();
            for (int units : config.widths()) {
                block.add(Linear.builder().setUnits(units).build()).add(Activation.reluBlock());
            }
            return block.add(Linear.builder().setUnits(config.latent()).build());
        }
        int[] widths = config.widths();
        // Two stride-2 convolutions halve the image twice (28x28 -> 14x14 -> 7x7), then a
        // linear bottleneck: the classic convolutional autoencoder shape.
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optStride(new Shape(2, 2))
                        .optPadding(new Shape(1, 1)).setFilters(widths[0]).build())
                .add(Activation.reluBlock())
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optStride(new Shape(2, 2))
                        .optPadding(new Shape(1, 1)).setFilters(widths[1]).build())
                .add(Activation.reluBlock())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(config.latent()).build());
    }

    private static SequentialBlock decoderBlock(AutoencoderConfig config) {
        if (requireKnown(config).equals("dense")) {
            SequentialBlock block = new SequentialBlock();
            int[] widths = config.widths();
            for (int i = widths.length - 1; i >= 0; i--) {
                block.add(Linear.builder().setUnits(widths[i]).build()).add(Activation.reluBlock());
            }
            return block.add(Linear.builder().setUnits(config.inputSize()).build());
        }
        int[] widths = config.widths();
        int channels = config.inputShape()[0];
        int h = config.inputShape()[1] / 4;
        int w = config.inputShape()[2] / 4;
        // Upsampling then convolving (rather than transposed convolution, which DJL's PyTorch
        // engine does not implement) mirrors the encoder and avoids checkerboard artefacts
        // (Odena, Dumoulin & Olah 2016, "Deconvolution and Checkerboard Artifacts").
        return new SequentialBlock()
                .add(Linear.builder().setUnits((long) widths[1] * h * w).build())
                .add(Activation.reluBlock())
                .addSingleton(x -> x.reshape(-1, widths[1], h, w), "unflatten")
                .addSingleton(Autoencoder::upsample2x, "upsample")
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                        .setFilters(widths[0]).build())
                .add(Activation.reluBlock())
                .addSingleton(Autoencoder::upsample2x, "upsample")
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                        .setFilters(channels).build())
                .addSingleton(Activation::sigmoid, "sigmoid");
    }

    /** Refuses a trained network with a parameter that is NaN or infinite (a step that diverged). */
    static void requireFiniteParameters(Block block, double learningRate) {
        for (var parameter : block.getParameters()) {
            NDArray values = parameter.getValue().getArray();
            if (values.isNaN().any().getBoolean() || values.isInfinite().any().getBoolean()) {
                throw EngramException.invalidInput("training diverged: parameter " + parameter.getKey()
                        + " is not finite after the last step; try a lower --learning-rate (this run: "
                        + learningRate + ")");
            }
        }
    }

    /**
     * Nearest-neighbour upsampling of N x C x H x W to N x C x 2H x 2W: PyTorch's own kernel
     * (upsample_nearest2d, with its backward pass), one pass over the output. Built from two
     * stacks and reshapes instead, a third of a recall's decoder time went to the copies.
     * Nearest at scale 2 takes source pixel floor(i / 2): the same values either way. Every
     * array here is PyTorch's (Engines.pytorch).
     */
    private static NDArray upsample2x(NDArray x) {
        Shape s = x.getShape();
        return JniUtils.interpolate((PtNDArray) x, new long[] {2 * s.get(2), 2 * s.get(3)}, NEAREST, false);
    }

    private static String requireKnown(AutoencoderConfig config) {
        String architecture = config.architecture();
        if (!"conv2d".equals(architecture) && !"dense".equals(architecture)) {
            throw EngramException.storeIncompatible("unknown autoencoder architecture '" + architecture
                    + "'; this engram knows conv2d and dense");
        }
        return architecture;
    }

    @Override
    public void close() {
        model.close();
    }
}
