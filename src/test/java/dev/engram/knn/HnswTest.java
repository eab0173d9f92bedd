package dev.engram.knn;

import org.apache.lucene.codecs.lucene103.Lucene103Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HnswTest {
    /** Fails when a Lucene upgrade changes its defaults: then decide whether engram follows. */
    @Test
    void graphSettingsAreLucenesDefaults() {
        assertEquals(Lucene99HnswVectorsFormat.DEFAULT_MAX_CONN, Hnsw.M);
        assertEquals(Lucene99HnswVectorsFormat.DEFAULT_BEAM_WIDTH, Hnsw.BEAM_WIDTH);
    }

    @Test
    void everyVectorFieldOfTheWriterConfigIsAGraphOfTheseSettings() {
        Lucene103Codec codec = (Lucene103Codec) Hnsw.writerConfig().getCodec();
        for (String field : new String[] {"v", "anything"}) {
            String format = codec.getKnnVectorsFormatForField(field).toString();
            assertTrue(format.startsWith("Lucene99HnswVectorsFormat("), format);
            assertTrue(format.contains("maxConn=" + Hnsw.M + ", beamWidth=" + Hnsw.BEAM_WIDTH), format);
        }
    }

    @Test
    void aQueryExploresAtLeastEfSearchCandidates() {
        assertEquals(Hnsw.EF_SEARCH, Hnsw.candidates(1));
        assertEquals(Hnsw.EF_SEARCH, Hnsw.candidates(Hnsw.EF_SEARCH));
        assertEquals(Hnsw.EF_SEARCH + 1, Hnsw.candidates(Hnsw.EF_SEARCH + 1));
    }
}
