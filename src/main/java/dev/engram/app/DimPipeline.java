package dev.engram.app;

import dev.engram.EngramException;
import dev.engram.dim.ApproximateNeighbours;
import dev.engram.dim.Duplicates;
import dev.engram.dim.Estimator;
import dev.engram.dim.Estimator.Estimate;
import dev.engram.dim.Estimators;
import dev.engram.dim.Neighbours;
import dev.engram.dim.Pointwise;
import dev.engram.dim.Subsampling;
import dev.engram.knn.Hnsw;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static dev.engram.dim.Estimators.parameters;

/**
 * How {@link Dim} measures one set of points with one {@link Dim.Method}: exact copies merged,
 * one neighbour search shared by the estimators, then their estimates, the local IDs and the
 * error bars from subsamples, each as a report will keep it.
 */
final class DimPipeline {
    /** Points of the exact lists compared with the approximate ones under {@link Dim.Search#HNSW}. */
    private static final int RECALL_SAMPLE = 200;
    private static final int HISTOGRAM_BINS = 10;
    private static final String MLE_LOCAL = "mle-local";
    private static final String TWONN_LOCAL = "twonn-local";

    private final Dim.Method method;
    private final Estimator.Settings settings;
    private final Progress progress;

    DimPipeline(Dim.Method method, Progress progress) {
        this.method = method;
        this.settings = method.settings();
        this.progress = progress;
    }

    /** The seed of the run: its samples, subsamples and reports. */
    long seed() {
        return settings.seed();
    }

    /** A seeded sample of the method's size (the same items for the same list and seed), or all of them. */
    <T> List<T> sampled(List<T> items) {
        if (method.sample() > 0 && method.sample() < items.size()) {
            List<T> shuffled = new ArrayList<>(items);
            Collections.shuffle(shuffled, new Random(settings.seed()));
            return shuffled.subList(0, method.sample());
        }
        return items;
    }

    /** @param sources the points' sources (for the per-point values), or null */
    Dim.Measurement measure(String target, float[][] points, String[] sources) {
        Neighbours.checkShape(points);
        Duplicates.Result unique = Duplicates.merge(points);
        float[][] distinct = unique.points();
        if (unique.duplicates() > 0) {
            progress.note("%s: %d of %d points are exact copies of another; measured on the %d distinct points",
                    target, unique.duplicates(), points.length, distinct.length);
        }
        // Below 3 points the shared neighbour table cannot hold the two neighbours TwoNN asks for.
        if (distinct.length < 3) {
            throw EngramException.nothingToDo(target + " has " + distinct.length + " distinct point"
                    + (distinct.length == 1 ? "" : "s") + "; an intrinsic dimension needs at least 3");
        }
        int k = settings.k();
        if ((method.estimators().contains(Estimators.MLE) || method.pointwise()) && distinct.length <= k) {
            throw EngramException.nothingToDo(target + " has " + distinct.length + " distinct points; mle with k="
                    + k + " neighbours needs more than " + k + ": use a smaller -k");
        }
        Neighbours.Result neighbours = search(distinct);
        Map<String, Object> common = new LinkedHashMap<>();
        if (unique.duplicates() > 0) {
            common.put("duplicates_merged", unique.duplicates());
        }
        if (method.search() == Dim.Search.HNSW) {
            common.put("neighbours", "hnsw");
            common.put("hnsw", compareWithExact(target, distinct, neighbours));
        }
        List<Estimate> estimates = new ArrayList<>();
        Estimator.Fit fit = null;
        for (Estimator.Result r : estimate(distinct, neighbours)) {
            estimates.addAll(r.estimates());
            fit = fit == null ? r.fit() : fit;
        }
        Map<String, double[]> values = method.pointwise() ? localIds(neighbours) : Map.of();
        Map<String, Pointwise.Summary> summaries = new LinkedHashMap<>();
        for (Map.Entry<String, double[]> e : values.entrySet()) {
            Pointwise.Summary sum = Pointwise.summary(e.getValue(), HISTOGRAM_BINS);
            summaries.put(e.getKey(), sum);
            // "sd_points": the spread of the points' values, not an error bar ("sd" is that).
            Map<String, Object> p = parameters("k", k, "mean", sum.mean(), "sd_points", sum.sd(), "min",
                    sum.min(), "max", sum.max(), "quantiles", Arrays.stream(sum.quantiles()).boxed().toList(),
                    "histogram", Arrays.stream(sum.histogram()).boxed().toList());
            if (sum.unbounded() > 0) {
                p.put("unbounded", sum.unbounded());
            }
            estimates.add(new Estimate(e.getKey(), p, sum.count(), sum.mean()));
        }
        Map<String, Subsampling.Interval> errorBars = method.bootstrap() > 0 ? errorBars(distinct, estimates)
                : Map.of();
        estimates.replaceAll(e -> e.with(bootstrapParameters(errorBars.get(e.key()))).with(common));
        return new Dim.Measurement(target, estimates, errorBars, summaries, values, unique.original(), sources, fit,
                List.of());
    }

