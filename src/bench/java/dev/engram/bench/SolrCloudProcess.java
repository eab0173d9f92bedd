package dev.engram.bench;

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
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A SolrCloud of {@code nodes} Solr nodes and the embedded ZooKeeper of Solr's test framework
 * ({@code MiniSolrCloudCluster}), on 127.0.0.1 and free ports, in a temporary directory, run in a
 * JVM of its own with Solr's class path ({@link SolrTestServerClassPath}), which engram's JVM
 * (its Lucene, SolrJ 10) must not meet: engram reaches it as it reaches a production cluster,
 * through ZooKeeper and HTTP (docs/server-store-solr.md, Tests). The tests' SolrCloudTestCluster
 * and bin/bench scale start it; {@link #close()} stops it and deletes its directory. Should the
 * JVM that started it die first, the cluster's JVM sees its standard input end and stops too.
 *
 * <p>As a main, for bin/bench: {@code SolrCloudProcess CHECKOUT SOLR_VERSION NODES} starts the
 * cluster, prints {@code ready ZKHOST PID} on stdout, and stops it when its own standard input
 * ends (or says {@code quit}); then it prints {@code peak_rss_mb MB}, the cluster JVM's peak
 * resident set.
 */
public final class SolrCloudProcess implements AutoCloseable {
    private static final long START_TIMEOUT_SECONDS = 180;

    private final Process process;
    private final BufferedReader answers;
    private final Writer commands;
    private final Path directory;
    private final String zkHost;
    private final double startSeconds;
    private final double heapMegabytes;
    private final int threads;

    private SolrCloudProcess(Process process, BufferedReader answers, Writer commands, Path directory, String zkHost,
                             double startSeconds, double heapMegabytes, int threads) {
        this.process = process;
        this.answers = answers;
        this.commands = commands;
        this.directory = directory;
        this.zkHost = zkHost;
        this.startSeconds = startSeconds;
        this.heapMegabytes = heapMegabytes;
        this.threads = threads;
    }

    /** ZooKeeper's address with Solr's chroot ({@code 127.0.0.1:PORT/solr}). */
    public String zkHost() {
        return zkHost;
    }

    /** Seconds from the child JVM's start until every node was up. */
    public double startSeconds() {
        return startSeconds;
    }

    /** The child JVM's heap in use after a GC once the cluster was up (MB). */
    public double heapMegabytes() {
        return heapMegabytes;
    }

    /** The child JVM's threads once the cluster was up. */
    public int threads() {
        return threads;
    }

    public long pid() {
        return process.pid();
    }

    /**
     * Sends one command to the cluster's JVM and waits for its answer: {@code stop N} (node N
     * goes, as in a crash; ZooKeeper stays), {@code start N} (back on its old port with its old
     * cores), {@code await 0} (every replica of every collection active again).
     */
    public synchronized void command(String command) {
        try {
            commands.write(command + "\n");
            commands.flush();
            String answer = answers.readLine();
            if (answer == null || !answer.startsWith("ok")) {
                throw new IllegalStateException("the SolrCloud cluster answered '" + answer + "' to '" + command
                        + "'; see " + directory.resolve("solr.log"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
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

    /** Starts a cluster of {@code nodes} nodes of Solr {@code solrVersion}, resolved in the checkout at {@code base}. */
    public static SolrCloudProcess start(Path base, String solrVersion, int nodes) {
        Path directory = null;
        Process process = null;
        try {
            String classPath = SolrTestServerClassPath.resolve(base, solrVersion);
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
                    launcher.toString(), directory.resolve("cluster").toString(), Integer.toString(nodes)));
            long t0 = System.nanoTime();
            process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.appendTo(directory.resolve("solr.log").toFile()))
                    .start();
            BufferedReader answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            Writer commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
            String ready = readLine(answers, process, START_TIMEOUT_SECONDS);
            if (ready == null || !ready.startsWith("ready ")) {
                throw new IllegalStateException("the SolrCloud cluster did not start (it said '" + ready + "'); see "
                        + directory.resolve("solr.log"));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            // ready ZKHOST HEAP_MB THREADS
            String[] fields = ready.split(" ");
            return new SolrCloudProcess(process, answers, commands, directory, fields[1], seconds,
                    Double.parseDouble(fields[2]), Integer.parseInt(fields[3]));
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
            throw new IllegalStateException("the SolrCloud cluster did not start", e);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: SolrCloudProcess CHECKOUT SOLR_VERSION NODES");
            System.exit(2);
        }
        try (SolrCloudProcess solr = start(Path.of(args[0]), args[1], Integer.parseInt(args[2]))) {
            System.err.printf(java.util.Locale.ROOT, "SolrCloud %s: %s nodes up in %.1f s (heap %.0f MB, %d threads)%n",
                    args[1], args[2], solr.startSeconds(), solr.heapMegabytes(), solr.threads());
            System.out.println("ready " + solr.zkHost() + " " + solr.pid());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null && !line.equals("quit"); ) {
                // Nothing but the end is asked of it here.
            }
            System.out.println("peak_rss_mb " + Math.round(solr.peakResidentMegabytes()));
            System.out.flush();
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
    public double residentMegabytes() {
        return residentMegabytes(process, "VmRSS:");
    }

    /** The peak resident set of the cluster's JVM so far (Linux), or -1. */
    public double peakResidentMegabytes() {
        return residentMegabytes(process, "VmHWM:");
    }

    private static double residentMegabytes(Process process, String field) {
        return residentMegabytes(process.pid(), field);
    }

    /** A field of /proc/PID/status in MiB ({@code VmRSS:}, {@code VmHWM:}), or -1 where there is none. */
    static double residentMegabytes(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
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
            System.err.println("SolrCloudProcess: could not delete " + directory + ": " + e);
        }
    }

    /**
     * The cluster's main, run from source by the java launcher against Solr's class path (so that
     * engram's build never compiles against that Solr). Outside Solr's randomized test runner
     * MiniSolrCloudCluster needs one setting: no OpenTelemetry trace ids, whose "recording" flag is
     * drawn from the runner's random context. Commands on stdin: "stop N", "start N", "quit"; it
     * also stops when stdin ends (the JVM that started it died).
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
