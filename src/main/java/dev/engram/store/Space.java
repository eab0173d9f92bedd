package dev.engram.store;

import java.time.Instant;

/**
 * A latent space: the encoder that fills it, its dimension and metric, and the version of the
 * model that produced its vectors. {@code config} is the encoder's own JSON description.
 */
public record Space(int id, String name, String modality, String encoder, int dimension, String metric,
                    int modelVersion, String config, Instant createdAt) {

    /**
     * A space made but not recorded yet (no id; model version 1): what a use case records, with
     * its model, in the unit of work that stores its first traces.
     */
    public static Space draft(String name, String modality, String encoder, int dimension, String metric,
                              String config) {
        return new Space(0, name, modality, encoder, dimension, metric, 1, config, null);
    }

    /** The same space at another model version, whose model {@code config} describes. */
    public Space atVersion(int version, String config) {
        return new Space(id, name, modality, encoder, dimension, metric, version, config, createdAt);
    }

    /** Whether the store has recorded this space (a {@link #draft} has not). */
    public boolean recorded() {
        return id > 0;
    }
}
