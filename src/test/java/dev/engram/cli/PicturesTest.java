package dev.engram.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pictures: {@code recall --sheet} (a row per cue: the cue, its reconstruction, its neighbours) and {@code map}. */
class PicturesTest {
    @RegisterExtension
    static final TemplateStore TEMPLATE = TemplateStore.shapes(10, 3, 1);

    @TempDir
    Path tmp;

    @Test
    void aSheetHasARowPerCueAndTheReportIsUnchanged() throws Exception {
        Path store = TEMPLATE.copyTo(tmp.resolve("store"));
        Path cues = TEMPLATE.path("train").resolve("vbar");
        Engram.Run plain = Engram.on(store, "recall", "-k", "3", "--json", cues.toString());
        Path sheet = tmp.resolve("out/sheet.png");
        Engram.Run drawn = Engram.on(store, "recall", "-k", "3", "--json", "--sheet", sheet.toString(), cues.toString());
        assertEquals(0, drawn.exit(), drawn::toString);
        assertEquals(plain.out(), drawn.out(), "the sheet changes nothing on stdout");
        assertTrue(drawn.err().contains("drew " + sheet + ": 10 of 10 cues"), drawn::toString);
        BufferedImage image = ImageIO.read(sheet.toFile());
        // Cue, reconstruction and 3 neighbours of 96-pixel tiles with 8-pixel gaps; a header and 10 rows.
        assertEquals(8 + 5 * (96 + 8), image.getWidth());
        assertEquals(28 + 8 + 10 * (96 + 30 + 8), image.getHeight());
        // The first row's reconstruction tile is drawn (not the grey box of a missing picture).
        int rgb = image.getRGB(8 + 96 + 8 + 48, 28 + 8 + 48);
        assertNotEquals(0xffeeeeee, rgb);
        try (var left = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith("engram-sheet")
                    && Files.isDirectory(p) && isEmptyOrRecent(p)), "the scratch reconstructions are removed");
        }
    }

    @Test
    void aMapListsEveryTraceAndDrawsConceptsWithTheirReconstructions() throws Exception {
        Path store = TEMPLATE.copyTo(tmp.resolve("store"));
        Engram.Run rows = Engram.on(store, "map", "--method", "pca", "--json");
        assertEquals(0, rows.exit(), rows::toString);
        assertEquals(30, rows.outLines().size());
        assertTrue(Engram.json(rows).stream().allMatch(o -> o.has("x") && o.has("y") && o.has("concept")), rows::toString);
        Path plain = tmp.resolve("plain.png");
        Path thumbs = tmp.resolve("thumbs.png");
        assertEquals(0, Engram.on(store, "map", "--plot", plain.toString()).exit());
        Engram.Run drawn = Engram.on(store, "map", "--plot", thumbs.toString(), "--thumbnails");
        assertEquals(0, drawn.exit(), drawn::toString);
        BufferedImage a = ImageIO.read(plain.toFile());
        BufferedImage b = ImageIO.read(thumbs.toFile());
        assertEquals(a.getWidth(), b.getWidth());
        long differ = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                differ += a.getRGB(x, y) != b.getRGB(x, y) ? 1 : 0;
            }
        }
        // Three concepts' 44-pixel pictures with their frames (overlapping points aside).
        assertTrue(differ > 3 * 40 * 40, differ + " pixels differ");
    }

    private static boolean isEmptyOrRecent(Path p) {
        try {
            return Files.getLastModifiedTime(p).toMillis() > System.currentTimeMillis() - 60_000;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
