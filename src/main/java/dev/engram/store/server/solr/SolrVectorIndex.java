package dev.engram.store.server.solr;

import dev.engram.EngramException;
import dev.engram.knn.Hnsw;
import dev.engram.store.Neighbour;
import dev.engram.store.Space;
import dev.engram.store.Trace;
import dev.engram.store.VectorIndex;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.solr.client.solrj.SolrRequest;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.client.solrj.request.UpdateRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrDocumentList;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.params.ModifiableSolrParams;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The vector index of one space in SolrCloud: one collection, sharded and replicated as its
 * {@link SolrCluster} says, created from engram's configset the first time traces are written
 * (docs/server-store-solr.md). Each document is a trace: its id, its record's sequence number
 * and its latent vector in a {@code DenseVectorField} (HNSW with engram's parameters, compared by
 * the space's metric). Derived data, like the embedded store's Lucene index: whoever holds the
 * record rebuilds it, or catches it up from {@link #maxSeq()}.
 *
 * <p>Every write ends with a hard commit that opens a searcher on every replica and waits for it,
 * so that a search after {@link #add} or {@link #rebuild} returns sees the traces. A reader never
 * creates the collection: before the first write the index has no count and finds nothing.
 */
public final class SolrVectorIndex implements VectorIndex {
    private static final Logger log = LogManager.getLogger(SolrVectorIndex.class);

    static final String ID = "id";
    static final String TRACE = "trace";
    static final String SEQ = "seq";
    static final String VECTOR = "vector";
    /** Documents per update request: big enough for throughput, small enough for any request size limit. */
    private static final int BATCH = 1000;

    /** A trace and the sequence number under which the record holds it. */
    public record Entry(long seq, Trace trace) {
    }

    private final SolrCluster cluster;
    private final String collection;
    private final String spaceName;
    private final int dimension;
    private final VectorSimilarity similarity;
    private volatile boolean exists;

    SolrVectorIndex(SolrCluster cluster, String collection, Space space) {
        this.cluster = cluster;
        this.collection = collection;
        this.spaceName = space.name();
        this.dimension = space.dimension();
        this.similarity = VectorSimilarity.of(space.metric());
    }

    public String collection() {
        return collection;
    }

    /**
     * The number of traces the last commit holds, or -1 when the collection does not exist or
     * the cluster cannot answer (a shard without a live replica, say): then the store treats the
     * index as unusable, rebuilds it when it can and searches its record meanwhile.
     */
    @Override
    public long committedCount() {
        try {
            if (!exists()) {
                return -1;
            }
            ModifiableSolrParams params = new ModifiableSolrParams();
            params.set("q", "*:*");
            params.set("rows", 0);
            return query(params).getResults().getNumFound();
        } catch (EngramException e) {
            log.warn("vector index of space {} (Solr collection {}) cannot be counted: {}", spaceName, collection,
                    e.getMessage());
            return -1;
        }
    }

    /**
     * The highest sequence number among the indexed traces, or -1 when there are none (or no
     * collection): the store sends what the record holds beyond it.
     *
     * @throws EngramException (store unavailable) when the cluster cannot answer
     */
    public long maxSeq() {
        if (!exists()) {
            return -1;
        }
        ModifiableSolrParams params = new ModifiableSolrParams();
        params.set("q", "*:*");
        params.set("rows", 1);
        params.set("fl", SEQ);
        params.set("sort", SEQ + " desc");
        SolrDocumentList docs = query(params).getResults();
        return docs.isEmpty() ? -1 : ((Number) docs.get(0).getFirstValue(SEQ)).longValue();
    }

    /** Adds traces under their ids as sequence numbers (see {@link #addSequenced}) and commits. */
    @Override
    public void add(List<Trace> traces) {
        addSequenced(traces.stream().map(t -> new Entry(t.id(), t)).toList());
    }

    /**
     * Adds traces, each with the sequence number the record holds it under, and commits. A trace
     * indexed before is replaced, so sending one twice (a retry) leaves one document.
     */
    public void addSequenced(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        ensureCollection();
        send(entries);
        commit();
    }

    @Override
    public void delete(java.util.Collection<Long> traceIds) {
        if (traceIds.isEmpty() || !exists()) {
            return;
        }
        List<String> ids = traceIds.stream().map(id -> Long.toString(id)).toList();
        for (int from = 0; from < ids.size(); from += BATCH) {
            process(new UpdateRequest().deleteById(ids.subList(from, Math.min(ids.size(), from + BATCH))));
        }
        commit();
    }

    /** Replaces the whole index with the traces (the space's record), under their ids as sequence numbers. */
    @Override
    public void rebuild(Iterable<Trace> traces) {
        List<Entry> entries = new ArrayList<>();
        traces.forEach(t -> entries.add(new Entry(t.id(), t)));
        rebuildSequenced(entries);
    }

    /**
     * Replaces the whole index with the entries and commits. Searches see the old index until
     * the commit; a failure before it leaves a count that disagrees with the record, so the store
     * rebuilds again.
     */
    public void rebuildSequenced(Iterable<Entry> entries) {
        ensureCollection();
        // A request of its own: within one request SolrJ sends the documents to their shards'
        // leaders and the delete to every shard, in no order between the two.
        process(new UpdateRequest().deleteByQuery("*:*"));
        send(entries);
        commit();
    }

    /** Sends the entries in batches of {@link #BATCH} documents. */
    private void send(Iterable<Entry> entries) {
        List<SolrInputDocument> batch = new ArrayList<>(BATCH);
        for (Entry entry : entries) {
            batch.add(document(entry));
            if (batch.size() == BATCH) {
                process(new UpdateRequest().add(batch));
                batch = new ArrayList<>(BATCH);
            }
        }
        if (!batch.isEmpty()) {
            process(new UpdateRequest().add(batch));
        }
    }

    private SolrInputDocument document(Entry entry) {
        Trace trace = entry.trace();
        float[] vector = trace.vector();
        requireDimension(vector, "trace " + trace.id());
        List<Float> values = new ArrayList<>(vector.length);
        for (float v : vector) {
            values.add(v);
        }
        SolrInputDocument doc = new SolrInputDocument();
        doc.addField(ID, Long.toString(trace.id()));
        doc.addField(TRACE, trace.id());
        doc.addField(SEQ, entry.seq());
        doc.setField(VECTOR, values);
        return doc;
    }

    private void process(UpdateRequest request) {
        try {
            cluster.twice(() -> request.process(cluster.client(), collection));
        } catch (SolrServerException | IOException | SolrException e) {
            throw cluster.unavailable("cannot write to collection " + collection, e);
        }
    }

    /** A hard commit that opens a new searcher on every replica and waits until they serve it. */
    private void commit() {
        try {
            cluster.twice(() -> cluster.client().commit(collection, true, true));
        } catch (SolrServerException | IOException | SolrException e) {
            throw cluster.unavailable("cannot commit collection " + collection, e);
        }
    }

    /**
     * The k nearest traces, nearest first, with their distances in the space's metric. Each shard
     * searches its HNSW graphs for at least {@link Hnsw#EF_SEARCH} candidates, as the embedded index
     * does, and Solr keeps the best k of all shards' candidates by score. (Solr 10's
     * {@code efSearchScaleFactor} would do the same with topK=k; asking for topK=candidates and
     * rows=k gives the same hits on every Solr since 9.)
     */
    @Override
    public List<Neighbour> search(float[] vector, int k) {
        requireDimension(vector, "the query vector");
        if (k <= 0 || !exists()) {
            return List.of();
        }
        ModifiableSolrParams params = new ModifiableSolrParams();
        params.set("q", "{!knn f=" + VECTOR + " topK=" + Hnsw.candidates(k) + "}" + literal(vector));
        params.set("rows", k);
        params.set("fl", TRACE + ",score");
        SolrDocumentList docs = query(params).getResults();
        List<Neighbour> hits = new ArrayList<>(docs.size());
        for (SolrDocument doc : docs) {
            long trace = ((Number) doc.getFirstValue(TRACE)).longValue();
            float score = ((Number) doc.getFirstValue("score")).floatValue();
            hits.add(new Neighbour(trace, similarity.distance(score)));
        }
        return hits;
    }

    /** The vector as the knn query parser reads it; Float.toString gives back each float exactly. */
    private static String literal(float[] vector) {
        StringBuilder s = new StringBuilder(vector.length * 12).append('[');
        for (int i = 0; i < vector.length; i++) {
            if (i > 0) {
                s.append(',');
            }
            s.append(Float.toString(vector[i]));
        }
        return s.append(']').toString();
    }

    /** A query, sent by POST: a vector of a few hundred dimensions does not fit every URL. */
    private QueryResponse query(ModifiableSolrParams params) {
        try {
            return cluster.twice(() -> new QueryRequest(params, SolrRequest.METHOD.POST).process(cluster.client(),
                    collection));
        } catch (SolrServerException | IOException | SolrException e) {
            // The message names the collection, never the query: it holds a whole vector.
            throw cluster.unavailable("cannot search collection " + collection, e);
        }
    }

    private boolean exists() {
        if (!exists) {
            exists = cluster.hasCollection(collection);
        }
        return exists;
    }

    private void ensureCollection() {
        if (!exists) {
            cluster.ensureCollection(collection, dimension, similarity);
            exists = true;
        }
    }

    private void requireDimension(float[] vector, String what) {
        if (vector.length != dimension) {
            throw EngramException.wrongShape(what + " has " + vector.length + " dimensions; space " + spaceName
                    + " has " + dimension);
        }
    }

    /** Nothing to release: the cluster's client serves every index and closes with the cluster. */
    @Override
    public void close() {
    }
}
