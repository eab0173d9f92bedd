package dev.engram.nativeimage;

import com.oracle.svm.core.annotate.Alias;
import com.oracle.svm.core.annotate.Substitute;
import com.oracle.svm.core.annotate.TargetClass;

/**
 * The dot-product kernel of engram's all-pairs scans, compiled to SIMD code in the native
 * executable ({@link SimdKernels}). The image targets x86-64-v3, which has FMA, so the JVM's
 * check for it (HotSpot's UseFMA flag) has no place here.
 */
@TargetClass(className = "dev.engram.dim.Tiles")
final class Target_dev_engram_dim_Tiles {
    @Alias
    float[][][] tiles;

    private Target_dev_engram_dim_Tiles() {
    }

    @Substitute
    void dot4(int a, int r, int b, int len, float[][] dots) {
        SimdKernels.dot4(tiles[a], r, tiles[b], len, dots[0], dots[1], dots[2], dots[3]);
    }
}
