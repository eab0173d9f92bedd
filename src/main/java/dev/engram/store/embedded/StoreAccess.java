package dev.engram.store.embedded;

import dev.engram.EngramException;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Who may work on a store directory, and when: any number of readers at once, or one writer
 * (docs/architecture.md, "Many processes, one store"). Between processes this is a pair of
 * advisory locks on bytes of {@code engram.lock}: readers hold the <em>data</em> byte shared for
 * as long as they read, a writer holds it exclusively while it commits. A writer first takes
 * the <em>gate</em> byte, which readers pass through on their way in, so that a stream of readers
 * cannot starve a waiting writer: new readers queue behind it, current ones finish. Within one
 * JVM, where the operating system's locks cannot tell two holders apart, one object per
 * directory keeps the same rules with a monitor, and holds the file's locks for all of them.
 *
 * <p>Each process that holds a store names itself in {@code engram.holders/PID} (its command
 * and what it is doing), so that a process that waits can say whom it waits for. Those files
 * are best effort: a store on read-only media has none, and one left by a dead process is
 * ignored and removed.
 */
final class StoreAccess {
    private static final Logger log = LogManager.getLogger(StoreAccess.class);
    static final String LOCK_FILE = "engram.lock";
    static final String HOLDERS = "engram.holders";
    private static final long GATE = 0;
    private static final long DATA = 1;
    private static final Duration POLL = Duration.ofMillis(25);
    /** A wait shorter than this is not worth a line on stderr (a writer's commit usually is). */
    private static final Duration QUIET = Duration.ofSeconds(1);
    private static final Map<Path, StoreAccess> OPEN = new HashMap<>();

    private final Path directory;
    private final Path holderFile;
    private FileChannel channel;
    private boolean readOnlyFile;
    private int users;
    // The monitor's state: readers and the writer of this JVM.
    private int readers;
    private boolean writing;
    private int writersWaiting;
    /** A reader of this JVM is taking the file's shared lock for all of them. */
    private boolean acquiring;
    private FileLock dataLock;
    private FileLock gateLock;

    private StoreAccess(Path directory) {
        this.directory = directory;
        this.holderFile = directory.resolve(HOLDERS).resolve(Long.toString(ProcessHandle.current().pid()));
    }

    /**
     * The access of this JVM to the store in {@code directory}; {@link #close} it once per call.
     * Keyed by the directory's real path: two names of one directory (a symbolic link, another
     * case on a case-blind file system) must share one lock file channel, since closing any
     * channel of a file drops every lock this process holds on it.
     */
    static StoreAccess of(Path directory) {
        Path key;
        try {
            key = directory.toRealPath();
        } catch (IOException e) {
            key = directory;
        }
        synchronized (OPEN) {
            StoreAccess access = OPEN.computeIfAbsent(key, StoreAccess::new);
            access.users++;
            return access;
        }
    }

    /** What this process is, for the holder files: the engram command that runs, when the CLI said. */
    private static String command() {
        return System.getProperty("engram.command", "a process using engram's store");
    }

    /** Held access; closing it lets others in. */
    interface Section extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Shared access: waits while a writer commits or waits to, at most {@code wait}. The first
     * reader of this JVM takes the file's shared lock for all of them, outside the monitor, so
     * that the others can still give up at their own deadlines meanwhile.
     */
    Section read(Duration wait) {
        long deadline = deadline(wait);
        synchronized (this) {
            while (writing || writersWaiting > 0 || acquiring) {
                waitUntil(deadline, wait, "written");
            }
            if (readers > 0) {
                readers++;
                return once(this::endRead);
            }
            acquiring = true;
        }
        FileLock lock;
        try {
            lock = lockFile(false, deadline, wait);
        } catch (RuntimeException e) {
            synchronized (this) {
                acquiring = false;
                notifyAll();
            }
            throw e;
        }
        synchronized (this) {
            acquiring = false;
            dataLock = lock;
            readers = 1;
            note("reading");
            notifyAll();
        }
        return once(this::endRead);
    }

    private synchronized void endRead() {
        if (--readers == 0) {
            release(dataLock);
            dataLock = null;
            note("idle");
        }
        notifyAll();
    }

