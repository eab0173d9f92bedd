package dev.engram.store.embedded;

import dev.engram.EngramException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * One process at a time works on a store. H2 in file mode would refuse a second process
 * outright; this lock turns that into a bounded, announced wait, so that pipelines running
 * engram commands side by side queue up instead of failing or corrupting the store.
 */
final class StoreLock implements AutoCloseable {
    private static final Logger log = LogManager.getLogger(StoreLock.class);
    private static final Duration POLL = Duration.ofMillis(200);

    private final FileChannel channel;
    private final FileLock lock;

    private StoreLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    static StoreLock acquire(Path directory, Duration wait) {
        Path file = directory.resolve("engram.lock");
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw EngramException.storeUnavailable("cannot write to store " + directory + ": " + e.getMessage(), e);
        }
        long deadline = System.nanoTime() + wait.toNanos();
        boolean announced = false;
        try {
            while (true) {
                FileLock lock = tryLock(channel);
                if (lock != null) {
                    channel.truncate(0);
                    channel.write(java.nio.ByteBuffer.wrap(
                            (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)));
                    return new StoreLock(channel, lock);
                }
                if (System.nanoTime() > deadline) {
                    channel.close();
                    throw EngramException.storeUnavailable("store " + directory + " is still in use by another engram"
                            + " process after " + wait.toSeconds() + " s; retry later or raise --wait", null);
                }
                if (!announced) {
                    log.warn("store {} is in use by another engram process; waiting up to {} s", directory,
                            wait.toSeconds());
                    announced = true;
                }
                Thread.sleep(POLL.toMillis());
            }
        } catch (IOException e) {
            closeQuietly(channel);
            throw EngramException.storeUnavailable("cannot lock store " + directory + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            closeQuietly(channel);
            Thread.currentThread().interrupt();
            throw EngramException.storeUnavailable("interrupted while waiting for store " + directory, e);
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            // Held by this very JVM (another Store instance open on the same directory): same wait.
            return null;
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Nothing more to release.
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            log.debug("releasing the store lock failed", e);
        }
    }
}
