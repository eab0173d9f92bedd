package dev.engram.store.embedded;

import dev.engram.EngramException;
import dev.engram.store.ModelRepository;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The embedded store's models: {@code models/SPACE/vN/} inside the store directory, so that
 * copying the directory copies the memory with its encoders. A model is written into a scratch
 * directory beside its final place and renamed there, so a crash never leaves half a model
 * under a version's name. A model that replaces another first renames the old one aside
 * ({@code .vN-PID.old}) and removes it only once the new one is in place; a crash between the
 * two renames leaves the old one aside, and reading puts it back.
 */
final class DirectoryModels implements ModelRepository {
    private static final String OLD = ".old";

    private final Path root;

    DirectoryModels(Path root) {
        this.root = root;
    }

    private Path directory(String space, int version) {
        return root.resolve(space).resolve("v" + version);
    }

    @Override
    public void write(String space, int version, Writer writer) {
        Path target = directory(space, version);
        String pid = Long.toString(ProcessHandle.current().pid());
        Path scratch = target.resolveSibling(".v" + version + "-" + pid + ".tmp");
        Path old = target.resolveSibling(".v" + version + "-" + pid + OLD);
        try {
            deleteRecursively(scratch);
            deleteRecursively(old);
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
            deleteQuietly(old);
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

    /** Puts back a model that a crash left renamed aside while it was being replaced. */
    private static void recover(Path dir, int version) {
        Path parent = dir.getParent();
        if (Files.isDirectory(dir) || !Files.isDirectory(parent)) {
            return;
        }
        try (Stream<Path> siblings = Files.list(parent)) {
            Path aside = siblings.filter(p -> {
                String name = p.getFileName().toString();
                return name.startsWith(".v" + version + "-") && name.endsWith(OLD);
            }).findFirst().orElse(null);
            if (aside != null) {
                rename(aside, dir);
            }
        } catch (IOException e) {
            throw EngramException.storeUnavailable("cannot restore the model " + dir + " set aside by an interrupted"
                    + " replacement: " + EmbeddedStore.describe(e), e);
        }
    }

    @Override
    public <T> T read(String space, int version, Reader<T> reader) {
        Path dir = directory(space, version);
        recover(dir, version);
        if (!Files.isDirectory(dir)) {
            throw EngramException.storeUnavailable("the model of space " + space + " (v" + version + ") is missing: "
                    + dir + " does not exist", null);
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
        Path dir = directory(space, version);
        recover(dir, version);
        return Files.isDirectory(dir);
    }

    private static void deleteQuietly(Path dir) {
        try {
            deleteRecursively(dir);
        } catch (IOException | UncheckedIOException ignored) {
            // Best effort: a scratch directory left behind is overwritten by the next attempt.
        }
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
