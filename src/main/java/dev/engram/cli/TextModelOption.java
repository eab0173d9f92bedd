package dev.engram.cli;

import dev.engram.encode.text.TextModel;
import picocli.CommandLine.Option;

import java.util.Arrays;
import java.util.Iterator;

/** Which sentence encoder makes a new text space ({@code encode} and {@code bind}). */
public final class TextModelOption {
    @Option(names = "--text-model", paramLabel = "MODEL", completionCandidates = Names.class,
            description = "Sentence encoder of a new text space: ${COMPLETION-CANDIDATES} (default: the first). An "
                    + "existing text space keeps the model that made it; naming another is refused, as vectors of "
                    + "two models do not compare.")
    String name;

    /** The models' ids, for completion and help. */
    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(TextModel.values()).sorted((a, b) -> a == TextModel.DEFAULT ? -1
                    : b == TextModel.DEFAULT ? 1 : 0).map(TextModel::id).iterator();
        }
    }
}
