package dev.engram.store.server.solr;

import dev.engram.EngramException;
import dev.engram.store.Space;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.solr.client.solrj.SolrRequest;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.client.solrj.impl.HttpJdkSolrClient;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.request.ConfigSetAdminRequest;
import org.apache.solr.client.solrj.request.GenericSolrRequest;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.cloud.ClusterState;
import org.apache.solr.common.util.ContentStreamBase;
import org.apache.solr.common.util.NamedList;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

/**
 * A connection to the SolrCloud that holds a server store's vector indexes: one
 * {@link CloudSolrClient}, which finds the cluster's live nodes and collections through
 * ZooKeeper, shared by the {@link SolrVectorIndex} of every space (docs/server-store-solr.md).
 * It creates a space's collection, from engram's own configset, the first time a trace is
 * written to it. Thread-safe.
 */
public final class SolrCluster implements AutoCloseable {
    private static final Logger log = LogManager.getLogger(SolrCluster.class);
    /** How long a command waits for ZooKeeper before it goes on without Solr. */
    private static final int CONNECT_SECONDS = 10;

    /** Solr's rule for collection names (letters, digits, '.', '_', '-'; no leading '-'). */
    private static final Pattern COLLECTION_NAME = Pattern.compile("[A-Za-z0-9._][A-Za-z0-9._-]*");

    /** How a new collection is laid out: shards, and NRT replicas of each shard. */
    public record Layout(int shards, int replicas) {
        public Layout {
            if (shards < 1 || replicas < 1) {
                throw EngramException.invalidInput("a Solr collection needs at least one shard and one replica, not "
                        + shards + " shards of " + replicas + " replicas");
            }
        }
    }

    /** HTTP basic authentication for Solr; its {@link #toString()} shows no password. */
    public record Credentials(String user, String password) {
        @Override
        public String toString() {
            return "Credentials[user=" + user + ", password=(hidden)]";
        }
    }

    private final String zkHost;
    private final Layout layout;
    private final CloudSolrClient client;
    private final Set<String> uploaded = ConcurrentHashMap.newKeySet();
    private volatile int solrMajorVersion;

    private SolrCluster(String zkHost, Layout layout, CloudSolrClient client) {
        this.zkHost = zkHost;
        this.layout = layout;
        this.client = client;
    }