    /** Exclusive access: waits for every reader and writer to finish, at most {@code wait}. */
    Section write(Duration wait) {
        long deadline = deadline(wait);
        synchronized (this) {
            writersWaiting++;
            try {
                while (writing || readers > 0 || acquiring) {
                    waitUntil(deadline, wait, "used");
                }
                writing = true;
            } finally {
                writersWaiting--;
                // Readers held back by this writer's waiting go on if it gave up.
                notifyAll();
            }
            note("waiting to write");
        }
        FileLock lock;
        try {
            lock = lockFile(true, deadline, wait);
        } catch (RuntimeException e) {
            synchronized (this) {
                writing = false;
                note("idle");
                notifyAll();
            }
            throw e;
        }
        synchronized (this) {
            dataLock = lock;
            note("writing");
        }
        return once(() -> {
            synchronized (this) {
                release(dataLock);
                release(gateLock);
                dataLock = null;
                gateLock = null;
                writing = false;
                note("idle");
                notifyAll();
            }
        });
    }

    /** Gives up this JVM's access; the last close of a directory closes its lock file. */
    void close() {
        // All under OPEN: a new access to the directory must not open its channel before this
        // one is closed (closing a channel drops the locks of every channel of the file).
        synchronized (OPEN) {
            if (--users > 0) {
                return;
            }
            OPEN.values().remove(this);
            synchronized (this) {
                release(dataLock);
                release(gateLock);
                if (channel != null) {
                    try {
                        channel.close();
                    } catch (IOException e) {
                        log.debug("closing the lock file of {}", directory, e);
                    }
                }
                try {
                    Files.deleteIfExists(holderFile);
                } catch (IOException e) {
                    log.debug("removing the holder file {}", holderFile, e);
                }
            }
        }
    }

    // --- the file's locks

    /**
     * Takes the data byte (shared or exclusive), through the gate: a writer keeps the gate
     * until it is done, a reader only passes it. Polls, so that the wait is bounded and told.
     */
    private FileLock lockFile(boolean exclusive, long deadline, Duration wait) {
        FileChannel file = channel(exclusive);
        if (file == null) {
            // Read-only media without a lock file: no process can write there, so none can interfere.
            return null;
        }
        boolean announced = false;
        long quietUntil = System.nanoTime() + QUIET.toNanos();
        try {
            while (true) {
                if (exclusive && gateLock == null) {
                    gateLock = tryLock(file, GATE, false);
                }
                if (!exclusive || gateLock != null) {
                    FileLock passed = exclusive ? null : tryLock(file, GATE, true);
                    try {
                        if (exclusive || passed != null) {
                            FileLock data = tryLock(file, DATA, !exclusive);
                            if (data != null) {
                                return data;
                            }
                        }
                    } finally {
                        release(passed);
                    }
                }
                long now = System.nanoTime();
                if (now - deadline > 0) {
                    release(gateLock);
                    gateLock = null;
                    throw EngramException.storeUnavailable("store " + directory + " is still "
                            + (exclusive ? "in use by " : "being written by ") + holders(exclusive) + " after "
                            + seconds(wait) + "; retry later or raise --wait", null);
                }
                if (!announced && now - quietUntil > 0) {
                    log.warn("store {} is {} {}; waiting up to {}", directory,
                            exclusive ? "in use by" : "being written by", holders(exclusive), seconds(wait));
                    announced = true;
                }
                Thread.sleep(POLL.toMillis());
            }
        } catch (IOException e) {
            release(gateLock);
            gateLock = null;
            throw EngramException.storeUnavailable("cannot lock store " + directory + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            release(gateLock);
            gateLock = null;
            Thread.currentThread().interrupt();
            throw EngramException.storeUnavailable("interrupted while waiting for store " + directory, e);
        }
    }

    /** Whether this process may write to the store (its lock file can be opened for writing). */
    synchronized boolean writable() {
        try {
            channel(false);
        } catch (EngramException e) {
            return false;
        }
        return !readOnlyFile;
    }

    /** The lock file, opened once; null on read-only media where it does not exist (readers only). */
    private synchronized FileChannel channel(boolean forWriting) {
        if (channel == null) {
            Path file = directory.resolve(LOCK_FILE);
            try {
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE);
            } catch (FileSystemException e) {
                if (!(e instanceof AccessDeniedException) && !String.valueOf(e.getReason()).contains("Read-only")) {
                    throw EngramException.storeUnavailable("cannot open the lock file of store " + directory + ": "
                            + EmbeddedStore.describe(e), e);
                }
                // A read-only directory or file system: readers may still read, writers are refused.
                readOnlyFile = true;
                try {
                    channel = Files.exists(file) ? FileChannel.open(file, StandardOpenOption.READ) : null;
                } catch (IOException again) {
                    channel = null;
                }
            } catch (IOException e) {
                throw EngramException.storeUnavailable("cannot open the lock file of store " + directory + ": "
                        + EmbeddedStore.describe(e), e);
            }
        }
        if (forWriting && readOnlyFile) {
            throw EngramException.storeUnavailable("store " + directory + " is read-only here: nothing can be"
                    + " written to it", null);
        }
        return channel;
    }

