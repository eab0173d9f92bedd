package dev.engram.encode;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import ai.djl.util.PairList;
import dev.engram.EngramException;
import dev.engram.io.FileErrors;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * A user's pretrained network (ONNX on DJL's OnnxRuntime engine, or TorchScript on its PyTorch
 * engine) used as a frozen feature extractor: flattened C x H x W inputs with values in [0, 1]
 * in, normalised as declared, one declared output out, flattened to a feature vector per input
 * (docs/architecture.md, Pretrained encoders). Nothing is downloaded: the network is a file.
 * Holds native memory: close it.
 */
public final class PretrainedNetwork implements AutoCloseable {
    /** Inputs per forward pass where the network takes any batch size. */
    static final int BATCH = 32;

    /** How a network file is stored, and the DJL engine that runs it. */
    public enum Format {
        ONNX("onnx", "OnnxRuntime", ".onnx"),
        TORCHSCRIPT("torchscript", "PyTorch", ".pt");

        private final String id;
        private final String engine;
        private final String extension;

        Format(String id, String engine, String extension) {
            this.id = id;
            this.engine = engine;
            this.extension = extension;
        }

        public String id() {
            return id;
        }

        /** The file name a space's copy of the network has among its model files. */
        public String fileName() {
            return "network" + extension;
        }

        public static Format of(String id) {
            for (Format f : values()) {
                if (f.id.equals(id)) {
                    return f;
                }
            }
            throw EngramException.storeIncompatible("unknown network format '" + id + "'");
        }

