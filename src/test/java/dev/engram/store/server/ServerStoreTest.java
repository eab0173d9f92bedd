package dev.engram.store.server;

import dev.engram.store.Neighbour;
import dev.engram.store.NewTrace;
import dev.engram.store.Space;
import dev.engram.store.Store;
import dev.engram.store.StoreContract;
import dev.engram.store.StoreLocation;
import dev.engram.store.server.solr.SolrCloudTestCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What only the server store must do, beyond the Store contract: many writers at once (each as a
 * store of its own, as separate processes would be), and PostgreSQL as the record with Solr
 * derived from it, catching up after an outage.
 */
@ExtendWith(SolrCloudTestCluster.class)
class ServerStoreTest {
    @RegisterExtension
    final PostgresTestServer pg = new PostgresTestServer();

    private StoreLocation location() {
        return ServerStoreContractTest.location(pg.scratch(), 1);
    }

    private static List<NewTrace> traces(int n, int dim, long seed) {
        return StoreContract.randomTraces(n, dim, seed, "t");
    }

    private long outbox() throws Exception {
        try (Connection db = pg.scratch().connect(); Statement s = db.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*) FROM index_outbox")) {
            r.next();
            return r.getLong(1);
        }
    }

    @Test
    void writersStoringTheSameContentAtOnceStoreEachTraceOnceAndEveryoneGetsItsId() throws Exception {
        StoreLocation location = location();
        Space space;
        try (Store store = location.openOrCreate()) {
            space = store.write(tx -> tx.createSpace("s", "vector", "test", 8, "euclidean", "{}"));
        }
        List<NewTrace> same = traces(200, 8, 1);
        int writers = 4;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<List<Long>>> ids = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                ids.add(pool.submit(() -> {
                    try (Store store = location.open()) {
                        start.await();
                        List<Long> mine = new ArrayList<>();
                        // In slices, so that the writers' transactions interleave.
                        for (int from = 0; from < same.size(); from += 25) {
                            List<NewTrace> slice = same.subList(from, from + 25);
                            store.write(tx -> tx.addTraces(Map.of(space, slice))).get(space)
                                    .forEach(t -> mine.add(t.trace().id()));
                        }
                        return mine;
                    }
                }));
            }
            start.countDown();
            List<Long> first = ids.getFirst().get(2, TimeUnit.MINUTES);
            for (Future<List<Long>> other : ids) {
                assertEquals(first, other.get(2, TimeUnit.MINUTES), "every writer got the one trace of each content");
            }
        } finally {
            pool.shutdownNow();
        }
        try (Store store = location.open()) {
            assertEquals(200, store.traceCount(space));
            for (NewTrace t : same.subList(0, 20)) {
                Neighbour nearest = store.nearest(space, t.vector(), 1).getFirst();
                assertEquals(0, nearest.distance(), 1e-6);
            }
        }
        assertEquals(0, outbox(), "every trace reached the index");
    }

    @Test
    void twoUnitsCreatingOneSpaceRunOneAfterTheOtherAndTheSecondSeesTheFirstsSpace() throws Exception {
        StoreLocation location = location();
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Store first = location.openOrCreate(); Store second = location.open()) {
            CountDownLatch secondLooking = new CountDownLatch(1);
            AtomicReference<Future<Optional<Space>>> seenBySecond = new AtomicReference<>();
            Space made = first.write(tx -> {
                assertTrue(tx.space("x").isEmpty());
                seenBySecond.set(pool.submit(() -> second.write(tx2 -> {
                    secondLooking.countDown();
                    return tx2.space("x"); // absent when it looks: it waits for the first unit to end
                })));
                try {
                    assertTrue(secondLooking.await(1, TimeUnit.MINUTES));
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                assertFalse(seenBySecond.get().isDone(), "the second unit waits while the first may create the space");
                return tx.createSpace("x", "vector", "test", 4, "euclidean", "{}");
            });
            assertEquals(Optional.of(made), seenBySecond.get().get(1, TimeUnit.MINUTES));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aReaderSearchesItsSnapshotEvenWhenSolrAlreadyHoldsWhatWasCommittedAfterIt() throws Exception {
        StoreLocation location = location();
        try (Store reader = location.openOrCreate(); Store writer = location.open()) {
            Space space = reader.write(tx -> tx.createSpace("s", "vector", "test", 8, "euclidean", "{}"));
            reader.write(tx -> tx.addTraces(Map.of(space, traces(20, 8, 4))));
            assertEquals(20, reader.traceCount(space)); // the reader's view begins here
            List<NewTrace> later = traces(25, 8, 5).subList(20, 25);
            long newest = writer.write(tx -> tx.addTraces(Map.of(space, later))).get(space).getLast().trace().id();
            assertEquals(0, outbox(), "Solr holds the later traces");

            Neighbour seen = reader.nearest(space, later.getLast().vector(), 1).getFirst();
            assertTrue(seen.traceId() != newest && seen.distance() > 0, "not in the reader's snapshot: " + seen);
            assertEquals(20, reader.nearest(space, later.getLast().vector(), 100).size());

            reader.release();
            Neighbour now = reader.nearest(space, later.getLast().vector(), 1).getFirst();
            assertEquals(newest, now.traceId());
            assertEquals(0, now.distance(), 1e-6);
        }
    }

    @Test
    void tracesStoredWhileSolrIsDownAreFoundAtOnceAndIndexedOnceItIsBack() throws Exception {
        StoreLocation location = location();
        Space space;
        try (Store store = location.openOrCreate()) {
            space = store.write(tx -> tx.createSpace("s", "vector", "test", 8, "euclidean", "{}"));
            store.write(tx -> tx.addTraces(Map.of(space, traces(10, 8, 2))));
        }
        List<NewTrace> later = traces(60, 8, 3).subList(10, 60);
        SolrCloudTestCluster.stopNode(0);
        SolrCloudTestCluster.stopNode(1);
        try {
            try (Store store = location.open()) {
                store.write(tx -> tx.addTraces(Map.of(space, later)));
                assertEquals(50, outbox(), "the record holds them; the index could not take them");
                for (NewTrace t : later.subList(0, 10)) {
                    assertEquals(0, store.nearest(space, t.vector(), 1).getFirst().distance(), 1e-6,
                            "found while Solr is away");
                }
            }
        } finally {
            SolrCloudTestCluster.startNode(0);
            SolrCloudTestCluster.startNode(1);
            SolrCloudTestCluster.awaitActive();
        }
        try (Store store = location.open()) {
            // The next write of the space catches up.
            store.write(tx -> tx.addTraces(Map.of(space, traces(61, 8, 3).subList(60, 61))));
            assertEquals(0, outbox());
            Set<Long> found = new HashSet<>();
            for (NewTrace t : later) {
                Neighbour n = store.nearest(space, t.vector(), 1).getFirst();
                assertEquals(0, n.distance(), 1e-6);
                found.add(n.traceId());
            }
            assertEquals(50, found.size());
            assertEquals(61, store.reindex(space));
        }
    }
}
