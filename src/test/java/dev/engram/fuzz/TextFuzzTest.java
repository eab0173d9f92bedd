package dev.engram.fuzz;

import dev.engram.encode.text.TextModality;

import java.io.ByteArrayInputStream;
import java.util.List;

/** Texts: a text file is one text; standard input ({@code -}) is one text a line. */
class TextFuzzTest {
    @ParserFuzzTest
    void text(byte[] bytes) throws Exception {
        var file = Scratch.file("text", "input.txt", bytes);
        Contract.holds(() -> Encoding.argument(TextModality.INSTANCE, file));
        Contract.holds(() -> Encoding.arguments(TextModality.INSTANCE, List.of("-"), new ByteArrayInputStream(bytes)));
    }
}
