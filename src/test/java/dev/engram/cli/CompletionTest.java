package dev.engram.cli;

import dev.engram.build.Completion;
import dev.engram.dim.Estimators;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code engram completion}, and the script itself completing in a real bash. */
class CompletionTest {
    @TempDir
    Path tmp;

    @Test
    void theCommandPrintsWhatTheBuildWrites() throws Exception {
        Engram.Run run = Engram.run("completion");
        assertEquals(0, run.exit(), run::toString);
        assertEquals("", run.err());
        Path built = tmp.resolve("completion/engram.bash");
        Completion.main(built.toString());
        assertEquals(Files.readString(built), run.out());
    }

    @Test
    void bashCompletesCommandsOptionsAndTheirValues() throws Exception {
        Path script = tmp.resolve("engram.bash");
        Files.writeString(script, Engram.run("completion").out());
        assertEquals(List.of("recall", "reindex"), complete(script, "engram", "re"));
        assertEquals(java.util.Set.of("compact", "completion", "consolidate", "copy"), java.util.Set.copyOf(complete(script, "engram", "co")));
        assertTrue(complete(script, "engram", "recall", "--").containsAll(List.of("--modality", "--siblings", "--store")));
        assertEquals(List.of("image", "text", "audio", "vector"), complete(script, "engram", "encode", "--modality", ""));
        assertEquals(Estimators.names(), complete(script, "engram", "dim", "--estimator", ""));
    }

    @Test
    void zshLoadsItThroughItsBashCompatibility() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.util.stream.Stream.of(System.getenv("PATH").split(":"))
                .anyMatch(dir -> Files.isExecutable(Path.of(dir, "zsh"))), "zsh is not installed");
        Path script = tmp.resolve("engram.bash");
        Files.writeString(script, Engram.run("completion").out());
        Process zsh = new ProcessBuilder("zsh", "-c", "source '" + script + "' && complete -p").redirectErrorStream(true).start();
        String out = new String(zsh.getInputStream().readAllBytes());
        assertTrue(zsh.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, zsh.exitValue(), out);
        assertTrue(out.contains("complete -F _complete_engram -o default engram"), out);
    }

    /** What bash offers for the last of {@code words} (the word being typed), by the script's function. */
    private List<String> complete(Path script, String... words) throws Exception {
        String line = String.join(" ", words);
        StringBuilder array = new StringBuilder();
        for (String w : words) {
            array.append(" '").append(w).append('\'');
        }
        String program = "source '" + script + "'\n"
                + "COMP_WORDS=(" + array + ")\n"
                + "COMP_CWORD=" + (words.length - 1) + "\n"
                + "COMP_LINE='" + line + "'\n"
                + "COMP_POINT=" + line.length() + "\n"
                + "_complete_engram 2>/dev/null\n"
                + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
        Process bash = new ProcessBuilder("bash", "-c", program).redirectErrorStream(true).start();
        String out = new String(bash.getInputStream().readAllBytes());
        assertTrue(bash.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, bash.exitValue(), out);
        return Arrays.stream(out.split("\n")).filter(s -> !s.isBlank()).map(String::strip).toList();
    }
}
