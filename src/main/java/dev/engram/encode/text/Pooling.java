package dev.engram.encode.text;

/**
 * Pooling a model's token states into one sentence vector, then L2 normalisation, as
 * sentence-transformers does: the mean of the token embeddings under the attention mask
 * (all-MiniLM-L6-v2, e5), or the first token's ([CLS]: bge). Done in plain Java because the OnnxRuntime
 * engine hands NDArray maths it lacks to a fallback engine, and DJL's Rust fallback throws on
 * {@code norm()} (docs/architecture.md, Dependencies).
 */
final class Pooling {
    private Pooling() {
    }

    /** Which pooling a model was trained with. */
    enum Kind {
        MEAN, CLS;

        String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        float[] pool(float[] hidden, int row, int tokens, int width, long[] mask) {
            return this == MEAN ? meanNormalised(hidden, row, tokens, width, mask)
                    : firstNormalised(hidden, row, tokens, width);
        }
    }

    /** The first token's state of one sentence ([CLS]), L2-normalised. */
    static float[] firstNormalised(float[] hidden, int row, int tokens, int width) {
        int base = row * tokens * width;
        double norm = 0;
        for (int d = 0; d < width; d++) {
            norm += (double) hidden[base + d] * hidden[base + d];
        }
        norm = Math.max(Math.sqrt(norm), 1e-12);
        float[] out = new float[width];
        for (int d = 0; d < width; d++) {
            out[d] = (float) (hidden[base + d] / norm);
        }
        return out;
    }

    /**
     * Pools one sentence out of a row-major {@code [batch, tokens, hidden]} output.
     *
     * @param hidden the model's last hidden state for the whole batch
     * @param row the sentence's index in the batch
     * @param tokens the padded sequence length of the batch
     * @param mask the sentence's attention mask (1 for a real token, 0 for padding)
     */
    static float[] meanNormalised(float[] hidden, int row, int tokens, int width, long[] mask) {
        double[] sum = new double[width];
        int count = 0;
        int base = row * tokens * width;
        for (int t = 0; t < tokens; t++) {
            if (t >= mask.length || mask[t] == 0) {
                continue;
            }
            count++;
            int offset = base + t * width;
            for (int d = 0; d < width; d++) {
                sum[d] += hidden[offset + d];
            }
        }
        // A tokenised sentence always holds [CLS] and [SEP], so count > 0; the guard is
        // sentence-transformers' clamp(min=1e-9), kept for an empty mask.
        double norm = 0;
        for (int d = 0; d < width; d++) {
            sum[d] /= Math.max(count, 1);
            norm += sum[d] * sum[d];
        }
        // torch.nn.functional.normalize divides by max(||x||, 1e-12).
        norm = Math.max(Math.sqrt(norm), 1e-12);
        float[] out = new float[width];
        for (int d = 0; d < width; d++) {
            out[d] = (float) (sum[d] / norm);
        }
        return out;
    }
}
