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

    /** @param thumbnails whether the plot shows each concept's reconstruction at its centre (spaces with a picture decoder) */
    public record Request(String space, Method method, int sample, double perplexity, long seed, Path plot,
                          boolean thumbnails) {
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
        Map<String, java.awt.image.BufferedImage> thumbnails = Map.of();
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
            if (request.thumbnails() && request.plot() != null) {
                thumbnails = thumbnails(store, space, traces, conceptOf, progress);
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
            Plots.layout(title, request.method().label, xy, placed.stream().map(Placed::concept).toList(), thumbnails)
                    .write(request.plot());
        }
        return new Laid(space.name(), request.method().label, total, placed, request.plot(),
                (System.nanoTime() - start) / 1e9);
    }

    /**
     * Each concept's picture: the space's decoder applied to the mean of the concept's sampled
     * latents (in the spirit of the "concept splatters" of Grossmann et al., 2022); none for a
     * space whose reconstructions are not pictures.
     */
    private static Map<String, java.awt.image.BufferedImage> thumbnails(Store store, Space space, List<Trace> traces,
                                                                        Map<Long, String> conceptOf, Progress progress) {
        var modality = dev.engram.encode.Modalities.of(space.modality());
        var writer = modality.reconstructions().filter(w -> w.extension().equals(".png"));
        if (writer.isEmpty()) {
            progress.note("space %s has no picture decoder: the map is drawn without thumbnails", space.name());
            return Map.of();
        }
        Map<String, double[]> sums = new java.util.TreeMap<>();
        Map<String, Integer> counts = new HashMap<>();
        for (Trace t : traces) {
            String c = conceptOf.get(t.id());
            if (c == null) {
                continue;
            }
            double[] sum = sums.computeIfAbsent(c, x -> new double[space.dimension()]);
            for (int j = 0; j < sum.length; j++) {
                sum[j] += t.vector()[j];
            }
            counts.merge(c, 1, Integer::sum);
        }
        List<String> names = new ArrayList<>(sums.keySet());
        float[][] centres = new float[names.size()][space.dimension()];
        for (int i = 0; i < names.size(); i++) {
            double[] sum = sums.get(names.get(i));
            for (int j = 0; j < sum.length; j++) {
                centres[i][j] = (float) (sum[j] / counts.get(names.get(i)));
            }
        }
        Map<String, java.awt.image.BufferedImage> pictures = new HashMap<>();
        try (var encoder = modality.open(store, space)) {
            var decoder = encoder.decoder();
            if (decoder.isEmpty() || names.isEmpty()) {
                return Map.of();
            }
            float[][] decoded = decoder.get().decode(centres);
            Path scratch = java.nio.file.Files.createTempDirectory("engram-map");
            try {
                for (int i = 0; i < names.size(); i++) {
                    Path file = scratch.resolve(i + ".png");
                    writer.get().write(space, decoded[i], file);
                    pictures.put(names.get(i), javax.imageio.ImageIO.read(file.toFile()));
                }
            } finally {
                dev.engram.io.Directories.deleteRecursively(scratch);
            }
        } catch (java.io.IOException e) {
            throw EngramException.invalidInput("cannot draw the concepts' reconstructions: " + e.getMessage(), e);
        }
        return pictures;
    }
}
