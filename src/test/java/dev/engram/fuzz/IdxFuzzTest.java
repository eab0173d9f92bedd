package dev.engram.fuzz;

import dev.engram.bind.LabelFiles;
import dev.engram.encode.image.ImageModality;
import dev.engram.encode.image.ImageSources;
import dev.engram.io.PointFiles;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * IDX files (MNIST format), each input read as it is and gzipped, since engram reads both: image
 * files as images to encode (counted, then read) and as points for {@code engram dim}; label
 * files as labels of an image file for {@code engram bind --labels}.
 */
class IdxFuzzTest {
    private static final List<String> NAMES = List.of("t-shirt", "trouser", "pullover", "dress", "coat",
            "sandal", "shirt", "sneaker", "bag", "ankle-boot");

    @ParserFuzzTest
    void images(byte[] bytes) throws Exception {
        for (Path file : asGivenAndGzipped("images-idx3-ubyte", bytes)) {
            Contract.holds(() -> ImageSources.resolve(List.of(file.toString())).count());
            Contract.holds(() -> Encoding.argument(ImageModality.INSTANCE, file));
            Contract.holds(() -> PointFiles.read(file));
        }
    }

    @ParserFuzzTest
    void labels(byte[] bytes) throws Exception {
        Path images = Scratch.directory("idx").resolve("images-idx3-ubyte");
        for (Path file : asGivenAndGzipped("labels-idx1-ubyte", bytes)) {
            Contract.holds(() -> LabelFiles.idx(file, images, NAMES));
            Contract.holds(() -> LabelFiles.idx(file, images, List.of()));
        }
    }

    private static List<Path> asGivenAndGzipped(String name, byte[] bytes) throws IOException {
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(gzipped)) {
            out.write(bytes);
        }
        return List.of(Scratch.file("idx", name, bytes), Scratch.file("idx", name + ".gz", gzipped.toByteArray()));
    }
}
