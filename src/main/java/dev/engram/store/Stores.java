package dev.engram.store;

import dev.engram.EngramException;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;
import java.util.regex.Pattern;

/**
 * The one way callers get a store: from the value a user gives {@code --store}. A directory
 * path is the embedded store (H2 + Lucene in one directory); a URL names a server backend by
 * its scheme. Backends are found as Java services ({@code META-INF/services}, which the
 * native image keeps too), so a new one plugs in without this class knowing it; they are asked
 * in the order of {@link StoreProvider#order()}, the embedded store last since it takes every
 * value that is not a URL.
 */
public final class Stores {
    private static final Pattern URL = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*://.*");
    private static final List<StoreProvider> PROVIDERS = ServiceLoader.load(StoreProvider.class,
            StoreProvider.class.getClassLoader()).stream().map(ServiceLoader.Provider::get)
            .sorted(Comparator.comparingInt(StoreProvider::order)).toList();

    private Stores() {
    }

    public static StoreLocation at(String spec, Duration wait) {
        if (spec == null || spec.isBlank()) {
            throw EngramException.invalidInput("--store is empty: give a store directory");
        }
        for (StoreProvider provider : PROVIDERS) {
            if (provider.accepts(spec)) {
                return provider.locate(spec, wait);
            }
        }
        throw EngramException.invalidInput("no store backend for '" + spec + "': give a directory"
                + (URL.matcher(spec).matches() ? " (this engram has no backend for the scheme "
                + spec.substring(0, spec.indexOf(':')) + ")" : ""));
    }

    /** Whether {@code spec} is a URL ({@code scheme://...}) rather than a path. */
    public static boolean isUrl(String spec) {
        return URL.matcher(spec).matches();
    }
}
