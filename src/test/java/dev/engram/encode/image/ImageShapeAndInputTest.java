package dev.engram.encode.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.engram.EngramException;
import dev.engram.ExitCode;
import org.junit.jupiter.api.Test;

class ImageShapeAndInputTest {
    @Test
    void shapeParsesWhatItPrints() {
        ImageShape shape = new ImageShape(3, 64, 48);

        assertEquals("3x64x48", shape.toString());
        assertEquals(shape, ImageShape.parse("3x64x48"));
        assertEquals(new ImageShape(1, 28, 28), ImageShape.parse(" 1X28x28 "));
        assertEquals(3 * 64 * 48, shape.size());
    }

    @Test
    void badShapesAreInvalidInput() {
        for (String bad : new String[] {"28x28", "2x28x28", "1x0x28", "axbxc", ""}) {
            EngramException e = assertThrows(EngramException.class, () -> ImageShape.parse(bad), bad);
            assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        }
        assertThrows(IllegalArgumentException.class, () -> new ImageShape(4, 2, 2));
    }

    @Test
    void hashQuantisesToBytes() {
        float[] a = {0f, 0.5f, 1f};
        float[] nearlyA = {0.001f, 0.501f, 0.999f};
        float[] clamped = {-3f, 0.5f, 9f};

        assertEquals(ImageInput.contentHash(a), ImageInput.contentHash(nearlyA));
        assertEquals(ImageInput.contentHash(a), ImageInput.contentHash(clamped));
        assertNotEquals(ImageInput.contentHash(a), ImageInput.contentHash(new float[] {0f, 0.51f, 1f}));
        // SHA-256 of the bytes 00 80 FF (python3: hashlib.sha256(bytes([0, 128, 255])).hexdigest())
        assertEquals("5240672d7b51756b829ad0ef8d9468b7a078afa2f410484fd3892dab47becb72",
                ImageInput.contentHash(a));
    }

    @Test
    void inputsCompareByPixels() {
        ImageInput a = new ImageInput("/x.png", -1, new float[] {0.25f});
        ImageInput b = new ImageInput("/x.png", -1, new float[] {0.25f});

        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals("/x.png#3", new ImageInput("/x.png", 3, new float[1]).location());
        assertEquals("/x.png", a.location());
    }
}
