package dev.engram.encode;

/** Hears about training as it goes, to show progress to people. */
public interface TrainingListener {
    /** After each mini-batch; {@code loss} is the running mean of the epoch so far. */
    default void batch(int epoch, int epochs, int batch, int batches, double loss) {
    }

    /** After each epoch, with the mean reconstruction loss (MSE per value) over its inputs. */
    void epoch(int epoch, int epochs, double loss, double seconds);

    TrainingListener SILENT = (epoch, epochs, loss, seconds) -> { };
}
