package dev.engram.fuzz;

import dev.engram.encode.Modalities;

/**
 * A file whose name tells nothing: engram tells its kind by its first bytes (IDX, gzip, WAV,
 * PNG, JPEG) and reads it as that kind, or refuses it.
 */
class FirstBytesFuzzTest {
    @ParserFuzzTest
    void unnamed(byte[] bytes) throws Exception {
        var file = Scratch.file("unnamed", "input", bytes);
        Contract.holds(() -> Encoding.argument(Modalities.ofPath(file), file));
    }
}
