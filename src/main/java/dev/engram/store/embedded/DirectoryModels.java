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
 * under a version's name.
 */
final class DirectoryModels implements ModelRepository {
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
        Path scratch = target.resolveSibling(".v" + version + "-" + ProcessHandle.current().pid() + ".tmp");
        try {
            deleteRecursively(scratch);
            Files.createDirectories(scratch);
            writer.write(scratch);
            deleteRecursively(target);
            try {
                Files.move(scratch, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(scratch, target);
            }
        } catch (IOException e) {
            deleteQuietly(scratch);
            throw EngramException.storeUnavailable("cannot write the model of space " + space + " to " + target + ": "
                    + EmbeddedStore.describe(e), e);
        } catch (RuntimeException e) {
            deleteQuietly(scratch);
            throw e;
        }
    }

    @Override
    public <T> T read(String space, int version, Reader<T> reader) {
        Path dir = directory(space, version);
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
        return Files.isDirectory(directory(space, version));
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
