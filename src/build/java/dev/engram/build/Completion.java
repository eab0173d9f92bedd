package dev.engram.build;

import dev.engram.cli.CompletionCommand;
import dev.engram.cli.EngramCommand;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code Completion FILE}: writes the bash/zsh completion script of the command tree engram runs
 * ({@link CompletionCommand#script}) at build time, so that {@code bin/engram completion} prints
 * it without starting a JVM; {@code CompletionTest} checks that the file and the command agree.
 */
public final class Completion {
    private Completion() {
    }

    public static void main(String... args) throws IOException {
        if (args.length != 1) {
            throw new IllegalArgumentException("usage: Completion FILE");
        }
        Path file = Path.of(args[0]);
        Files.createDirectories(file.toAbsolutePath().getParent());
        PrintWriter discard = new PrintWriter(new StringWriter());
        Files.writeString(file, CompletionCommand.script(EngramCommand.commandLine(discard, discard)), StandardCharsets.UTF_8);
    }
}
