package dev.engram.bind;

import dev.engram.EngramException;
import dev.engram.ExitCode;
import dev.engram.io.IdxFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The files that name the concepts of traces: CSV rows and IDX label files. */
class LabelFilesTest {
    @TempDir
    Path tmp;

    private Path csv(String text) throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("labels"));
        return Files.writeString(folder.resolve("labels.csv"), text);
    }

    private static EngramException fails(ExitCode code, org.junit.jupiter.api.function.Executable read) {
        EngramException e = assertThrows(EngramException.class, read);
        assertEquals(code, e.exitCode(), e.getMessage());
        return e;
    }

    @Test
    void csvSourcesAreResolvedAgainstTheCsvsFolderInFileOrder() throws IOException {
        Path file = csv("""
                Source , Concept
                images/b.png,bee
                ../elsewhere/a.png, ant

                %s,cat
                "with, comma ""and quotes"".png","the ""best"" one"
                items-idx3-ubyte.gz#12,digit
                odd#name.png,hash
                """.formatted(tmp.resolve("absolute/c.png")));

        Map<String, String> expected = new LinkedHashMap<>();
        Path folder = tmp.resolve("labels").toAbsolutePath();
        expected.put(folder.resolve("images/b.png").toString(), "bee");
        expected.put(tmp.resolve("elsewhere/a.png").toAbsolutePath().toString(), "ant");
        expected.put(tmp.resolve("absolute/c.png").toAbsolutePath().toString(), "cat");
        expected.put(folder.resolve("with, comma \"and quotes\".png").toString(), "the \"best\" one");
        // path#N names item N of a file: the path is resolved, the index kept.
        expected.put(folder.resolve("items-idx3-ubyte.gz") + "#12", "digit");
        expected.put(folder.resolve("odd#name.png").toString(), "hash");

        Map<String, String> labels = LabelFiles.csv(file);

        assertEquals(List.copyOf(expected.entrySet()), List.copyOf(labels.entrySet()));
    }

    @Test
    void aRelativeCsvPathIsResolvedFromItsOwnFolderToo() throws IOException {
        csv("b.png,bee\n");
        Path relative = Path.of("").toAbsolutePath().relativize(tmp.resolve("labels/labels.csv").toAbsolutePath());

        assertEquals(Map.of(tmp.resolve("labels/b.png").toAbsolutePath().toString(), "bee"), LabelFiles.csv(relative));
    }

    @Test
    void malformedRowsNameTheFileAndLine() throws IOException {
        for (String row : List.of("just-one-column", ",no-source", "no-concept,")) {
            Path file = csv("source,concept\na.png,ant\n" + row + "\n");
            EngramException e = fails(ExitCode.INVALID_INPUT, () -> LabelFiles.csv(file));
            assertTrue(e.getMessage().startsWith(file + ":3: expected 'source,concept'"), e.getMessage());
            assertTrue(e.getMessage().contains(row), e.getMessage());
        }
    }

    @Test
    void aSourceThatIsNoPathAndControlCharactersAreReportedOnOneLine() throws IOException {
        Path nul = csv("a.png,ant\nb\u0000.png,bee\n");
        EngramException e = fails(ExitCode.INVALID_INPUT, () -> LabelFiles.csv(nul));
        assertEquals(nul + ":2: 'b\\u0000.png' is not a valid path", e.getMessage());
        Path tab = csv("\u001b[31m\u000bno-comma\n");
        e = fails(ExitCode.INVALID_INPUT, () -> LabelFiles.csv(tab));
        assertEquals(tab + ":1: expected 'source,concept', got '\\u001b[31m\\u000bno-comma'", e.getMessage());
    }

    @Test
    void aCsvWithoutRowsHasNothingToDoAndAMissingOneIsNamed() throws IOException {
        Path headerOnly = csv("source,concept\n\n");
        fails(ExitCode.NOTHING_TO_DO, () -> LabelFiles.csv(headerOnly));
        Path missing = tmp.resolve("missing.csv");
        EngramException e = fails(ExitCode.INVALID_INPUT, () -> LabelFiles.csv(missing));
        assertTrue(e.getMessage().contains("cannot read labels file " + missing), e.getMessage());
    }

    private Path idxLabels(String name, int... labels) throws IOException {
        return Files.write(tmp.resolve(name), IdxFiles.idxLabels(labels));
    }

    @Test
    void idxLabelsNameItemIOfTheImageFileByItsClass() throws IOException {
        Path labels = idxLabels("labels-idx1-ubyte", 2, 0, 2);
        Path images = tmp.resolve("sub/../images-idx3-ubyte");
        String item = tmp.resolve("images-idx3-ubyte").toAbsolutePath() + "#";

        Map<String, String> named = LabelFiles.idx(labels, images, List.of("zero", "one", "two"));
        Map<String, String> numbered = LabelFiles.idx(labels, images, List.of());

        assertEquals(List.of(Map.entry(item + 0, "two"), Map.entry(item + 1, "zero"), Map.entry(item + 2, "two")),
                List.copyOf(named.entrySet()));
        assertEquals(List.of(Map.entry(item + 0, "2"), Map.entry(item + 1, "0"), Map.entry(item + 2, "2")),
                List.copyOf(numbered.entrySet()));
    }

    @Test
    void anIdxLabelWithoutAClassNameIsRefused() throws IOException {
        Path labels = idxLabels("labels-idx1-ubyte", 0, 1, 5);

        EngramException e = fails(ExitCode.INVALID_INPUT,
                () -> LabelFiles.idx(labels, tmp.resolve("images"), List.of("zero", "one")));

        assertTrue(e.getMessage().contains("label 5 of item 2 has no name among the 2"), e.getMessage());
    }
}
