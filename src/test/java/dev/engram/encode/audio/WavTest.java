package dev.engram.encode.audio;

import static dev.engram.encode.audio.TestWavs.FLOAT;
import static dev.engram.encode.audio.TestWavs.PCM;
import static dev.engram.encode.audio.TestWavs.le;
import static dev.engram.encode.audio.TestWavs.wav;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.engram.EngramException;
import dev.engram.ExitCode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WavTest {
    @TempDir
    Path dir;

    private Wav read(byte[] bytes) throws IOException {
        return Wav.read(Files.write(dir.resolve("t.wav"), bytes));
    }

    /** The read fails with invalidInput, naming the file, and the message says {@code expected}. */
    private void rejects(byte[] bytes, String expected) throws IOException {
        Path file = Files.write(dir.resolve("bad.wav"), bytes);
        EngramException e = assertThrows(EngramException.class, () -> Wav.read(file));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    // ---- encodings ----

    @Test
    void pcm16KeepsExactValues() throws IOException {
        Wav w = read(TestWavs.pcm16(16000, (short) 0, (short) 1, (short) -1, Short.MAX_VALUE, Short.MIN_VALUE));
        assertEquals(16000, w.sampleRate());
        assertEquals(1, w.channels());
        assertEquals(16, w.bits());
        assertArrayEquals(new float[] {0, 1 / 32768f, -1 / 32768f, 32767 / 32768f, -1}, w.samples());
    }

    @Test
    void pcm8IsUnsignedAroundMidpoint128() throws IOException {
        Wav w = read(wav().fmt(PCM, 1, 8000, 8).data(new byte[] {0, (byte) 128, (byte) 255, 64}).bytes());
        assertEquals(8, w.bits());
        assertArrayEquals(new float[] {-1, 0, 127 / 128f, -0.5f}, w.samples());
    }

    @Test
    void pcm24IsSignedLittleEndian() throws IOException {
        int[] values = {0, 1, -1, 8388607, -8388608, 123456, -654321};
        ByteBuffer b = le(3 * values.length);
        for (int v : values) {
            b.put((byte) v).put((byte) (v >> 8)).put((byte) (v >> 16));
        }
        Wav w = read(wav().fmt(PCM, 1, 48000, 24).data(b.array()).bytes());
        float[] expected = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            expected[i] = (float) (values[i] / 8388608.0);
        }
        assertEquals(24, w.bits());
        assertArrayEquals(expected, w.samples());
    }

    @Test
    void pcm32IsSigned() throws IOException {
        ByteBuffer b = le(12).putInt(Integer.MAX_VALUE).putInt(Integer.MIN_VALUE).putInt(1 << 30);
        Wav w = read(wav().fmt(PCM, 1, 44100, 32).data(b.array()).bytes());
        assertArrayEquals(new float[] {1f, -1f, 0.5f}, w.samples(), 1e-7f);
    }

    @Test
    void float32IsClampedAndNaNIsSilence() throws IOException {
        ByteBuffer b = le(20).putFloat(0.25f).putFloat(-0.75f).putFloat(1.5f).putFloat(-3f).putFloat(Float.NaN);
        Wav w = read(wav().fmt(FLOAT, 1, 22050, 32).data(b.array()).bytes());
        assertEquals(32, w.bits());
        assertArrayEquals(new float[] {0.25f, -0.75f, 1f, -1f, 0f}, w.samples());
    }

    @Test
    void float64IsRead() throws IOException {
        ByteBuffer b = le(16).putDouble(0.125).putDouble(-0.5);
        Wav w = read(wav().fmt(FLOAT, 1, 22050, 64).data(b.array()).bytes());
        assertArrayEquals(new float[] {0.125f, -0.5f}, w.samples());
    }

    @Test
    void channelsAreAveragedToMono() throws IOException {
        ByteBuffer stereo = le(8).putShort((short) 1000).putShort((short) -3000).putShort((short) 16384)
                .putShort((short) 16384);
        Wav w = read(wav().fmt(PCM, 2, 16000, 16).data(stereo.array()).bytes());
        assertEquals(2, w.channels());
        assertArrayEquals(new float[] {-1000 / 32768f, 0.5f}, w.samples());

        ByteBuffer three = le(6).putShort((short) 300).putShort((short) 600).putShort((short) 900);
        assertArrayEquals(new float[] {600 / 32768f},
                read(wav().fmt(PCM, 3, 16000, 16).data(three.array()).bytes()).samples(), 1e-9f);
    }

    @Test
    void extensiblePcmAndFloatAreRead() throws IOException {
        ByteBuffer b = le(6);
        for (int v : new int[] {4096 << 8, 2048 << 8}) { // 16 valid bits, left-justified in 24
            b.put((byte) v).put((byte) (v >> 8)).put((byte) (v >> 16));
        }
        Wav pcm = read(wav().extensible(PCM, 2, 96000, 24, 16).data(b.array()).bytes());
        assertEquals(96000, pcm.sampleRate());
        assertEquals(2, pcm.channels());
        assertEquals(24, pcm.bits());
        assertArrayEquals(new float[] {3072 / 32768f}, pcm.samples());

        ByteBuffer f = le(8).putFloat(0.5f).putFloat(-0.25f);
        Wav flt = read(wav().extensible(FLOAT, 1, 48000, 32, 32).data(f.array()).bytes());
        assertArrayEquals(new float[] {0.5f, -0.25f}, flt.samples());
    }

    @Test
    void unknownChunksAndOddPaddingAreSkipped() throws IOException {
        byte[] bytes = wav()
                .chunk("LIST", "INFOISFT\u0005\0\0\0Lavf\0".getBytes(StandardCharsets.ISO_8859_1)) // odd: 17 bytes + pad
                .fmt(PCM, 1, 16000, 16)
                .chunk("fact", new byte[] {3, 0, 0, 0})
                .chunk("junk", new byte[] {1, 2, 3}) // odd size, padded
                .data(le(6).putShort((short) 100).putShort((short) -200).putShort((short) 300).array())
                .chunk("id3 ", new byte[] {9, 9, 9})
                .bytes();
        assertArrayEquals(new float[] {100 / 32768f, -200 / 32768f, 300 / 32768f}, read(bytes).samples());
    }

    @Test
    void oddLengthDataOfEightBitSamplesIsRead() throws IOException {
        byte[] bytes = wav().fmt(PCM, 1, 8000, 8).data(new byte[] {(byte) 128, (byte) 192, 64}).bytes();
        assertArrayEquals(new float[] {0f, 0.5f, -0.5f}, read(bytes).samples());
    }

    @Test
    void streamedDataSizeReadsToTheEnd() throws IOException {
        byte[] bytes = wav().fmt(PCM, 1, 16000, 16)
                .rawChunk("data", 0xFFFF_FFFFL, le(4).putShort((short) 7).putShort((short) 8).array(), false)
                .bytes();
        assertArrayEquals(new float[] {7 / 32768f, 8 / 32768f}, read(bytes).samples());
    }

    @Test
    void streamReaderNamesTheGivenSource() {
        byte[] bytes = TestWavs.pcm16(16000, (short) 5);
        assertArrayEquals(new float[] {5 / 32768f},
                Wav.read(new ByteArrayInputStream(bytes), "stdin").samples());
        EngramException e = assertThrows(EngramException.class,
                () -> Wav.read(new ByteArrayInputStream(new byte[] {1, 2, 3}), "upload #3"));
        assertTrue(e.getMessage().startsWith("upload #3: "), e.getMessage());
    }

    // ---- rejected files ----

    @Test
    void notRiffWaveIsRejected() throws IOException {
        rejects("just some text, not audio".getBytes(StandardCharsets.US_ASCII), "not a WAV file");
        rejects(new byte[0], "not a WAV file");
        rejects(wav().header("RIFF", "AVI ").fmt(PCM, 1, 16000, 16).bytes(), "not a WAV file");
        rejects(wav().header("RF64", "WAVE").fmt(PCM, 1, 16000, 16).bytes(), "RF64");
    }

    @Test
    void missingChunksAreRejected() throws IOException {
        rejects(wav().fmt(PCM, 1, 16000, 16).bytes(), "no data chunk");
        rejects(wav().chunk("LIST", new byte[4]).bytes(), "no fmt chunk");
        rejects(wav().data(new byte[4]).fmt(PCM, 1, 16000, 16).bytes(), "data chunk before the fmt chunk");
    }

    @Test
    void unsupportedEncodingsAreNamed() throws IOException {
        rejects(wav().fmt(6, 1, 8000, 8).data(new byte[4]).bytes(), "A-law (format code 0x0006)");
        rejects(wav().fmt(7, 1, 8000, 8).data(new byte[4]).bytes(), "mu-law");
        rejects(wav().fmt(2, 1, 8000, 4).data(new byte[4]).bytes(), "Microsoft ADPCM (format code 0x0002)");
        rejects(wav().fmt(0x11, 1, 8000, 4).data(new byte[4]).bytes(), "IMA ADPCM");
        rejects(wav().fmt(0x1234, 1, 8000, 16).data(new byte[4]).bytes(), "format code 0x1234");
        rejects(wav().extensible(6, 1, 8000, 8, 8).data(new byte[4]).bytes(), "A-law");
        rejects(wav().fmt(PCM, 1, 8000, 12).data(new byte[4]).bytes(), "12-bit PCM");
        rejects(wav().fmt(FLOAT, 1, 8000, 16).data(new byte[4]).bytes(), "16-bit IEEE float");
    }

    @Test
    void truncatedFilesAreRejected() throws IOException {
        byte[] whole = TestWavs.pcm16(16000, new short[100]);
        rejects(Arrays.copyOf(whole, whole.length - 10), "truncated data chunk");
        rejects(Arrays.copyOf(whole, 30), "truncated fmt chunk");
        byte[] cutInHeader = wav().fmt(PCM, 1, 16000, 16).chunk("LIST", new byte[20]).bytes();
        rejects(Arrays.copyOf(cutInHeader, cutInHeader.length - 8), "truncated");
    }

    @Test
    void zeroSamplesAreRejected() throws IOException {
        rejects(wav().fmt(PCM, 1, 16000, 16).data(new byte[0]).bytes(), "no samples");
        rejects(wav().fmt(PCM, 2, 16000, 16).data(new byte[2]).bytes(), "no samples"); // half a frame
    }

    @Test
    void absurdHeadersAreRejected() throws IOException {
        rejects(wav().fmt(PCM, 1, 0, 16).data(new byte[4]).bytes(), "implausible sample rate 0 Hz");
        rejects(wav().fmt(PCM, 1, 50, 16).data(new byte[4]).bytes(), "implausible sample rate 50 Hz");
        rejects(wav().fmt(PCM, 1, 10_000_000, 16).data(new byte[4]).bytes(), "implausible sample rate");
        rejects(wav().fmt(PCM, 0, 16000, 16).data(new byte[4]).bytes(), "channel count 0");
        byte[] badAlign = wav().fmt(PCM, 1, 16000, 16).data(new byte[4]).bytes();
        badAlign[12 + 8 + 12] = 7; // block align
        rejects(badAlign, "block align 7");
    }

    @Test
    void hugeDeclaredDataIsRefusedBeforeReading() throws IOException {
        // 4 GB of 4-byte frames: more than a byte array holds, whatever the file's length.
        rejects(wav().fmt(PCM, 1, 16000, 32).rawChunk("data", 0xFFFF_FFFCL, new byte[8], false).bytes(),
                "data chunk of 4294967292 bytes is too long to decode in memory");
        rejects(wav().fmt(PCM, 2, 16000, 16).rawChunk("data", 0x8000_0000L, new byte[8], false).bytes(),
                "too long to decode in memory");
        rejects(wav().fmt(PCM, 1, 16000, 16).rawChunk("data", 0x7FFF_0000L, new byte[8], false).bytes(),
                "truncated data chunk (8 of 2147418112 bytes)");
    }

    @Test
    void missingFileIsInvalidInput() {
        Path missing = dir.resolve("nope.wav");
        EngramException e = assertThrows(EngramException.class, () -> Wav.read(missing));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertTrue(e.getMessage().startsWith(missing.toString()), e.getMessage());
    }
}
