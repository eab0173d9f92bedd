package dev.engram.app;

import dev.engram.EngramException;
import dev.engram.Json;
import dev.engram.dim.Estimator;
import dev.engram.dim.Estimator.Estimate;
import dev.engram.dim.Estimators;
import dev.engram.io.PointFiles;
import dev.engram.dim.Pointwise;
import dev.engram.dim.RawInputs;
import dev.engram.dim.Subsampling;
import dev.engram.dim.Sweep;
import dev.engram.dim.plot.Chart;
import dev.engram.dim.plot.Plots;
import dev.engram.encode.AutoencoderConfig;
import dev.engram.encode.ImageSpaces;
import dev.engram.encode.PretrainedSpaces;
import dev.engram.encode.TrainingListener;
import dev.engram.encode.TrainingOptions;
import dev.engram.encode.image.ImageShape;
import dev.engram.store.Association;
import dev.engram.store.Concept;
import dev.engram.store.DimReport;
import dev.engram.store.Space;
import dev.engram.store.Store;
import dev.engram.store.StoreLocation;
import dev.engram.store.Transaction;
import dev.engram.store.Trace;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.IntStream;

import static dev.engram.dim.Estimators.parameters;

/**
 * The {@code engram dim} use case: the intrinsic dimension of a space's latent vectors, of one
 * concept's traces, of the raw inputs they were encoded from, or of the points in files, each
 * estimate kept in the store as a report; and the bottleneck sweep, which retrains a space's
 * autoencoder at several latent sizes. This class reads the points (from the store or from
 * files), has a {@link DimPipeline} measure each set with the estimators of {@link Estimators},
 * and keeps what they found. It never prints: notes and progress go to a {@link Progress}, and
 * the results are returned.
 */
public final class Dim {
    private final StoreLocation location;
    private final Progress progress;

    /**
     * @param location where the store is. A run holds the store only while it reads or writes (a
     *                 sweep trains for minutes in between, and other writers should not wait for
     *                 it); measuring files creates the store, since their reports are kept there.
     */
    public Dim(StoreLocation location, Progress progress) {
        this.location = location;
        this.progress = progress;
    }

    // --- requests

    /** Neighbour search: exact (brute force), or approximate from an HNSW graph. */
    public enum Search { EXACT, HNSW }

    /**
     * How every target of a run is measured.
     *
     * @param estimators in the order of {@link Estimators#all()}
     * @param sample     measure a seeded sample of this many points; 0 for all of them
     * @param bootstrap  subsamples for error bars; 0 for none
     * @param pointwise  also estimate a local ID per point (mle-local, twonn-local)
     */
    public record Method(List<Estimator> estimators, Estimator.Settings settings, int sample, int bootstrap,
                         boolean pointwise, Search search) {
        public Method {
            estimators = List.copyOf(estimators);
            // The command line has told people already; this guards other callers.
            if (bootstrap < 0 || sample < 0) {
                throw new IllegalArgumentException("bootstrap " + bootstrap + " or sample " + sample + " below 0");
            }
        }
    }

    /** What a run measures: traces of a space, or points in files. */
    public sealed interface Source permits Traces, Files {
    }

    /**
     * The traces of a space (the store's only one if {@code space} is null), or only those bound
     * to {@code concept} (a name or #ID) when it is not null; with {@code raw}, the inputs they
     * were encoded from, read again from their files.
     */
    public record Traces(String space, String concept, boolean raw) implements Source {
    }

    /** Points in files (CSV, .npy, IDX), each file measured on its own. */
    public record Files(List<Path> files) implements Source {
        public Files {
            files = List.copyOf(files);
            if (files.isEmpty()) {
                throw new IllegalArgumentException("no files to measure");
            }
        }
    }

    /** @param plot whether to draw the first target's fit: TwoNN's, else Gride's, if either is chosen */
    public record Request(Source source, Method method, boolean plot) {
    }

