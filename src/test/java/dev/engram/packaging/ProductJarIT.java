package dev.engram.packaging;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The packaged jars, after {@code package}: {@code target/engram.jar} is engram and nothing that
 * only benchmarks or the build need (those are compiled from src/bench/java and src/build/java,
 * see pom.xml), and {@code target/engram-bench.jar} holds every helper that bin/bench runs.
 */
class ProductJarIT {
    static final Path BASE = Path.of(System.getProperty("basedir", "."));
    static final Path TARGET = BASE.resolve("target");

    @Test
    void theProductJarHoldsNoBenchmarkHelperAndNoBuildTimeGenerator() throws IOException {
        Set<String> entries = entries(TARGET.resolve("engram.jar"));
        assertTrue(entries.contains("dev/engram/cli/Main.class"), "not engram's jar: " + entries);
        List<String> strays = entries.stream()
                .filter(e -> e.startsWith("dev/engram/bench/") || e.startsWith("dev/engram/build/")
                        || e.matches(".*/ManPages(\\$.*)?\\.class"))
                .toList();
        assertEquals(List.of(), strays, "benchmark or build code in target/engram.jar");
    }

    @Test
    void theBenchJarHoldsEveryHelperBinBenchRunsAndNoCopyOfEngram() throws IOException {
        Set<String> entries = entries(TARGET.resolve("engram-bench.jar"));
        Matcher named = Pattern.compile("dev\\.engram\\.bench\\.(\\w+)")
                .matcher(Files.readString(BASE.resolve("bin/bench")));
        Set<String> helpers = new TreeSet<>();
        while (named.find()) {
            helpers.add("dev/engram/bench/" + named.group(1) + ".class");
        }
        assertFalse(helpers.isEmpty(), "bin/bench names no dev.engram.bench class");
        assertEquals(Collections.emptySet(), helpers.stream().filter(h -> !entries.contains(h))
                .collect(Collectors.toSet()), "helpers bin/bench runs, missing from target/engram-bench.jar");
        assertEquals(List.of(), entries.stream()
                .filter(e -> e.endsWith(".class") && !e.startsWith("dev/engram/bench/")).toList(),
                "target/engram-bench.jar holds only the bench helpers; engram itself comes from engram.jar");
    }

    static Set<String> entries(Path jar) throws IOException {
        assertTrue(Files.isRegularFile(jar), jar + " is missing: this test runs after package");
        try (JarFile file = new JarFile(jar.toFile())) {
            return file.stream().map(ZipEntry::getName).collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
