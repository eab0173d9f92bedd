package dev.engram.cli;

import dev.engram.ExitCode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad input: each case ends with a one-line error on stderr, its own exit code, nothing on
 * stdout, and the store exactly as it was.
 */
class BadInputTest {
    /** Any trained store will do for bad input: the quick one DimSpaceTest uses too, made once for both. */
    @RegisterExtension
    static final TemplateStore TEMPLATE = TemplateStore.shapes(10, 3, 1);
    static Path train;

    @TempDir
    Path tmp;
    Path store;
    String before;

    @BeforeAll
    static void inputs() {
        train = TEMPLATE.path("train");
    }

    @BeforeEach
    void copyStore() {
        store = TEMPLATE.copyTo(tmp.resolve("store"));
        before = Engram.snapshot(store);
    }

    private Engram.Run fails(ExitCode expected, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add(1, "--store");
        all.add(2, store.toString());
        Engram.Run run = Engram.run(all.toArray(String[]::new));
        assertEquals(expected.code(), run.exit(), run::toString);
        assertEquals("", run.out(), "no data on stdout after an error");
        List<String> lines = run.err().lines().filter(l -> l.startsWith("engram:")).toList();
        assertEquals(1, lines.size(), run::toString);
        assertEquals(Engram.snapshot(store), before, "the store is exactly as it was");
        return run;
    }

    @Test
    void corruptImage() throws Exception {
        Path dir = tmp.resolve("in");
        Files.createDirectories(dir);
        Files.copy(train.resolve("hbar").resolve("000.png"), dir.resolve("good.png"));
        byte[] png = Files.readAllBytes(train.resolve("vbar").resolve("000.png"));
        Files.write(dir.resolve("truncated.png"), java.util.Arrays.copyOf(png, png.length / 2));
        Engram.Run run = fails(ExitCode.INVALID_INPUT, "encode", "--space", "shapes", dir.toString());
        assertTrue(run.err().contains("truncated.png"), run::toString);
    }

    @Test
    void notAnImage() throws Exception {
        Path file = tmp.resolve("notes.png");
        Files.writeString(file, "these are not pixels");
        fails(ExitCode.INVALID_INPUT, "encode", "--space", "shapes", file.toString());
    }

    @Test
    void inputOfAModalityNothingTells() throws Exception {
        Path file = tmp.resolve("readings.dat");
        Files.writeString(file, "these are not pixels");
        Engram.Run encode = fails(ExitCode.INVALID_INPUT, "encode", file.toString());
        assertTrue(encode.err().contains("readings.dat: cannot tell what kind of input this is"), encode::toString);
        Engram.Run recall = fails(ExitCode.INVALID_INPUT, "recall", file.toString());
        assertTrue(recall.err().contains("readings.dat: cannot tell what kind of input this is"), recall::toString);
    }

    @Test
    void emptyDirectory() throws Exception {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Engram.Run run = fails(ExitCode.NOTHING_TO_DO, "encode", "--space", "shapes", empty.toString());
        assertTrue(run.err().contains("empty"), run::toString);
    }

    @Test
    void unknownSpace() {
        Engram.Run run = fails(ExitCode.UNKNOWN_NAME, "recall", "--space", "nope", train.resolve("hbar/000.png").toString());
        assertTrue(run.err().contains("shapes"), "names the spaces there are: " + run);
    }

    @Test
    void unknownCueAndTrace() {
        fails(ExitCode.UNKNOWN_NAME, "recall", "no-such-concept");
        fails(ExitCode.UNKNOWN_NAME, "recall", "trace:999999");
    }

    @Test
    void labelsNamingUnknownSources() throws Exception {
        Path labels = tmp.resolve("labels.csv");
        Files.writeString(labels, train.resolve("hbar/000.png") + ",first\n" + tmp.resolve("elsewhere.png") + ",second\n");
        Engram.Run run = fails(ExitCode.UNKNOWN_SOURCE, "bind", "--labels", labels.toString());
        assertTrue(run.err().contains("elsewhere.png") && run.err().contains("nothing was bound"), run::toString);
    }

    @Test
    void malformedLabelsRow() throws Exception {
        Path labels = tmp.resolve("labels.csv");
        Files.writeString(labels, "just-one-column\n");
        fails(ExitCode.INVALID_INPUT, "bind", "--labels", labels.toString());
    }

    @Test
    void cueOfTheWrongShape() {
        Path big = tmp.resolve("big.png");
        Engram.write(big, new java.awt.image.BufferedImage(40, 24, java.awt.image.BufferedImage.TYPE_BYTE_GRAY));
        Engram.Run run = fails(ExitCode.WRONG_SHAPE, "recall", big.toString());
        assertTrue(run.err().contains("24x40") && run.err().contains("--resize"), run::toString);
        Engram.Run resized = Engram.run("recall", "--store", store.toString(), "--resize", big.toString());
        assertEquals(0, resized.exit(), resized::toString);
    }