    /**
     * A bottleneck sweep of an image space: its autoencoder retrained at each latent size (in
     * ascending order, each once), with the training settings of its provenance and
     * {@code epochs}, unless null.
     */
    public record SweepRequest(String space, int[] sizes, Integer epochs, Method method, boolean plot) {
        public SweepRequest {
            sizes = IntStream.of(sizes).sorted().distinct().toArray();
            if (sizes.length == 0 || sizes[0] < 1) {
                throw EngramException.invalidInput("--sweep takes latent sizes of at least 1, e.g. 2,4,8,16,32,64");
            }
        }
    }

    // --- results

    /**
     * Everything measured on one target.
     *
     * @param estimates   as the reports keep them, error bars and summaries in their parameters
     * @param errorBars   by estimate key, with a bootstrap
     * @param summaries   the distribution of each local ID, by estimator (mle-local, twonn-local)
     * @param pointValues each local ID by estimator, one value per distinct point
     * @param original    each distinct point's index among the points measured
     * @param sources     the measured points' sources (trace source labels), or null
     * @param fit         the fit a plot draws, or null
     * @param reports     the stored reports, one per estimate (empty until stored)
     */
    public record Measurement(String target, List<Estimate> estimates, Map<String, Subsampling.Interval> errorBars,
                              Map<String, Pointwise.Summary> summaries, Map<String, double[]> pointValues,
                              int[] original, String[] sources, Estimator.Fit fit, List<DimReport> reports) {

        /** The estimate with this key, or NaN if there is none. */
        public double value(String key) {
            return estimates.stream().filter(e -> e.key().equals(key)).mapToDouble(Estimate::value).findFirst()
                    .orElse(Double.NaN);
        }

        Measurement withEstimates(List<Estimate> replaced) {
            return new Measurement(target, replaced, errorBars, summaries, pointValues, original, sources, fit,
                    reports);
        }

        Measurement stored(List<DimReport> kept) {
            return new Measurement(target, estimates, errorBars, summaries, pointValues, original, sources, fit,
                    List.copyOf(kept));
        }
    }

    /** @param plot the first target's fit drawn, if asked and one of the estimators has a fit; else null */
    public record Measured(List<Measurement> measurements, Chart plot) {
        /** Every stored report, in order. */
        public List<DimReport> reports() {
            return measurements.stream().flatMap(m -> m.reports().stream()).toList();
        }
    }

    /** One latent size of a sweep: its reconstruction error, and its latent vectors measured. */
    public record Latent(int size, double mse, boolean knee, Measurement measurement) {
    }

    /**
     * @param raw  the raw inputs measured
     * @param plot the sweep drawn, if asked; else null
     */
    public record Swept(Measurement raw, List<Latent> latents, Chart plot) {
    }

    // --- the use case

    /** Every stored report, oldest first. */
    public List<DimReport> history() {
        try (Store store = location.open()) {
            return store.dimReports();
        }
    }

    /** Measures the request's targets and keeps every estimate as a report. */
    public Measured measure(Request request) {
        DimPipeline pipeline = new DimPipeline(request.method(), progress);
        List<Measurement> measured = new ArrayList<>();
        switch (request.source()) {
            case Files files -> {
                // Read and measure every file before the store is opened, so that a bad file anywhere
                // in the line leaves no partial run behind (and no new store).
                for (Path file : files.files()) {
                    String target = "file:" + file.toAbsolutePath().normalize();
                    float[][] points = pipeline.sampled(Arrays.asList(PointFiles.read(file))).toArray(float[][]::new);
                    measured.add(pipeline.measure(target, points, null));
                }
                try (Store store = location.openOrCreate()) {
                    store.write(tx -> {
                        measured.replaceAll(m -> keep(tx, m, pipeline.seed()));
                        return null;
                    });
                }
            }
            case Traces traces -> {
                // Measured as a reader; the reports are then kept in one short unit of work.
                try (Store store = location.open()) {
                    store.requireWritable();
                    Measurement m = measureTraces(store, traces, pipeline);
                    measured.add(store.write(tx -> keep(tx, m, pipeline.seed())));
                }
            }
        }
        Measurement first = measured.getFirst();
        return new Measured(measured, request.plot() && first.fit() != null ? Plots.fit(first.target(), first.fit())
                : null);
    }

