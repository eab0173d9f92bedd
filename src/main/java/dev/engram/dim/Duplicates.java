package dev.engram.dim;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Exact duplicate points, found before the neighbour search and merged into one copy each.
 *
 * <p>A point with an exact copy has r1 = 0: TwoNN's r2/r1 and MLE's log(T_k/T_1) are infinite
 * there. The estimators guard against that by leaving such points out, but that is not enough:
 * the copy also sits in its neighbours' lists, where two equal distances give r2/r1 = 1 and
 * pull the estimate down. DADApy removes identical points before estimating
 * ({@code Base.remove_identical_points}); so does {@code engram dim}, keeping the first copy of
 * each and reporting how many were merged.
 *
 * <p>Equality is that of the coordinates as numbers (0.0 equals −0.0), the same as a zero
 * distance.
 */
public final class Duplicates {

    private Duplicates() {
    }

    /**
     * @param points   the distinct points, in their first-seen order (the input array itself when
     *                 there are no duplicates)
     * @param original for each distinct point, its index in the input
     * @param copyOf   for each input point, the index in {@code points} of the distinct point it
     *                 equals (itself when it is the first copy)
     */
    public record Result(float[][] points, int[] original, int[] copyOf) {
        public int duplicates() {
            return copyOf.length - points.length;
        }
    }

    public static Result merge(float[][] points) {
        Map<Key, Integer> seen = new HashMap<>(points.length * 2);
        int[] copyOf = new int[points.length];
        int[] original = new int[points.length];
        float[][] distinct = new float[points.length][];
        int count = 0;
        for (int i = 0; i < points.length; i++) {
            Key key = new Key(points[i]);
            Integer first = seen.putIfAbsent(key, count);
            if (first == null) {
                distinct[count] = points[i];
                original[count] = i;
                copyOf[i] = count++;
            } else {
                copyOf[i] = first;
            }
        }
        if (count == points.length) {
            return new Result(points, original, copyOf);
        }
        return new Result(Arrays.copyOf(distinct, count), Arrays.copyOf(original, count), copyOf);
    }

    /** A point as a hash key; −0.0 is made 0.0 so that the two compare equal, as their distance is 0. */
    private static final class Key {
        private final float[] row;
        private final int hash;

        Key(float[] row) {
            this.row = row;
            int h = 1;
            for (float v : row) {
                h = 31 * h + Float.floatToIntBits(v == 0 ? 0f : v);
            }
            this.hash = h;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Key other) || other.row.length != row.length) {
                return false;
            }
            for (int i = 0; i < row.length; i++) {
                // == on floats: 0.0 == -0.0; NaN never reaches here (the neighbour search refuses it).
                if (row[i] != other.row[i]) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
