package dev.engram.store.server.solr;

import dev.engram.EngramException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The configset engram uploads, and the mapping of metrics and scores, without a cluster. */
class ConfigsetTest {

    @Test
    void theSchemaHoldsTheDimensionSimilarityAndHnswParametersOfTheSolrVersion() throws IOException {
        Configset solr10 = Configset.of(16, VectorSimilarity.EUCLIDEAN, 10);
        String schema = files(solr10).get("schema.xml");
        assertTrue(schema.contains("vectorDimension=\"16\""), schema);
        assertTrue(schema.contains("similarityFunction=\"euclidean\""), schema);
        assertTrue(schema.contains("hnswM=\"16\" hnswEfConstruction=\"100\""), schema);
        assertTrue(files(solr10).get("solrconfig.xml").contains("solr.SchemaCodecFactory"));

        String solr9 = files(Configset.of(16, VectorSimilarity.EUCLIDEAN, 9)).get("schema.xml");
        assertTrue(solr9.contains("hnswMaxConnections=\"16\" hnswBeamWidth=\"100\""), solr9);
    }

    @Test
    void aNameStandsForOneConfigset() {
        Configset a = Configset.of(16, VectorSimilarity.EUCLIDEAN, 10);
        assertEquals(a.name(), Configset.of(16, VectorSimilarity.EUCLIDEAN, 10).name());
        assertTrue(a.name().startsWith(Configset.kind(16, VectorSimilarity.EUCLIDEAN)), a.name());
        assertNotEquals(a.name(), Configset.of(16, VectorSimilarity.EUCLIDEAN, 9).name());
        assertNotEquals(a.name(), Configset.of(17, VectorSimilarity.EUCLIDEAN, 10).name());
        assertNotEquals(a.name(), Configset.of(16, VectorSimilarity.COSINE, 10).name());
        assertThrows(EngramException.class, () -> Configset.of(0, VectorSimilarity.EUCLIDEAN, 10));
    }

    @Test
    void scoresTurnBackIntoDistances() {
        double d = 1.5;
        assertEquals(d, VectorSimilarity.EUCLIDEAN.distance((float) (1 / (1 + d * d))), 1e-6);
        assertEquals(0, VectorSimilarity.EUCLIDEAN.distance(1f));
        double cos = -0.25;
        assertEquals(1 - cos, VectorSimilarity.COSINE.distance((float) ((1 + cos) / 2)), 1e-6);
        assertEquals(0, VectorSimilarity.COSINE.distance(1f));
    }

    @Test
    void metricsMapOntoSimilarities() {
        assertEquals(VectorSimilarity.EUCLIDEAN, VectorSimilarity.of("euclidean"));
        assertEquals(VectorSimilarity.COSINE, VectorSimilarity.of("cosine"));
        assertThrows(EngramException.class, () -> VectorSimilarity.of("manhattan"));
    }

    private static Map<String, String> files(Configset configset) throws IOException {
        Map<String, String> files = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(configset.zip()))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                files.put(e.getName(), new String(zip.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
        return files;
    }
}