    /**
     * Connects to the SolrCloud whose state lives in ZooKeeper at {@code zkHost}: hosts and an
     * optional chroot, as Solr writes them ({@code zk1:2181,zk2:2181/solr}).
     *
     * @param layout      how collections this connection creates are sharded and replicated
     * @param credentials for a cluster with basic authentication, else null
     */
    public static SolrCluster connect(String zkHost, Layout layout, Credentials credentials) {
        int slash = zkHost.indexOf('/');
        List<String> hosts = Arrays.stream((slash < 0 ? zkHost : zkHost.substring(0, slash)).split(","))
                .map(String::strip).filter(h -> !h.isEmpty()).toList();
        if (hosts.isEmpty()) {
            throw EngramException.invalidInput("no ZooKeeper host in '" + zkHost + "'");
        }
        Optional<String> chroot = slash < 0 ? Optional.empty() : Optional.of(zkHost.substring(slash));
        // The JDK's HTTP client, always: SolrJ would take Jetty's whenever it is on the class path
        // (as in the tests, where Solr itself runs), and engram ships without it.
        HttpJdkSolrClient.Builder http = new HttpJdkSolrClient.Builder()
                .withConnectionTimeout(15, TimeUnit.SECONDS)
                .withRequestTimeout(10, TimeUnit.MINUTES);
        if (credentials != null) {
            http.withBasicAuthCredentials(credentials.user(), credentials.password());
        }
        // ZooKeeper that cannot be reached is waited for CONNECT_SECONDS, then the command goes on
        // without Solr (searching exactly, leaving new traces listed): measured, a recall with
        // ZooKeeper gone took 34 s with the former 30 s wait.
        CloudSolrClient client = new CloudSolrClient.Builder(hosts, chroot)
                .withHttpClientBuilder(http)
                .withZkConnectTimeout(CONNECT_SECONDS, TimeUnit.SECONDS)
                .withZkClientTimeout(30, TimeUnit.SECONDS)
                .build();
        try {
            client.connect(CONNECT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException | InterruptedException | RuntimeException e) {
            closeQuietly(client);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw EngramException.storeUnavailable("cannot reach SolrCloud through ZooKeeper at " + zkHost
                    + ": " + e.getMessage(), e);
        }
        log.debug("connected to SolrCloud at {} (new collections: {} shards x {} replicas)",
                zkHost, layout.shards(), layout.replicas());
        return new SolrCluster(zkHost, layout, client);
    }

    public String zkHost() {
        return zkHost;
    }

    public Layout layout() {
        return layout;
    }

    /**
     * The vector index of {@code space} in collection {@code collection}, which need not exist yet
     * (the first add or rebuild creates it). Closing the index leaves this connection open.
     */
    public SolrVectorIndex index(String collection, Space space) {
        requireCollectionName(collection);
        return new SolrVectorIndex(this, collection, space);
    }

    public boolean hasCollection(String collection) {
        return state(collection) != null;
    }

    /** Deletes the collection if it exists (its configset stays: other collections may use it). */
    public void deleteCollection(String collection) {
        if (!hasCollection(collection)) {
            return;
        }
        try {
            CollectionAdminRequest.deleteCollection(collection).process(client);
        } catch (SolrServerException | IOException | SolrException e) {
            if (hasCollection(collection)) {
                throw unavailable("cannot delete collection " + collection, e);
            }
        }
        awaitCollection(collection, false);
    }

    /**
     * Waits until this client's view of the cluster (ZooKeeper watches, a little behind the
     * Collections API's answer) has the collection or no longer has it.
     */
    private void awaitCollection(String collection, boolean present) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (hasCollection(collection) != present) {
            if (System.nanoTime() > deadline) {
                throw unavailable("collection " + collection + (present ? " did not appear" : " did not go"), null);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw unavailable("interrupted waiting for collection " + collection, e);
            }
        }
    }

    CloudSolrClient client() {
        return client;
    }

    /** A request to the cluster. */
    @FunctionalInterface
    interface Call<T> {
        T run() throws SolrServerException, IOException;
    }

    /**
     * Runs {@code call}, and once more if it failed because the connection it used had been
     * closed under it: a Solr node that restarts closes its HTTP/2 connections, and the JDK's
     * client finds out only when it next uses one ("EOF reached while reading"; seen in the
     * tests after a node restarted). Every request engram sends may run twice: documents are
     * added by trace id, commits and queries change nothing else.
     */
    <T> T twice(Call<T> call) throws SolrServerException, IOException {
        try {
            return call.run();
        } catch (SolrServerException | IOException e) {
            if (!connectionLost(e)) {
                throw e;
            }
            log.debug("a connection to SolrCloud at {} was closed under a request; sending it again", zkHost, e);
            return call.run();
        }
    }