    @Test
    void manifestWithUnknownFieldOrEscapingPath() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("m"));
        Engram.write(dir.resolve("a.png"), Engram.draw("hbar", new Random(3)));
        Files.writeString(dir.resolve("typo.jsonl"), "{\"image\": \"a.png\", \"colour\": \"red\"}\n");
        fails(ExitCode.INVALID_INPUT, "encode", "--space", "shapes", "--manifest", dir.resolve("typo.jsonl").toString());
        Files.writeString(dir.resolve("escape.jsonl"), "{\"image\": \"../../etc/passwd\"}\n");
        Engram.Run run = fails(ExitCode.INVALID_INPUT, "encode", "--space", "shapes", "--manifest",
                dir.resolve("escape.jsonl").toString());
        assertTrue(run.err().contains("leaves the manifest's folder"), run::toString);
    }

    @Test
    void storeWrittenByANewerEngram() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + store.resolve("engram"), "engram", "");
             Statement s = c.createStatement()) {
            s.execute("UPDATE meta SET content = '99' WHERE name = 'format_version'");
        }
        Engram.Run run = Engram.run("info", "--store", store.toString());
        assertEquals(ExitCode.STORE_INCOMPATIBLE.code(), run.exit(), run::toString);
        assertTrue(run.err().contains("format version 99"), run::toString);
        assertEquals("", run.out());
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + store.resolve("engram"), "engram", "");
             Statement s = c.createStatement();
             var r = s.executeQuery("SELECT content FROM meta WHERE name = 'format_version'")) {
            r.next();
            assertEquals("99", r.getString(1), "the newer store is left as it is");
        }
    }

    @Test
    void missingOrUnwritableStore() throws Exception {
        Engram.Run missing = Engram.run("recall", "--store", tmp.resolve("none").toString(), "hbar");
        assertEquals(ExitCode.STORE_UNAVAILABLE.code(), missing.exit(), missing::toString);
        assertFalse(Files.exists(tmp.resolve("none")), "looking does not create a store");
        // Root may write anywhere; a store path below a regular file cannot be created by anyone.
        Path file = Files.writeString(tmp.resolve("plain-file"), "x");
        Engram.Run unwritable = Engram.run("encode", "--store", file.resolve("store").toString(),
                train.resolve("hbar").toString());
        assertEquals(ExitCode.STORE_UNAVAILABLE.code(), unwritable.exit(), unwritable::toString);
        assertEquals(1, unwritable.err().lines().count(), unwritable::toString);
    }

    @Test
    void exportAndImportRefuseWhatTheyCannotDo() throws Exception {
        Path full = Files.createDirectories(tmp.resolve("full"));
        Files.writeString(full.resolve("mine.txt"), "mine");
        fails(ExitCode.INVALID_INPUT, "export", full.toString());
        fails(ExitCode.UNKNOWN_NAME, "export", "--space", "nope", tmp.resolve("e1").toString());
        fails(ExitCode.USAGE, "export", "--since", "yesterday", tmp.resolve("e2").toString());
        assertFalse(Files.exists(tmp.resolve("e1")) || Files.exists(tmp.resolve("e2")), "no export is left behind");
        fails(ExitCode.INVALID_INPUT, "import", tmp.resolve("none").toString());
        fails(ExitCode.INVALID_INPUT, "import", full.toString());
        // The store's own export, imported into itself, changes nothing; under another name it is refused
        // when that name is given twice.
        Path export = tmp.resolve("export");
        Engram.Run ok = Engram.run("export", "--store", store.toString(), export.toString());
        assertEquals(0, ok.exit(), ok::toString);
        Engram.Run again = Engram.run("import", "--store", store.toString(), export.toString());
        assertEquals(0, again.exit(), again::toString);
        assertEquals(before, Engram.snapshot(store), "importing a store's own export changes nothing");
        fails(ExitCode.INVALID_INPUT, "import", "--rename", "shapes=a", "--rename", "x=a", export.toString());
        fails(ExitCode.UNKNOWN_NAME, "import", "--rename", "x=a", export.toString());
    }

    @Test
    void forgetRefusesWhatItCannotFindAndAnEmptyChoice() {
        fails(ExitCode.INVALID_INPUT, "forget");
        fails(ExitCode.UNKNOWN_NAME, "forget", "--space", "nope");
        fails(ExitCode.UNKNOWN_NAME, "forget", "--whole-concept", "nope");
        fails(ExitCode.USAGE, "forget", "--trace", "seven");
        Engram.Run dry = Engram.run("forget", "--store", store.toString(), "--space", "shapes", "--dry-run");
        assertEquals(0, dry.exit(), dry::toString);
        assertTrue(dry.out().lines().count() > 1 && dry.err().contains("nothing was changed"), dry::toString);
        assertEquals(before, Engram.snapshot(store), "a dry run changes nothing");
    }

    @Test
    void mapRefusesWhatItCannotDraw() {
        fails(ExitCode.USAGE, "map", "--method", "umap");
        fails(ExitCode.UNKNOWN_NAME, "map", "--space", "nope");
        fails(ExitCode.INVALID_INPUT, "map", "--sample", "2");
    }

    @Test
    void unknownOption() {
        Engram.Run run = Engram.run("info", "--no-such-option");
        assertEquals(ExitCode.USAGE.code(), run.exit());
        assertTrue(run.err().startsWith("engram: Unknown option"), run::toString);
    }
}
