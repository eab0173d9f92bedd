package dev.engram.encode.audio;

import dev.engram.encode.Perception;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class BandShiftTest {
    private static final int FRAMES = LogMel.FRAMES;

    /** A spectrogram whose band b holds the value b everywhere. */
    private static float[] ramp() {
        float[] s = new float[LogMel.MELS * FRAMES];
        for (int b = 0; b < LogMel.MELS; b++) {
            for (int t = 0; t < FRAMES; t++) {
                s[b * FRAMES + t] = b;
            }
        }
        return s;
    }

    @Test
    void shiftingUpMovesEveryBandUpAndRepeatsTheLowestEdge() {
        float[] up = BandShift.shift(ramp(), 2);
        assertEquals(0, up[0]);
        assertEquals(0, up[FRAMES]);     // band 1 repeats band 0
        assertEquals(0, up[2 * FRAMES]); // band 2 comes from band 0
        assertEquals(61, up[63 * FRAMES + 5]);
        float[] down = BandShift.shift(ramp(), -1);
        assertEquals(1, down[0]);
        assertEquals(63, down[63 * FRAMES]); // the top edge repeats
        assertArrayEquals(ramp(), BandShift.shift(ramp(), 0));
    }

    @Test
    void eachInputIsFollowedByItsShiftedCopiesWithItsConcept() {
        Perception clip = new Perception() {
            public String source() {
                return "/a.wav";
            }

            public int index() {
                return -1;
            }

            public String contentHash() {
                return "h";
            }

            public float[] values() {
                return ramp();
            }
        };
        BandShift.Augmented a = BandShift.augment(List.of(clip), new int[] {7});
        assertEquals(BandShift.SHIFTS.length, a.inputs().size());
        assertSame(clip, a.inputs().getFirst(), "the clip itself comes first, unchanged");
        for (int i = 1; i < a.inputs().size(); i++) {
            assertNotEquals("h", a.inputs().get(i).contentHash(), "a copy is other content");
            assertEquals(7, a.concepts()[i]);
        }
        assertEquals(null, BandShift.augment(List.of(clip), null).concepts());
    }
}