    /** Every chosen estimator on one set of points, in the order of the registry. */
    private List<Estimator.Result> estimate(float[][] points, Neighbours.Result neighbours) {
        List<Estimator.Result> results = new ArrayList<>();
        for (Estimator e : method.estimators()) {
            results.add(e.estimate(points, neighbours, settings));
        }
        return results;
    }

    private Map<String, double[]> localIds(Neighbours.Result neighbours) {
        Map<String, double[]> values = new LinkedHashMap<>();
        values.put(MLE_LOCAL, Pointwise.mle(neighbours, settings.k()));
        values.put(TWONN_LOCAL, Pointwise.twoNN(neighbours, settings.k()));
        return values;
    }

    /** One neighbour search serves every estimator: as many neighbours as the most demanding reads. */
    private Neighbours.Result search(float[][] points) {
        int needed = 2;
        for (Estimator e : method.estimators()) {
            needed = Math.max(needed, e.neighbours(settings));
        }
        if (method.pointwise()) {
            needed = Math.max(needed, settings.k());
        }
        needed = Math.min(needed, points.length - 1);
        Neighbours.Progress searched = (done, total) -> progress.progress("neighbours", done, total);
        try {
            return method.search() == Dim.Search.HNSW ? ApproximateNeighbours.search(points, needed, searched)
                    : Neighbours.search(points, needed, searched);
        } finally {
            progress.clearProgress();
        }
    }

    /** States what approximate neighbours change: their recall, and TwoNN and MLE on a sample from either list. */
    private Map<String, Object> compareWithExact(String target, float[][] points, Neighbours.Result approximate) {
        ApproximateNeighbours.Comparison c = ApproximateNeighbours.compare(points, approximate, RECALL_SAMPLE,
                settings.seed(), Math.min(settings.k(), approximate.k()));
        progress.note("%s: hnsw neighbours: recall@%d %.4f against exact lists on %d sampled points; on that"
                        + " sample twonn-mle %.4f (exact) vs %.4f (hnsw), mle %.4f vs %.4f",
                target, c.k(), c.recall(), c.sample(), c.twoNNExact(), c.twoNNApproximate(), c.mleExact(),
                c.mleApproximate());
        return parameters("m", Hnsw.M, "beam_width", Hnsw.BEAM_WIDTH, "sample", c.sample(), "k", c.k(), "recall", c.recall(),
                "twonn_mle_exact", c.twoNNExact(), "twonn_mle_hnsw", c.twoNNApproximate(), "mle_exact",
                c.mleExact(), "mle_hnsw", c.mleApproximate());
    }

    /**
     * Re-runs the estimators on the method's subsamples (see {@link Subsampling} for why
     * without replacement) and returns the spread of each estimate, by key. A subsample on
     * which an estimator fails fails the run, as the full data would.
     */
    private Map<String, Subsampling.Interval> errorBars(float[][] points, List<Estimate> estimates) {
        int bootstrap = method.bootstrap();
        Map<String, double[]> replicates = new LinkedHashMap<>();
        for (Estimate e : estimates) {
            double[] values = new double[bootstrap];
            Arrays.fill(values, Double.NaN);
            replicates.put(e.key(), values);
        }
        Random random = new Random(settings.seed());
        for (int b = 0; b < bootstrap; b++) {
            float[][] subsample = Subsampling.subsample(points, Subsampling.FRACTION, random);
            Neighbours.Result neighbours = search(subsample);
            Map<String, Double> again = new LinkedHashMap<>();
            for (Estimator.Result r : estimate(subsample, neighbours)) {
                r.estimates().forEach(e -> again.put(e.key(), e.value()));
            }
            if (method.pointwise()) {
                localIds(neighbours).forEach((key, values) -> again.put(key,
                        Pointwise.summary(values, HISTOGRAM_BINS).mean()));
            }
            for (Map.Entry<String, Double> e : again.entrySet()) {
                double[] values = replicates.get(e.getKey());
                // A gride scale the smaller subsample cannot reach stays NaN and is not counted.
                if (values != null) {
                    values[b] = e.getValue();
                }
            }
        }
        Map<String, Subsampling.Interval> intervals = new LinkedHashMap<>();
        replicates.forEach((key, values) -> intervals.put(key, Subsampling.interval(values)));
        return intervals;
    }

    /** The error bars as a report keeps them; none without a bootstrap. */
    private Map<String, Object> bootstrapParameters(Subsampling.Interval interval) {
        if (interval == null) {
            return Map.of();
        }
        Map<String, Object> p = parameters("bootstrap", method.bootstrap(), "subsample_fraction",
                Subsampling.FRACTION);
        if (interval.replicates() < method.bootstrap()) {
            p.put("bootstrap_finite", interval.replicates());
        }
        if (interval.replicates() > 0) {
            p.put("sd", interval.sd());
            p.put("ci95", List.of(interval.low(), interval.high()));
        }
        return p;
    }
}
