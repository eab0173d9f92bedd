package dev.engram.encode;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
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
 * reconstruction error of an input is its surprise ("matching for prediction").
 *
 * <p>Not thread-safe; one instance per process is the intended use (the PyTorch engine is
 * costly to start, see DESIGN.md §5).
 */
public final class Autoencoder implements AutoCloseable {
    private static final String PARAMETERS = "autoencoder";
    private static final String CONFIG = "config.json";
    private static final int INFERENCE_BATCH = 512;

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

    /**
     * Trains a new autoencoder on {@code inputs} (each flattened to the config's input shape,
     * values in [0, 1]), minimising the mean squared reconstruction error with Adam.
     */
    public static Autoencoder train(AutoencoderConfig architecture, float[][] inputs, TrainingOptions options,
                                    TrainingListener listener) {
        if (inputs.length == 0) {
            throw EngramException.nothingToDo("no inputs to train the autoencoder on");
        }
        Engine engine = Engines.pytorch();
        engine.setRandomSeed((int) options.seed());
        Model model = Model.newInstance(PARAMETERS, Device.cpu(), engine.getEngineName());
        SequentialBlock encoder = encoderBlock(architecture);
        SequentialBlock decoder = decoderBlock(architecture);
        model.setBlock(new SequentialBlock().add(encoder).add(decoder));

        int batchSize = Math.min(options.batchSize(), inputs.length);
        DefaultTrainingConfig trainingConfig = new DefaultTrainingConfig(Loss.l2Loss())
                .optOptimizer(Adam.builder().optLearningRateTracker(Tracker.fixed((float) options.learningRate()))
                        .build());
        long[] shape = batchShape(architecture, batchSize);
        List<Double> losses = new ArrayList<>();
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
                for (int b = 0; b < batches; b++) {
                    int from = b * batchSize;
                    int to = Math.min(inputs.length, from + batchSize);
                    float loss;
                    // The batch's arrays (input, activations, loss) live in a sub-manager closed
                    // before the optimizer step, so that nothing the step keeps (Adam's moments)
                    // can end up owned by, and freed with, the batch.
                    try (NDManager batchManager = trainer.getManager().newSubManager();
                         GradientCollector collector = trainer.newGradientCollector()) {
                        NDArray x = batchManager.create(gather(inputs, order, from, to),
                                new Shape(batchShape(architecture, to - from)));
                        NDArray y = trainer.forward(new NDList(x)).singletonOrThrow();
                        NDArray mse = y.sub(x).square().mean();
                        collector.backward(mse);
                        loss = mse.getFloat();
                    }
                    trainer.step();
                    sum += (double) loss * (to - from);
                    seen += to - from;
                    listener.batch(epoch, options.epochs(), b + 1, batches, sum / seen);
                }
                double epochLoss = sum / seen;
                losses.add(epochLoss);
                listener.epoch(epoch, options.epochs(), epochLoss, (System.nanoTime() - epochStart) / 1e9);
            }
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        AutoencoderConfig trained = new AutoencoderConfig(architecture.architecture(), architecture.inputShape(),
                architecture.latent(), architecture.widths(),
                new AutoencoderConfig.Provenance(inputs.length, options.epochs(), options.batchSize(),
                        options.learningRate(), options.seed(), losses, (System.nanoTime() - started) / 1e9,
                        Instant.now().toString(), engine.getEngineName() + " " + engine.getVersion()));
        return new Autoencoder(trained, model, encoder, decoder);
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

    /** The latent vector of each input. */
    public float[][] encode(float[][] inputs) {
        float[][] latents = new float[inputs.length][];
        for (int from = 0; from < inputs.length; from += INFERENCE_BATCH) {
            int to = Math.min(inputs.length, from + INFERENCE_BATCH);
            try (NDManager manager = model.getNDManager().newSubManager()) {
                NDArray z = forward(encoder, manager, slice(inputs, from, to),
                        batchShape(config, to - from));
                copyRows(z, latents, from, config.latent());
            }
        }
        return latents;
    }

    /** The reconstruction of each latent vector, flattened like the inputs, values in [0, 1]. */
    public float[][] decode(float[][] latents) {
        float[][] outputs = new float[latents.length][];
        for (int from = 0; from < latents.length; from += INFERENCE_BATCH) {
            int to = Math.min(latents.length, from + INFERENCE_BATCH);
            try (NDManager manager = model.getNDManager().newSubManager()) {
                NDArray y = forward(decoder, manager, slice(latents, from, to), new long[] {to - from, config.latent()});
                copyRows(y, outputs, from, config.inputSize());
            }
        }
        return outputs;
    }

    /** Mean squared error per value between each input and its reconstruction. */
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

    private static SequentialBlock encoderBlock(AutoencoderConfig config) {
        requireConv2d(config);
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
        requireConv2d(config);
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

    /** Nearest-neighbour upsampling of N x C x H x W to N x C x 2H x 2W. */
    private static NDArray upsample2x(NDArray x) {
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        NDArray columns = NDArrays.stack(new NDList(x, x), 4).reshape(n, c, h, 2 * w);
        return NDArrays.stack(new NDList(columns, columns), 3).reshape(n, c, 2 * h, 2 * w);
    }

    private static void requireConv2d(AutoencoderConfig config) {
        if (!"conv2d".equals(config.architecture())) {
            throw EngramException.storeIncompatible("unknown autoencoder architecture '" + config.architecture()
                    + "'; this engram knows conv2d");
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
