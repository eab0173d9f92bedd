package dev.engram.dim;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** HNSW lists are checked with recall thresholds and ranges against exact search, never hit by hit. */
class ApproximateNeighboursTest {

    @Test
    void hnswListsRecallMostExactNeighboursWithExactDistances() {
        float[][] points = RandomPoints.rotatedCube(new Random(11), 3000, 5, 12);
        Neighbours.Result exact = Neighbours.search(points, 10);

        Neighbours.Result approx = ApproximateNeighbours.search(points, 10, Neighbours.Progress.NONE);

        int hits = 0;
        for (int p = 0; p < points.length; p++) {
            for (int r = 0; r < 10; r++) {
                int id = approx.index(p, r);
                assertTrue(id != p, "a point is never its own neighbour");
                assertEquals(Math.sqrt(Neighbours.squaredDistance(points[p], points[id])), approx.distance(p, r), 0);
                if (r > 0) {
                    assertTrue(approx.distance(p, r) >= approx.distance(p, r - 1), "sorted by distance");
                }
                for (int q = 0; q < 10; q++) {
                    if (exact.index(p, q) == id) {
                        hits++;
                    }
                }
            }
        }
        double recall = hits / (10.0 * points.length);
        assertTrue(recall > 0.9, "recall@10 " + recall);
        double exactId = TwoNN.estimate(exact, 0.1).dimension();
        double approxId = TwoNN.estimate(approx, 0.1).dimension();
        assertTrue(Math.abs(approxId - exactId) / exactId < 0.05, exactId + " vs " + approxId);
    }

    @Test
    void comparisonOnASampleStatesRecallAndBothEstimates() {
        float[][] points = RandomPoints.rotatedCube(new Random(12), 1500, 3, 8);
        Neighbours.Result exact = Neighbours.search(points, 20);

        // Compared with itself, the exact table has recall 1 and no change in the estimate.
        ApproximateNeighbours.Comparison same = ApproximateNeighbours.compare(points, exact, 100, 1, 20);
        assertEquals(1.0, same.recall(), 0);
        assertEquals(same.twoNNExact(), same.twoNNApproximate(), 1e-12);
        assertEquals(same.mleExact(), same.mleApproximate(), 1e-12);
        assertEquals(100, same.sample());

        ApproximateNeighbours.Comparison c = ApproximateNeighbours.compare(points,
                ApproximateNeighbours.search(points, 20, Neighbours.Progress.NONE), 100, 1, 20);
        assertTrue(c.recall() > 0.9 && c.recall() <= 1, "recall " + c.recall());
        assertTrue(c.mleExact() > 2.5 && c.mleExact() < 3.5, "mle on the sample " + c.mleExact());
    }
}
