package dev.engram.encode.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class PoolingTest {
    @Test
    void averagesOnlyMaskedTokensThenNormalises() {
        // Two sentences, three token slots, two dimensions; the second sentence's last slot is
        // padding whose (large) value must not count.
        float[] hidden = {
            1, 0, 0, 1, 1, 1,
            3, 0, 1, 4, 1000, -1000,
        };

        float[] first = Pooling.meanNormalised(hidden, 0, 3, 2, new long[] {1, 1, 1});
        float[] second = Pooling.meanNormalised(hidden, 1, 3, 2, new long[] {1, 1, 0});

        float s = (float) Math.sqrt(0.5);
        assertArrayEquals(new float[] {s, s}, first, 1e-6f);
        // mean (2, 2) -> (1/sqrt 2, 1/sqrt 2)
        assertArrayEquals(new float[] {s, s}, second, 1e-6f);
    }

    @Test
    void aZeroVectorStaysZero() {
        assertArrayEquals(new float[] {0, 0}, Pooling.meanNormalised(new float[] {0, 0}, 0, 1, 2, new long[] {1}));
    }
}
