package dev.engram.store.embedded;

import dev.engram.NativeExecutable;
import dev.engram.knn.Hnsw;
import dev.engram.store.Metric;
import dev.engram.store.Neighbour;
import dev.engram.store.Space;
import dev.engram.store.Trace;
import dev.engram.store.VectorIndex;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.AcceptDocs;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.NIOFSDirectory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Lucene HNSW index of one space in the embedded store: derived data, rebuilt from H2
 * whenever the two disagree ({@link dev.engram.store.SpaceIndexes}). Each document is a trace
 * id (doc values, for fast lookup of hits) and its latent vector, compared by the space's
 * metric.
 */
final class LuceneVectorIndex implements VectorIndex {
    private static final Logger log = LogManager.getLogger(LuceneVectorIndex.class);

    private static final String VECTOR = "v";
    private static final String ID = "id";
    private static final String COUNT_KEY = "traces";

    private final Path path;
    private final String spaceName;
    private final VectorSimilarityFunction similarity;
    private final FSDirectory directory;
    private IndexWriter writer;
    private DirectoryReader reader;
    private IndexSearcher searcher;
    private long[] idsByDoc;

    private final boolean writable;

    /** @param writable whether this process may change the index (only inside a write section) */
    LuceneVectorIndex(Path path, Space space, boolean writable) {
        this.path = path;
        this.writable = writable;
        this.spaceName = space.name();
        // Exhaustive: a metric added to Metric does not compile here until the index honours it.
        this.similarity = switch (Metric.of(space.metric())) {
            case EUCLIDEAN -> VectorSimilarityFunction.EUCLIDEAN;
        };
        try {
            if (writable) {
                Files.createDirectories(path);
            }
            // MMapDirectory asks the C library for madvise through the foreign-function API, which a
            // native executable lacks; there the index is read through a FileChannel instead.
            this.directory = NativeExecutable.running() ? new NIOFSDirectory(path) : FSDirectory.open(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public long committedCount() {
        try {
            if (!Files.isDirectory(path) || !DirectoryReader.indexExists(directory)) {
                return -1;
            }
            try (DirectoryReader r = DirectoryReader.open(directory)) {
                String count = r.getIndexCommit().getUserData().get(COUNT_KEY);
                return count == null || Long.parseLong(count) != r.numDocs() ? -1 : r.numDocs();
            }
        } catch (IOException | NumberFormatException e) {
            log.debug("vector index of space {} is unreadable", spaceName, e);
            return -1;
        }
    }

    @Override
    public void add(List<Trace> traces) {
        if (traces.isEmpty()) {
            return;
        }
        try {
            IndexWriter w = writer();
            for (Trace trace : traces) {
                w.addDocument(document(trace));
            }
            commit(w);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void delete(java.util.Collection<Long> traceIds) {
        if (traceIds.isEmpty()) {
            return;
        }
        try {
            IndexWriter w = writer();
            long[] ids = traceIds.stream().mapToLong(Long::longValue).toArray();
            // The id is a doc-values field only (it is read for every hit, never searched): a
            // doc-values set query finds the documents to delete, scanning the ids once.
            w.deleteDocuments(NumericDocValuesField.newSlowSetQuery(ID, ids));
            commit(w);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Merges away deleted documents: what they hold on disk is reclaimed (engram compact). */
    @Override
    public void compact() {
        try {
            IndexWriter w = writer();
            w.forceMergeDeletes(true);
            commit(w);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void rebuild(Iterable<Trace> traces) {
        try {
            IndexWriter w = writer();
            w.deleteAll();
            for (Trace trace : traces) {
                w.addDocument(document(trace));
            }
            commit(w);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Document document(Trace trace) {
        Document doc = new Document();
        doc.add(new NumericDocValuesField(ID, trace.id()));
        doc.add(new KnnFloatVectorField(VECTOR, trace.vector(), similarity));
        return doc;
    }

    private void commit(IndexWriter w) throws IOException {
        // The count is written with the commit so that a torn write (crash between H2 and
        // Lucene) shows up as a disagreement on the next open. Flushed first: the count leaves
        // out buffered deletions until they are applied.
        w.flush();
        long count = w.getDocStats().numDocs;
        w.setLiveCommitData(Map.of(COUNT_KEY, Long.toString(count)).entrySet());
        w.commit();
        invalidateReader();
    }

    @Override
    public List<Neighbour> search(float[] vector, int k) {
        try {
            IndexSearcher s = searcher();
            if (s == null) {
                return List.of();
            }
            // Each segment's graph searched directly, for the same candidates a KnnFloatVectorQuery
            // would gather, merged by score as it would merge them (then doc, as TopDocs.merge
            // does): the same answer without the query's rewrite, weight and task executor per
            // search (measured: an eighth of a search's time, 10,000 cues against 60,000 traces).
            int candidates = Hnsw.candidates(k);
            List<ScoreDoc> found = new ArrayList<>();
            for (LeafReaderContext leaf : s.getIndexReader().leaves()) {
                TopDocs top = leaf.reader().searchNearestVectors(VECTOR, vector, candidates,
                        AcceptDocs.fromLiveDocs(leaf.reader().getLiveDocs(), leaf.reader().maxDoc()), Integer.MAX_VALUE);
                for (ScoreDoc hit : top.scoreDocs) {
                    found.add(new ScoreDoc(leaf.docBase + hit.doc, hit.score));
                }
            }
            found.sort((x, y) -> x.score != y.score ? Float.compare(y.score, x.score) : Integer.compare(x.doc, y.doc));
            List<Neighbour> hits = new ArrayList<>(Math.min(k, found.size()));
            for (ScoreDoc hit : found) {
                if (hits.size() == k) {
                    break;
                }
                // EUCLIDEAN scores are 1 / (1 + d^2): invert to report the distance itself.
                double squared = Math.max(0, 1.0 / hit.score - 1.0);
                hits.add(new Neighbour(idsByDoc[hit.doc], Math.sqrt(squared)));
            }
            return hits;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private IndexWriter writer() throws IOException {
        if (!writable) {
            throw new IllegalStateException("the vector index of space " + spaceName + " is open for reading only");
        }
        if (writer == null) {
            boolean created = !DirectoryReader.indexExists(directory);
            IndexWriterConfig config = Hnsw.writerConfig()
                    // Big enough that a bulk encode of ~10^5 small vectors flushes one segment:
                    // fewer segments, fewer graphs to search per query.
                    .setRAMBufferSizeMB(256)
                    .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND);
            writer = new IndexWriter(directory, config);
            if (created) {
                log.info("created vector index for space {}: HNSW M={}, beamWidth={}, efSearch={}, similarity={}",
                        spaceName, Hnsw.M, Hnsw.BEAM_WIDTH, Hnsw.EF_SEARCH, similarity);
            }
        }
        return writer;
    }

    private IndexSearcher searcher() throws IOException {
        if (searcher == null) {
            if (writer != null) {
                reader = DirectoryReader.open(writer);
            } else if (Files.isDirectory(path) && DirectoryReader.indexExists(directory)) {
                reader = DirectoryReader.open(directory);
            } else {
                return null;
            }
            searcher = new IndexSearcher(reader);
            idsByDoc = new long[reader.maxDoc()];
            for (LeafReaderContext leaf : reader.leaves()) {
                NumericDocValues ids = leaf.reader().getNumericDocValues(ID);
                if (ids == null) {
                    continue;
                }
                for (int doc = ids.nextDoc(); doc != NumericDocValues.NO_MORE_DOCS; doc = ids.nextDoc()) {
                    idsByDoc[leaf.docBase + doc] = ids.longValue();
                }
            }
        }
        return searcher;
    }

    private void invalidateReader() throws IOException {
        if (reader != null) {
            reader.close();
        }
        reader = null;
        searcher = null;
        idsByDoc = null;
    }

    @Override
    public void close() {
        try {
            invalidateReader();
            if (writer != null) {
                writer.close();
                writer = null;
            }
            directory.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
