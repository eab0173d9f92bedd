package dev.engram.store.server;

import dev.engram.store.StoreContract;
import dev.engram.store.StoreLocation;
import dev.engram.store.server.solr.SolrCloudTestCluster;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;

/**
 * The server store passes the Store contract unchanged: each test in a fresh PostgreSQL schema,
 * its spaces' vector indexes in collections of a real 2-node SolrCloud.
 */
@ExtendWith(SolrCloudTestCluster.class)
class ServerStoreContractTest extends StoreContract {
    @RegisterExtension
    final PostgresTestServer pg = new PostgresTestServer();

    /** The address of this test's store, with the password file the environment would name. */
    static StoreLocation location(PostgresTestServer.Scratch scratch, int shards) {
        PostgresTestServer.Server server = scratch.server();
        ServerAddress address = new ServerAddress(server.host(), server.port(), scratch.database(), scratch.schema(),
                server.user(), SolrCloudTestCluster.zkHost(), shards, 1);
        return ServerStores.at(address, Map.of("ENGRAM_PG_PASSWORD_FILE", server.passwordFile().toString()));
    }

    @Override
    protected StoreLocation location() {
        return location(pg.scratch(), 1);
    }

    @Override
    protected void markNewerFormat(StoreLocation location) throws Exception {
        try (Connection db = pg.scratch().connect(); Statement statement = db.createStatement()) {
            statement.executeUpdate("UPDATE meta SET content = '" + (PostgresSchema.CURRENT_VERSION + 1)
                    + "' WHERE name = 'format_version'");
        }
    }
}
