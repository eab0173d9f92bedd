package dev.engram.store.server;

import dev.engram.EngramException;
import dev.engram.io.CacheDirectory;
import dev.engram.io.Directories;
import dev.engram.store.ModelRepository;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Model files in PostgreSQL (table {@code model_files}), so that every machine using the store
 * reads the same model of a space; each machine keeps a copy by content in its cache directory
 * ({@code engram/models/DIGEST}, the digest of the files' names and SHA-256s), fetched once and
 * then read from disk by DJL, which wants paths.
 */
final class PostgresModels implements ModelRepository {
    private final Supplier<Connection> connection;
    private final Failures failures;

    /** How a database error reaches the user (the store's rule). */
    interface Failures {
        RuntimeException of(String what, SQLException e);
    }

    PostgresModels(Supplier<Connection> connection, Failures failures) {
        this.connection = connection;
        this.failures = failures;
    }

    private record File(String name, String sha256) {
    }

    @Override
    public <T> T read(String space, int version, Reader<T> reader) {
        List<File> files = files(space, version);
        if (files.isEmpty()) {
            throw EngramException.storeUnavailable("the model of space " + space + " (v" + version + ") is missing"
                    + " from the store's model_files: the store is damaged", null);
        }
        Path dir = cached(space, version, files);
        try {
            return reader.read(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean exists(String space, int version) {
        return !files(space, version).isEmpty();
    }

    private List<File> files(String space, int version) {
        try (PreparedStatement select = connection.get().prepareStatement(
                "SELECT name, sha256 FROM model_files WHERE space = ? AND version = ? ORDER BY name")) {
            select.setString(1, space);
            select.setInt(2, version);
            List<File> files = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    files.add(new File(rows.getString(1), rows.getString(2)));
                }
            }
            return files;
        } catch (SQLException e) {
            throw failures.of("reading the model files of space " + space, e);
        }
    }

    /** The local copy of the files, fetched from the database unless the cache has it already. */
    private Path cached(String space, int version, List<File> files) {
        MessageDigest digest = sha256();
        for (File f : files) {
            digest.update((f.name() + "\0" + f.sha256() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Path root = CacheDirectory.of("models", "the model files of space " + space);
        Path dir = root.resolve(HexFormat.of().formatHex(digest.digest()));
        if (Files.isDirectory(dir)) {
            return dir;
        }
        try {
            // Fetched into a directory of its own and moved into place whole: processes fetching
            // at once each make their own, the first move wins, a reader never sees half.
            Path part = Files.createTempDirectory(root, "fetch-");
            try {
                fetch(space, version, part);
                try {
                    Files.move(part, dir, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    if (!Files.isDirectory(dir)) {
                        throw e; // not another process's copy that won: a real failure
                    }
                }
            } finally {
                Directories.deleteRecursively(part);
            }
            return dir;
        } catch (IOException e) {
            throw EngramException.storeUnavailable("cannot copy the model of space " + space + " to " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    private void fetch(String space, int version, Path into) throws IOException {
        try (PreparedStatement select = connection.get().prepareStatement(
                "SELECT name, sha256, content FROM model_files WHERE space = ? AND version = ?")) {
            select.setString(1, space);
            select.setInt(2, version);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String name = rows.getString(1);
                    byte[] content = rows.getBytes(3);
                    if (!hex(sha256().digest(content)).equals(rows.getString(2))) {
                        throw EngramException.internal("model file " + name + " of space " + space + " v" + version
                                + " does not match its SHA-256 in the store", null);
                    }
                    Path file = into.resolve(name).normalize();
                    if (!file.startsWith(into)) {
                        throw EngramException.internal("model file name " + name + " leaves its directory", null);
                    }
                    Files.createDirectories(file.getParent());
                    Files.write(file, content);
                }
            }
        } catch (SQLException e) {
            throw failures.of("reading the model files of space " + space, e);
        }
    }

    /**
     * Stores the files {@code writer} makes as the model of {@code space} at {@code version},
     * replacing any there, on {@code db} inside the caller's unit of work.
     */
    static void write(Connection db, String space, int version, Writer writer) throws IOException, SQLException {
        Path dir = Files.createTempDirectory("engram-model-");
        try {
            writer.write(dir);
            try (PreparedStatement delete = db.prepareStatement(
                    "DELETE FROM model_files WHERE space = ? AND version = ?")) {
                delete.setString(1, space);
                delete.setInt(2, version);
                delete.executeUpdate();
            }
            try (PreparedStatement insert = db.prepareStatement(
                    "INSERT INTO model_files(space, version, name, sha256, content) VALUES(?, ?, ?, ?, ?)");
                 Stream<Path> walk = Files.walk(dir)) {
                for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                    byte[] content = Files.readAllBytes(file);
                    insert.setString(1, space);
                    insert.setInt(2, version);
                    insert.setString(3, dir.relativize(file).toString().replace(java.io.File.separatorChar, '/'));
                    insert.setString(4, hex(sha256().digest(content)));
                    insert.setBytes(5, content);
                    insert.executeUpdate();
                }
            }
        } finally {
            Directories.deleteRecursively(dir);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
