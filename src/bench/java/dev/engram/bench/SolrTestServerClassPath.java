package dev.engram.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The class path of the test cluster's JVM: Solr's test framework and everything it needs,
 * resolved by Maven from a small POM of its own, never from engram's (docs/server-store-solr.md,
 * Tests: Solr's Lucene and SolrJ are other versions than engram's, and one test class path holds
 * one version of each). Kept under target/, so Maven runs once per Solr version and clean build.
 * Shared by the tests' SolrCloudTestCluster and bin/bench scale (through {@link SolrCloudProcess}),
 * hence in src/bench/java, which the tests compile too.
 */
public final class SolrTestServerClassPath {
    private static final String DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1";

    private SolrTestServerClassPath() {
    }

    /** The class path, resolved in the checkout at {@code base} (its mvnw and target/). */
    public static synchronized String resolve(Path base, String solrVersion) throws IOException, InterruptedException {
        Path dir = base.resolve("target").resolve("solr-test-server-" + solrVersion);
        Path pom = dir.resolve("pom.xml");
        Path classPath = dir.resolve("classpath.txt");
        String pomText = pom(solrVersion);
        if (Files.isRegularFile(classPath) && Files.isRegularFile(pom) && Files.readString(pom).equals(pomText)) {
            return Files.readString(classPath).strip();
        }
        Files.createDirectories(dir);
        Files.writeString(pom, pomText);
        Files.deleteIfExists(classPath);
        // Offline first (the usual case: the artifacts are in the local repository), then online.
        if (!maven(base, dir, pom, classPath, true) && !maven(base, dir, pom, classPath, false)) {
            throw new IllegalStateException("Maven could not resolve Solr " + solrVersion + "'s test framework; see "
                    + dir.resolve("maven.log"));
        }
        return Files.readString(classPath).strip();
    }

    private static boolean maven(Path base, Path dir, Path pom, Path classPath, boolean offline)
            throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(base.resolve("mvnw").toString(), "-B", "-q"));
        if (offline) {
            command.add("-o");
        }
        command.addAll(List.of("-f", pom.toString(), DEPENDENCY_PLUGIN + ":build-classpath",
                "-Dmdep.outputFile=" + classPath));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("maven.log").toFile());
        // The wrapper runs Maven on the JDK this test runs on.
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = builder.start();
        if (!process.waitFor(15, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            return false;
        }
        return process.exitValue() == 0 && Files.isRegularFile(classPath);
    }

    private static String pom(String solrVersion) {
        String pom = """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- Written by SolrTestServerClassPath: the class path of engram's SolrCloud test cluster. -->
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>dev.engram.test</groupId>
                  <artifactId>solr-test-server</artifactId>
                  <version>1</version>
                  <dependencies>
                    <dependency>
                      <groupId>org.apache.solr</groupId>
                      <artifactId>solr-test-framework</artifactId>
                      <version>SOLR_VERSION</version>
                    </dependency>
                  </dependencies>
                </project>
                """;
        return pom.replace("SOLR_VERSION", solrVersion);
    }
}
