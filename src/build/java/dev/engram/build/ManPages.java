package dev.engram.build;

import dev.engram.cli.EngramCommand;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.UsageMessageSpec;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.AnnotatedElement;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Writes the AsciiDoc sources of the man pages, one per command, from the command tree that
 * {@code engram} itself runs ({@link EngramCommand#commandLine}, which adds the exit codes), so
 * the pages cannot drift from the options. The build runs this in {@code prepare-package} and
 * converts the output to roff in {@code man/}; {@code ManPagesTest} compares it with golden copies.
 */
public final class ManPages {
    /**
     * picocli-codegen is a build tool (it is also the annotation processor), kept off engram's
     * own class path so that it never ships in the jar's lib/ or the native image; the build
     * (exec-maven-plugin) and the tests (surefire) add it. Hence one reflective look-up here.
     */
    private static final String GENERATOR = "picocli.codegen.docgen.manpage.ManPageGenerator";
    /** picocli's default; fixed so that the synopsis wraps the same everywhere. */
    private static final int USAGE_WIDTH = 80;
    private static final Pattern ENV_WITH_FALLBACK = Pattern.compile("\\$\\{env:[^:}]+(?::-([^}]*))?}");

    private ManPages() {
    }

    /**
     * {@code ManPages ADOC_DIR [MAN_DIR]}: writes {@code engram.adoc}, {@code engram-encode.adoc}, ...
     * into ADOC_DIR, and removes from MAN_DIR the roff pages ({@code *.1}) of commands that no
     * longer exist, which the conversion to roff would leave behind.
     */
    public static void main(String... args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            throw new IllegalArgumentException("usage: ManPages ADOC_DIR [MAN_DIR]");
        }
        Map<String, String> pages = write(Path.of(args[0]));
        if (args.length == 2) {
            removeOthers(Path.of(args[1]), "*.1", pages.keySet().stream()
                    .map(name -> name.replaceFirst("\\.adoc$", ".1")).collect(Collectors.toSet()));
        }
    }

    /** Writes every page into {@code directory}, minus pages of commands that no longer exist; returns them. */
    public static Map<String, String> write(Path directory) throws IOException {
        Map<String, String> pages = asciiDoc();
        Files.createDirectories(directory);
        removeOthers(directory, "*.adoc", pages.keySet());
        for (Map.Entry<String, String> page : pages.entrySet()) {
            Files.writeString(directory.resolve(page.getKey()), page.getValue(), StandardCharsets.UTF_8);
        }
        return pages;
    }

    private static void removeOthers(Path directory, String glob, Set<String> keep) throws IOException {
        if (!Files.isDirectory(directory)) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, glob)) {
            for (Path file : files) {
                if (!keep.contains(file.getFileName().toString())) {
                    Files.delete(file);
                }
            }
        }
    }

    /**
     * File name ({@code engram-encode.adoc}) to AsciiDoc text, for {@code engram} and every
     * subcommand that is not hidden, in the order of the command tree. Line ends are {@code \n}.
     */
    public static Map<String, String> asciiDoc() {
        MethodHandle writeSingleManPage = generator();
        PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
        CommandLine engram = EngramCommand.commandLine(nowhere, nowhere);
        // The same page on every machine: not as wide as this terminal, and no defaults read from
        // this user's environment (--store's ${env:ENGRAM_STORE:-engram-store} shows engram-store).
        engram.setUsageHelpAutoWidth(false);
        engram.setUsageHelpWidth(USAGE_WIDTH);
        engram.setDefaultValueProvider(ManPages::defaultWithoutEnvironment);
        Map<String, String> pages = new LinkedHashMap<>();
        for (CommandSpec spec : commands(engram.getCommandSpec())) {
            manHeadings(spec.usageMessage());
            StringWriter text = new StringWriter();
            try (PrintWriter out = new PrintWriter(text)) {
                writeSingleManPage.invoke(out, spec);
            } catch (Throwable e) {
                throw new IllegalStateException("cannot generate the man page of '" + spec.qualifiedName() + "'", e);
            }
            pages.put(fileName(spec), text.toString().replace("\r\n", "\n"));
        }
        return pages;
    }

    /** A default with {@code ${env:NAME:-fallback}} read as if NAME were unset; null (the annotation's) otherwise. */
    private static String defaultWithoutEnvironment(ArgSpec arg) {
        String original = arg.userObject() instanceof AnnotatedElement element
                && element.getAnnotation(Option.class) instanceof Option option ? option.defaultValue() : null;
        if (original == null || !original.contains("${env:")) {
            return null;
        }
        return ENV_WITH_FALLBACK.matcher(original)
                .replaceAll(m -> Matcher.quoteReplacement(m.group(1) == null ? "" : m.group(1)));
    }

    /**
     * {@code --help} ends its section headings with a colon ({@code Exit codes:}); a man page's
     * sections are names ({@code EXIT CODES}). picocli turns the help's heading into the man page's.
     */
    private static void manHeadings(UsageMessageSpec usage) {
        usage.exitCodeListHeading(sectionName(usage.exitCodeListHeading()));
        usage.footerHeading(sectionName(usage.footerHeading()));
    }

    private static String sectionName(String helpHeading) {
        String name = helpHeading.replace("%n", " ").strip();
        return name.endsWith(":") ? name.substring(0, name.length() - 1).strip() : name;
    }

    /** {@code engram encode} is {@code engram-encode.adoc}, as picocli's ManPageGenerator names it. */
    public static String fileName(CommandSpec spec) {
        return spec.qualifiedName("-").replaceAll("\\s", "_") + ".adoc";
    }

    /** The command and its visible subcommands, depth first; an alias does not make a second page. */
    public static Set<CommandSpec> commands(CommandSpec root) {
        Set<CommandSpec> all = new LinkedHashSet<>();
        collect(root, all);
        return all;
    }

    private static void collect(CommandSpec spec, Set<CommandSpec> all) {
        if (!all.add(spec)) {
            return;
        }
        for (CommandLine sub : spec.subcommands().values()) {
            if (!sub.getCommandSpec().usageMessage().hidden()) {
                collect(sub.getCommandSpec(), all);
            }
        }
    }

    private static MethodHandle generator() {
        try {
            return MethodHandles.publicLookup().findStatic(Class.forName(GENERATOR), "writeSingleManPage",
                    MethodType.methodType(void.class, PrintWriter.class, CommandSpec.class));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("picocli-codegen is not on the class path; man pages are made by the "
                    + "build: ./mvnw package", e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("picocli-codegen has no " + GENERATOR + ".writeSingleManPage", e);
        }
    }
}
