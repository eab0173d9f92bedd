package dev.engram.store.server.solr;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real SolrCloud for the tests: two Solr nodes and the embedded ZooKeeper of Solr's test
 * framework ({@code MiniSolrCloudCluster}), on 127.0.0.1 and free ports, in a temporary
 * directory (docs/server-store-solr.md, Tests). It runs in a JVM of its own, with Solr's class
 * path, which this JVM's (engram's Lucene, SolrJ 10) must not meet; the tests reach it as engram
 * reaches a production cluster, through ZooKeeper and HTTP.
 *
 * <p>Started once per test JVM, by the first test class that asks for it, and stopped when JUnit
 * ends the run: it lives in the root extension store, which closes what it holds when the engine
 * finishes. Should this JVM die first, the cluster's JVM sees its standard input end and stops too.
 *
 * <pre>
 * &#64;ExtendWith(SolrCloudTestCluster.class)
 * class MyTest {
 *     &#64;Test void t() { try (SolrCluster solr = SolrCluster.connect(SolrCloudTestCluster.zkHost(), ...)) { ... } }
 * }
 * </pre>
 */
public final class SolrCloudTestCluster implements BeforeAllCallback {
    /**
     * The Solr the cluster runs: the newest whose test framework resolves from the Maven
     * repository this build reaches (Solr 10.0.0's needs solr-solrj-streaming 10.0.0, which it
     * does not serve). Override with -Dengram.test.solr.version.
     */
    static final String SOLR_VERSION = System.getProperty("engram.test.solr.version", "9.10.1");
    private static final int NODES = 2;
    private static final long START_TIMEOUT_SECONDS = 180;
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SolrCloudTestCluster.class);

    private static volatile Running running;

    /** What was measured when the cluster started. */
    public record Startup(double seconds, double heapMegabytes, double residentMegabytes, int threads) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%d-node SolrCloud %s up in %.1f s (its own JVM: heap %.0f MB used,"
                    + " %.0f MB resident, %d threads)", NODES, SOLR_VERSION, seconds, heapMegabytes, residentMegabytes,
                    threads);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(Running.class, k -> start(), Running.class);
    }

    /** ZooKeeper's address with Solr's chroot ({@code 127.0.0.1:PORT/solr}): what {@link SolrCluster#connect} takes. */
    public static String zkHost() {
        return require().zkHost();
    }

    public static Startup startup() {
        return require().startup();
    }

    /** Stops Solr node {@code node} (0 or 1), as a crash would take it away; ZooKeeper stays. */
    public static void stopNode(int node) {
        require().command("stop " + node);
    }

    /** Starts Solr node {@code node} again, on its old port and with its old cores. */
    public static void startNode(int node) {
        require().command("start " + node);
    }

    /**
     * Waits until every replica of every collection is active again: a node that is back is
     * live before its cores have recovered, and until then writes to them fail.
     */
    public static void awaitActive() {
        require().command("await 0");
    }

    private static Running require() {
        Running r = running;
        if (r == null) {
            throw new IllegalStateException("the SolrCloud test cluster is not running: annotate the test class with"
                    + " @ExtendWith(SolrCloudTestCluster.class)");
        }
        return r;
    }

    /** The cluster's JVM and how to talk to it: one command a line, one answer a line. */
    private record Running(Process process, BufferedReader answers, Writer commands, Path directory, String zkHost,
                           Startup startup) implements AutoCloseable {
        synchronized void command(String command) {
            try {
                commands.write(command + "\n");
                commands.flush();
                String answer = answers.readLine();
                if (answer == null || !answer.startsWith("ok")) {
                    throw new IllegalStateException("the SolrCloud test cluster answered '" + answer + "' to '" + command
                            + "'; see " + directory.resolve("solr.log"));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void close() throws Exception {
            running = null;
            try {
                try {
                    commands.write("quit\n");
                    commands.close();
                } catch (IOException e) {
                    // Already gone: nothing to stop.
                }
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } finally {
                deleteRecursively(directory);
            }
        }
    }

    private static Running start() {
        Path directory = null;
        Process process = null;
        try {
            String classPath = SolrTestServerClassPath.resolve(SOLR_VERSION);
            directory = Files.createTempDirectory("solr-cloud-");
            Path launcher = directory.resolve("SolrCloudMain.java");
            Files.writeString(launcher, LAUNCHER);
            Path logConfig = directory.resolve("log4j2.xml");
            Files.writeString(logConfig, LOG_CONFIG);
            Path java = Path.of(System.getProperty("java.home"), "bin", "java");
            List<String> command = new ArrayList<>(List.of(java.toString(),
                    "-Xmx1g",
                    // Lucene's native calls (madvise) without a warning on every start.
                    "--enable-native-access=ALL-UNNAMED",
                    // Solr logs through Log4j2: warnings and errors to solr.log, nothing to stdout,
                    // which carries the answers.
                    "-Dlog4j2.configurationFile=" + logConfig.toUri(),
                    "-Dsolr.log.dir=" + directory,
                    "-cp", classPath,
                    launcher.toString(), directory.resolve("cluster").toString(), Integer.toString(NODES)));
            long t0 = System.nanoTime();
            process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.appendTo(directory.resolve("solr.log").toFile()))
                    .start();
            BufferedReader answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            Writer commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            String ready = readLine(answers, process, START_TIMEOUT_SECONDS);
            if (ready == null || !ready.startsWith("ready ")) {
                throw new IllegalStateException("the SolrCloud test cluster did not start (it said '" + ready + "'); see "
                        + directory.resolve("solr.log"));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            // ready ZKHOST HEAP_MB THREADS
            String[] fields = ready.split(" ");
            Startup startup = new Startup(seconds, Double.parseDouble(fields[2]), residentMegabytes(process),
                    Integer.parseInt(fields[3]));
            System.out.println("SolrCloudTestCluster: " + startup + "; ZooKeeper at " + fields[1]);
            Running r = new Running(process, answers, commands, directory, fields[1], startup);
            running = r;
            return r;
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (process != null) {
                process.destroyForcibly();
            }
            if (directory != null && !(e instanceof IllegalStateException)) {
                deleteRecursively(directory);
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("the SolrCloud test cluster did not start", e);
        }
    }

    /** A line from the cluster's JVM, or null if it ends or says nothing for that long. */
    private static String readLine(BufferedReader reader, Process process, long seconds) throws InterruptedException {
        String[] line = new String[1];
        Thread t = Thread.ofVirtual().start(() -> {
            try {
                line[0] = reader.readLine();
            } catch (IOException e) {
                line[0] = null;
            }
        });
        t.join(TimeUnit.SECONDS.toMillis(seconds));
        if (t.isAlive()) {
            process.destroyForcibly();
            t.join();
        }
        return line[0];
    }

    /** The resident set of the cluster's JVM (Linux), or -1. */
    private static double residentMegabytes(Process process) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Not Linux: not measured.
        }
        return -1;
    }

    private static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // Left for the temporary directory's own cleaning.
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("SolrCloudTestCluster: could not delete " + directory + ": " + e);
        }
    }

    /**
     * The cluster's main, run from source by the java launcher against Solr's class path (so that
     * engram's build never compiles against that Solr). Outside Solr's randomized test runner
     * MiniSolrCloudCluster needs one setting: no OpenTelemetry trace ids, whose "recording" flag is
     * drawn from the runner's random context. Commands on stdin: "stop N", "start N", "quit"; it
     * also stops when stdin ends (the test JVM died).
     */
    private static final String LAUNCHER = """
            import java.io.BufferedReader;
            import java.io.InputStreamReader;
            import java.nio.file.Path;
            import java.util.ArrayList;
            import java.util.List;
            import org.apache.solr.cloud.MiniSolrCloudCluster;
            import org.apache.solr.embedded.JettySolrRunner;

            public class SolrCloudMain {
                public static void main(String[] args) throws Exception {
                    MiniSolrCloudCluster cluster = new MiniSolrCloudCluster.Builder(Integer.parseInt(args[1]), Path.of(args[0]))
                            .withTraceIdGenerationDisabled()
                            .build();
                    cluster.waitForAllNodes(60);
                    System.gc();
                    Runtime rt = Runtime.getRuntime();
                    long heap = (rt.totalMemory() - rt.freeMemory()) / (1024 * 1024);
                    System.out.println("ready " + cluster.getZkServer().getZkAddress() + " " + heap + " " + Thread.activeCount());
                    // The cluster forgets a node it stops: its numbers stay those of the start.
                    List<JettySolrRunner> nodes = new ArrayList<>(cluster.getJettySolrRunners());
                    BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
                    for (String line; (line = in.readLine()) != null && !line.equals("quit"); ) {
                        try {
                            String[] cmd = line.split(" ");
                            JettySolrRunner node = nodes.get(Integer.parseInt(cmd[1]));
                            if (cmd[0].equals("stop")) {
                                cluster.stopJettySolrRunner(node);
                                cluster.waitForJettyToStop(node);
                            } else if (cmd[0].equals("start")) {
                                cluster.startJettySolrRunner(node, true);
                                cluster.waitForNode(node, 60);
                            } else if (cmd[0].equals("await")) {
                                for (var c : cluster.getSolrClient().getClusterState().getCollectionsMap().values()) {
                                    cluster.waitForActiveCollection(c.getName(), c.getSlices().size(),
                                            c.getReplicas().size());
                                }
                            } else {
                                throw new IllegalArgumentException(line);
                            }
                            System.out.println("ok");
                        } catch (Exception e) {
                            e.printStackTrace();
                            System.out.println("error " + e);
                        }
                    }
                    cluster.shutdown();
                    System.exit(0);
                }
            }
            """;

    private static final String LOG_CONFIG = """
            <?xml version="1.0" encoding="UTF-8"?>
            <Configuration status="warn">
              <Appenders>
                <Console name="stderr" target="SYSTEM_ERR">
                  <PatternLayout pattern="%d{HH:mm:ss.SSS} %-5level [%t] %c{1.} %msg%n"/>
                </Console>
              </Appenders>
              <Loggers>
                <Root level="warn"><AppenderRef ref="stderr"/></Root>
              </Loggers>
            </Configuration>
            """;
}
