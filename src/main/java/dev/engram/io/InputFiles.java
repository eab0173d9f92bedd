package dev.engram.io;

import dev.engram.EngramException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Expands command-line input arguments into a list of files, the same way for every modality:
 * a file is taken as given (its content is checked when it is read), a directory is searched
 * recursively for the files of one kind in path order, skipping hidden files and directories
 * (names starting with a dot: {@code .git}, macOS {@code ._} files), and {@code -} reads paths,
 * one per line, from standard input (blank lines skipped; once at most).
 *
 * <p>Failures are {@link EngramException}s naming the path: {@code invalidInput} for a missing
 * or unusable path, {@code nothingToDo} for a directory or standard input that yields nothing.
 *
 * @param noun       what the files are, plural, for messages: "WAV files"
 * @param searchedFor how a directory is searched, for messages: "*.wav, any case"
 * @param wanted     which files a directory search keeps
 */
public record InputFiles(String noun, String searchedFor, Predicate<Path> wanted) {
    private static final String STDIN = "-";

    /** Files whose name ends with one of {@code extensions} (with the dot), in any case. */
    public static InputFiles byExtension(String noun, String... extensions) {
        List<String> lower = Stream.of(extensions).map(e -> e.toLowerCase(Locale.ROOT)).toList();
        Predicate<Path> wanted = p -> {
            Path name = p.getFileName();
            String n = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
            return lower.stream().anyMatch(n::endsWith);
        };
        return new InputFiles(noun, String.join(", ", lower.stream().map(e -> "*" + e).toList()) + ", any case",
                wanted);
    }

    /** The files {@code args} name, in order; reads {@code stdin} to its end if an argument is {@code -}. */
    public List<Path> resolve(List<String> args, InputStream stdin) {
        List<Path> files = new ArrayList<>();
        boolean stdinSeen = false;
        for (String arg : args) {
            if (arg.equals(STDIN)) {
                if (stdinSeen) {
                    throw EngramException.invalidInput("'-' (paths from standard input) is given more than once");
                }
                stdinSeen = true;
                int before = files.size();
                readPathList(stdin, files);
                if (files.size() == before) {
                    throw EngramException.nothingToDo("standard input ('-') gave no paths of " + noun);
                }
            } else {
                add(arg, files);
            }
        }
        if (files.isEmpty()) {
            throw EngramException.nothingToDo("no " + noun + " given");
        }
        return files;
    }

    private void readPathList(InputStream stdin, List<Path> files) {
        BufferedReader reader = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8));
        try {
            String line;
            while ((line = reader.readLine()) != null) {
                // Trailing whitespace (a CR from a Windows list) is never part of a path worth keeping.
                String path = line.strip();
                if (!path.isEmpty()) {
                    add(path, files);
                }
            }
        } catch (IOException e) {
            throw EngramException.invalidInput("cannot read paths from standard input: " + e.getMessage(), e);
        }
    }

    private void add(String arg, List<Path> files) {
        Path path;
        try {
            path = Path.of(arg);
        } catch (InvalidPathException e) {
            throw EngramException.invalidInput(arg + ": not a valid path (" + e.getReason() + ")", e);
        }
        if (Files.isDirectory(path)) {
            List<Path> found = under(path);
            if (found.isEmpty()) {
                throw EngramException.nothingToDo(path + ": no " + noun + " in this directory (searched recursively for "
                        + searchedFor + ")");
            }
            files.addAll(found);
        } else if (Files.isRegularFile(path)) {
            files.add(path);
        } else if (Files.exists(path)) {
            throw EngramException.invalidInput(path + ": not a regular file or directory");
        } else {
            throw EngramException.invalidInput(path + ": no such file or directory");
        }
    }

    private List<Path> under(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> !hiddenBelow(dir, p))
                    .filter(wanted)
                    .filter(Files::isRegularFile)
                    .sorted()
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            IOException cause = e instanceof UncheckedIOException u ? u.getCause() : (IOException) e;
            throw EngramException.invalidInput(dir + ": cannot list the directory (" + cause.getMessage() + ")", e);
        }
    }

    private static boolean hiddenBelow(Path dir, Path p) {
        for (Path part : dir.relativize(p)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }
}
