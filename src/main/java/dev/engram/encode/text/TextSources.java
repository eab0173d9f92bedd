package dev.engram.encode.text;

import dev.engram.EngramException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Texts from the command line: a text file is one text (its whole content), a directory is
 * its {@code .txt} files (recursively, in path order), {@code -} is one text per non-empty
 * line of standard input, and strings given with {@code --text} are one text each. Files must
 * be UTF-8; blank texts are refused, since an empty string has no meaning to encode.
 */
public final class TextSources {
    private TextSources() {
    }

    public static List<TextInput> read(List<String> args, List<String> strings, InputStream stdin) {
        List<TextInput> texts = new ArrayList<>();
        for (int i = 0; i < strings.size(); i++) {
            if (strings.get(i).isBlank()) {
                throw EngramException.invalidInput("--text " + (i + 1) + " is empty: give some words to encode");
            }
            texts.add(new TextInput("text", i + 1, strings.get(i).strip()));
        }
        for (String arg : args) {
            if (arg.equals("-")) {
                texts.addAll(lines(stdin));
                continue;
            }
            Path path = Path.of(arg);
            if (Files.isDirectory(path)) {
                List<Path> files = textFiles(path);
                if (files.isEmpty()) {
                    throw EngramException.nothingToDo("directory " + path + " holds no .txt files");
                }
                for (Path file : files) {
                    texts.add(file(file));
                }
            } else if (Files.isRegularFile(path)) {
                texts.add(file(path));
            } else {
                throw EngramException.invalidInput("no such file or directory: " + arg);
            }
        }
        return texts;
    }

    /** One text: the whole file, stripped. */
    public static TextInput file(Path file) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
        } catch (CharacterCodingException e) {
            throw EngramException.invalidInput(file + ": not UTF-8 text", e);
        } catch (IOException e) {
            throw EngramException.invalidInput("cannot read " + file + ": " + e.getMessage(), e);
        }
        if (text.isBlank()) {
            throw EngramException.invalidInput(file + ": empty text");
        }
        return new TextInput(file.toAbsolutePath().normalize().toString(), -1, text.strip());
    }

    private static List<TextInput> lines(InputStream stdin) {
        List<TextInput> texts = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(stdin, StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (!line.isBlank()) {
                    texts.add(new TextInput("-", number, line.strip()));
                }
            }
        } catch (IOException e) {
            throw EngramException.invalidInput("cannot read standard input: " + e.getMessage(), e);
        }
        if (texts.isEmpty()) {
            throw EngramException.nothingToDo("standard input holds no text");
        }
        return texts;
    }

    private static List<Path> textFiles(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            return paths.filter(Files::isRegularFile)
                    .filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".txt"))
                    .sorted().toList();
        } catch (IOException e) {
            throw EngramException.invalidInput("cannot list " + directory + ": " + e.getMessage(), e);
        }
    }
}
