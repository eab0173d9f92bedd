package dev.engram.fuzz;

import dev.engram.bind.Lexicon;

/** Glossaries ({@code concept,text} rows) for {@code engram bind --glossary}. */
class GlossaryFuzzTest {
    @ParserFuzzTest
    void csv(byte[] bytes) throws Exception {
        var file = Scratch.file("glossary", "glossary.csv", bytes);
        Contract.holds(() -> Lexicon.glossary(file));
    }
}
