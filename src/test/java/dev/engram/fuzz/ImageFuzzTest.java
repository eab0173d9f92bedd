package dev.engram.fuzz;

import dev.engram.encode.image.ImageModality;
import dev.engram.encode.image.ImageShape;
import dev.engram.encode.image.ImageSources;

import java.nio.file.Path;
import java.util.List;

/**
 * PNG and JPEG files through ImageIO: as an image argument of a new space (its shape from the
 * file's header, then decoded) and of an existing 28x28 grey space (decoded, then resized).
 */
class ImageFuzzTest {
    private static final ImageShape SPACE = new ImageShape(1, 28, 28);

    @ParserFuzzTest
    void png(byte[] bytes) throws Exception {
        read(Scratch.file("image", "input.png", bytes));
    }

    @ParserFuzzTest
    void jpeg(byte[] bytes) throws Exception {
        read(Scratch.file("image", "input.jpg", bytes));
    }

    private static void read(Path file) throws Exception {
        Contract.holds(() -> Encoding.argument(ImageModality.INSTANCE, file));
        Contract.holds(() -> ImageSources.resolve(List.of(file.toString())).readAll(SPACE));
    }
}
