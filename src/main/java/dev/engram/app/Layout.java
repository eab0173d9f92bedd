package dev.engram.app;

import dev.engram.EngramException;
import dev.engram.dim.Projection;
import dev.engram.dim.plot.Plots;
import dev.engram.store.Association;
import dev.engram.store.Concept;
import dev.engram.store.Space;
import dev.engram.store.Store;
import dev.engram.store.StoreLocation;
import dev.engram.store.Trace;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The map use case (engram map): a space's traces laid out in two dimensions, by PCA or t-SNE
 * ({@link Projection}), each with the concept it is most strongly bound to, as rows and as a
 * picture coloured by concept. A space larger than {@code sample} is drawn from a seeded sample.
 */
public final class Layout {
    private Layout() {
    }

    public enum Method {
        PCA("PCA"), TSNE("t-SNE");

        final String label;

        Method(String label) {
            this.label = label;
        }
    }

    public record Request(String space, Method method, int sample, double perplexity, long seed, Path plot) {
    }

    /** One trace placed: its concept is its strongest association's, or null if unbound. */
    public record Placed(long trace, String source, String concept, double x, double y) {
    }

    public record Laid(String space, String method, long traces, List<Placed> points, Path plot, double seconds) {
    }

    public static Laid run(StoreLocation location, Request request, Progress progress) {
        if (request.sample() < 3) {
            throw EngramException.invalidInput("--sample must be at least 3, not " + request.sample());
        }
        if (!(request.perplexity() > 0)) {
            throw EngramException.invalidInput("--perplexity must be positive, not " + request.perplexity());
        }
        long start = System.nanoTime();
        List<Trace> traces = new ArrayList<>();
        Map<Long, String> conceptOf = new HashMap<>();
        Space space;
        // Read, then let go of the store: the layout itself takes seconds.
        try (Store store = location.open()) {
            space = Spaces.resolve(store, request.space());
            store.forEachTrace(space, traces::add);
            if (traces.size() < 3) {
                throw EngramException.nothingToDo("space " + space.name() + " has " + traces.size()
                        + " traces; a map needs at least 3");
            }
            if (traces.size() > request.sample()) {
                Collections.shuffle(traces, new Random(request.seed()));
                traces = new ArrayList<>(traces.subList(0, request.sample()));
                traces.sort((a, b) -> Long.compare(a.id(), b.id()));
            }
            Map<Long, String> labels = new HashMap<>();
            Map<Long, List<Association>> bound = store.associationsOf(traces.stream().map(Trace::id).toList());
            for (Trace t : traces) {
                bound.getOrDefault(t.id(), List.of()).stream()
                        .max((a, b) -> a.weight() != b.weight() ? Double.compare(a.weight(), b.weight())
                                : Long.compare(b.conceptId(), a.conceptId()))
                        .ifPresent(a -> conceptOf.put(t.id(), labels.computeIfAbsent(a.conceptId(),
                                id -> store.concept(id).map(Concept::label).orElse("#" + id))));
            }
        }
        long total = traces.size();
        progress.note("laying out %d traces of space %s by %s", total, space.name(), request.method().label);
        float[][] points = traces.stream().map(Trace::vector).toArray(float[][]::new);
        double[][] xy = request.method() == Method.PCA ? Projection.pca(points)
                : Projection.tsne(points, request.perplexity(), request.seed());
        List<Placed> placed = new ArrayList<>();
        for (int i = 0; i < traces.size(); i++) {
            Trace t = traces.get(i);
            placed.add(new Placed(t.id(), t.sourceLabel(), conceptOf.get(t.id()), xy[i][0], xy[i][1]));
        }
        if (request.plot() != null) {
            String title = "Space " + space.name() + ": " + traces.size() + " traces by " + request.method().label
                    + (request.method() == Method.TSNE ? " (perplexity " + (request.perplexity() == Math.rint(request.perplexity())
                    ? Long.toString((long) request.perplexity()) : Double.toString(request.perplexity())) + ")" : "");
            Plots.layout(title, request.method().label, xy, placed.stream().map(Placed::concept).toList())
                    .write(request.plot());
        }
        return new Laid(space.name(), request.method().label, total, placed, request.plot(),
                (System.nanoTime() - start) / 1e9);
    }
}
