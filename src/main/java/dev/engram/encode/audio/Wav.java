package dev.engram.encode.audio;

import dev.engram.EngramException;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * A decoded RIFF/WAVE file: its sample rate, the channels and bits it was stored with, and its
 * samples mixed down to one channel in [-1, 1].
 *
 * <p>Reads integer PCM (8-bit unsigned; 16, 24 and 32-bit signed), IEEE float (32 and 64-bit),
 * and WAVE_FORMAT_EXTENSIBLE whose sub-format is one of those. Channels are mixed to mono by
 * averaging. An integer sample {@code s} of {@code b} bits becomes {@code s / 2^(b-1)}, so 16-bit
 * values come back exactly as {@code s/32768}; float samples are clamped to [-1, 1] (NaN as 0).
 * Chunks other than {@code fmt } and {@code data} (LIST, fact, cue...) are skipped, with the pad
 * byte that follows an odd-sized chunk. The layout is Microsoft's "Multimedia Programming
 * Interface and Data Specifications 1.0" (1991) and the WAVE_FORMAT_EXTENSIBLE note (KSDATAFORMAT
 * sub-formats, mmreg.h / ksmedia.h).
 *
 * @param sampleRate samples per second per channel, as stored
 * @param channels   channels in the file (before mixing)
 * @param bits       bits per stored sample (before mixing)
 * @param samples    mono samples in [-1, 1]
 */
public record Wav(int sampleRate, int channels, int bits, float[] samples) {

    /** Rates outside this range are not audio anyone records; a header claiming one is damaged. */
    public static final int MIN_RATE = 1_000;
    public static final int MAX_RATE = 768_000;

    private static final int PCM = 0x0001;
    private static final int IEEE_FLOAT = 0x0003;
    private static final int EXTENSIBLE = 0xFFFE;
    private static final int MAX_CHANNELS = 256;
    /** The most sample bytes read: the largest byte array a JVM makes. */
    private static final int MAX_DATA = Integer.MAX_VALUE - 8;

    public Wav {
        Objects.requireNonNull(samples, "samples");
    }

    /** Length in seconds. */
    public double seconds() {
        return samples.length / (double) sampleRate;
    }

    /** Whether the first 12 bytes are a RIFF/WAVE header. */
    public static boolean isWav(byte[] head) {
        return head.length >= 12 && tag(head, 0).equals("RIFF") && tag(head, 8).equals("WAVE");
    }

