package dev.engram.packaging;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.engram.cli.EngramCommand;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.Writer;
import java.lang.reflect.Field;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The GraalVM reachability metadata (docs/architecture.md, Platform) cannot be tried here, as there is no GraalVM:
 * these tests check instead that what is committed names only classes, members and resources that
 * exist, and that what the native image needs is listed.
 */
class NativeImageConfigTest {
    static final Path BASE = Path.of(System.getProperty("basedir", "."));
    /** Everything committed for native-image, whatever the subdirectory. */
    static final Path COMMITTED = BASE.resolve("src/main/resources/META-INF/native-image");
    static final String OURS = "META-INF/native-image/dev.engram/engram/";
    /** Written by picocli-codegen's annotation processor (-Aproject=dev.engram/engram). */
    static final String PICOCLI = "META-INF/native-image/picocli-generated/dev.engram/engram/reflect-config.json";
    /** The Lucene SPIs a store's index names its formats through (no postings: engram indexes vectors and doc values). */
    static final List<String> LUCENE_SPIS = List.of("org.apache.lucene.codecs.Codec",
            "org.apache.lucene.codecs.DocValuesFormat", "org.apache.lucene.codecs.KnnVectorsFormat");

    /** Every resource on the test class path (jar entries and files under class directories). */
    static Set<String> resources;

    @BeforeAll
    static void listClassPath() throws IOException {
        resources = new TreeSet<>();
        // Surefire runs the tests from a manifest-only jar; the real class path is in this property.
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (String entry : classPath.split(File.pathSeparator)) {
            Path path = Path.of(entry);
            if (Files.isDirectory(path)) {
                try (Stream<Path> files = Files.walk(path)) {
                    files.filter(Files::isRegularFile)
                            .forEach(f -> resources.add(path.relativize(f).toString().replace(File.separatorChar, '/')));
                }
            } else if (Files.isRegularFile(path) && entry.endsWith(".jar")) {
                try (ZipFile jar = new ZipFile(path.toFile())) {
                    jar.stream().filter(e -> !e.isDirectory()).forEach(e -> resources.add(e.getName()));
                }
            }
        }
    }

