package dev.engram.store;

import java.time.Instant;

/**
 * One model version of a space: the model's own description at that version ({@code config}:
 * its architecture and how it was trained, as {@link Space#config}), how it was made from the
 * version before ({@code consolidation}, JSON: what it was trained on, how much was replayed;
 * null for a space's first version), and when it was recorded.
 */
public record SpaceVersion(int version, String config, String consolidation, Instant createdAt) {
}
