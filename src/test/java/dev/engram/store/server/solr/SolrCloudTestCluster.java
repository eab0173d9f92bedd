package dev.engram.store.server.solr;

import dev.engram.bench.SolrCloudProcess;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;
import java.util.Locale;

/**
 * A real SolrCloud for the tests: two Solr nodes and the embedded ZooKeeper of Solr's test
 * framework ({@code MiniSolrCloudCluster}), on 127.0.0.1 and free ports, in a temporary
 * directory (docs/server-store-solr.md, Tests). It runs in a JVM of its own, with Solr's class
 * path, which this JVM's (engram's Lucene, SolrJ 10) must not meet; the tests reach it as engram
 * reaches a production cluster, through ZooKeeper and HTTP. The child JVM is
 * {@link SolrCloudProcess} (src/bench/java: bin/bench scale starts the same cluster).
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

    /** The cluster's JVM ({@link SolrCloudProcess}, shared with bin/bench scale) and what it measured at the start. */
    private record Running(SolrCloudProcess cluster, Startup startup) implements AutoCloseable {
        String zkHost() {
            return cluster.zkHost();
        }

        void command(String command) {
            cluster.command(command);
        }

        @Override
        public void close() throws Exception {
            running = null;
            cluster.close();
        }
    }

    private static Running start() {
        Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        SolrCloudProcess cluster = SolrCloudProcess.start(base, SOLR_VERSION, NODES);
        Startup startup = new Startup(cluster.startSeconds(), cluster.heapMegabytes(), cluster.residentMegabytes(),
                cluster.threads());
        System.out.println("SolrCloudTestCluster: " + startup + "; ZooKeeper at " + cluster.zkHost());
        Running r = new Running(cluster, startup);
        running = r;
        return r;
    }
}
