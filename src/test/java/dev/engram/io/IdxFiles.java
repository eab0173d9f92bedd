package dev.engram.io;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;

/** IDX image and label files (and gzip) made in the tests, so that no test data has to be shipped. */
public final class IdxFiles {
    private IdxFiles() {
    }

    /** The bytes of an IDX3 unsigned-byte image file holding {@code images}. */
    public static byte[] idxImages(int rows, int cols, byte[]... images) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x00000803);
        out.writeInt(images.length);
        out.writeInt(rows);
        out.writeInt(cols);
        for (byte[] image : images) {
            out.write(image);
        }
        out.flush();
        return bytes.toByteArray();
    }

    /** The bytes of an IDX1 label file. */
    public static byte[] idxLabels(int... labels) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x00000801);
        out.writeInt(labels.length);
        for (int label : labels) {
            out.writeByte(label);
        }
        out.flush();
        return bytes.toByteArray();
    }

    public static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }
}