        /**
         * A file's format: by its name ({@code .onnx}; {@code .pt}, {@code .pth},
         * {@code .torchscript}), else by its first bytes (TorchScript files are zip archives).
         */
        public static Format of(Path file) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".onnx")) {
                return ONNX;
            }
            if (name.endsWith(".pt") || name.endsWith(".pth") || name.endsWith(".torchscript")) {
                return TORCHSCRIPT;
            }
            byte[] head = new byte[4];
            try (InputStream in = Files.newInputStream(file)) {
                int n = in.readNBytes(head, 0, 4);
                return n == 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4 ? TORCHSCRIPT : ONNX;
            } catch (IOException e) {
                throw FileErrors.readFailure(file, e);
            }
        }
    }

    private final Format format;
    private final Model model;
    private final Predictor<NDList, NDList> predictor;
    private final int[] input;
    private final NetworkDeclaration declaration;
    private final int batch;
    /** Whether the network takes exactly {@link #batch} inputs at a time (an ONNX input's fixed first axis). */
    private final boolean fixedBatch;
    private final String where;
    private int output = -1;
    private int features;

    private PretrainedNetwork(Format format, Model model, int[] input, NetworkDeclaration declaration, int batch,
                              boolean fixedBatch, String where) {
        this.format = format;
        this.model = model;
        this.predictor = model.newPredictor(new NoopTranslator());
        this.input = input;
        this.declaration = declaration;
        this.batch = batch;
        this.fixedBatch = fixedBatch;
        this.where = where;
    }

    /**
     * Loads a network and runs it once on a zero input, which checks that it takes inputs of
     * {@code input} (C x H x W) and has the declared output, and measures its feature count.
     *
     * @param where how messages name the network (the user's file, or the space holding it)
     */
    public static PretrainedNetwork load(Path file, Format format, int[] input, NetworkDeclaration declaration,
                                         String where) {
        // The launcher sets these too; set them here as well so in-process callers (tests) are
        // offline, and ONNX Runtime does not start PyTorch as its fallback engine (see
        // text.SentenceEncoder).
        System.setProperty("ai.djl.offline", "true");
        if (System.getProperty("ai.djl.onnx.disable_alternative") == null) {
            System.setProperty("ai.djl.onnx.disable_alternative", "true");
        }
        if (format == Format.TORCHSCRIPT) {
            Engines.pytorch();
        }
        Model model;
        try {
            model = Model.newInstance("network", Device.cpu(), format.engine);
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw EngramException.storeUnavailable("cannot start DJL's " + format.engine + " engine: "
                    + e.getMessage(), e);
        }
        PretrainedNetwork network = null;
        try {
            model.load(file);
            requireOneInput(model, where);
            // Two inputs at once, else one at a time: a network exported for a fixed batch of 1.
            try {
                network = new PretrainedNetwork(format, model, input, declaration, BATCH, false, where);
                network.features = network.probe(2);
            } catch (EngramException any) {
                network.predictor.close();
                network = new PretrainedNetwork(format, model, input, declaration, 1, true, where);
                network.features = network.probe(1);
            }
            return network;
        } catch (IOException | MalformedModelException | RuntimeException e) {
            if (network != null) {
                network.close();
            } else {
                model.close();
            }
            if (e instanceof EngramException engram) {
                throw engram;
            }
            throw EngramException.invalidInput(where + ": not " + (format == Format.ONNX ? "an ONNX" : "a TorchScript")
                    + " network that " + format.engine + " can load: " + firstLine(e), e);
        }
    }

    /**
     * Refuses an ONNX network with more than one input. (DJL tells the inputs' names but not
     * their shapes: {@link #probe} finds a fixed batch size, and ONNX Runtime names a wrong
     * C, H or W.)
     */
    private static void requireOneInput(Model model, String where) {
        PairList<String, Shape> inputs = model.describeInput();
        if (inputs != null && inputs.size() != 1) {
            throw EngramException.invalidInput(where + ": the network has " + inputs.size() + " inputs ("
                    + String.join(", ", inputs.keys()) + "); engram feeds one C x H x W tensor");
        }
    }

    /** Runs {@code rows} zero inputs; returns the chosen output's feature count. */
    private int probe(int rows) {
        try (NDManager manager = model.getNDManager().newSubManager()) {
            NDList outputs = forward(manager, new float[rows * inputSize()]);
            output = chooseOutput(outputs);
            Shape shape = outputs.get(output).getShape();
            if (shape.dimension() < 1 || shape.get(0) != rows) {
                throw EngramException.invalidInput(where + ": output " + describe(outputs, output) + " has shape "
                        + shape + ", not one row per input");
            }
            long size = shape.size() / rows;
            if (size < 2 || size > 1 << 16) {
                throw EngramException.invalidInput(where + ": output " + describe(outputs, output) + " has " + size
                        + " values per input; engram takes 2 to 65536 features (choose another output)");
            }
            return (int) size;
        }
    }

    private int chooseOutput(NDList outputs) {
        String wanted = declaration.output();
        if (wanted == null) {
            return 0;
        }
        for (int i = 0; i < outputs.size(); i++) {
            if (wanted.equals(outputs.get(i).getName())) {
                return i;
            }
        }
        if (wanted.chars().allMatch(Character::isDigit) && Integer.parseInt(wanted) < outputs.size()) {
            return Integer.parseInt(wanted);
        }
        if (format == Format.TORCHSCRIPT && outputs.size() == 1) {
            return 0; // TorchScript outputs have no names: a name means the only one there is
        }
        StringBuilder known = new StringBuilder();
        for (int i = 0; i < outputs.size(); i++) {
            known.append(i == 0 ? "" : ", ").append(describe(outputs, i));
        }
        throw EngramException.invalidInput(where + ": the network has no output '" + wanted + "'; its outputs are "
                + known + (format == Format.TORCHSCRIPT ? " (TorchScript outputs have no names: give an index)" : ""));
    }

    private static String describe(NDList outputs, int i) {
        String name = outputs.get(i).getName();
        return name == null || name.isEmpty() ? "#" + i : "'" + name + "' (#" + i + ")";
    }

    private NDList forward(NDManager manager, float[] values) {
        NDArray x = manager.create(values, new Shape(values.length / inputSize(), input[0], input[1], input[2]));
        try {
            return predictor.predict(new NDList(x));
        } catch (TranslateException | RuntimeException e) {
            throw EngramException.invalidInput(where + ": the network failed on a batch of "
                    + input[0] + "x" + input[1] + "x" + input[2] + " inputs: " + firstLine(e), e);
        }
    }

    private int inputSize() {
        return input[0] * input[1] * input[2];
    }

    /** The network's features of each input (flattened C x H x W, values in [0, 1]). */
    public synchronized float[][] features(float[][] inputs) {
        float[][] rows = new float[inputs.length][];
        int size = inputSize();
        int plane = input[1] * input[2];
        for (int from = 0; from < inputs.length; from += batch) {
            int to = Math.min(inputs.length, from + batch);
            // A fixed batch size is filled up with zeros.
            float[] values = new float[(fixedBatch ? batch : to - from) * size];
            for (int i = from; i < to; i++) {
                float[] row = inputs[i];
                if (row.length != size) {
                    throw EngramException.wrongShape(where + " takes " + size + " values per input, not " + row.length);
                }
                for (int j = 0; j < size; j++) {
                    values[(i - from) * size + j] = declaration.normalise(j / plane, row[j]);
                }
            }
            try (NDManager manager = model.getNDManager().newSubManager()) {
                NDArray out = forward(manager, values).get(output);
                float[] flat = out.getDataType() == DataType.FLOAT32 ? out.toFloatArray()
                        : out.toType(DataType.FLOAT32, false).toFloatArray();
                for (int i = from; i < to; i++) {
                    rows[i] = Arrays.copyOfRange(flat, (i - from) * features, (i - from + 1) * features);
                }
            }
        }
        return rows;
    }

    /** Features per input. */
    public int features() {
        return features;
    }

    public Format format() {
        return format;
    }

    private static String firstLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root && root.getMessage() == null) {
            root = root.getCause();
        }
        String message = root.getMessage();
        return message == null ? root.getClass().getSimpleName() : message.lines().findFirst().orElse("").strip();
    }

    @Override
    public void close() {
        predictor.close();
        model.close();
    }
}
