package dev.engram.nativeimage;

import org.graalvm.word.Pointer;
import org.graalvm.word.WordFactory;

/**
 * The C struct GlyphInfo of the JDK's font rasteriser as raw memory: its fields' offsets on a 64-bit
 * platform, as sun.font.StrikeCache's GlyphImageLayout gives them (see Target_sun_font_StrikeCache).
 */
final class GlyphInfo {
    static final int X_ADVANCE = 0;
    static final int Y_ADVANCE = 4;
    static final int WIDTH = 8;
    static final int HEIGHT = 10;
    static final int ROW_BYTES = 12;
    static final int MANAGED = 14;
    static final int TOP_LEFT_X = 16;
    static final int TOP_LEFT_Y = 20;
    static final int CELL_INFO = 24;
    static final int IMAGE = 32;

    private GlyphInfo() {
    }

    static Pointer at(long address) {
        return WordFactory.pointer(address);
    }
}
