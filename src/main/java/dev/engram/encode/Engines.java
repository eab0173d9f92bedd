package dev.engram.encode;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import dev.engram.EngramException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.nio.file.Path;

/**
 * Starts DJL's PyTorch engine once per process. The native libraries come from the
 * pytorch-native-cpu jar on the class path and are unpacked into DJL's cache (~/.djl.ai, or
 * DJL_CACHE_DIR / ENGINE_CACHE_DIR); nothing is downloaded ({@code ai.djl.offline=true}).
 */
public final class Engines {
    /** DJL's own setting of PyTorch's intra-op threads, read when the engine starts. */
    private static final String THREADS_PROPERTY = "ai.djl.pytorch.num_threads";
    /** The intra-op threads this process set, 0 before the engine starts. */
    private static int threads;
    /** The intra-op threads inference asks for (see {@link #inferOnEveryCore}). */
    private static int inferenceThreads = 1;
    private static final Logger log = LogManager.getLogger(Engines.class);

    private Engines() {
    }

    /**
     * The engine for inference (encoding and decoding with a stored model): PyTorch runs each
     * operation on one thread, unless the process {@linkplain #inferOnEveryCore works in
     * batch}. PyTorch's OpenMP workers spin for a while after every parallel operation, waiting
     * for the next; with several engram processes on one machine (readers started together
     * from a pipeline) those spinning threads took the cores the other processes needed.
     * bin/bench concurrency --native, 100 image cues per recall on 2 cores: N readers at once
     * took 1.24 / 1.25 / 1.40 x (N/2 x one reader's time) for N = 2 / 4 / 8 with PyTorch's
     * default threads, 0.96 / 0.94 / 0.94 x with one; one reader alone took as long either way,
     * and a recall of 2,000 cues the same wall time with less CPU (docs/architecture.md, "Many
     * processes, one store"). The user's {@code -Dai.djl.pytorch.num_threads} wins over this.
     */
    public static Engine pytorch() {
        return pytorch(inferenceThreads);
    }

    /**
     * For a process whose work is a batch rather than a query ({@code encode}, one process
     * encoding many inputs, where a pretrained network's forward passes can be most of the
     * work): its inference too spreads over every core. Starts nothing; takes effect when the
     * engine is asked for, or at once if it runs already.
     */
    public static synchronized void inferOnEveryCore() {
        inferenceThreads = Runtime.getRuntime().availableProcessors();
        if (threads > 0) {
            pytorch(inferenceThreads);
        }
    }

    /**
     * The engine for training (autoencoders, consolidation, dim's sweeps): PyTorch spreads each
     * operation over every core, as a training's large batches repay. Stays so for the rest of
     * the process: a writer that trained goes on to encode its inputs with the model it made.
     */
    public static Engine pytorchForTraining() {
        return pytorch(Runtime.getRuntime().availableProcessors());
    }

    private static synchronized Engine pytorch(int wanted) {
        // The launcher sets this too; set it here as well so in-process callers (tests) are offline.
        System.setProperty("ai.djl.offline", "true");
        Engine engine;
        try {
            engine = Engine.getEngine("PyTorch");
        } catch (RuntimeException | UnsatisfiedLinkError e) {
            throw EngramException.storeUnavailable("cannot start the PyTorch engine: " + rootMessage(e)
                    + "; DJL unpacks its native libraries into " + cacheDirectory()
                    + ", which must be writable (set DJL_CACHE_DIR to move it)", e);
        }
        // Only ever raised: once training has spread over the cores, inference stays so.
        if (System.getProperty(THREADS_PROPERTY) == null && wanted > threads) {
            JniUtils.setNumThreads(wanted);
            threads = wanted;
            log.debug("PyTorch runs each operation on {} thread{}", wanted, wanted == 1 ? "" : "s");
        }
        return engine;
    }

    private static Path cacheDirectory() {
        String dir = System.getenv("ENGINE_CACHE_DIR");
        if (dir == null) {
            dir = System.getenv("DJL_CACHE_DIR");
        }
        return dir != null ? Path.of(dir) : Path.of(System.getProperty("user.home"), ".djl.ai");
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        // File-system errors carry only the path as their message: the class says what went wrong.
        String kind = root.getClass().getSimpleName();
        return message == null ? kind : kind + ": " + message.lines().findFirst().orElse("");
    }

}
