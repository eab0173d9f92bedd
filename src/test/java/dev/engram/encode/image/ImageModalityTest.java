package dev.engram.encode.image;

import dev.engram.EngramException;
import dev.engram.ExitCode;
import dev.engram.encode.Given;
import dev.engram.io.IdxFiles;
import dev.engram.encode.Inputs;
import dev.engram.encode.Modalities;
import dev.engram.encode.Reading;
import dev.engram.encode.Sources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Images as a modality: IDX files told by their first bytes, shapes of new spaces, given images. */
class ImageModalityTest {
    @TempDir
    Path dir;

    @Test
    void aGzippedIdxFileWithoutATellingNameIsImagesAtItsOwnShape() throws IOException {
        byte[] a = TestImages.picture(6, 10, 1);
        byte[] b = TestImages.picture(6, 10, 2);
        Path idx = Files.write(dir.resolve("items-idx3-ubyte.gz"), IdxFiles.gzip(IdxFiles.idxImages(6, 10, a, b)));
        assertEquals(ImageModality.INSTANCE, Modalities.ofPath(idx));
        Inputs<ImageInput> images = ImageModality.INSTANCE.read(new Sources(List.of(), List.of(idx.toString()),
                List.of()), Reading.inputs(null, null, InputStream.nullInputStream()));
        assertEquals(2, images.size());
        assertArrayEquals(new int[] {1, 8, 12}, images.shape(), "a new space's sides are rounded to a multiple of 4");
        assertEquals(1, images.items().get(1).index());
        Inputs<ImageInput> asAsked = ImageModality.INSTANCE.read(new Sources(List.of(), List.of(idx.toString()),
                List.of()), Reading.inputs(null, "1x6x10", InputStream.nullInputStream()));
        assertArrayEquals(TestImages.unit(b), asAsked.items().get(1).pixels());
    }

    @Test
    void anEventsImageIsOneImageNotAnIdxFileOfSeveral() throws IOException {
        Path idx = Files.write(dir.resolve("two.idx"), IdxFiles.idxImages(4, 4, new byte[16], new byte[16]));
        Path png = TestImages.greyPng(dir.resolve("one.png"), 4, 4, TestImages.picture(4, 4, 3));
        Inputs<ImageInput> one = ImageModality.INSTANCE.read(new Sources(List.of(), List.of(),
                List.of(Given.file("events.jsonl:1", png))), Reading.inputs(null, null, InputStream.nullInputStream()));
        assertEquals(1, one.size());
        EngramException e = assertThrows(EngramException.class, () -> ImageModality.INSTANCE.read(
                new Sources(List.of(), List.of(), List.of(Given.file("events.jsonl:2", idx))),
                Reading.inputs(null, "1x4x4", InputStream.nullInputStream())));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("an event's image must be one"), e.getMessage());
    }
}
