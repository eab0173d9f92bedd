package dev.engram.bench;

import dev.engram.io.Idx;
import dev.engram.io.IdxLabels;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The items of an IDX image file (and its label file) whose class lies in a range, written as a
 * new pair of uncompressed IDX files in the original order: how {@code bin/bench incremental}
 * splits Fashion-MNIST's training set into classes 0-4 and 5-9. Prints how many items it wrote.
 *
 * <pre>
 * IdxClasses --images IDX --labels IDX --classes FIRST-LAST --out PREFIX
 *   (writes PREFIX-images-idx3-ubyte and PREFIX-labels-idx1-ubyte)
 * </pre>
 */
public final class IdxClasses {
    private IdxClasses() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> opts = HnswRecall.options(args);
        Path images = Path.of(HnswRecall.required(opts, "--images"));
        int[] labels = IdxLabels.read(Path.of(HnswRecall.required(opts, "--labels")));
        String[] range = HnswRecall.required(opts, "--classes").split("-");
        int first = Integer.parseInt(range[0]);
        int last = Integer.parseInt(range[range.length - 1]);
        String out = HnswRecall.required(opts, "--out");
        int kept = 0;
        for (int label : labels) {
            kept += label >= first && label <= last ? 1 : 0;
        }
        try (Idx.Reader reader = Idx.open(images, 3, "images");
             DataOutputStream image = new DataOutputStream(new BufferedOutputStream(
                     Files.newOutputStream(Path.of(out + "-images-idx3-ubyte"))));
             DataOutputStream label = new DataOutputStream(new BufferedOutputStream(
                     Files.newOutputStream(Path.of(out + "-labels-idx1-ubyte"))))) {
            if (reader.count() != labels.length) {
                throw new IllegalArgumentException(reader.count() + " images but " + labels.length + " labels");
            }
            int[] sizes = reader.itemSizes();
            image.writeInt(0x00000803);
            image.writeInt(kept);
            image.writeInt(sizes[0]);
            image.writeInt(sizes[1]);
            label.writeInt(0x00000801);
            label.writeInt(kept);
            for (int l : labels) {
                float[] pixels = reader.nextPixels();
                if (l >= first && l <= last) {
                    for (float p : pixels) {
                        image.writeByte(Math.round(p * 255));
                    }
                    label.writeByte(l);
                }
            }
        }
        System.out.println(kept);
    }
}
