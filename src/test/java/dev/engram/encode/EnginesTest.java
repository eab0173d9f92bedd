package dev.engram.encode;

import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EnginesTest {

    /**
     * Training spreads PyTorch over every core and inference afterwards keeps that; a process
     * that only infers runs on one thread (checked through the launcher, LauncherIT, since this
     * JVM may have trained already).
     */
    @Test
    void trainingSpreadsOverTheCoresAndInferenceDoesNotNarrowItAgain() {
        int cores = Runtime.getRuntime().availableProcessors();
        Engines.pytorchForTraining();
        assertEquals(cores, JniUtils.getNumThreads());
        Engines.pytorch();
        assertEquals(cores, JniUtils.getNumThreads());
    }
}
