package dev.engram.store.server;

import dev.engram.store.Space;
import dev.engram.store.VectorIndex;
import dev.engram.store.server.solr.SolrCluster;

import java.util.Map;

/**
 * A server store's vector indexes: one SolrCloud collection per space and model version, named
 * after the store, the space and the version ({@code engram_STOREID_SPACEID}, then
 * {@code engram_STOREID_SPACEID_vN}, so that stores sharing a cluster never meet),
 * reached through one connection opened on first use.
 */
final class SolrIndexes implements ServerStore.IndexOpener {
    private final ServerAddress address;
    private final SolrCluster.Credentials credentials;
    private SolrCluster cluster;

    SolrIndexes(ServerAddress address, Map<String, String> env) {
        this.address = address;
        String user = env.get("ENGRAM_SOLR_USER");
        this.credentials = user == null || user.isBlank() ? null
                : new SolrCluster.Credentials(user, ServerAddress.password(env, "ENGRAM_SOLR"));
    }

    /** The collection of the space's current model version: {@code _vN} appended from the second on. */
    static String collection(String storeId, Space space) {
        return "engram_" + storeId + "_" + space.id() + (space.modelVersion() == 1 ? "" : "_v" + space.modelVersion());
    }

    @Override
    public VectorIndex open(String storeId, Space space) {
        return cluster().index(collection(storeId, space), space);
    }

    @Override
    public void drop(String storeId, Space space) {
        cluster().deleteCollection(collection(storeId, space));
    }

    private SolrCluster cluster() {
        if (cluster == null) {
            cluster = SolrCluster.connect(address.zkHost(), new SolrCluster.Layout(address.shards(), address.replicas()),
                    credentials);
        }
        return cluster;
    }

    @Override
    public void close() {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }
}