    private Measurement measureTraces(Store store, Traces request, DimPipeline pipeline) {
        Space space = Spaces.resolve(store, request.space());
        List<Trace> traces;
        String target;
        if (request.concept() != null) {
            Concept concept = store.concept(request.concept()).orElseThrow(() -> EngramException.unknown(
                    "no concept '" + request.concept() + "' in store " + store.location()));
            traces = conceptTraces(store, space, concept);
            target = (request.raw() ? "raw:" : "concept:") + concept.label() + "@" + space.name();
        } else {
            traces = new ArrayList<>();
            store.forEachTrace(space, traces::add);
            target = (request.raw() ? "raw:" : "space:") + space.name();
        }
        traces = pipeline.sampled(traces);
        // The points are read: let go of the store while estimating, so that writers commit meanwhile.
        store.release();
        float[][] points = request.raw() ? RawInputs.read(traces, ImageSpaces.shape(space), space.name())
                : traces.stream().map(Trace::vector).toArray(float[][]::new);
        return pipeline.measure(target, points, traces.stream().map(Trace::sourceLabel).toArray(String[]::new));
    }

    private static List<Trace> conceptTraces(Store store, Space space, Concept concept) {
        List<Long> ids = store.members(concept, Integer.MAX_VALUE).stream().map(Association::traceId).toList();
        List<Trace> traces = new ArrayList<>();
        for (Trace t : store.traces(ids)) {
            if (t.spaceId() == space.id()) {
                traces.add(t);
            }
        }
        if (traces.size() < 3) {
            throw EngramException.nothingToDo("concept " + concept.label() + " has " + traces.size() + " trace"
                    + (traces.size() == 1 ? "" : "s") + " in space " + space.name()
                    + "; an intrinsic dimension needs at least 3");
        }
        return traces;
    }

