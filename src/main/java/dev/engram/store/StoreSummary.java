package dev.engram.store;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What {@code engram info} prints about a store. */
public record StoreSummary(String directory, int formatVersion, List<SpaceSummary> spaces, long events,
                           long concepts, long associations, long dimReports) {

    /** A space, with its model versions oldest first (the current one is {@code modelVersion}). */
    public record SpaceSummary(String name, String modality, String encoder, int dimension, String metric,
                               int modelVersion, long traces, List<VersionSummary> versions) {
    }

    /**
     * A model version: when it was recorded, how its model was trained ({@code provenance}, as
     * the model describes it) and how it was made from the version before ({@code consolidation};
     * null for the first), both as parsed JSON.
     */
    public record VersionSummary(int version, Instant createdAt, Map<String, Object> provenance,
                                 Map<String, Object> consolidation) {
    }
}
