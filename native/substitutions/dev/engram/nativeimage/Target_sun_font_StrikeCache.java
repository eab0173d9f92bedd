package dev.engram.nativeimage;

import com.oracle.svm.core.annotate.Substitute;
import com.oracle.svm.core.annotate.TargetClass;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import org.graalvm.word.Pointer;

/**
 * JDK 25's font code (sun.font.StrikeCache) reads the C struct GlyphInfo that its rasteriser fills
 * through foreign-memory VarHandles; GraalVM 25's native-image support for that API is a module it
 * does not publish (native/README.md), so in the executable every such read would fail. These
 * substitutions, compiled only into the native build, read the same fields as raw memory at the
 * offsets of StrikeCache's own layout (GlyphImageLayout, 64-bit): xAdvance 0, yAdvance 4 (float);
 * width 8, height 10, rowBytes 12 (unsigned 16-bit); managed 14 (byte); topLeftX 16, topLeftY 20
 * (float); cellInfo 24, image 32 (pointers), in {@link GlyphInfo}. The VarHandles are never built.
 */
@TargetClass(className = "sun.font.StrikeCache")
final class Target_sun_font_StrikeCache {
    private Target_sun_font_StrikeCache() {
    }

    @Substitute
    private static VarHandle getVarHandle(StructLayout struct, String name) {
        return null;
    }

    @Substitute
    static float getGlyphXAdvance(long ptr) {
        return GlyphInfo.at(ptr).readFloat(GlyphInfo.X_ADVANCE);
    }

    @Substitute
    static void setGlyphXAdvance(long ptr, float val) {
        GlyphInfo.at(ptr).writeFloat(GlyphInfo.X_ADVANCE, val);
    }

    @Substitute
    static float getGlyphYAdvance(long ptr) {
        return GlyphInfo.at(ptr).readFloat(GlyphInfo.Y_ADVANCE);
    }

    @Substitute
    static char getGlyphWidth(long ptr) {
        return GlyphInfo.at(ptr).readChar(GlyphInfo.WIDTH);
    }

    @Substitute
    static char getGlyphHeight(long ptr) {
        return GlyphInfo.at(ptr).readChar(GlyphInfo.HEIGHT);
    }

    @Substitute
    static char getGlyphRowBytes(long ptr) {
        return GlyphInfo.at(ptr).readChar(GlyphInfo.ROW_BYTES);
    }

    @Substitute
    static byte getGlyphManaged(long ptr) {
        return GlyphInfo.at(ptr).readByte(GlyphInfo.MANAGED);
    }

    @Substitute
    static float getGlyphTopLeftX(long ptr) {
        return GlyphInfo.at(ptr).readFloat(GlyphInfo.TOP_LEFT_X);
    }

    @Substitute
    static float getGlyphTopLeftY(long ptr) {
        return GlyphInfo.at(ptr).readFloat(GlyphInfo.TOP_LEFT_Y);
    }

    @Substitute
    static long getGlyphCellInfo(long ptr) {
        return GlyphInfo.at(ptr).readLong(GlyphInfo.CELL_INFO);
    }

    @Substitute
    static void setGlyphCellInfo(long ptr, long val) {
        GlyphInfo.at(ptr).writeLong(GlyphInfo.CELL_INFO, val);
    }

    @Substitute
    static long getGlyphImagePtr(long ptr) {
        return GlyphInfo.at(ptr).readLong(GlyphInfo.IMAGE);
    }

    @Substitute
    static byte[] getGlyphPixelBytes(long ptr) {
        Pointer g = GlyphInfo.at(ptr);
        int size = g.readChar(GlyphInfo.ROW_BYTES) * g.readChar(GlyphInfo.HEIGHT);
        Pointer image = GlyphInfo.at(g.readLong(GlyphInfo.IMAGE));
        byte[] pixels = new byte[size];
        for (int i = 0; i < size; i++) {
            pixels[i] = image.readByte(i);
        }
        return pixels;
    }
}
