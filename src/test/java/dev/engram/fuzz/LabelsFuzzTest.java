package dev.engram.fuzz;

import dev.engram.bind.LabelFiles;

/** CSV label files ({@code source,concept} rows) for {@code engram bind --labels}. */
class LabelsFuzzTest {
    @ParserFuzzTest
    void csv(byte[] bytes) throws Exception {
        var file = Scratch.file("labels", "labels.csv", bytes);
        Contract.holds(() -> LabelFiles.csv(file));
    }
}