    @Test
    void everyCommittedConfigNamesOnlyClassesAndMembersThatExist() throws IOException {
        List<Path> files = committedJson();
        assertFalse(files.isEmpty(), "no JSON under " + COMMITTED);
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            String name = file.getFileName().toString();
            JsonElement json = parse(file);
            if (!name.equals("reachability-metadata.json")) {
                problems.add(name + ": the metadata is traced into reachability-metadata.json (bin/native metadata),"
                        + " not written by hand");
                continue;
            }
            for (String section : List.of("reflection", "jni")) {
                JsonArray entries = json.getAsJsonObject().getAsJsonArray(section);
                if (entries != null) {
                    entries.forEach(e -> checkType(file, e.getAsJsonObject(), "type", problems));
                }
            }
            for (String bundle : traced("bundle")) {
                if (!resources.contains(bundle.replace('.', '/') + ".properties")
                        && load(file, bundle, new ArrayList<>()) == null) {
                    problems.add(name + ": bundle " + bundle + " is neither a properties file nor a class");
                }
            }
        }
        assertTrue(problems.isEmpty(), () -> String.join("\n", problems));
    }

    @Test
    void everyCommandAndMixinIsInPicocliGeneratedReflectConfig() throws IOException {
        URL generated = getClass().getClassLoader().getResource(PICOCLI);
        assertNotNull(generated, PICOCLI + " is missing: is picocli-codegen still the compiler's annotation "
                + "processor, with -Aproject=dev.engram/engram?");
        Map<String, JsonObject> entries = new HashMap<>();
        try (Reader in = new InputStreamReader(generated.openStream(), StandardCharsets.UTF_8)) {
            JsonParser.parseReader(in).getAsJsonArray()
                    .forEach(e -> entries.put(e.getAsJsonObject().get("name").getAsString(), e.getAsJsonObject()));
        }
        PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
        CommandSpec root = EngramCommand.commandLine(nowhere, nowhere).getCommandSpec();
        Set<String> missing = new LinkedHashSet<>();
        Set<CommandSpec> seen = new LinkedHashSet<>();
        for (CommandSpec spec : allCommands(root, seen)) {
            for (Class<?> type : classesOf(spec)) {
                if (!entries.containsKey(type.getName())) {
                    missing.add(type.getName() + " (" + spec.qualifiedName() + ")");
                }
            }
            for (ArgSpec arg : spec.args()) {
                if (arg.userObject() instanceof Field field && !declares(entries.get(field.getDeclaringClass().getName()),
                        field.getName())) {
                    missing.add(field.getDeclaringClass().getName() + "." + field.getName());
                }
            }
        }
        assertTrue(seen.size() > 1, "the command tree has subcommands");
        assertTrue(missing.isEmpty(), () -> "not in " + PICOCLI + ":\n" + String.join("\n", missing));
    }

    /**
     * What the traced metadata must have caught, or the executable misses it at run time: the
     * service files that ServiceLoader reads when a store opens (the formats of Lucene's codec that
     * engram's indexes use, H2's driver, engram's store backends) and log4j2.properties. (The
     * builder registers the providers those files name by itself.)
     */
    @Test
    void tracedResourcesKeepServiceFilesAndLog4j2Properties() throws IOException {
        Set<String> globs = new TreeSet<>(traced("glob"));
        List<String> needed = new ArrayList<>();
        for (String spi : LUCENE_SPIS) {
            needed.add("META-INF/services/" + spi);
        }
        needed.add("log4j2.properties");
        needed.add("META-INF/services/java.sql.Driver");
        needed.add("META-INF/services/dev.engram.store.StoreProvider");
        List<String> missing = needed.stream().filter(name -> !globs.contains(name)).toList();
        assertTrue(missing.isEmpty(), () -> "not in " + OURS + "reachability-metadata.json (was the test suite traced"
                + " whole? bin/native metadata): " + missing);
    }

    /** A command's help text read from a resource bundle is missing from a native image that does not list it. */
    @Test
    void tracedMetadataListsEveryCommandsResourceBundle() throws IOException {
        PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
        Set<String> used = new TreeSet<>();
        for (CommandSpec spec : allCommands(EngramCommand.commandLine(nowhere, nowhere).getCommandSpec(),
                new LinkedHashSet<>())) {
            if (spec.resourceBundleBaseName() != null) {
                used.add(spec.resourceBundleBaseName());
            }
        }
        assertFalse(used.isEmpty(), "engram dim keeps its help in a resource bundle");
        Set<String> listed = new TreeSet<>(traced("bundle"));
        assertTrue(listed.containsAll(used), () -> OURS + "reachability-metadata.json lists the bundles " + listed
                + " but the commands use " + used + " (trace the test suite again: bin/native metadata)");
    }

    static JsonObject reachability() throws IOException {
        return parse(COMMITTED.resolve(OURS.substring("META-INF/native-image/".length()) + "reachability-metadata.json"))
                .getAsJsonObject();
    }

    /** The values of one kind of entry ("glob" or "bundle") in the traced metadata's resources. */
    static List<String> traced(String kind) throws IOException {
        List<String> values = new ArrayList<>();
        for (JsonElement e : reachability().getAsJsonArray("resources")) {
            if (e.getAsJsonObject().has(kind)) {
                values.add(e.getAsJsonObject().get(kind).getAsString());
            }
        }
        return values;
    }

    @Test
    void nativeImagePropertiesPassArgs() throws IOException {
        List<String> lines = Files.readAllLines(COMMITTED.resolve("dev.engram/engram/native-image.properties"));
        List<String> args = lines.stream().filter(l -> l.startsWith("Args")).toList();
        assertEquals(1, args.size(), "one Args line");
        assertTrue(args.get(0).contains("--no-fallback"), args.get(0));
    }

    static List<Path> committedJson() throws IOException {
        try (Stream<Path> files = Files.walk(COMMITTED)) {
            return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    static JsonElement parse(Path file) throws IOException {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return JsonParser.parseReader(in);
        }
    }

    /** The type, its condition's type, and every method, constructor and field it names. */
    static void checkType(Path file, JsonObject entry, String key, List<String> problems) {
        String where = file.getFileName().toString();
        if (entry.has("condition")) {
            for (Map.Entry<String, JsonElement> condition : entry.getAsJsonObject("condition").entrySet()) {
                load(file, condition.getValue().getAsString(), problems);
            }
        }
        if (entry.get(key).isJsonObject() && entry.getAsJsonObject(key).has("proxy")) {
            entry.getAsJsonObject(key).getAsJsonArray("proxy").forEach(i -> load(file, i.getAsString(), problems));
            return;
        }
        Class<?> type = load(file, entry.get(key).getAsString(), problems);
        if (type == null) {
            return;
        }
        if (entry.has("fields")) {
            for (JsonElement f : entry.getAsJsonArray("fields")) {
                String field = f.getAsJsonObject().get("name").getAsString();
                try {
                    type.getDeclaredField(field);
                } catch (NoSuchFieldException e) {
                    problems.add(where + ": no field " + type.getName() + "." + field);
                }
            }
        }
        if (entry.has("methods")) {
            for (JsonElement m : entry.getAsJsonArray("methods")) {
                String method = m.getAsJsonObject().get("name").getAsString();
                List<Class<?>> parameters = new ArrayList<>();
                for (JsonElement p : m.getAsJsonObject().getAsJsonArray("parameterTypes")) {
                    Class<?> parameter = load(file, p.getAsString(), problems);
                    if (parameter == null) {
                        return;
                    }
                    parameters.add(parameter);
                }
                Class<?>[] types = parameters.toArray(Class<?>[]::new);
                try {
                    if (method.equals("<init>")) {
                        type.getDeclaredConstructor(types);
                    } else {
                        type.getDeclaredMethod(method, types);
                    }
                } catch (NoSuchMethodException e) {
                    problems.add(where + ": no method " + type.getName() + "." + method + parameters);
                }
            }
        }
    }

    /** Loads without initialising; understands primitives and {@code Foo[]}. */
    static Class<?> load(Path file, String name, List<String> problems) {
        if (name.endsWith("[]")) {
            Class<?> component = load(file, name.substring(0, name.length() - 2), problems);
            return component == null ? null : component.arrayType();
        }
        Class<?> primitive = switch (name) {
            case "boolean" -> boolean.class;
            case "byte" -> byte.class;
            case "char" -> char.class;
            case "short" -> short.class;
            case "int" -> int.class;
            case "long" -> long.class;
            case "float" -> float.class;
            case "double" -> double.class;
            case "void" -> void.class;
            default -> null;
        };
        if (primitive != null) {
            return primitive;
        }
        try {
            return Class.forName(name, false, NativeImageConfigTest.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            problems.add(file.getFileName() + ": no class " + name + " on the class path");
            return null;
        }
    }

    static Collection<CommandSpec> allCommands(CommandSpec spec, Set<CommandSpec> seen) {
        if (seen.add(spec)) {
            for (CommandLine sub : spec.subcommands().values()) {
                allCommands(sub.getCommandSpec(), seen);
            }
        }
        return seen;
    }

    /** The command's class, its version provider's and its mixins' (recursively): all are built by reflection. */
    static Set<Class<?>> classesOf(CommandSpec spec) {
        Set<Class<?>> classes = new LinkedHashSet<>();
        if (spec.userObject() != null && !(spec.userObject() instanceof java.lang.reflect.Method)) {
            classes.add(spec.userObject().getClass());
        }
        if (spec.versionProvider() != null && spec.versionProvider().getClass().getEnclosingClass() != CommandLine.class) {
            classes.add(spec.versionProvider().getClass());
        }
        for (CommandSpec mixin : spec.mixins().values()) {
            classes.addAll(classesOf(mixin));
        }
        return classes;
    }

    static boolean declares(JsonObject entry, String field) {
        if (entry == null) {
            return false;
        }
        if (entry.has("allDeclaredFields") && entry.get("allDeclaredFields").getAsBoolean()) {
            return true;
        }
        return entry.has("fields") && entry.getAsJsonArray("fields").asList().stream()
                .anyMatch(f -> f.getAsJsonObject().get("name").getAsString().equals(field));
    }
}
