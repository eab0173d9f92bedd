package dev.engram.encode.audio;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Builds WAV files byte by byte, including the odd and broken ones real files can be. */
final class TestWavs {
    static final int PCM = 1;
    static final int FLOAT = 3;

    private final ByteArrayOutputStream chunks = new ByteArrayOutputStream();
    private String riff = "RIFF";
    private String wave = "WAVE";

    private TestWavs() {
    }

    static TestWavs wav() {
        return new TestWavs();
    }

    /** A whole 16-bit mono PCM file. */
    static byte[] pcm16(int rate, short... samples) {
        ByteBuffer data = le(2 * samples.length);
        for (short s : samples) {
            data.putShort(s);
        }
        return wav().fmt(PCM, 1, rate, 16).data(data.array()).bytes();
    }

    /** A whole 16-bit mono PCM file of samples in [-1, 1]. */
    static byte[] pcm16(int rate, float[] samples) {
        short[] s = new short[samples.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = (short) Math.max(-32768, Math.min(32767, Math.round(samples[i] * 32768)));
        }
        return pcm16(rate, s);
    }

    TestWavs header(String riffTag, String waveTag) {
        riff = riffTag;
        wave = waveTag;
        return this;
    }

    TestWavs fmt(int code, int channels, int rate, int bits) {
        ByteBuffer b = le(16);
        b.putShort((short) code).putShort((short) channels).putInt(rate)
                .putInt(rate * channels * bits / 8).putShort((short) (channels * bits / 8)).putShort((short) bits);
        return chunk("fmt ", b.array());
    }

    /** WAVE_FORMAT_EXTENSIBLE with sub-format {@code subCode} (the KSDATAFORMAT GUID pattern). */
    TestWavs extensible(int subCode, int channels, int rate, int bits, int validBits) {
        ByteBuffer b = le(40);
        b.putShort((short) 0xFFFE).putShort((short) channels).putInt(rate)
                .putInt(rate * channels * bits / 8).putShort((short) (channels * bits / 8)).putShort((short) bits);
        b.putShort((short) 22).putShort((short) validBits).putInt(channels == 2 ? 3 : 4);
        // GUID {subCode}-0000-0010-8000-00AA00389B71: Data1 (32-bit), Data2, Data3 (16-bit) little-endian, Data4 as bytes.
        b.putInt(subCode).putShort((short) 0).putShort((short) 0x0010)
                .put(new byte[] {(byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71});
        return chunk("fmt ", b.array());
    }

    TestWavs data(byte[] bytes) {
        return chunk("data", bytes);
    }

    /** A chunk with its true size, padded to even length as RIFF requires. */
    TestWavs chunk(String id, byte[] body) {
        return rawChunk(id, body.length, body, body.length % 2 == 1);
    }

    /** A chunk whose header claims {@code declaredSize}, whatever the body holds. */
    TestWavs rawChunk(String id, long declaredSize, byte[] body, boolean pad) {
        ByteBuffer h = le(8);
        h.put(id.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt((int) declaredSize);
        chunks.writeBytes(h.array());
        chunks.writeBytes(body);
        if (pad) {
            chunks.write(0);
        }
        return this;
    }

    byte[] bytes() {
        byte[] body = chunks.toByteArray();
        ByteBuffer b = le(12 + body.length);
        b.put(riff.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).putInt(4 + body.length)
                .put(wave.getBytes(java.nio.charset.StandardCharsets.US_ASCII)).put(body);
        return b.array();
    }

    static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** {@code amplitude sin(2 pi hz t)} for {@code seconds} at {@code rate}. */
    static float[] tone(double hz, int rate, double seconds, double amplitude) {
        float[] s = new float[(int) Math.round(rate * seconds)];
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) (amplitude * Math.sin(2 * Math.PI * hz * i / rate));
        }
        return s;
    }
}
