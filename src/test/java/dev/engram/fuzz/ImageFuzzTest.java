package dev.engram.fuzz;

import dev.engram.encode.image.ImageModality;
import dev.engram.encode.image.ImageShape;
import dev.engram.encode.image.ImageSources;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.CRC32;

/**
 * PNG and JPEG files through ImageIO: as an image argument of a new space (its shape from the
 * file's header, then decoded) and of an existing 28x28 grey space (decoded, then resized).
 */
class ImageFuzzTest {
    private static final ImageShape SPACE = new ImageShape(1, 28, 28);
    private static final int IEND = 0x49454E44;

    /**
     * Each input as it is, then with the CRC of every chunk made right: engram refuses a bad CRC
     * before ImageIO sees the file, and a fuzzer seldom guesses a CRC, so without the second
     * read ImageIO's decoder would hardly be fuzzed.
     */
    @ParserFuzzTest
    void png(byte[] bytes) throws Exception {
        read(Scratch.file("image", "input.png", bytes));
        read(Scratch.file("image", "input.png", withChunkCrcs(bytes)));
    }

    @ParserFuzzTest
    void jpeg(byte[] bytes) throws Exception {
        read(Scratch.file("image", "input.jpg", bytes));
    }

    /** A copy of a PNG's bytes with each whole chunk's CRC computed (from byte 8, to IEND). */
    private static byte[] withChunkCrcs(byte[] png) {
        byte[] fixed = png.clone();
        ByteBuffer buffer = ByteBuffer.wrap(fixed);
        CRC32 crc = new CRC32();
        int pos = 8;
        while (pos + 12 <= fixed.length) {
            long length = buffer.getInt(pos) & 0xFFFFFFFFL;
            if (length > fixed.length - pos - 12) {
                break;
            }
            crc.reset();
            crc.update(fixed, pos + 4, (int) length + 4);
            buffer.putInt(pos + 8 + (int) length, (int) crc.getValue());
            if (buffer.getInt(pos + 4) == IEND) {
                break;
            }
            pos += 12 + (int) length;
        }
        return fixed;
    }

    private static void read(Path file) throws Exception {
        Contract.holds(() -> Encoding.argument(ImageModality.INSTANCE, file));
        Contract.holds(() -> ImageSources.resolve(List.of(file.toString())).readAll(SPACE));
    }
}
