package dev.engram.store.server.solr;

import dev.engram.store.Metric;

/**
 * How a space's metric maps onto a Solr {@code DenseVectorField}'s similarity function, and how
 * the score Solr returns for a hit (Lucene's similarity score) turns back into the metric's
 * distance, as {@code LuceneVectorIndex} does with Lucene's.
 */
enum VectorSimilarity {
    /** Lucene's EUCLIDEAN score is {@code 1 / (1 + d^2)}. */
    EUCLIDEAN("euclidean") {
        @Override
        double distance(float score) {
            double squared = Math.max(0, 1.0 / score - 1.0);
            return Math.sqrt(squared);
        }
    },
    /**
     * Lucene's COSINE score is {@code (1 + cos) / 2}; the distance is {@code 1 - cos}, in [0, 2].
     * Ready for a cosine {@link Metric}: engram's metrics today are Euclidean only, and
     * {@link Metric#of} refuses "cosine", so no store opens such a space yet.
     */
    COSINE("cosine") {
        @Override
        double distance(float score) {
            return Math.min(2, Math.max(0, 2.0 * (1.0 - score)));
        }
    };

    private final String solrName;

    VectorSimilarity(String solrName) {
        this.solrName = solrName;
    }

    /** The {@code similarityFunction} of the schema's field type. */
    String solrName() {
        return solrName;
    }

    /** The distance in the space's metric of a hit scored {@code score} by Solr. */
    abstract double distance(float score);

    /** The similarity of a space whose metric is {@code metricId}: a metric of {@link Metric}, or "cosine". */
    static VectorSimilarity of(String metricId) {
        if (COSINE.solrName.equals(metricId)) {
            return COSINE;
        }
        // Exhaustive: a metric added to Metric does not compile here until the index honours it.
        return switch (Metric.of(metricId)) {
            case EUCLIDEAN -> EUCLIDEAN;
        };
    }
}
