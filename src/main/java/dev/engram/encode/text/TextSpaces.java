package dev.engram.encode.text;

import dev.engram.EngramException;
import dev.engram.Json;
import dev.engram.store.Metric;
import dev.engram.store.Neighbour;
import dev.engram.store.NewTrace;
import dev.engram.store.Space;
import dev.engram.store.Store;
import dev.engram.store.Vectors;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Text spaces: a pretrained sentence encoder ({@link SentenceEncoder}) and no decoder. Without
 * a reconstruction to compare with, a text's surprise is the Euclidean distance from its vector
 * to the nearest trace already in the space (docs/architecture.md, The model): 0 for words known verbatim, about
 * 1.4 for a sentence unrelated to anything stored (orthogonal unit vectors), and
 * {@value #NOTHING_STORED} (the largest distance unit vectors can have) in an empty space. A
 * text trace keeps its text, which is what recall returns for it.
 */
public final class TextSpaces {
    public static final String MODALITY = "text";
    public static final String ENCODER = "sentence-encoder";
    public static final String METRIC = Metric.EUCLIDEAN.id();
    /** Surprise of a text when the space holds nothing to compare it with. */
    public static final double NOTHING_STORED = 2.0;

    private TextSpaces() {
    }

    /** A new text space, to be recorded with its first traces (the model is shipped: no files of its own). */
    public static Space draft(String name, SentenceEncoder encoder) {
        return Space.draft(name, MODALITY, ENCODER, encoder.dimension(), METRIC,
                Json.LINES.toJson(Map.of("model", encoder.modelId(), "dimension", encoder.dimension())));
    }

    /**
     * The traces of the texts; each one's surprise is measured against the space and the texts
     * before it in this batch, as if they had been stored one by one.
     */
    public static List<NewTrace> traces(Store store, Space space, SentenceEncoder encoder, List<TextInput> inputs) {
        float[][] vectors = encoder.encode(inputs.stream().map(TextInput::text).toList());
        int n = inputs.size();
        String[] hashes = inputs.stream().map(TextInput::contentHash).toArray(String[]::new);
        double[] stored = new double[n];
        for (int i = 0; i < n; i++) {
            stored[i] = surprise(store, space, vectors[i]);
        }
        // The texts before each one in the batch: n²/2 distances, spread over the cores.
        double[] nearest = IntStream.range(0, n).parallel().mapToDouble(i -> {
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < i; j++) {
                if (!hashes[i].equals(hashes[j])) {
                    best = Math.min(best, Vectors.squaredDistance(vectors[i], vectors[j]));
                }
            }
            return Math.min(stored[i], Math.sqrt(best));
        }).toArray();
        List<NewTrace> traces = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            TextInput input = inputs.get(i);
            traces.add(new NewTrace(input.source(), input.index(), hashes[i], vectors[i], nearest[i], 0,
                    input.text()));
        }
        return traces;
    }

    /** Distance from the vector to the nearest stored trace of the space. */
    public static double surprise(Store store, Space space, float[] vector) {
        if (!space.recorded()) {
            return NOTHING_STORED;
        }
        List<Neighbour> nearest = store.nearest(space, vector, 1);
        return nearest.isEmpty() ? NOTHING_STORED : nearest.getFirst().distance();
    }
}
