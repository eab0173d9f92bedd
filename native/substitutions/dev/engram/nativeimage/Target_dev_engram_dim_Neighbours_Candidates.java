package dev.engram.nativeimage;

import com.oracle.svm.core.annotate.Alias;
import com.oracle.svm.core.annotate.Substitute;
import com.oracle.svm.core.annotate.TargetClass;

/** The exact-neighbour search's candidate filter, compiled to SIMD code in the native executable ({@link SimdKernels}). */
@TargetClass(className = "dev.engram.dim.Neighbours$Candidates")
final class Target_dev_engram_dim_Neighbours_Candidates {
    /** Keys per filter run: a whole number of vectors (the class checks that it divides a tile). */
    @Alias
    private static int RUN;

    private Target_dev_engram_dim_Neighbours_Candidates() {
    }

    @Substitute
    private static long below(float[] norms, float[] dots, int j, float threshold) {
        return SimdKernels.below(norms, dots, j, threshold, RUN);
    }

    @Substitute
    private static long anyBelow(float n0, float n1, float n2, float n3, float[] d0, float[] d1, float[] d2,
                                 float[] d3, int j, float[] thresholds, int at) {
        return SimdKernels.anyBelow(n0, n1, n2, n3, d0, d1, d2, d3, j, thresholds, at, RUN);
    }
}