    /** Reads a WAV file; failures name the file. */
    public static Wav read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (NoSuchFileException e) {
            throw EngramException.invalidInput(file + ": no such file", e);
        } catch (IOException e) {
            throw EngramException.invalidInput(file + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /**
     * Reads a WAV from a stream, which is read up to the end of the data chunk and left open.
     * {@code name} says where it came from in error messages.
     */
    public static Wav read(InputStream in, String name) {
        try {
            return new Reader(in, name).read();
        } catch (EOFException e) {
            throw invalid(name, "truncated (the file ends inside a chunk)");
        } catch (IOException e) {
            throw EngramException.invalidInput(name + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static EngramException invalid(String name, String what) {
        return EngramException.invalidInput(name + ": " + what);
    }

    /** The fmt chunk, resolved to the encoding of the samples. */
    private record Format(int code, int channels, int rate, int blockAlign, int bits) {
        boolean isFloat() {
            return code == IEEE_FLOAT;
        }
    }

    private static final class Reader {
        private final InputStream in;
        private final String name;

        Reader(InputStream in, String name) {
            this.in = in;
            this.name = name;
        }

        Wav read() throws IOException {
            byte[] riff = in.readNBytes(12);
            if (!isWav(riff)) {
                if (riff.length >= 4 && tag(riff, 0).equals("RF64")) {
                    throw invalid(name, "RF64 (WAV larger than 4 GB) is not supported");
                }
                throw invalid(name, "not a WAV file (no RIFF/WAVE header)");
            }
            Format format = null;
            while (true) {
                byte[] header = in.readNBytes(8);
                if (header.length < 8) {
                    throw invalid(name, format == null ? "no fmt chunk before the end of the file"
                            : "no data chunk before the end of the file");
                }
                String id = tag(header, 0);
                long size = le32(header, 4) & 0xFFFF_FFFFL;
                if (id.equals("fmt ")) {
                    format = parseFormat(readChunk(size, "fmt"));
                } else if (id.equals("data")) {
                    if (format == null) {
                        throw invalid(name, "data chunk before the fmt chunk (no sample format)");
                    }
                    return decode(format, size);
                } else {
                    skip(size + (size & 1));
                }
            }
        }

        private byte[] readChunk(long size, String what) throws IOException {
            if (size > 1 << 16) {
                throw invalid(name, what + " chunk of " + size + " bytes is implausibly large");
            }
            byte[] body = in.readNBytes((int) size);
            if (body.length < size) {
                throw invalid(name, "truncated " + what + " chunk (" + body.length + " of " + size + " bytes)");
            }
            if ((size & 1) == 1) {
                in.readNBytes(1);
            }
            return body;
        }

        private void skip(long n) throws IOException {
            // skipNBytes throws EOFException at the end, which read() reports as truncation.
            in.skipNBytes(n);
        }

        private Format parseFormat(byte[] fmt) {
            if (fmt.length < 16) {
                throw invalid(name, "fmt chunk is " + fmt.length + " bytes, shorter than the 16 it needs");
            }
            int code = le16(fmt, 0);
            int channels = le16(fmt, 2);
            long rate = le32(fmt, 4) & 0xFFFF_FFFFL;
            int blockAlign = le16(fmt, 12);
            int bits = le16(fmt, 14);
            int encoding = code;
            if (code == EXTENSIBLE) {
                if (fmt.length < 40) {
                    throw invalid(name, "WAVE_FORMAT_EXTENSIBLE fmt chunk is " + fmt.length
                            + " bytes, shorter than the 40 it needs");
                }
                // The sub-format GUID is {code}-0000-0010-8000-00AA00389B71: its first two bytes
                // are the format code. Fewer valid bits (offset 18) than the container holds are
                // left-justified in it, so decoding by container size is exact.
                encoding = le16(fmt, 24);
            }
            if (encoding != PCM && encoding != IEEE_FLOAT) {
                throw invalid(name, "unsupported encoding " + encodingName(encoding)
                        + "; only PCM and IEEE float samples are read");
            }
            if (channels < 1 || channels > MAX_CHANNELS) {
                throw invalid(name, "implausible channel count " + channels);
            }
            if (rate < MIN_RATE || rate > MAX_RATE) {
                throw invalid(name, "implausible sample rate " + rate + " Hz (expected " + MIN_RATE + " to "
                        + MAX_RATE + ")");
            }
            boolean supported = encoding == PCM ? bits == 8 || bits == 16 || bits == 24 || bits == 32
                    : bits == 32 || bits == 64;
            if (!supported) {
                throw invalid(name, "unsupported " + bits + "-bit " + (encoding == PCM ? "PCM" : "IEEE float")
                        + " samples (PCM: 8, 16, 24 or 32 bits; float: 32 or 64)");
            }
            if (blockAlign != channels * bits / 8) {
                throw invalid(name, "block align " + blockAlign + " does not match " + channels + " channels of "
                        + bits + " bits");
            }
            return new Format(encoding, channels, (int) rate, blockAlign, bits);
        }

        private Wav decode(Format f, long declared) throws IOException {
            // Writers that stream to a pipe leave the data size at 0xFFFFFFFF (sox, ffmpeg): read
            // to the end of the file. Otherwise a data chunk shorter than declared is truncation.
            // The declared size is never allocated: readNBytes grows with what the file holds.
            boolean streamed = declared == 0xFFFF_FFFFL;
            long wanted = declared / f.blockAlign() * f.blockAlign();
            if (!streamed && wanted > MAX_DATA) {
                throw invalid(name, "data chunk of " + declared + " bytes is too long to decode in memory");
            }
            byte[] data = in.readNBytes((int) (streamed ? MAX_DATA : wanted));
            if (streamed && data.length == MAX_DATA && in.read() != -1) {
                throw invalid(name, "streamed data of more than " + MAX_DATA + " bytes is too long to decode in memory");
            }
            if (!streamed && data.length < wanted) {
                throw invalid(name, "truncated data chunk (" + data.length + " of " + declared + " bytes)");
            }
            int n = data.length / f.blockAlign();
            if (n == 0) {
                throw invalid(name, "no samples (the data chunk is empty)");
            }
            float[] mono = new float[n];
            ByteBuffer buf = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
            int bytes = f.bits() / 8;
            for (int i = 0; i < n; i++) {
                double sum = 0;
                for (int c = 0; c < f.channels(); c++) {
                    sum += sample(buf, (i * f.channels() + c) * bytes, f);
                }
                mono[i] = (float) (sum / f.channels());
            }
            return new Wav(f.rate(), f.channels(), f.bits(), mono);
        }

        private static double sample(ByteBuffer buf, int at, Format f) {
            if (f.isFloat()) {
                double v = f.bits() == 32 ? buf.getFloat(at) : buf.getDouble(at);
                return Double.isNaN(v) ? 0 : Math.max(-1, Math.min(1, v));
            }
            return switch (f.bits()) {
                case 8 -> ((buf.get(at) & 0xFF) - 128) / 128.0;
                case 16 -> buf.getShort(at) / 32768.0;
                case 24 -> ((buf.get(at) & 0xFF) | (buf.get(at + 1) & 0xFF) << 8 | buf.get(at + 2) << 16) / 8388608.0;
                default -> buf.getInt(at) / 2147483648.0;
            };
        }
    }

    private static String encodingName(int code) {
        String hex = "format code 0x" + String.format("%04X", code);
        String known = switch (code) {
            case 0x0002 -> "Microsoft ADPCM";
            case 0x0006 -> "A-law";
            case 0x0007 -> "mu-law";
            case 0x0011 -> "IMA ADPCM";
            case 0x0031 -> "GSM 6.10";
            case 0x0050 -> "MPEG";
            case 0x0055 -> "MPEG Layer 3";
            default -> null;
        };
        return known == null ? "(" + hex + ")" : known + " (" + hex + ")";
    }

    private static String tag(byte[] b, int at) {
        char[] c = new char[4];
        for (int i = 0; i < 4; i++) {
            c[i] = (char) (b[at + i] & 0xFF);
        }
        return new String(c);
    }

    private static int le16(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8;
    }

    private static int le32(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }

    // Records compare array components by identity; two decoded files are equal when their samples are.
    @Override
    public boolean equals(Object o) {
        return o instanceof Wav w && sampleRate == w.sampleRate && channels == w.channels && bits == w.bits
                && Arrays.equals(samples, w.samples);
    }

    @Override
    public int hashCode() {
        return Objects.hash(sampleRate, channels, bits, Arrays.hashCode(samples));
    }

    @Override
    public String toString() {
        return "Wav[" + sampleRate + " Hz, " + channels + " ch, " + bits + " bits, " + samples.length + " samples]";
    }
}