    private static FileLock tryLock(FileChannel file, long position, boolean shared) throws IOException {
        try {
            return file.tryLock(position, 1, shared);
        } catch (OverlappingFileLockException e) {
            // Another channel of this JVM on the same file (a test's, or another class loader's).
            return null;
        }
    }

    private static void release(FileLock lock) {
        if (lock != null && lock.isValid()) {
            try {
                lock.release();
            } catch (IOException e) {
                log.debug("releasing a store lock", e);
            }
        }
    }

    // --- waiting within this JVM

    private void waitUntil(long deadline, Duration wait, String how) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw EngramException.storeUnavailable("store " + directory + " is still being " + how + " by this"
                    + " process after " + seconds(wait) + "; retry later or raise --wait", null);
        }
        try {
            wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw EngramException.storeUnavailable("interrupted while waiting for store " + directory, e);
        }
    }

    private static long deadline(Duration wait) {
        return System.nanoTime() + Math.min(wait.toNanos(), Long.MAX_VALUE / 4);
    }

    private static String seconds(Duration wait) {
        return wait.toMillis() % 1000 == 0 ? wait.toSeconds() + " s" : wait.toMillis() + " ms";
    }

    private static Section once(Runnable release) {
        return new Section() {
            private boolean closed;

            @Override
            public void close() {
                if (!closed) {
                    closed = true;
                    release.run();
                }
            }
        };
    }

    // --- who holds the store

    /** Tells other processes what this one does with the store (best effort). */
    private void note(String doing) {
        if (readOnlyFile) {
            return;
        }
        try {
            Files.createDirectories(holderFile.getParent());
            Files.writeString(holderFile, command() + "\t" + doing + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            log.debug("cannot write the holder file {}", holderFile, e);
        }
    }

    /**
     * The other processes that hold the store, as a person would name them: "engram encode
     * (pid 123, writing)". A waiting reader cares about writers, a waiting writer about all.
     */
    private String holders(boolean exclusive) {
        List<String> names = new ArrayList<>();
        long self = ProcessHandle.current().pid();
        Path dir = directory.resolve(HOLDERS);
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.toList()) {
                    long pid;
                    try {
                        pid = Long.parseLong(file.getFileName().toString());
                    } catch (NumberFormatException e) {
                        continue;
                    }
                    if (pid == self) {
                        continue;
                    }
                    if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                        String[] line = readQuietly(file).strip().split("\t", 2);
                        String doing = line.length > 1 ? line[1] : "";
                        if (exclusive ? !doing.equals("idle") : doing.contains("writ")) {
                            names.add(line[0] + " (pid " + pid + (doing.isEmpty() ? "" : ", " + doing) + ")");
                        }
                    } else {
                        Files.deleteIfExists(file);
                    }
                }
            } catch (IOException e) {
                log.debug("listing the holders of {}", directory, e);
            }
        }
        return names.isEmpty() ? "another process" : String.join(", ", names);
    }

    private static String readQuietly(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
