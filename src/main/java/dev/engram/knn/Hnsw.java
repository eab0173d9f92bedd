package dev.engram.knn;

import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene103.Lucene103Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.index.IndexWriterConfig;

/**
 * The HNSW settings of every Lucene vector index engram builds (Malkov &amp; Yashunin, IEEE TPAMI
 * 42(4), 2020): the store's index of each space and the in-memory graph of {@code engram dim}'s
 * approximate neighbours, so that both search alike.
 */
public final class Hnsw {
    /**
     * Graph degree and construction beam width: Lucene's defaults
     * ({@link Lucene99HnswVectorsFormat#DEFAULT_MAX_CONN}, {@link Lucene99HnswVectorsFormat#DEFAULT_BEAM_WIDTH}),
     * written out so that a Lucene upgrade cannot change engram's graphs unnoticed (HnswTest compares).
     */
    public static final int M = 16;
    public static final int BEAM_WIDTH = 100;
    /**
     * Candidates explored per query (HNSW's ef at search time; Lucene explores k unless asked for
     * more). Searching for at least this many and keeping the best k raises recall well above
     * what k alone gives for small k, at a small cost.
     */
    public static final int EF_SEARCH = 100;

    private Hnsw() {
    }

    /** A codec that stores every vector field as an HNSW graph built with {@link #M} and {@link #BEAM_WIDTH}. */
    public static Codec codec() {
        return new Lucene103Codec() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                return new Lucene99HnswVectorsFormat(M, BEAM_WIDTH);
            }
        };
    }

    /** A fresh writer configuration with {@link #codec()}; the caller adds its own buffer size and open mode. */
    public static IndexWriterConfig writerConfig() {
        return new IndexWriterConfig().setCodec(codec());
    }

    /** How many candidates a query wanting {@code wanted} hits asks the graph for: at least {@link #EF_SEARCH}. */
    public static int candidates(int wanted) {
        return Math.max(wanted, EF_SEARCH);
    }

}
