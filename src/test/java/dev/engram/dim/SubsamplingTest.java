package dev.engram.dim;

import dev.engram.EngramException;
import org.junit.jupiter.api.Test;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SubsamplingTest {
    @Test
    void aSubsampleHoldsDistinctPointsOfTheData() {
        float[][] points = new float[50][];
        for (int i = 0; i < points.length; i++) {
            points[i] = new float[]{i};
        }
        float[][] sub = Subsampling.subsample(points, 0.8, new Random(1));
        assertEquals(40, sub.length);
        Set<float[]> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (float[] p : sub) {
            assertTrue(seen.add(p), "no point is drawn twice");
        }
        assertThrows(EngramException.class, () -> Subsampling.subsample(new float[3][1], 0.8, new Random(1)));
    }

    @Test
    void theIntervalIsNumpysPercentilesAndTheSampleSd() {
        double[] values = new double[101];
        for (int i = 0; i <= 100; i++) {
            values[i] = 100 - i;
        }
        Subsampling.Interval interval = Subsampling.interval(values);
        assertEquals(101, interval.replicates());
        assertEquals(2.5, interval.low(), 1e-12);
        assertEquals(97.5, interval.high(), 1e-12);
        assertEquals(Math.sqrt(101 * 102 / 12.0), interval.sd(), 1e-9);

        Subsampling.Interval withNaN = Subsampling.interval(new double[]{1, Double.NaN, 3});
        assertEquals(2, withNaN.replicates());
        assertEquals(1.05, withNaN.low(), 1e-12);
        assertEquals(Math.sqrt(2), withNaN.sd(), 1e-12);
        assertEquals(0, Subsampling.interval(new double[]{Double.NaN}).replicates());
    }
}
