package dev.engram.encode.image;

import static dev.engram.encode.image.TestImages.picture;
import static dev.engram.encode.image.TestImages.unit;
import static dev.engram.io.IdxFiles.gzip;
import static dev.engram.io.IdxFiles.idxImages;
import static dev.engram.io.IdxFiles.idxLabels;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.engram.EngramException;
import dev.engram.ExitCode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class ImageSourcesTest {
    private static final ImageShape MNIST = new ImageShape(1, 28, 28);

    @TempDir
    Path dir;

    // ---- plain image files ----

    @Test
    void greyPngKeepsItsExactValues() throws IOException {
        byte[] grey = picture(28, 28, 1);
        Path png = TestImages.greyPng(dir.resolve("a.png"), 28, 28, grey);

        List<ImageInput> images = ImageSources.readAll(List.of(png.toString()), MNIST, InputStream.nullInputStream());

        assertEquals(1, images.size());
        ImageInput image = images.get(0);
        assertEquals(png.toAbsolutePath().normalize().toString(), image.source());
        assertEquals(-1, image.index());
        assertArrayEquals(unit(grey), image.pixels());
    }

    @Test
    void sourceIsAbsoluteAndNormalised() throws IOException {
        TestImages.greyPng(dir.resolve("a.png"), 4, 4, picture(4, 4, 0));
        String messy = dir.resolve("sub/../a.png").toString();
        Files.createDirectories(dir.resolve("sub"));

        ImageInput image = ImageSources.readAll(List.of(messy), new ImageShape(1, 4, 4), InputStream.nullInputStream())
                .get(0);

        assertEquals(dir.resolve("a.png").toAbsolutePath().normalize().toString(), image.source());
    }

    @Test
    void colourIsConvertedToGreyWithLuma() throws IOException {
        Path red = TestImages.solidRgb(dir.resolve("red.png"), "png", 5, 5, 0xFF0000);
        Path green = TestImages.solidRgb(dir.resolve("green.png"), "png", 5, 5, 0x00FF00);
        ImageShape shape = new ImageShape(1, 5, 5);

        List<ImageInput> images = ImageSources.readAll(List.of(red.toString(), green.toString()), shape,
                InputStream.nullInputStream());

        for (float v : images.get(0).pixels()) {
            assertEquals(0.299f, v, 1e-6f);
        }
        for (float v : images.get(1).pixels()) {
            assertEquals(0.587f, v, 1e-6f);
        }
    }

    @Test
    void colourIsKeptChannelMajorWhenThreeChannels() throws IOException {
        Path png = TestImages.solidRgb(dir.resolve("c.png"), "png", 2, 3, 0x336699);

        float[] p = ImageSources.readAll(List.of(png.toString()), new ImageShape(3, 2, 3),
                InputStream.nullInputStream()).get(0).pixels();

        assertEquals(18, p.length);
        for (int i = 0; i < 6; i++) {
            assertEquals(0x33 / 255f, p[i], 1e-6f, "red plane");
            assertEquals(0x66 / 255f, p[6 + i], 1e-6f, "green plane");
            assertEquals(0x99 / 255f, p[12 + i], 1e-6f, "blue plane");
        }
    }

    @Test
    void greyIsExpandedToRgb() throws IOException {
        byte[] grey = picture(6, 6, 2);
        Path png = TestImages.greyPng(dir.resolve("g.png"), 6, 6, grey);

        float[] p = ImageSources.readAll(List.of(png.toString()), new ImageShape(3, 6, 6),
                InputStream.nullInputStream()).get(0).pixels();

        float[] expected = unit(grey);
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(expected, Arrays.copyOfRange(p, c * 36, (c + 1) * 36));
        }
    }

    @Test
    void greyStoredAsRgbGivesTheSameGreyAndHash() throws IOException {
        byte[] grey = picture(8, 8, 3);
        Path asGrey = TestImages.greyPng(dir.resolve("grey.png"), 8, 8, grey);
        Path asRgb = TestImages.greyAsRgbPng(dir.resolve("rgb.png"), 8, 8, grey);

        List<ImageInput> images = ImageSources.readAll(List.of(asGrey.toString(), asRgb.toString()),
                new ImageShape(1, 8, 8), InputStream.nullInputStream());

        assertEquals(images.get(0).contentHash(), images.get(1).contentHash());
    }

    @Test
    void jpegIsRead() throws IOException {
        Path jpg = TestImages.solidRgb(dir.resolve("photo.JPG"), "jpeg", 16, 16, 0x808080);

        float[] p = ImageSources.readAll(List.of(jpg.toString()), new ImageShape(3, 16, 16),
                InputStream.nullInputStream()).get(0).pixels();

        for (float v : p) {
            assertEquals(128 / 255f, v, 3 / 255f); // JPEG is lossy, but a flat grey survives nearly exactly
        }
    }

    @Test
    void sixteenBitGreyIsScaledToUnitRange() throws IOException {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(2, 1,
                java.awt.image.BufferedImage.TYPE_USHORT_GRAY);
        image.getRaster().setSamples(0, 0, 2, 1, 0, new int[] {65535, 32768});
        Path png = TestImages.write(image, "png", dir.resolve("deep.png"));

        float[] p = ImageSources.readAll(List.of(png.toString()), new ImageShape(1, 1, 2),
                InputStream.nullInputStream()).get(0).pixels();

        assertEquals(1f, p[0], 1e-6f);
        assertEquals(32768 / 65535f, p[1], 1e-6f);
    }

    @Test
    void transparencyIsCompositedOverBlack() throws IOException {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(2, 1,
                java.awt.image.BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, 0x00FFFFFF); // fully transparent white
        image.setRGB(1, 0, 0xFFFFFFFF); // opaque white
        Path rgba = TestImages.write(image, "png", dir.resolve("rgba.png"));
        java.awt.image.ComponentColorModel greyAlpha = new java.awt.image.ComponentColorModel(
                java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_GRAY), true, false,
                java.awt.Transparency.TRANSLUCENT, java.awt.image.DataBuffer.TYPE_BYTE);
        java.awt.image.WritableRaster raster = greyAlpha.createCompatibleWritableRaster(2, 1);
        raster.setPixel(0, 0, new int[] {200, 0});
        raster.setPixel(1, 0, new int[] {200, 255});
        Path ga = TestImages.write(new java.awt.image.BufferedImage(greyAlpha, raster, false, null), "png",
                dir.resolve("grey-alpha.png"));

        List<ImageInput> images = ImageSources.readAll(List.of(rgba.toString(), ga.toString()),
                new ImageShape(1, 1, 2), InputStream.nullInputStream());

        assertArrayEquals(new float[] {0f, 1f}, images.get(0).pixels(), 1e-6f);
        assertArrayEquals(new float[] {0f, 200 / 255f}, images.get(1).pixels(), 1e-6f);
    }

    // ---- resizing ----

    @Test
    void resizingKeepsAFlatImageFlat() throws IOException {
        Path png = TestImages.solidRgb(dir.resolve("flat.png"), "png", 37, 53, 0x404040);

        for (ImageShape shape : List.of(new ImageShape(1, 28, 28), new ImageShape(1, 100, 80),
                new ImageShape(3, 7, 5))) {
            float[] p = ImageSources.readAll(List.of(png.toString()), shape, InputStream.nullInputStream())
                    .get(0).pixels();
            assertEquals(shape.size(), p.length);
            for (float v : p) {
                assertEquals(0x40 / 255f, v, 1e-5f, "shape " + shape);
            }
        }
    }

    @Test
    void shrinkingAveragesAndEnlargingInterpolates() throws IOException {
        // 4x4 image: left half black, right half white.
        byte[] halves = new byte[16];
        for (int y = 0; y < 4; y++) {
            halves[y * 4 + 2] = (byte) 255;
            halves[y * 4 + 3] = (byte) 255;
        }
        Path png = TestImages.greyPng(dir.resolve("halves.png"), 4, 4, halves);

        float[] small = ImageSources.readAll(List.of(png.toString()), new ImageShape(1, 2, 2),
                InputStream.nullInputStream()).get(0).pixels();
        assertTrue(small[0] < 0.3f && small[1] > 0.7f, Arrays.toString(small));
        assertEquals(small[0], small[2], 1e-6f);
        assertEquals(1f, small[0] + small[1], 1e-5f); // symmetric filter: mirrored values

        float[] big = ImageSources.readAll(List.of(png.toString()), new ImageShape(1, 8, 8),
                InputStream.nullInputStream()).get(0).pixels();
        float[] row = Arrays.copyOfRange(big, 0, 8);
        assertEquals(0f, row[0], 1e-6f);
        assertEquals(1f, row[7], 1e-6f);
        for (int x = 1; x < 8; x++) {
            assertTrue(row[x] >= row[x - 1], "monotone ramp " + Arrays.toString(row));
        }
        assertTrue(row[3] > 0f && row[3] < 1f, "interpolated edge " + Arrays.toString(row));
    }

    @Test
    void idxItemsAreResizedToo() throws IOException {
        Path idx = Files.write(dir.resolve("images.idx"), idxImages(28, 28, picture(28, 28, 0)));

        float[] p = ImageSources.readAll(List.of(idx.toString()), new ImageShape(3, 14, 14),
                InputStream.nullInputStream()).get(0).pixels();

        assertEquals(3 * 14 * 14, p.length);
    }

    // ---- directories ----

    @Test
    void directoryIsSearchedRecursivelyInPathOrder() throws IOException {
        TestImages.greyPng(dir.resolve("b/2.png"), 4, 4, picture(4, 4, 0));
        TestImages.greyPng(dir.resolve("b/1.PNG"), 4, 4, picture(4, 4, 1));
        TestImages.solidRgb(dir.resolve("a/deep/x.jpeg"), "jpeg", 4, 4, 0xFFFFFF);
        TestImages.solidRgb(dir.resolve("c.Jpg"), "jpeg", 4, 4, 0);
        TestImages.greyPng(dir.resolve(".hidden/h.png"), 4, 4, picture(4, 4, 2));
        TestImages.greyPng(dir.resolve("b/._resource.png"), 4, 4, picture(4, 4, 2));
        Files.writeString(dir.resolve("b/notes.txt"), "not an image");
        Files.write(dir.resolve("b/labels.idx"), idxLabels(1, 2));

        ImageSources sources = ImageSources.resolve(List.of(dir.toString()));

        List<String> names = sources.files().stream().map(p -> dir.relativize(p).toString()).toList();
        assertEquals(List.of("a/deep/x.jpeg", "b/1.PNG", "b/2.png", "c.Jpg"), names);
        assertEquals(4, sources.count());
        assertEquals(4, sources.readAll(new ImageShape(1, 4, 4)).size());
    }

    @Test
    void emptyDirectoryIsNothingToDo() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty/sub"));
        Files.writeString(empty.resolve("readme.txt"), "no images here");

        EngramException e = failsWith(ExitCode.NOTHING_TO_DO, () -> ImageSources.resolve(List.of(dir.resolve("empty").toString())));

        assertTrue(e.getMessage().startsWith(dir.resolve("empty") + ": no images"), e.getMessage());
    }

    // ---- IDX ----

    @Test
    void idxFileYieldsItsItemsWithIndexes() throws IOException {
        byte[][] pictures = {picture(28, 28, 0), picture(28, 28, 1), picture(28, 28, 2)};
        Path idx = Files.write(dir.resolve("train-images-idx3-ubyte"), idxImages(28, 28, pictures));

        List<ImageInput> images = ImageSources.readAll(List.of(idx.toString()), MNIST, InputStream.nullInputStream());

        assertEquals(3, images.size());
        for (int i = 0; i < 3; i++) {
            assertEquals(i, images.get(i).index());
            assertEquals(idx.toAbsolutePath().toString(), images.get(i).source());
            assertArrayEquals(unit(pictures[i]), images.get(i).pixels());
        }
    }

    @Test
    void gzippedIdxIsDetectedByContentNotName() throws IOException {
        byte[][] pictures = {picture(5, 7, 0), picture(5, 7, 1)};
        // Misleading names on purpose: a gzipped file without .gz and a plain one with it.
        Path gz = Files.write(dir.resolve("images.idx"), gzip(idxImages(5, 7, pictures)));
        Path plain = Files.write(dir.resolve("plain.gz"), idxImages(5, 7, pictures));

        ImageSources sources = ImageSources.resolve(List.of(gz.toString(), plain.toString()));
        assertEquals(new ImageShape(1, 5, 7), sources.inferShape());
        assertEquals(4, sources.count());
        List<ImageInput> images = sources.readAll(new ImageShape(1, 5, 7));

        assertEquals(4, images.size());
        assertArrayEquals(images.get(1).pixels(), images.get(3).pixels());
        assertArrayEquals(unit(pictures[1]), images.get(1).pixels());
    }

    @Test
    void truncatedIdxIsReported() throws IOException {
        byte[] full = idxImages(28, 28, picture(28, 28, 0), picture(28, 28, 1));
        Path idx = Files.write(dir.resolve("short.idx"), Arrays.copyOf(full, full.length - 100));

        EngramException e = failsWith(ExitCode.INVALID_INPUT, () -> ImageSources.readAll(List.of(idx.toString()),
                MNIST, InputStream.nullInputStream()));

        assertTrue(e.getMessage().startsWith(idx + ": truncated IDX file"), e.getMessage());
        assertTrue(e.getMessage().contains("2 images of 28x28 (1584 bytes) but the file has 1484 bytes"),
                e.getMessage());
    }

    @Test
    void truncatedGzippedIdxIsReported() throws IOException {
        byte[] big = new byte[28 * 28];
        new java.util.Random(7).nextBytes(big); // incompressible, so cutting the gzip cuts the data
        byte[] gz = gzip(idxImages(28, 28, picture(28, 28, 0), big, big));
        Path idx = Files.write(dir.resolve("short.gz"), Arrays.copyOf(gz, gz.length - 900));

        ImageSources sources = ImageSources.resolve(List.of(idx.toString()));
        assertEquals(3, sources.count()); // the header is intact

        EngramException e = failsWith(ExitCode.INVALID_INPUT, () -> sources.readAll(MNIST));
        assertTrue(e.getMessage().startsWith(idx + ": truncated"), e.getMessage());
    }

    @Test
    void idxLongerThanItsHeaderIsReported() throws IOException {
        byte[] full = idxImages(2, 2, picture(2, 2, 0));
        byte[] longer = Arrays.copyOf(full, full.length + 3);
        Path plain = Files.write(dir.resolve("long.idx"), longer);
        Path gz = Files.write(dir.resolve("long.idx.gz"), gzip(longer));
        ImageShape shape = new ImageShape(1, 2, 2);

        for (Path p : List.of(plain, gz)) {
            EngramException e = failsWith(ExitCode.INVALID_INPUT,
                    () -> ImageSources.readAll(List.of(p.toString()), shape, InputStream.nullInputStream()));
            assertTrue(e.getMessage().startsWith(p + ": IDX file is longer than its header says"), e.getMessage());
        }
    }

    @Test
    void wrongIdxMagicIsReported() throws IOException {
        Path labels = Files.write(dir.resolve("labels-idx1-ubyte"), idxLabels(1, 2, 3));
        byte[] floats = idxImages(2, 2, picture(2, 2, 0));
        floats[2] = 0x0D; // element type float
        Path floatIdx = Files.write(dir.resolve("floats.idx"), floats);
        byte[] odd = idxImages(2, 2, picture(2, 2, 0));
        odd[3] = 0x04; // four dimensions
        Path fourDims = Files.write(dir.resolve("four.idx"), gzip(odd));

        assertMessage(ExitCode.INVALID_INPUT, labels + ": this is an IDX label file (magic 0x00000801)", labels);
        assertMessage(ExitCode.INVALID_INPUT, floatIdx + ": unsupported IDX element type 0x0D", floatIdx);
        assertMessage(ExitCode.INVALID_INPUT, fourDims + ": wrong IDX magic 0x00000804", fourDims);
    }

    @Test
    void gzipThatIsNotIdxIsReported() throws IOException {
        Path gz = Files.write(dir.resolve("notes.gz"), gzip("hello, world".getBytes(StandardCharsets.UTF_8)));

        assertMessage(ExitCode.INVALID_INPUT, gz + ": not an IDX file: magic 0x68656C6C", gz);
    }

    // ---- damaged and unsupported image files ----

    @Test
    void truncatedPngIsReported() throws IOException {
        Path good = TestImages.greyPng(dir.resolve("good.png"), 28, 28, picture(28, 28, 0));
        byte[] bytes = Files.readAllBytes(good);
        Path cut = Files.write(dir.resolve("cut.png"), Arrays.copyOf(bytes, bytes.length / 2));

        assertMessage(ExitCode.INVALID_INPUT, cut + ": truncated PNG: the file ends inside the IDAT chunk", cut);
        Path tiny = Files.write(dir.resolve("tiny.png"), Arrays.copyOf(bytes, 12));
        assertMessage(ExitCode.INVALID_INPUT, tiny + ": truncated PNG", tiny);
    }

    @Test
    void corruptPngIsReported() throws IOException {
        Path good = TestImages.greyPng(dir.resolve("good.png"), 28, 28, picture(28, 28, 0));
        byte[] bytes = Files.readAllBytes(good);
        bytes[bytes.length - 20] ^= 0x5A; // inside the image data
        Path bad = Files.write(dir.resolve("bad.png"), bytes);

        assertMessage(ExitCode.INVALID_INPUT, bad + ": corrupt PNG: CRC mismatch in the IDAT chunk", bad);
    }

    @Test
    void pngWithValidChunksButBrokenDataIsReported() throws IOException {
        // Garbage image data with correct CRCs gets past the chunk check; ImageIO must reject it.
        byte[] png = Files.readAllBytes(TestImages.greyPng(dir.resolve("g.png"), 8, 8, picture(8, 8, 0)));
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(png);
        int pos = 8;
        while (!new String(png, pos + 4, 4, StandardCharsets.ISO_8859_1).equals("IDAT")) {
            pos += 12 + buf.getInt(pos);
        }
        int len = buf.getInt(pos);
        for (int i = 0; i < len; i++) {
            png[pos + 8 + i] = (byte) (0xA5 ^ i);
        }
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(png, pos + 4, len + 4);
        buf.putInt(pos + 8 + len, (int) crc.getValue());
        Path bad = Files.write(dir.resolve("bad.png"), png);

        assertMessage(ExitCode.INVALID_INPUT, bad + ": corrupt PNG: cannot decode it", bad);
    }

    @Test
    void truncatedJpegIsReported() throws IOException {
        java.awt.image.BufferedImage noise = new java.awt.image.BufferedImage(64, 64,
                java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.util.Random random = new java.util.Random(1);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                noise.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        Path good = TestImages.write(noise, "jpeg", dir.resolve("good.jpg"));
        byte[] bytes = Files.readAllBytes(good);
        Path cut = Files.write(dir.resolve("cut.jpg"), Arrays.copyOf(bytes, bytes.length * 2 / 3));

        assertMessage(ExitCode.INVALID_INPUT, cut + ": truncated JPEG", cut);
    }

    // ---- declared sizes (decompression bombs): refused before ImageIO allocates the image ----

    @Test
    void aPngDeclaringMorePixelsThanEngramReadsIsRefused() throws IOException {
        assertRefusedByItsHeader(pngDeclaring(100_000, 100_000), "image of 100000x100000 is larger than the 67108864"
                + " pixels engram reads");
    }

    @Test
    void aPngDeclaringMoreThanItsCompressedDataCanHoldIsRefused() throws IOException {
        // 4000 x 4000 grey bytes are 16 MB; the data of an 8 x 8 image inflates to some 70 KB at most.
        assertRefusedByItsHeader(pngDeclaring(4000, 4000), "corrupt PNG: 4000x4000 pixels are more than its ");
    }

    /** Reading the image and inferring a shape from it both fail on what its header declares. */
    private void assertRefusedByItsHeader(byte[] png, String expected) throws IOException {
        Path file = Files.write(dir.resolve("declared.png"), png);
        assertMessage(ExitCode.INVALID_INPUT, file + ": " + expected, file);
        EngramException e = failsWith(ExitCode.INVALID_INPUT, () -> ImageSources.inferShape(List.of(file.toString())));
        assertTrue(e.getMessage().startsWith(file + ": " + expected), e.getMessage());
    }

    @Test
    void aJpegDeclaringMorePixelsThanItsBytesCanHoldIsRefused() throws IOException {
        byte[] jpeg = Files.readAllBytes(TestImages.solidRgb(dir.resolve("small.jpg"), "jpeg", 8, 8, 0x336699));
        int sof = 2;
        while ((jpeg[sof] & 0xFF) != 0xFF || (jpeg[sof + 1] & 0xFF) != 0xC0) {
            sof += 2 + (((jpeg[sof + 2] & 0xFF) << 8) | (jpeg[sof + 3] & 0xFF));
        }
        java.nio.ByteBuffer.wrap(jpeg).putShort(sof + 5, (short) 8000).putShort(sof + 7, (short) 8000);
        Path bomb = Files.write(dir.resolve("bomb.jpg"), jpeg);

        assertMessage(ExitCode.INVALID_INPUT, bomb + ": corrupt JPEG: cannot decode it (8000x8000 pixels cannot be"
                + " held in " + jpeg.length + " bytes)", bomb);
    }

    @Test
    void idxImagesLargerThanEngramReadsAreRefused() throws IOException {
        Path huge = Files.write(dir.resolve("huge-idx3-ubyte"), idxImages(9000, 9000));

        assertMessage(ExitCode.INVALID_INPUT, huge + ": IDX images of 9000x9000 are larger than the 67108864 pixels",
                huge);
    }

    /** An 8 x 8 grey PNG whose header (with its CRC) says it is {@code width} x {@code height}. */
    private byte[] pngDeclaring(int width, int height) throws IOException {
        byte[] png = Files.readAllBytes(TestImages.greyPng(dir.resolve("small.png"), 8, 8, picture(8, 8, 0)));
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(png);
        buf.putInt(16, width).putInt(20, height);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(png, 12, 17);
        buf.putInt(29, (int) crc.getValue());
        return png;
    }

    @Test
    void nonImageFilesAreReported() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.png"), "this is not a picture");
        Path empty = Files.write(dir.resolve("empty.jpg"), new byte[0]);
        Path gif = Files.write(dir.resolve("x.gif"), "GIF89a....".getBytes(StandardCharsets.US_ASCII));

        assertMessage(ExitCode.INVALID_INPUT, text + ": not a PNG, JPEG or IDX image file", text);
        assertMessage(ExitCode.INVALID_INPUT, empty + ": empty file", empty);
        assertMessage(ExitCode.INVALID_INPUT, gif + ": not a PNG, JPEG or IDX image file", gif);
    }

    @Test
    void missingPathIsReported() {
        Path missing = dir.resolve("nope.png");

        EngramException e = failsWith(ExitCode.INVALID_INPUT, () -> ImageSources.resolve(List.of(missing.toString())));

        assertEquals(missing + ": no such file or directory", e.getMessage());
    }

    @Test
    void aDamagedFileAnywhereFailsReadAllBeforeAnythingIsReturned() throws IOException {
        Path idx = Files.write(dir.resolve("a.idx"), idxImages(28, 28, picture(28, 28, 0), picture(28, 28, 1)));
        Path good = TestImages.greyPng(dir.resolve("d/1.png"), 28, 28, picture(28, 28, 2));
        Files.writeString(dir.resolve("d/2.png"), "broken");
        ImageSources sources = ImageSources.resolve(List.of(idx.toString(), dir.resolve("d").toString()));

        EngramException e = failsWith(ExitCode.INVALID_INPUT, () -> sources.readAll(MNIST));
        assertTrue(e.getMessage().startsWith(dir.resolve("d/2.png").toString()), e.getMessage());

        // The streaming form hands out the good images first and fails when it reaches the bad one.
        try (Stream<ImageInput> stream = sources.stream(MNIST)) {
            Iterator<ImageInput> it = stream.iterator();
            assertEquals(0, it.next().index());
            assertEquals(1, it.next().index());
            assertEquals(good.toAbsolutePath().toString(), it.next().source());
            assertThrows(EngramException.class, it::hasNext);
        }
    }

    @Test
    void streamingCanStopEarly() throws IOException {
        byte[][] many = new byte[50][];
        for (int i = 0; i < many.length; i++) {
            many[i] = picture(28, 28, i);
        }
        Path idx = Files.write(dir.resolve("many.idx.gz"), gzip(idxImages(28, 28, many)));

        try (Stream<ImageInput> stream = ImageSources.resolve(List.of(idx.toString())).stream(MNIST)) {
            List<ImageInput> first = stream.limit(3).toList();
            assertEquals(List.of(0, 1, 2), first.stream().map(ImageInput::index).toList());
        }
    }

    // ---- hashes ----

    @Test
    void pngAndIdxOfTheSamePictureHaveTheSameHash() throws IOException {
        byte[] grey = picture(28, 28, 9);
        Path png = TestImages.greyPng(dir.resolve("same.png"), 28, 28, grey);
        Path idx = Files.write(dir.resolve("same.idx.gz"), gzip(idxImages(28, 28, picture(28, 28, 8), grey)));

        List<ImageInput> images = ImageSources.readAll(List.of(png.toString(), idx.toString()), MNIST,
                InputStream.nullInputStream());

        assertEquals(images.get(0).contentHash(), images.get(2).contentHash());
        assertNotEquals(images.get(0).contentHash(), images.get(1).contentHash());
    }

    // ---- standard input ----

    @Test
    void dashReadsPathsFromTheInputStream() throws IOException {
        Path a = TestImages.greyPng(dir.resolve("a.png"), 28, 28, picture(28, 28, 0));
        Path b = Files.write(dir.resolve("b.idx"), idxImages(28, 28, picture(28, 28, 1), picture(28, 28, 2)));
        Path c = TestImages.greyPng(dir.resolve("sub/c.png"), 28, 28, picture(28, 28, 3));
        String list = a + "\n\n" + b + "\r\n" + dir.resolve("sub") + "\n";
        InputStream stdin = new ByteArrayInputStream(list.getBytes(StandardCharsets.UTF_8));

        List<ImageInput> images = ImageSources.readAll(List.of("-"), MNIST, stdin);

        assertEquals(List.of(a.toString(), b + "#0", b + "#1", c.toString()),
                images.stream().map(ImageInput::location).toList());
    }

    @Test
    void dashMixesWithOtherArguments() throws IOException {
        Path a = TestImages.greyPng(dir.resolve("a.png"), 28, 28, picture(28, 28, 0));
        Path b = TestImages.greyPng(dir.resolve("b.png"), 28, 28, picture(28, 28, 1));
        InputStream stdin = new ByteArrayInputStream((b + "\n").getBytes(StandardCharsets.UTF_8));

        ImageSources sources = ImageSources.resolve(List.of(a.toString(), "-", a.toString()), stdin);

        assertEquals(List.of(a, b, a), sources.files());
    }

    @Test
    void dashProblemsAreReported() throws IOException {
        Path a = TestImages.greyPng(dir.resolve("a.png"), 4, 4, picture(4, 4, 0));
        InputStream empty = new ByteArrayInputStream("\n  \n".getBytes(StandardCharsets.UTF_8));
        failsWith(ExitCode.NOTHING_TO_DO, () -> ImageSources.resolve(List.of("-"), empty));

        InputStream twice = new ByteArrayInputStream((a + "\n").getBytes(StandardCharsets.UTF_8));
        failsWith(ExitCode.INVALID_INPUT, () -> ImageSources.resolve(List.of("-", "-"), twice));

        Path missing = dir.resolve("missing.png");
        InputStream bad = new ByteArrayInputStream((a + "\n" + missing + "\n").getBytes(StandardCharsets.UTF_8));
        EngramException e = failsWith(ExitCode.INVALID_INPUT, () -> ImageSources.resolve(List.of("-"), bad));
        assertEquals(missing + ": no such file or directory", e.getMessage());

        assertThrows(IllegalArgumentException.class, () -> ImageSources.inferShape(List.of("-")));
    }

    @Test
    void noArgumentsIsNothingToDo() {
        failsWith(ExitCode.NOTHING_TO_DO, () -> ImageSources.resolve(List.of()));
    }

    // ---- shape inference ----

    @Test
    void inferShapeLooksAtTheFirstImage() throws IOException {
        Path grey = TestImages.greyPng(dir.resolve("grey.png"), 30, 20, picture(30, 20, 0));
        Path rgb = TestImages.solidRgb(dir.resolve("rgb.png"), "png", 12, 34, 0x112233);
        Path jpg = TestImages.solidRgb(dir.resolve("rgb.jpg"), "jpeg", 9, 10, 0x112233);
        Path idx = Files.write(dir.resolve("i.idx.gz"), gzip(idxImages(28, 28, picture(28, 28, 0))));

        assertEquals(new ImageShape(1, 30, 20), ImageSources.inferShape(List.of(grey.toString(), rgb.toString())));
        assertEquals(new ImageShape(3, 12, 34), ImageSources.inferShape(List.of(rgb.toString(), grey.toString())));
        assertEquals(new ImageShape(3, 9, 10), ImageSources.inferShape(List.of(jpg.toString())));
        assertEquals(new ImageShape(1, 28, 28), ImageSources.inferShape(List.of(idx.toString(), rgb.toString())));
    }

    @Test
    void inferShapeTreatsAGreyPaletteAsGrey() throws IOException {
        byte[] levels = new byte[256];
        for (int i = 0; i < 256; i++) {
            levels[i] = (byte) i;
        }
        java.awt.image.IndexColorModel palette = new java.awt.image.IndexColorModel(8, 256, levels, levels, levels);
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(5, 6,
                java.awt.image.BufferedImage.TYPE_BYTE_INDEXED, palette);
        Path png = TestImages.write(image, "png", dir.resolve("palette.png"));

        assertEquals(new ImageShape(1, 6, 5), ImageSources.inferShape(List.of(png.toString())));
    }

    // ---- helpers ----

    private void assertMessage(ExitCode code, String expectedStart, Path file) {
        EngramException e = failsWith(code, () -> ImageSources.readAll(List.of(file.toString()), MNIST,
                InputStream.nullInputStream()));
        assertTrue(e.getMessage().startsWith(expectedStart), "message: " + e.getMessage());
    }

    private static EngramException failsWith(ExitCode code, Executable call) {
        EngramException e = assertThrows(EngramException.class, call);
        assertEquals(code, e.exitCode(), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e;
    }
}
