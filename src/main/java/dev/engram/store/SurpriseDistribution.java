package dev.engram.store;

import java.util.Arrays;

/**
 * The surprises of a space's traces, sorted, for the percentile of a new surprise: the
 * fraction of stored traces whose surprise is at most it (1 for the most surprising input seen
 * so far, near 0 for a familiar one; NaN in an empty space).
 */
public final class SurpriseDistribution {
    private final double[] sorted;

    public SurpriseDistribution(double[] surprises) {
        this.sorted = surprises.clone();
        Arrays.sort(this.sorted);
    }

    private SurpriseDistribution(double[] sorted, boolean owned) {
        this.sorted = sorted;
    }

    /** Surprises already in ascending order (checked: sorted here if they are not), taken as they are. */
    public static SurpriseDistribution ofSorted(double[] surprises) {
        for (int i = 1; i < surprises.length; i++) {
            if (!(surprises[i - 1] <= surprises[i])) {
                return new SurpriseDistribution(surprises);
            }
        }
        return new SurpriseDistribution(surprises, true);
    }

    public double percentile(double surprise) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        // Count of stored surprises <= the value: the upper bound found by binary search.
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] <= surprise) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return (double) lo / sorted.length;
    }
}
