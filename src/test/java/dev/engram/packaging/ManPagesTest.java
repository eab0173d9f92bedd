package dev.engram.packaging;

import dev.engram.build.ManPages;
import dev.engram.cli.EngramCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * The man pages are generated, never written by hand, and committed: {@code man/*.1} (roff, made
 * by {@code package}) and their AsciiDoc sources as golden files here. A changed option,
 * description or command without regenerated pages fails this test, which says how to regenerate.
 */
class ManPagesTest {
    static final Path BASE = Path.of(System.getProperty("basedir", "."));
    static final Path GOLDEN = BASE.resolve("src/test/resources/packaging/man");
    static final Path MAN = BASE.resolve("man");
    /** With {@code -Dengram.man.update=true} this test writes the golden files instead of comparing. */
    static final String UPDATE = "engram.man.update";
    static final String REGENERATE = "./mvnw -B package -Dtest=ManPagesTest -D" + UPDATE + "=true";
    static final String HOW = "Regenerate the man pages with\n    " + REGENERATE
            + "\nand commit man/ and src/test/resources/packaging/man/.";

    @Test
    void asciiDocOfEveryCommandMatchesTheGoldenFiles() throws IOException {
        Map<String, String> pages = ManPages.asciiDoc();
        if (Boolean.getBoolean(UPDATE)) {
            ManPages.write(GOLDEN);
            return;
        }
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> page : pages.entrySet()) {
            Path golden = GOLDEN.resolve(page.getKey());
            if (!Files.isRegularFile(golden)) {
                problems.add(page.getKey() + ": new command, no golden file");
                continue;
            }
            String expected = Files.readString(golden, StandardCharsets.UTF_8).replace("\r\n", "\n");
            if (!expected.equals(page.getValue())) {
                problems.add(page.getKey() + ": " + firstDifference(expected, page.getValue()));
            }
        }
        for (String name : fileNames(GOLDEN, ".adoc")) {
            if (!pages.containsKey(name)) {
                problems.add(name + ": no such command any more");
            }
        }
        assertTrue(problems.isEmpty(), () -> "The man pages are out of date:\n  "
                + String.join("\n  ", problems) + "\n" + HOW);
    }

    @Test
    void manHoldsOneRoffPagePerCommand() throws IOException {
        assumeFalse(Boolean.getBoolean(UPDATE), "man/ is rebuilt after the tests, in prepare-package");
        Set<String> expected = ManPages.asciiDoc().keySet().stream()
                .map(name -> name.replaceFirst("\\.adoc$", ".1"))
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(expected, fileNames(MAN, ".1"), () -> "man/ does not hold one page per command. " + HOW);
    }

    /** Catches golden files updated without {@code package} having rebuilt man/*.1 from them. */
    @Test
    void everyRoffPageNamesItsCommandsOptionsAndSubcommands() throws IOException {
        assumeFalse(Boolean.getBoolean(UPDATE), "man/ is rebuilt after the tests, in prepare-package");
        PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
        CommandSpec root = EngramCommand.commandLine(nowhere, nowhere).getCommandSpec();
        List<String> missing = new ArrayList<>();
        for (CommandSpec spec : ManPages.commands(root)) {
            String page = ManPages.fileName(spec).replaceFirst("\\.adoc$", ".1");
            Path file = MAN.resolve(page);
            if (!Files.isRegularFile(file)) {
                continue; // reported by manHoldsOneRoffPagePerCommand
            }
            String text = plainText(Files.readString(file, StandardCharsets.UTF_8));
            for (OptionSpec option : spec.options()) {
                for (String name : option.hidden() ? new String[0] : option.names()) {
                    if (!text.contains(name)) {
                        missing.add(page + " lacks option " + name);
                    }
                }
            }
            for (Map.Entry<String, CommandLine> sub : spec.subcommands().entrySet()) {
                if (!sub.getValue().getCommandSpec().usageMessage().hidden() && !text.contains(sub.getKey())) {
                    missing.add(page + " lacks subcommand " + sub.getKey());
                }
            }
        }
        assertTrue(missing.isEmpty(), () -> String.join("\n", missing) + "\n" + HOW);
    }

    /** Roff without font changes and with plain hyphens: {@code \fB\-\-store\fP} is {@code --store}. */
    static String plainText(String roff) {
        return roff.replaceAll("\\\\f[BIRP]", "").replace("\\-", "-").replace("\\&", "");
    }

    static Set<String> fileNames(Path dir, String suffix) throws IOException {
        if (!Files.isDirectory(dir)) {
            return new TreeSet<>();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(suffix))
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }

    static String firstDifference(String expected, String actual) {
        String[] a = expected.split("\n", -1);
        String[] b = actual.split("\n", -1);
        for (int i = 0; i < Math.max(a.length, b.length); i++) {
            String was = i < a.length ? a[i] : "(end of file)";
            String now = i < b.length ? b[i] : "(end of file)";
            if (!was.equals(now)) {
                return "line " + (i + 1) + " was \"" + was + "\", is now \"" + now + "\"";
            }
        }
        return "differs";
    }
}