    /** Retrains the space's autoencoder at each size; measures and keeps its raw inputs, latent spaces and knee. */
    public Swept sweep(SweepRequest request) {
        DimPipeline pipeline = new DimPipeline(request.method(), progress);
        int[] sizes = request.sizes();
        Space space;
        List<Trace> traces = new ArrayList<>();
        // Read what the sweep needs and let go of the store: training takes minutes, and other
        // writers should not wait for it.
        try (Store store = location.open()) {
            store.requireWritable();
            space = Spaces.resolve(store, request.space());
            ImageSpaces.requireImage(space);
            if (PretrainedSpaces.is(space)) {
                throw EngramException.invalidInput("space " + space.name() + " is encoded by the pretrained network "
                        + space.encoder() + "; a sweep retrains a space's own autoencoder at several latent sizes:"
                        + " sweep a space made without --encoder");
            }
            store.forEachTrace(space, traces::add);
        }
        String name = space.name();
        ImageShape shape = ImageSpaces.shape(space);
        AutoencoderConfig.Provenance provenance = Json.LINES.fromJson(space.config(), AutoencoderConfig.class)
                .provenance();
        if (provenance == null) {
            throw EngramException.invalidInput("space " + name + " records no training provenance"
                    + " (epochs, batch size, learning rate, seed), so a sweep cannot retrain it the same way");
        }
        TrainingOptions options = new TrainingOptions(request.epochs() != null ? request.epochs()
                : provenance.epochs(), provenance.batchSize(), provenance.learningRate(), provenance.seed());
        float[][] inputs = RawInputs.read(pipeline.sampled(traces), shape, name);
        progress.note("sweep of space %s: %d autoencoders on %d raw inputs (%s), %d epochs, batch %d, learning rate"
                        + " %s, seed %d", name, sizes.length, inputs.length, shape, options.epochs(),
                options.batchSize(), options.learningRate(), options.seed());
        Measurement raw = pipeline.measure("raw:" + name, inputs, null);
        List<Sweep.Size> trained = Sweep.run(inputs, shape, sizes, options, sweepListener(sizes.length));
        double[] mse = trained.stream().mapToDouble(Sweep.Size::mse).toArray();
        OptionalInt knee = Sweep.knee(sizes, mse);
        List<Measurement> latents = new ArrayList<>();
        for (Sweep.Size size : trained) {
            String target = "sweep:" + name + "/latent=" + size.latent();
            Measurement m;
            try {
                m = pipeline.measure(target, size.latents(), null);
            } catch (EngramException e) {
                // A collapsed bottleneck (too few distinct latent vectors) has no ID; the sweep goes on.
                progress.note("%s: no intrinsic dimension: %s", target, e.getMessage());
                m = new Measurement(target, List.of(), Map.of(), Map.of(), Map.of(), new int[0], null, null,
                        List.of());
            }
            List<Estimate> estimates = new ArrayList<>(m.estimates());
            estimates.addFirst(new Estimate("mse", "reconstruction-mse", parameters("latent", size.latent(),
                    "epochs", options.epochs(), "batch_size", options.batchSize(), "learning_rate",
                    options.learningRate(), "loss_per_epoch", size.losses()), inputs.length, size.mse()));
            latents.add(m.withEstimates(estimates));
        }
        Measurement rawMeasured = raw;
        try (Store store = location.open()) {
            // One unit of work: the sweep's reports are kept together or not at all.
            raw = store.write(tx -> {
                latents.replaceAll(m -> keep(tx, m, pipeline.seed()));
                if (knee.isPresent()) {
                    keep(tx, "sweep:" + name, List.of(new Estimate("knee", parameters("method", "kneedle",
                            "sensitivity", 1.0, "x", "log2(latent)", "sizes", sizes, "mse", mse), inputs.length,
                            sizes[knee.getAsInt()])), options.seed());
                }
                return keep(tx, rawMeasured, pipeline.seed());
            });
        }
        List<Latent> rows = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            rows.add(new Latent(sizes[i], mse[i], knee.isPresent() && knee.getAsInt() == i, latents.get(i)));
        }
        return new Swept(raw, rows, request.plot() ? sweepPlot(name, raw, rows, knee) : null);
    }

    private Sweep.Listener sweepListener(int sizes) {
        return new Sweep.Listener() {
            @Override
            public void size(int index, int latent) {
                progress.note("latent size %d (%d of %d)", latent, index + 1, sizes);
            }

            @Override
            public TrainingListener training() {
                return new TrainingListener() {
                    @Override
                    public void batch(int epoch, int epochs, int batch, int batches, double loss) {
                        progress.progress(String.format(Locale.ROOT, "epoch %d/%d loss %.5f", epoch, epochs, loss),
                                batch, batches);
                    }

                    @Override
                    public void epoch(int epoch, int epochs, double loss, double seconds) {
                        progress.clearProgress();
                    }
                };
            }
        };
    }

    /** MSE by size with the knee, and beside it each estimator's ID of the latent vectors and of the raw inputs. */
    private static Chart sweepPlot(String space, Measurement raw, List<Latent> latents, OptionalInt knee) {
        int[] sizes = latents.stream().mapToInt(Latent::size).toArray();
        Map<String, double[]> latentIds = new LinkedHashMap<>();
        Map<String, Double> rawIds = new LinkedHashMap<>();
        for (Estimate e : raw.estimates()) {
            if (e.key().startsWith("gride:") || e.key().endsWith("-local")) {
                continue;
            }
            rawIds.put(e.key(), e.value());
            latentIds.put(e.key(), latents.stream().mapToDouble(l -> l.measurement().value(e.key())).toArray());
        }
        return Plots.sweep(space, sizes, latents.stream().mapToDouble(Latent::mse).toArray(), latentIds, rawIds,
                knee.isPresent() ? sizes[knee.getAsInt()] : 0);
    }

    private static Measurement keep(Transaction tx, Measurement m, long seed) {
        return m.stored(keep(tx, m.target(), m.estimates(), seed));
    }

    /** The one place a dim run writes: each estimate becomes a report, in the caller's unit of work. */
    private static List<DimReport> keep(Transaction tx, String target, List<Estimate> estimates, long seed) {
        List<DimReport> reports = new ArrayList<>();
        for (Estimate e : estimates) {
            reports.add(tx.addDimReport(target, e.estimator(), Json.LINES.toJson(e.parameters()), e.points(), seed,
                    e.value()));
        }
        return reports;
    }
}
