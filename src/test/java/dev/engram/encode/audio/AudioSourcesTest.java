package dev.engram.encode.audio;

import static dev.engram.encode.audio.TestWavs.tone;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioSourcesTest {
    @TempDir
    Path dir;

    private Path wav(String name, float[] samples) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.write(file, TestWavs.pcm16(16000, samples));
    }

    @Test
    void aFileBecomesOneInputOfTheFixedShape() throws IOException {
        Path file = wav("a.wav", tone(440, 16000, 0.3, 0.5));
        String messy = dir.resolve("sub/../a.wav").toString();
        Files.createDirectories(dir.resolve("sub"));

        List<AudioInput> inputs = AudioSources.readAll(List.of(messy), ByteArrayInputStream.nullInputStream());

        assertEquals(1, inputs.size());
        AudioInput in = inputs.get(0);
        assertEquals(file.toAbsolutePath().normalize().toString(), in.source());
        assertEquals(-1, in.index());
        assertEquals(AudioSources.SHAPE.size(), in.values().length);
        assertArrayEquals(new int[] {1, 64, 64}, AudioSources.shape());
        assertEquals(0, AudioSources.SHAPE.height() % 4);
        assertEquals(0, AudioSources.SHAPE.width() % 4);
    }

    @Test
    void directoriesAreSearchedRecursivelyForWavInAnyCaseInPathOrder() throws IOException {
        float[] s = tone(300, 16000, 0.2, 0.5);
        Path b = wav("b/x.WAV", s);
        Path a2 = wav("a/z/2.wav", s);
        Path a1 = wav("a/1.Wav", s);
        wav(".hidden/h.wav", s);
        wav("a/._resource.wav", s);
        Files.writeString(dir.resolve("a/notes.txt"), "not audio");

        List<Path> files = AudioSources.resolve(List.of(dir.toString())).files();

        assertEquals(List.of(a1, a2, b), files);
    }

    @Test
    void pathsComeFromStandardInputForDash() throws IOException {
        Path a = wav("a.wav", tone(300, 16000, 0.2, 0.5));
        Path b = wav("b.wav", tone(600, 16000, 0.2, 0.5));
        byte[] list = ("\n" + b + "\r\n" + a + "\n").getBytes(StandardCharsets.UTF_8);

        List<Path> files = AudioSources.resolve(List.of("-"), new ByteArrayInputStream(list)).files();

        assertEquals(List.of(b, a), files);
        assertThrows(IllegalArgumentException.class, () -> AudioSources.resolve(List.of("-")));
    }

    @Test
    void anEmptyDirectoryIsNothingToDo() throws IOException {
        Files.createDirectories(dir.resolve("empty"));
        Files.writeString(dir.resolve("empty/readme.txt"), "no audio here");

        EngramException e = assertThrows(EngramException.class,
                () -> AudioSources.resolve(List.of(dir.resolve("empty").toString())));

        assertEquals(ExitCode.NOTHING_TO_DO, e.exitCode());
        assertTrue(e.getMessage().contains("empty") && e.getMessage().contains("*.wav"), e.getMessage());
        assertEquals(ExitCode.NOTHING_TO_DO,
                assertThrows(EngramException.class, () -> AudioSources.resolve(List.of())).exitCode());
    }

    @Test
    void aNonWavFileGivenByNameIsInvalidInput() throws IOException {
        Path text = Files.writeString(dir.resolve("notes.wav"), "this is not a WAV file");
        Path good = wav("good.wav", tone(300, 16000, 0.2, 0.5));
        AudioSources sources = AudioSources.resolve(List.of(good.toString(), text.toString()));

        EngramException e = assertThrows(EngramException.class, sources::readAll);

        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertTrue(e.getMessage().startsWith(text + ": not a WAV file"), e.getMessage());
    }

    @Test
    void aMissingPathIsInvalidInput() {
        EngramException e = assertThrows(EngramException.class,
                () -> AudioSources.resolve(List.of(dir.resolve("gone.wav").toString())));
        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertTrue(e.getMessage().contains("gone.wav"), e.getMessage());
    }

    @Test
    void theSameSoundHashesTheSameWhateverItsStorage() {
        short[] pcm = {0, 1200, -3400, 32767, -32768, 17};
        ByteBuffer f = TestWavs.le(4 * pcm.length);
        ByteBuffer b24 = TestWavs.le(3 * pcm.length);
        for (short s : pcm) {
            f.putFloat(s / 32768f);
            int v = s << 8;
            b24.put((byte) v).put((byte) (v >> 8)).put((byte) (v >> 16));
        }
        Wav w16 = Wav.read(new ByteArrayInputStream(TestWavs.pcm16(16000, pcm)), "16");
        Wav wFloat = Wav.read(new ByteArrayInputStream(
                TestWavs.wav().fmt(TestWavs.FLOAT, 1, 16000, 32).data(f.array()).bytes()), "float");
        Wav w24 = Wav.read(new ByteArrayInputStream(
                TestWavs.wav().fmt(TestWavs.PCM, 1, 16000, 24).data(b24.array()).bytes()), "24");

        String hash = AudioInput.contentHash(w16);
        assertTrue(hash.matches("[0-9a-f]{64}"), hash);
        assertEquals(hash, AudioInput.contentHash(wFloat));
        assertEquals(hash, AudioInput.contentHash(w24));

        pcm[5] = 18;
        assertNotEquals(hash, AudioInput.contentHash(Wav.read(new ByteArrayInputStream(TestWavs.pcm16(16000, pcm)), "x")));
        assertNotEquals(hash, AudioInput.contentHash(new Wav(8000, 1, 16, w16.samples())));
    }
}
