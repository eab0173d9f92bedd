package dev.engram.cli;

import dev.engram.Trees;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A store made once and copied for each test that changes it, so that training an autoencoder
 * is paid once, not per test. Register it on a static field:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final TemplateStore TEMPLATE = TemplateStore.shapes(12, 1, 40);
 *
 * @BeforeEach
 * void copyStore() {
 *     store = TEMPLATE.copyTo(tmp.resolve("store"));
 * }
 * }</pre>
 *
 * <p>A template is made at most once per test run (JVM) and name: classes that register the same
 * name share it, and it is deleted when the run ends (it lives in JUnit's root store). The
 * inputs it was made from ({@link #path}) stay where the template's traces name them; tests
 * read them but never change them, since other classes may share them.
 */
final class TemplateStore implements BeforeAllCallback {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(TemplateStore.class);

    /** Makes a template: its store at {@code store}, the inputs it is made from anywhere under {@code dir}. */
    @FunctionalInterface
    interface Recipe {
        void make(Path dir, Path store) throws Exception;
    }

    private final String name;
    private final Recipe recipe;
    private Made made;

    private TemplateStore(String name, Recipe recipe) {
        this.name = name;
        this.recipe = recipe;
    }

    /** A template of its own; {@code name} must say which recipe it is, since equal names share one template. */
    static TemplateStore of(String name, Recipe recipe) {
        return new TemplateStore(name, recipe);
    }

    /**
     * Space {@code shapes} trained for {@code epochs} epochs on {@code perClass} synthetic
     * images of each class ({@link Engram#images}, under {@code train/}) and bound by folder.
     * Equal arguments give the same template, shared by every class that asks for it.
     */
    static TemplateStore shapes(int perClass, long seed, int epochs) {
        return new TemplateStore("shapes/" + perClass + "/" + seed + "/" + epochs,
                (dir, store) -> Engram.trainedStore(store, Engram.images(dir.resolve("train"), perClass, seed),
                        epochs));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        made = context.getRoot().getStore(NAMESPACE).getOrComputeIfAbsent(name, n -> Made.by(recipe), Made.class);
    }

    /** A file or folder under the template's folder: an input it was made from. Read it, never change it. */
    Path path(String relative) {
        return made().dir.resolve(relative);
    }

    /** Copies the template's store to {@code target} (which must not hold a store yet) and returns {@code target}. */
    Path copyTo(Path target) {
        Engram.copyTree(made().store, target);
        return target;
    }

    private Made made() {
        if (made == null) {
            throw new IllegalStateException("template " + name + " is not made: register it with @RegisterExtension"
                    + " on a static field");
        }
        return made;
    }

    /** A made template; JUnit closes it, deleting its folder, when the run ends. */
    private record Made(Path dir, Path store) implements AutoCloseable {
        static Made by(Recipe recipe) {
            Made made;
            try {
                Path dir = Files.createTempDirectory("engram-template-");
                made = new Made(dir, dir.resolve("store"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            try {
                recipe.make(made.dir, made.store);
                return made;
            } catch (Throwable e) {
                try {
                    made.close();
                } catch (IOException | RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
                if (e instanceof Error error) {
                    throw error;
                }
                if (e instanceof RuntimeException runtime) {
                    throw runtime;
                }
                throw new IllegalStateException("cannot make the template store", e);
            }
        }

        @Override
        public void close() throws IOException {
            Trees.delete(dir);
        }
    }
}
