package dev.engram.store.server;

import dev.engram.store.Space;
import dev.engram.store.VectorIndex;
import dev.engram.store.server.solr.SolrCluster;

import java.util.Map;

/**
 * A server store's vector indexes: one SolrCloud collection per space, named after the store
 * and the space ({@code engram_STOREID_SPACEID}, so that stores sharing a cluster never meet),
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

    static String collection(String storeId, Space space) {
        return "engram_" + storeId + "_" + space.id();
    }

    @Override
    public VectorIndex open(String storeId, Space space) {
        if (cluster == null) {
            cluster = SolrCluster.connect(address.zkHost(), new SolrCluster.Layout(address.shards(), address.replicas()),
                    credentials);
        }
        return cluster.index(collection(storeId, space), space);
    }

    @Override
    public void close() {
        if (cluster != null) {
            cluster.close();
            cluster = null;
        }
    }
}
