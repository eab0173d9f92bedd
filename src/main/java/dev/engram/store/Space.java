package dev.engram.store;

import java.time.Instant;

/**
 * A latent space: the encoder that fills it, its dimension and metric, and the version of the
 * model that produced its vectors. {@code config} is the encoder's own JSON description.
 */
public record Space(int id, String name, String modality, String encoder, int dimension, String metric,
                    int modelVersion, String config, Instant createdAt) {
}
