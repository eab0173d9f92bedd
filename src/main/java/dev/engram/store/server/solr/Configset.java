package dev.engram.store.server.solr;

import dev.engram.EngramException;
import dev.engram.knn.Hnsw;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The configset of the collections of one vector dimension and similarity: the files under
 * {@code configset/} beside this class, with the schema's tokens replaced (docs/server-store-solr.md,
 * Configset). Its name says what it holds and ends with a hash of its files, so a name never
 * stands for two different configsets: one engram never overwrites another's, and a changed
 * template (or HNSW parameter) makes a new configset rather than changing existing collections.
 */
final class Configset {
    private static final String RESOURCES = "configset/";
    private static final List<String> FILES = List.of("solrconfig.xml", "schema.xml");
    private static final String PREFIX = "engram";
    private static final Pattern TOKEN = Pattern.compile("@[A-Z_]+@");

    private final String name;
    private final Map<String, byte[]> files;

    private Configset(String name, Map<String, byte[]> files) {
        this.name = name;
        this.files = files;
    }

    /**
     * @param solrMajorVersion the cluster's Solr: before 10 the HNSW parameters are named
     *                         hnswMaxConnections and hnswBeamWidth, from 10 on hnswM and
     *                         hnswEfConstruction (10 still takes the old names, with a warning)
     */
    static Configset of(int dimension, VectorSimilarity similarity, int solrMajorVersion) {
        if (dimension < 1) {
            throw EngramException.invalidInput("a vector index needs a dimension of at least 1, not " + dimension);
        }
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String file : FILES) {
            String text = resource(file)
                    .replace("@DIMENSION@", Integer.toString(dimension))
                    .replace("@SIMILARITY@", similarity.solrName())
                    .replace("@HNSW_PARAMETERS@", hnswParameters(solrMajorVersion));
            if (TOKEN.matcher(text).find()) {
                throw new IllegalStateException("configset file " + file + " has a token left");
            }
            files.put(file, text.getBytes(StandardCharsets.UTF_8));
        }
        return new Configset(kind(dimension, similarity) + hash(files), files);
    }

    private static String hnswParameters(int solrMajorVersion) {
        boolean renamed = solrMajorVersion >= 10;
        return (renamed ? "hnswM" : "hnswMaxConnections") + "=\"" + Hnsw.M + "\" "
                + (renamed ? "hnswEfConstruction" : "hnswBeamWidth") + "=\"" + Hnsw.BEAM_WIDTH + "\"";
    }

    /** The start of the name of every configset for this dimension and similarity, whatever its files. */
    static String kind(int dimension, VectorSimilarity similarity) {
        return PREFIX + "-d" + dimension + "-" + similarity.solrName() + "-";
    }

    String name() {
        return name;
    }

    /** The files as a ZIP archive: what the Configsets API's UPLOAD takes. */
    byte[] zip() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                zip.write(file.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static String resource(String file) {
        try (InputStream in = Configset.class.getResourceAsStream(RESOURCES + file)) {
            if (in == null) {
                throw new IllegalStateException("configset file " + file + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String hash(Map<String, byte[]> files) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                digest.update(file.getKey().getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
                digest.update(file.getValue());
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
