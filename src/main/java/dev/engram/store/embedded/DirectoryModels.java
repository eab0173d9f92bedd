package dev.engram.store.embedded;

import dev.engram.EngramException;
import dev.engram.io.Directories;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import dev.engram.store.ModelRepository;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The embedded store's models: {@code models/SPACE/vN/} inside the store directory, so that
 * copying the directory copies the memory with its encoders. Written only inside a unit of work
 * (under the store's exclusive section), into a scratch directory beside its final place and
 * renamed there, so that a crash never leaves half a model under a version's name. A model that
 * replaces another (only ever one that no committed space uses: one left by a unit that did not
 * commit) first renames the old one aside ({@code .vN-PID.old}); the unit's commit removes it,
 * its rollback puts it back. A crash in between leaves only models no space uses.
 */
final class DirectoryModels implements ModelRepository {
    private static final Logger log = LogManager.getLogger(DirectoryModels.class);
    private static final String OLD = ".old";

    private final Path root;

    DirectoryModels(Path root) {
        this.root = root;
    }

    private Path directory(String space, int version) {
        return root.resolve(space).resolve("v" + version);
    }

    /** A model put in place by a unit of work: kept when the unit commits, undone when it does not. */
    record Placed(Path target, Path aside) {
        void keep() {
            if (aside != null) {
                deleteQuietly(aside);
            }
        }

        void undo() {
            deleteQuietly(target);
            if (aside != null) {
                try {
                    rename(aside, target);
                } catch (IOException e) {
                    log.warn("could not put back the model {} set aside by a failed unit of work: {}", target,
                            e.getMessage());
                }
            }
        }
    }

    /** Puts the files {@code writer} makes in place as the model of {@code space} at {@code version}. */
    Placed write(String space, int version, Writer writer) {
        Path target = directory(space, version);
        String pid = Long.toString(ProcessHandle.current().pid());
        Path scratch = target.resolveSibling(".v" + version + "-" + pid + ".tmp");
        Path old = target.resolveSibling(".v" + version + "-" + pid + OLD);
        try {
            Directories.deleteRecursively(scratch);
            Directories.deleteRecursively(old);
            Files.createDirectories(scratch);
            writer.write(scratch);
            boolean replacing = Files.exists(target);
            if (replacing) {
                rename(target, old);
            }
            try {
                rename(scratch, target);
            } catch (IOException e) {
                if (replacing) {
                    rename(old, target);
                }
                throw e;
            }
            return new Placed(target, replacing ? old : null);
        } catch (IOException e) {
            deleteQuietly(scratch);
            throw EngramException.storeUnavailable("cannot write the model of space " + space + " to " + target + ": "
                    + EmbeddedStore.describe(e), e);
        } catch (RuntimeException e) {
            deleteQuietly(scratch);
            throw e;
        }
    }

    private static void rename(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to);
        }
    }

    @Override
    public <T> T read(String space, int version, Reader<T> reader) {
        Path dir = directory(space, version);
        if (!Files.isDirectory(dir)) {
            throw EngramException.storeUnavailable("the model of space " + space + " (v" + version + ") is missing: "
                    + directory(space, version) + " does not exist", null);
        }
        try {
            return reader.read(dir);
        } catch (IOException e) {
            throw EngramException.storeUnavailable("cannot read the model of space " + space + " from " + dir + ": "
                    + EmbeddedStore.describe(e), e);
        }
    }

    @Override
    public boolean exists(String space, int version) {
        return Files.isDirectory(directory(space, version));
    }

    /**
     * Removes every model version of a space that a committed unit forgot; best effort (a
     * directory left behind is replaced when a space of that name writes its model).
     */
    void forget(String space) {
        deleteQuietly(directory(space, 1).getParent());
    }

    private static void deleteQuietly(Path dir) {
        try {
            Directories.deleteRecursively(dir);
        } catch (IOException | UncheckedIOException ignored) {
            // Best effort: a scratch directory left behind is overwritten by the next attempt.
        }
    }
}
