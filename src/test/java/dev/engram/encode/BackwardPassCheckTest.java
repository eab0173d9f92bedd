package dev.engram.encode;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The check that decides whether oneDNN may use every instruction set when training. */
class BackwardPassCheckTest {

    /** Its figures are finite and repeat exactly in one process: the check compares two runs. */
    @Test
    void theSeededTrainingIsFiniteAndRepeats() {
        double[] first = BackwardPassCheck.figures();
        double[] second = BackwardPassCheck.figures();
        assertEquals(3 + 4 * 16, first.length, "three epoch losses, then four 16-d latents");
        assertTrue(Arrays.stream(first).allMatch(Double::isFinite), Arrays.toString(first));
        assertTrue(first[2] < first[0], "the loss falls: " + Arrays.toString(first));
        assertNull(BackwardPassCheck.disagreement(first, second));
    }

    @Test
    void aNanOrAFigureOffInTheThirdDigitDisagrees() {
        double[] reference = {0.1, 0.05, 0.04, 2.0, -1.0, 0.0};
        assertNull(BackwardPassCheck.disagreement(reference, reference.clone()));

        double[] close = {0.10000009, 0.05, 0.04, 2.0, -1.0, 0.0019};
        assertNull(BackwardPassCheck.disagreement(reference, close), "a latent near 0 is judged against the largest");

        double[] nan = reference.clone();
        nan[4] = Double.NaN;
        assertEquals("figure 4 is NaN", BackwardPassCheck.disagreement(reference, nan));

        double[] off = reference.clone();
        off[1] = 0.0502; // 0.4 % off
        assertNotNull(BackwardPassCheck.disagreement(reference, off));

        assertNotNull(BackwardPassCheck.disagreement(reference, Arrays.copyOf(reference, 5)));
    }
}
