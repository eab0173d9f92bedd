package dev.engram.dim;

import org.junit.jupiter.api.Test;

import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;

class KneedleTest {

    @Test
    void kneeOfAnErrorCurveByHand() {
        // x scaled: 0, .2, .4, .6, .8, 1; y scaled: 1, .4, .15, .08, .04, 0.
        // D = (1 - x) - y = 0, .4, .45, .32, .16, 0. The local maximum .45 at index 2 has threshold
        // .45 - 1 * .2 = .25, and D falls to .16 < .25 at index 4 before any other maximum.
        double[] x = {1, 2, 3, 4, 5, 6};
        double[] y = {1, .4, .15, .08, .04, 0};

        assertEquals(OptionalInt.of(2), Kneedle.knee(x, y, 1));
    }

    @Test
    void aHigherSensitivityWaitsForALargerDrop() {
        double[] x = {1, 2, 3, 4, 5, 6};
        double[] y = {1, .4, .15, .08, .04, 0};

        // Threshold .45 - 3 * .2 < 0: D never falls below it, so no knee is declared.
        assertEquals(OptionalInt.empty(), Kneedle.knee(x, y, 3));
    }

    @Test
    void aStraightLineHasNoKnee() {
        assertEquals(OptionalInt.empty(), Kneedle.knee(new double[] {0, 1, 2, 3}, new double[] {3, 2, 1, 0}, 1));
    }

    @Test
    void sweepKneeReadsSizesOnALog2Axis() {
        // Sizes 2..64 are x = 1..6 on log2: the same curve as above.
        assertEquals(OptionalInt.of(2), Sweep.knee(new int[] {2, 4, 8, 16, 32, 64},
                new double[] {0.09, 0.036, 0.0135, 0.0072, 0.0036, 0}));
    }

    @Test
    void tooFewPointsOrAFlatCurveHaveNoKnee() {
        assertEquals(OptionalInt.empty(), Kneedle.knee(new double[] {1, 2}, new double[] {2, 1}, 1));
        assertEquals(OptionalInt.empty(), Kneedle.knee(new double[] {1, 2, 3}, new double[] {1, 1, 1}, 1));
    }
}
