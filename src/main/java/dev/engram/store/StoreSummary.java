package dev.engram.store;

import java.util.List;

/** What {@code engram info} prints about a store. */
public record StoreSummary(String directory, int formatVersion, List<SpaceSummary> spaces, long events,
                           long concepts, long associations, long dimReports) {

    public record SpaceSummary(String name, String modality, String encoder, int dimension, String metric,
                               int modelVersion, long traces) {
    }
}
