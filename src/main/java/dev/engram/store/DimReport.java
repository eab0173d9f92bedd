package dev.engram.store;

import java.time.Instant;

/**
 * A stored intrinsic-dimension estimate: what was measured ({@code target}, e.g.
 * {@code space:fashion}), by which estimator with which parameters (JSON), on how many points,
 * with what seed, and the estimate itself.
 */
public record DimReport(long id, String target, String estimator, String parameters, int points, long seed,
                        double estimate, Instant createdAt) {
}
