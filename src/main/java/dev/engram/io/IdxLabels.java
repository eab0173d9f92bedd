package dev.engram.io;

/** IDX1 label files (MNIST format, magic 0x00000801), gzipped or not. */
public final class IdxLabels {
    private IdxLabels() {
    }

    /**
     * All labels of the file, in order, as ints 0..255. Throws {@code invalidInput} naming the
     * file when the magic is wrong or the file is shorter or longer than its header says.
     */
    public static int[] read(java.nio.file.Path file) {
        try (Idx.Reader reader = Idx.open(file, 1, "labels")) {
            int[] labels = new int[reader.count()];
            for (int i = 0; i < labels.length; i++) {
                labels[i] = reader.nextByte();
            }
            return labels;
        }
    }
}
