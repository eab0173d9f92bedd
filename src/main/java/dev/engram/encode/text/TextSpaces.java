package dev.engram.encode.text;

import dev.engram.EngramException;
import dev.engram.Json;
import dev.engram.store.Neighbour;
import dev.engram.store.NewTrace;
import dev.engram.store.Space;
import dev.engram.store.Store;
import dev.engram.store.Vectors;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Text spaces: a pretrained sentence encoder ({@link SentenceEncoder}) and no decoder. Without
 * a reconstruction to compare with, a text's surprise is the Euclidean distance from its vector
 * to the nearest trace already in the space (DESIGN.md §2): 0 for words known verbatim, about
 * 1.4 for a sentence unrelated to anything stored (orthogonal unit vectors), and
 * {@value #NOTHING_STORED} (the largest distance unit vectors can have) in an empty space. A
 * text trace keeps its text, which is what recall returns for it.
 */
public final class TextSpaces {
    public static final String MODALITY = "text";
    public static final String ENCODER = "sentence-encoder";
    public static final String METRIC = "euclidean";
    /** Surprise of a text when the space holds nothing to compare it with. */
    public static final double NOTHING_STORED = 2.0;

    private TextSpaces() {
    }

    public static Space create(Store store, String name, SentenceEncoder encoder) {
        return store.createSpace(name, MODALITY, ENCODER, encoder.dimension(), METRIC,
                Json.LINES.toJson(Map.of("model", encoder.modelId(), "dimension", encoder.dimension())));
    }

    /** Refuses a space whose vectors another model (or model version) made: they would not compare. */
    public static void requireModel(Space space, SentenceEncoder encoder) {
        if (!MODALITY.equals(space.modality())) {
            throw EngramException.wrongShape("space " + space.name() + " holds " + space.modality() + ", not text");
        }
        String model = String.valueOf(Json.LINES.fromJson(space.config(), Map.class).get("model"));
        if (!model.equals(encoder.modelId())) {
            throw EngramException.storeIncompatible("text space " + space.name() + " was encoded by " + model
                    + ", this engram encodes with " + encoder.modelId());
        }
    }

    /**
     * The traces of the texts; each one's surprise is measured against the space and the texts
     * before it in this batch, as if they had been stored one by one.
     */
    public static List<NewTrace> traces(Store store, Space space, SentenceEncoder encoder, List<TextInput> inputs,
                                        long[] eventIds) {
        float[][] vectors = encoder.encode(inputs.stream().map(TextInput::text).toList());
        List<NewTrace> traces = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            double nearest = surprise(store, space, vectors[i]);
            String hash = inputs.get(i).contentHash();
            for (int j = 0; j < i; j++) {
                if (!hash.equals(inputs.get(j).contentHash())) {
                    nearest = Math.min(nearest, Vectors.distance(vectors[i], vectors[j]));
                }
            }
            TextInput input = inputs.get(i);
            traces.add(new NewTrace(input.source(), input.index(), hash, vectors[i], nearest,
                    eventIds == null ? 0 : eventIds[i], input.text()));
        }
        return traces;
    }

    /** Distance from the vector to the nearest stored trace of the space. */
    public static double surprise(Store store, Space space, float[] vector) {
        List<Neighbour> nearest = store.nearest(space, vector, 1);
        return nearest.isEmpty() ? NOTHING_STORED : nearest.getFirst().distance();
    }
}
