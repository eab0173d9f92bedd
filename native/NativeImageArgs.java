import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What GraalVM's native-image driver would tell the image builder about a class path, for
 * bin/native's builds without an installed GraalVM (native/README.md): every jar's (or
 * directory's) META-INF/native-image metadata as the builder's -H:...Resources options, and the
 * Args of their native-image.properties translated from the driver's options into the
 * builder's. Prints one builder option per line. Run as a source file:
 * {@code java native/NativeImageArgs.java CLASSPATH}.
 */
public final class NativeImageArgs {

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java NativeImageArgs.java CLASSPATH");
            System.exit(2);
        }
        Set<String> options = new LinkedHashSet<>();
        for (String entry : args[0].split(java.io.File.pathSeparator)) {
            if (entry.isEmpty()) {
                continue;
            }
            Path path = Path.of(entry);
            for (Metadata m : metadata(path)) {
                options.addAll(options(m));
            }
        }
        options.forEach(System.out::println);
    }

    /** One file under META-INF/native-image: its resource name, and its text for properties. */
    record Metadata(String name, String text) {
    }

    static List<Metadata> metadata(Path entry) throws IOException {
        List<Metadata> found = new ArrayList<>();
        if (Files.isDirectory(entry)) {
            Path root = entry.resolve("META-INF/native-image");
            if (Files.isDirectory(root)) {
                try (Stream<Path> files = Files.walk(root)) {
                    for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                        String name = entry.relativize(file).toString().replace(java.io.File.separatorChar, '/');
                        found.add(new Metadata(name, name.endsWith(".properties") ? Files.readString(file) : null));
                    }
                }
            }
        } else if (Files.isRegularFile(entry)) {
            try (ZipFile jar = new ZipFile(entry.toFile())) {
                for (ZipEntry e : jar.stream().sorted((a, b) -> a.getName().compareTo(b.getName())).toList()) {
                    if (e.isDirectory() || !e.getName().startsWith("META-INF/native-image/")) {
                        continue;
                    }
                    String text = null;
                    if (e.getName().endsWith(".properties")) {
                        try (InputStream in = jar.getInputStream(e)) {
                            text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                        }
                    }
                    found.add(new Metadata(e.getName(), text));
                }
            }
        }
        return found;
    }

    static List<String> options(Metadata m) {
        String name = m.name();
        String file = name.substring(name.lastIndexOf('/') + 1);
        String dir = name.substring(0, name.lastIndexOf('/'));
        return switch (file) {
            case "reflect-config.json" -> List.of("-H:ReflectionConfigurationResources=" + name);
            case "resource-config.json" -> List.of("-H:ResourceConfigurationResources=" + name);
            case "jni-config.json" -> List.of("-H:JNIConfigurationResources=" + name);
            case "proxy-config.json" -> List.of("-H:DynamicProxyConfigurationResources=" + name);
            case "serialization-config.json" -> List.of("-H:SerializationConfigurationResources=" + name);
            case "reachability-metadata.json" -> List.of("-H:ReachabilityMetadataResources=" + name);
            case "native-image.properties" -> args(m.text(), dir, name);
            default -> List.of();
        };
    }

    /** The Args of a native-image.properties, as builder options; ${.} is the file's folder. */
    static List<String> args(String text, String dir, String where) {
        Properties properties = new Properties();
        try {
            properties.load(new java.io.StringReader(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String value = properties.getProperty("Args", "").replace("${.}", dir).strip();
        List<String> options = new ArrayList<>();
        if (value.isEmpty()) {
            return options;
        }
        for (String arg : value.split("\\s+")) {
            options.add(translate(arg, where));
        }
        return options;
    }

    /** A driver option as the builder takes it; an option this does not know stops the build, named. */
    static String translate(String arg, String where) {
        if (arg.startsWith("-H:")) {
            return arg;
        }
        if (arg.equals("--no-fallback")) {
            return "-H:FallbackThreshold=0";
        }
        for (String[] mapping : new String[][] {
                {"--initialize-at-run-time=", ":run_time"}, {"--initialize-at-build-time=", ":build_time"}}) {
            if (arg.startsWith(mapping[0])) {
                List<String> classes = new ArrayList<>();
                for (String c : arg.substring(mapping[0].length()).split(",")) {
                    classes.add(c + mapping[1]);
                }
                return "-H:ClassInitialization=" + String.join(",", classes);
            }
        }
        if (arg.startsWith("--features=")) {
            return "-H:Features=" + arg.substring("--features=".length());
        }
        if (arg.startsWith("--enable-url-protocols=")) {
            return "-H:EnableURLProtocols=" + arg.substring("--enable-url-protocols=".length());
        }
        throw new IllegalArgumentException(where + ": the driver option " + arg
                + " has no builder translation in native/NativeImageArgs.java; add one");
    }
}