    private static boolean connectionLost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.io.EOFException || t instanceof java.net.ConnectException
                    || t instanceof java.nio.channels.ClosedChannelException) {
                return true;
            }
        }
        return false;
    }

    private ClusterState.CollectionRef state(String collection) {
        try {
            return client.getClusterStateProvider().getState(collection);
        } catch (SolrException e) {
            throw unavailable("cannot read the state of collection " + collection, e);
        }
    }

    /**
     * Creates the collection, with engram's configset for the dimension and similarity, unless it
     * exists; refuses one that exists with a configset of another dimension or similarity. Safe
     * when several processes race to create it.
     */
    void ensureCollection(String collection, int dimension, VectorSimilarity similarity) {
        String kind = Configset.kind(dimension, similarity);
        ClusterState.CollectionRef existing = state(collection);
        if (existing == null) {
            Configset configset = Configset.of(dimension, similarity, solrMajorVersion());
            ensureConfigset(configset);
            for (int attempt = 1; ; attempt++) {
                try {
                    CollectionAdminRequest.Create create = CollectionAdminRequest.createCollection(
                            collection, configset.name(), layout.shards(), layout.replicas());
                    create.setWaitForFinalState(true);
                    create.process(client);
                    log.info("created Solr collection {}: {} shards x {} replicas, configset {}", collection,
                            layout.shards(), layout.replicas(), configset.name());
                    break;
                } catch (SolrServerException | IOException | SolrException e) {
                    // Another process may have created it meanwhile: then it is there.
                    if (hasCollection(collection)) {
                        break;
                    }
                    // A pooled connection that Solr had closed fails before the request is sent
                    // ("EOF reached while reading", seen once in the tests): once more, afresh.
                    if (attempt == 2 || !(e instanceof SolrServerException && e.getCause() instanceof IOException)) {
                        throw unavailable("cannot create collection " + collection, e);
                    }
                    log.warn("creating Solr collection {} failed ({}); trying once more", collection, e.getMessage());
                }
            }
            awaitCollection(collection, true);
            existing = state(collection);
            if (existing == null) {
                throw unavailable("collection " + collection + " was deleted as it was created", null);
            }
        }
        String configName = existing.get().getConfigName();
        if (configName == null || !configName.startsWith(kind)) {
            throw EngramException.storeIncompatible("Solr collection " + collection + " uses configset " + configName
                    + ", which is not one for this space's vectors (" + kind + "...)");
        }
    }

    /**
     * The major version of the cluster's Solr (asked of any live node once): the configset names
     * the HNSW parameters as that version does.
     */
    int solrMajorVersion() {
        int version = solrMajorVersion;
        if (version == 0) {
            try {
                NamedList<Object> info = client.request(new GenericSolrRequest(SolrRequest.METHOD.GET,
                        "/admin/info/system", SolrRequest.SolrRequestType.ADMIN));
                Object lucene = info.get("lucene");
                Object spec = lucene instanceof NamedList<?> l ? l.get("solr-spec-version")
                        : lucene instanceof java.util.Map<?, ?> m ? m.get("solr-spec-version") : null;
                version = Integer.parseInt(String.valueOf(spec).split("\\.")[0]);
            } catch (SolrServerException | IOException | SolrException | NumberFormatException e) {
                throw unavailable("cannot read the Solr version", e);
            }
            solrMajorVersion = version;
        }
        return version;
    }

    private void ensureConfigset(Configset configset) {
        if (uploaded.contains(configset.name())) {
            return;
        }
        try {
            if (!configsets().contains(configset.name())) {
                try {
                    new ConfigSetAdminRequest.Upload()
                            .setConfigSetName(configset.name())
                            .setUploadStream(new ContentStreamBase.ByteArrayStream(configset.zip(),
                                    configset.name() + ".zip", "application/zip"))
                            .process(client);
                    log.info("uploaded Solr configset {}", configset.name());
                } catch (SolrServerException | IOException | SolrException e) {
                    // Another process may have uploaded it meanwhile: same name, same files.
                    if (!configsets().contains(configset.name())) {
                        throw e;
                    }
                }
            }
        } catch (SolrServerException | IOException | SolrException e) {
            throw unavailable("cannot upload configset " + configset.name(), e);
        }
        uploaded.add(configset.name());
    }

    private List<String> configsets() throws SolrServerException, IOException {
        List<String> names = twice(() -> new ConfigSetAdminRequest.List().process(client)).getConfigSets();
        return names == null ? List.of() : names;
    }

    /** A failure to talk to the cluster: names the ZooKeeper address, never credentials. */
    EngramException unavailable(String what, Exception cause) {
        String detail = cause == null ? "" : ": " + cause.getMessage();
        return EngramException.storeUnavailable(what + " in SolrCloud at " + zkHost + detail, cause);
    }

    static void requireCollectionName(String collection) {
        if (collection == null || !COLLECTION_NAME.matcher(collection).matches()) {
            throw EngramException.invalidInput("'" + collection + "' is not a Solr collection name"
                    + " (letters, digits, '.', '_' and '-', not starting with '-')");
        }
    }

    private static void closeQuietly(CloudSolrClient client) {
        try {
            client.close();
        } catch (RuntimeException e) {
            log.debug("closing the Solr client", e);
        }
    }

    @Override
    public void close() {
        closeQuietly(client);
    }
}
