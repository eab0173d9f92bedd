import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Merges the traces engram's tracing agent (native/agent/tracer.c) wrote during a test run into
 * one reachability-metadata.json for the native image (native/README.md). A fact is kept when
 * engram's own code or one of its libraries made it (its caller is on the product class path), or
 * java.desktop did (AWT and ImageIO, which the image runs as the JDK does), and when what it names
 * exists on the product class path or in the JDK; the test framework's and the JDK's internal
 * lookups are left out, as are names nothing defines. Run as a source file:
 * {@code java native/Metadata.java CLASSPATH TRACE_DIR OUTPUT}.
 */
public final class Metadata {
    private static final Pattern FIELD = Pattern.compile("\"(\\w)\":\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final ClassLoader product;
    private final Map<String, Map<String, Object>> reflection = new TreeMap<>();
    private final Map<String, Map<String, Object>> jni = new TreeMap<>();
    private final TreeSet<String> resources = new TreeSet<>();
    private final TreeSet<String> bundles = new TreeSet<>();
    private final TreeSet<String> proxies = new TreeSet<>();

    private Metadata(ClassLoader product) {
        this.product = product;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: java Metadata.java CLASSPATH TRACE_DIR OUTPUT");
            System.exit(2);
        }
        List<URL> urls = new ArrayList<>();
        for (String entry : args[0].split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty()) {
                urls.add(Path.of(entry).toUri().toURL());
            }
        }
        Metadata m = new Metadata(new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader()));
        int lines = 0;
        try (Stream<Path> traces = Files.list(Path.of(args[1]))) {
            for (Path trace : traces.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList()) {
                for (String line : Files.readAllLines(trace)) {
                    m.add(parse(line));
                    lines++;
                }
            }
        }
        Files.writeString(Path.of(args[2]), m.json());
        System.err.printf("%d facts traced: %d types for reflection, %d for JNI, %d resources, %d bundles, %d proxies%n",
                lines, m.reflection.size(), m.jni.size(), m.resources.size(), m.bundles.size(), m.proxies.size());
    }

    static Map<String, String> parse(String line) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher matcher = FIELD.matcher(line);
        while (matcher.find()) {
            fields.put(matcher.group(1), matcher.group(2).replace("\\\"", "\"").replace("\\\\", "\\"));
        }
        return fields;
    }

    /** A JVM signature ("Ljava/lang/String;", "[I") or a binary name as a Java type name ("int[]"). */
    static String javaName(String signature) {
        int dims = 0;
        while (dims < signature.length() && signature.charAt(dims) == '[') {
            dims++;
        }
        String element = signature.substring(dims);
        String name = switch (element) {
            case "Z" -> "boolean";
            case "B" -> "byte";
            case "C" -> "char";
            case "S" -> "short";
            case "I" -> "int";
            case "J" -> "long";
            case "F" -> "float";
            case "D" -> "double";
            case "V" -> "void";
            default -> element.startsWith("L") && element.endsWith(";")
                    ? element.substring(1, element.length() - 1).replace('/', '.') : element.replace('/', '.');
        };
        return name + "[]".repeat(dims);
    }

    /** The parameter types of a descriptor "(ILjava/lang/String;)V" or "(I...)" (no return type). */
    static List<String> parameters(String descriptor) {
        List<String> types = new ArrayList<>();
        int end = descriptor.indexOf(')');
        for (int i = 1; i < end; ) {
            int start = i;
            while (descriptor.charAt(i) == '[') {
                i++;
            }
            if (descriptor.charAt(i) == 'L') {
                i = descriptor.indexOf(';', i);
            }
            i++;
            types.add(javaName(descriptor.substring(start, i)));
        }
        return types;
    }

    /**
     * The class (or array class) of a Java type name; null for primitives and where neither the
     * product nor the JDK defines it, or the image must not be told about it.
     */
    private Class<?> find(String javaName) {
        Class<?> c = type(javaName);
        return c == null || c.isPrimitive() ? null : c;
    }

    /**
     * A resource that was asked for, if the product has it: a lookup that found nothing needs no
     * registration (and some names are made up per process, as Log4j's per-context config names).
     */
    private void resource(String name) {
        if (product.getResource(name) != null) {
            resources.add(name);
        }
    }

    /** A class by its binary name, or null: generated at run time, undefined, or {@link #excluded}. */
    private Class<?> named(String name) {
        if (name.contains("$$Lambda") || name.contains("/0x") || name.contains("$Proxy")) {
            return null; // generated at run time: the image makes its own
        }
        try {
            Class<?> c = Class.forName(name, false, product);
            return excluded(c) ? null : c;
        } catch (ClassNotFoundException | LinkageError e) {
            return null;
        }
    }

    /**
     * Types the image must not be told about although a run used them: the JDK's internal packages
     * (not exported: the image implements what it needs of them itself; but AWT's, whose native
     * code looks them up through JNI as the JDK's does), method handles' and the
     * foreign-function API's machinery (the image builds its own; registering FFM's downcall
     * classes makes their linkToNative stubs reachable, which the image cannot compile without
     * FFM support), and Lucene's Panama vectorization (it needs jdk.incubator.vector, which the
     * image leaves out: Lucene falls back to its scalar code).
     */
    private static boolean excluded(Class<?> c) {
        Class<?> element = c;
        while (element.isArray()) {
            element = element.getComponentType();
        }
        if (element.isPrimitive()) {
            return false;
        }
        String pkg = element.getPackageName();
        if (jdk(element) && !desktop(element) && element.getModule().isNamed()
                && !element.getModule().isExported(pkg)) {
            return true;
        }
        if (element.getModule().isNamed() && element.getModule().getName().startsWith("jdk.internal.")) {
            return true; // e.g. jdk.internal.le's JLine console, whose terminal code is FFM downcalls
        }
        return pkg.equals("java.lang.foreign") || pkg.equals("java.lang.invoke")
                || element.getName().startsWith("org.apache.lucene.internal.vectorization.Panama");
    }

    private static boolean jdk(Class<?> c) {
        ClassLoader loader = c.getClassLoader();
        return loader == null || loader == ClassLoader.getPlatformClassLoader();
    }

    private static boolean desktop(Class<?> c) {
        return c.getModule() != null && "java.desktop".equals(c.getModule().getName());
    }

    /** Whether a fact made by this caller is the product's (or AWT's) to keep. */
    private boolean kept(String caller) {
        if (caller == null) {
            return false;
        }
        Class<?> c = find(javaName(caller));
        return c != null && (!jdk(c) || desktop(c));
    }

    /**
     * The class that declares a method or field found through {@code c} (getMethod, GetMethodID
     * and GetFieldID find inherited ones too): metadata names members on their declaring class.
     * Null when none does.
     */
    private Class<?> declaring(Class<?> c, String name, List<String> parameters) {
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            Class<?> found = declares(k, name, parameters);
            if (found != null) {
                return found;
            }
        }
        for (Class<?> k = c; k != null; k = k.getSuperclass()) {
            for (Class<?> i : k.getInterfaces()) {
                Class<?> found = declaring(i, name, parameters);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private Class<?> declares(Class<?> k, String name, List<String> parameters) {
        try {
            if (parameters == null) {
                k.getDeclaredField(name);
                return k;
            }
            Class<?>[] types = new Class<?>[parameters.size()];
            for (int i = 0; i < types.length; i++) {
                types[i] = type(parameters.get(i));
                if (types[i] == null) {
                    return null;
                }
            }
            if (name.equals("<init>")) {
                k.getDeclaredConstructor(types);
            } else {
                k.getDeclaredMethod(name, types);
            }
            return k;
        } catch (NoSuchFieldException | NoSuchMethodException | LinkageError e) {
            return null;
        }
    }

    /** A type by its Java name, primitives and arrays included, or null (as {@link #named}). */
    private Class<?> type(String javaName) {
        return switch (javaName) {
            case "boolean" -> boolean.class;
            case "byte" -> byte.class;
            case "char" -> char.class;
            case "short" -> short.class;
            case "int" -> int.class;
            case "long" -> long.class;
            case "float" -> float.class;
            case "double" -> double.class;
            default -> {
                if (javaName.endsWith("[]")) {
                    Class<?> element = type(javaName.substring(0, javaName.length() - 2));
                    yield element == null ? null : element.arrayType();
                }
                yield named(javaName);
            }
        };
    }

    /** Registers a member on the class that declares it (found from c); nothing when none does. */
    private void declared(Map<String, Map<String, Object>> section, Class<?> c, String key, String name,
                          List<String> parameters) {
        Class<?> owner = declaring(c, name, key.equals("fields") ? null : parameters);
        if (owner != null) {
            member(entry(section, owner.getName()), key, name, key.equals("fields") ? null : parameters);
        }
    }

    private Map<String, Object> entry(Map<String, Map<String, Object>> section, String type) {
        return section.computeIfAbsent(type, t -> new TreeMap<>());
    }

    @SuppressWarnings("unchecked")
    private static void member(Map<String, Object> entry, String key, String name, List<String> parameters) {
        TreeSet<String> members = (TreeSet<String>) entry.computeIfAbsent(key, k -> new TreeSet<String>());
        StringBuilder json = new StringBuilder("{\"name\": ").append(quote(name));
        if (parameters != null) {
            json.append(", \"parameterTypes\": [");
            for (int i = 0; i < parameters.size(); i++) {
                json.append(i == 0 ? "" : ", ").append(quote(parameters.get(i)));
            }
            json.append(']');
        }
        members.add(json.append('}').toString());
    }

    void add(Map<String, String> fact) {
        String kind = fact.get("k");
        String t = fact.get("t");
        String name = fact.get("n");
        String signature = fact.get("s");
        String caller = fact.get("c");
        if (kind == null || t == null) {
            return;
        }
        if (kind.startsWith("jni-")) {
            String type = javaName(t);
            Class<?> c = find(type);
            if (c == null || !(kept(caller) || !jdk(c) || desktop(c))) {
                return;
            }
            entry(jni, type);
            if (kind.equals("jni-method")) {
                declared(jni, c, "methods", name, parameters(signature));
            } else if (kind.equals("jni-field")) {
                declared(jni, c, "fields", name, null);
            }
            return;
        }
        if (!kept(caller)) {
            return;
        }
        switch (kind) {
            case "class" -> {
                String type = javaName(t);
                if (find(type) != null) {
                    entry(reflection, type);
                }
            }
            case "resource" -> resource(t.startsWith("/") ? t.substring(1) : t);
            case "bundle" -> {
                // Only the product's own bundles (a properties file or a class); the image carries the JDK's.
                if (product.getResource(t.replace('.', '/') + ".properties") != null || find(t) != null) {
                    bundles.add(t);
                }
            }
            case "class-resource" -> {
                if (name == null) {
                    return;
                }
                String type = javaName(t);
                int dot = type.lastIndexOf('.');
                resource(name.startsWith("/") ? name.substring(1)
                        : (dot < 0 ? "" : type.substring(0, dot).replace('.', '/') + "/") + name);
            }
            case "proxy" -> {
                if (signature != null && parameters(signature).stream().allMatch(i -> find(i) != null)) {
                    proxies.add(String.join(",", parameters(signature)));
                }
            }
            default -> {
                String type = javaName(t);
                Class<?> c = find(type);
                if (c == null) {
                    return;
                }
                Map<String, Object> e = entry(reflection, type);
                switch (kind) {
                    case "all-declared-fields" -> e.put("allDeclaredFields", true);
                    case "all-public-fields" -> e.put("allPublicFields", true);
                    case "all-declared-methods" -> e.put("allDeclaredMethods", true);
                    case "all-public-methods" -> e.put("allPublicMethods", true);
                    case "all-declared-constructors" -> e.put("allDeclaredConstructors", true);
                    case "all-public-constructors" -> e.put("allPublicConstructors", true);
                    case "record" -> {
                        e.put("allDeclaredFields", true);
                        e.put("allDeclaredMethods", true);
                        e.put("allDeclaredConstructors", true);
                    }
                    case "unsafe-allocated" -> e.put("unsafeAllocated", true);
                    case "field" -> {
                        if (name != null) {
                            declared(reflection, c, "fields", name, null);
                        }
                    }
                    case "method" -> {
                        if (name != null && signature != null) {
                            declared(reflection, c, "methods", name, parameters(signature));
                        }
                    }
                    case "constructor" -> {
                        if (signature != null && !Modifier.isAbstract(c.getModifiers())
                                && declares(c, "<init>", parameters(signature)) != null) {
                            member(e, "methods", "<init>", parameters(signature));
                        }
                    }
                    default -> {
                    }
                }
            }
        }
    }

    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @SuppressWarnings("unchecked")
    private static void section(StringBuilder json, String key, Map<String, Map<String, Object>> entries,
                                List<String> extra, boolean last) {
        json.append("  ").append(quote(key)).append(": [\n");
        List<String> items = new ArrayList<>();
        for (Map.Entry<String, Map<String, Object>> e : entries.entrySet()) {
            StringBuilder item = new StringBuilder("    {\"type\": ").append(quote(e.getKey()));
            for (Map.Entry<String, Object> p : e.getValue().entrySet()) {
                item.append(", ").append(quote(p.getKey())).append(": ");
                if (p.getValue() instanceof TreeSet<?> set) {
                    item.append('[').append(String.join(", ", (TreeSet<String>) set)).append(']');
                } else {
                    item.append(p.getValue());
                }
            }
            items.add(item.append('}').toString());
        }
        items.addAll(extra);
        json.append(String.join(",\n", items)).append("\n  ]").append(last ? "\n" : ",\n");
    }

    String json() {
        StringBuilder json = new StringBuilder("{\n");
        json.append("  \"comment\": \"Generated by bin/native metadata from traces of engram's test suite (native/README.md);")
                .append(" do not edit by hand\",\n");
        List<String> proxyItems = new ArrayList<>();
        for (String p : proxies) {
            List<String> quoted = new ArrayList<>();
            for (String i : p.split(",")) {
                quoted.add(quote(i));
            }
            proxyItems.add("    {\"type\": {\"proxy\": [" + String.join(", ", quoted) + "]}}");
        }
        section(json, "reflection", reflection, proxyItems, false);
        section(json, "jni", jni, List.of(), false);
        json.append("  \"resources\": [\n");
        List<String> globs = new ArrayList<>();
        for (String r : resources) {
            globs.add("    {\"glob\": " + quote(r) + "}");
        }
        for (String b : bundles) {
            globs.add("    {\"bundle\": " + quote(b) + "}");
        }
        json.append(String.join(",\n", globs)).append("\n  ]\n}\n");
        return json.toString();
    }
}
