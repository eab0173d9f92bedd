package dev.engram.fuzz;

import dev.engram.encode.audio.AudioModality;

/** WAV files as audio arguments: decoded, mixed to mono, resampled and made a log-mel spectrogram. */
class WavFuzzTest {
    @ParserFuzzTest
    void wav(byte[] bytes) throws Exception {
        var file = Scratch.file("wav", "input.wav", bytes);
        Contract.holds(() -> Encoding.argument(AudioModality.INSTANCE, file));
    }
}
