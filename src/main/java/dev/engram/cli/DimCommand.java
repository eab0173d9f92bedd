package dev.engram.cli;

import dev.engram.EngramException;
import dev.engram.Json;
import dev.engram.dim.ApproximateNeighbours;
import dev.engram.dim.CorrelationDimension;
import dev.engram.dim.Duplicates;
import dev.engram.dim.Danco;
import dev.engram.dim.Gride;
import dev.engram.dim.MaximumLikelihood;
import dev.engram.dim.Pca;
import dev.engram.dim.Pointwise;
import dev.engram.dim.RawInputs;
import dev.engram.dim.Sweep;
import dev.engram.dim.plot.Plots;
import dev.engram.encode.AutoencoderConfig;
import dev.engram.encode.ImageSpaces;
import dev.engram.encode.TrainingListener;
import dev.engram.encode.TrainingOptions;
import dev.engram.encode.image.ImageShape;
import dev.engram.dim.Neighbours;
import dev.engram.dim.TwoNN;
import dev.engram.io.PointFiles;
import dev.engram.dim.Subsampling;
import dev.engram.store.Association;
import dev.engram.store.Concept;
import dev.engram.store.DimReport;
import dev.engram.store.Store;
import dev.engram.store.Space;
import dev.engram.store.Trace;
import dev.engram.store.Transaction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.TreeSet;

/** {@code engram dim}: the intrinsic dimension of a latent space. */
@Command(name = "dim", sortOptions = false, mixinStandardHelpOptions = true,
        versionProvider = EngramCommand.Version.class,
        description = {
                "Estimate the intrinsic dimension of a space's latent vectors, of one concept's traces, or of "
                        + "the points in files, and keep each estimate in the store as a report (list them with "
                        + "--history).",
                "",
                "Measuring FILEs creates the store if there is none, since the reports are kept there. "
                        + "--bootstrap adds error bars from subsamples drawn without replacement: resampling with "
                        + "replacement would repeat points, which the neighbour-based estimators drop as duplicates.",
                "",
                "twonn: Facco, d'Errico, Rodriguez & Laio 2017 (Sci. Rep. 7:12140): the ratio mu = r2/r1 of each "
                        + "point's two nearest distances; the slope of -log(1 - F(mu)) against log(mu), fitted "
                        + "through the origin after discarding the largest fraction --discard of mu; also its "
                        + "maximum-likelihood form (N-1) / sum(log mu) (twonn-mle).",
                "mle: Levina & Bickel 2004 (NIPS): per point, the inverse mean of log(T_k/T_j) over its k nearest "
                        + "neighbours; combined by the harmonic mean (MacKay & Ghahramani's correction) or the "
                        + "arithmetic mean (--combination mean).",
                "",
                "pca: Fukunaga & Olsen 1971: eigenvalues of the covariance above --alpha times the largest; "
                        + "with the participation ratio (sum l)^2 / sum l^2 (pca-pr).",
                "corrint: Grassberger & Procaccia 1983, as scikit-dimension's CorrInt: the slope of the "
                        + "correlation integral between the medians of the 10th and 20th neighbour distances.",
                "gride: Denti, Doimo, Laio & Mira 2022 (Sci. Rep. 12:20005): maximum likelihood from the ratio "
                        + "of the 2n-th to the n-th neighbour distance, for n = 1, 2, 4, ...: the ID across scales.",
                "danco: Ceruti et al. 2014 (Pattern Recognition 47:2569), with the calibration bound 2d+5 of "
                        + "the original R code (scikit-dimension's port passes k there, capping estimates near 10); "
                        + "calibrates on at most 2,000 points (a seeded sample of larger spaces).",
                "",
                "Neighbours are exact by default and shared by the estimators. Exact duplicate points are "
                        + "reported and merged into one copy before the search (as DADApy's "
                        + "remove_identical_points): a zero distance would make r2/r1 and log(T_k/T_1) infinite.",
                "",
                "--raw measures the inputs a space's traces came from, read again from their files (or IDX items) "
                        + "at the space's input shape and checked against the traces' content hashes: the data "
                        + "before the bottleneck.",
                "",
                "--pointwise: local ID, one value per point, summarised as a distribution (mean, sd, quantiles "
                        + "5/25/50/75/95, histogram). mle-local is Levina & Bickel's per-point m_k(x) (the values "
                        + "mle averages); twonn-local is TwoNN's maximum likelihood (n-1)/sum(log mu) over the "
                        + "point and its k nearest neighbours (n = k+1 ratios), the neighbourhood pooling of "
                        + "Allegra, Facco, Denti, Laio & Mira 2020 (Sci. Rep. 10:16449) without its prior.",
                "",
                "--sweep: the latent-space paper's experiment. The space's autoencoder is trained again at "
                        + "each latent size on the space's raw inputs, with the epochs, batch size, learning rate "
                        + "and seed of its provenance; the table gives the reconstruction error (MSE per value, over "
                        + "the inputs) and the ID of the latent vectors at each size beside the ID of the raw "
                        + "inputs, and marks the knee of the error curve found by Kneedle (Satopaa, Albrecht, "
                        + "Irwin & Raghavan 2011, ICDCS Workshops; sensitivity 1, sizes on a log2 axis).",
                "",
                "--neighbours hnsw: approximate neighbours from an in-memory Lucene HNSW graph (Malkov & "
                        + "Yashunin 2020; M=16, beam 100, 100 candidates per query, as the store's indexes), "
                        + "distances recomputed exactly. The difference is stated: recall@k of the approximate "
                        + "lists against exact ones on a seeded sample of 200 points, and the sample's TwoNN and "
                        + "MLE estimates from either list (stderr, and kept in each report's parameters)."},
        footerHeading = "%nExamples:%n",
        footer = {"  engram dim --store mem",
                "  engram dim --store mem --estimator mle -k 10 --json",
                "  engram dim --store mem --concept digit-7 --bootstrap 50",
                "  engram dim --store mem points.csv embeddings.npy train-images-idx3-ubyte.gz",
                "  engram dim --store mem --raw --estimator twonn,gride --plot raw.png",
                "  engram dim --store mem --pointwise=points --json",
                "  engram dim --store mem --sweep 2,4,8,16,32,64 --epochs 5 --plot sweep.png",
                "  engram dim --neighbours hnsw embeddings.npy",
                "  engram dim --store mem --history"})
public final class DimCommand extends StoreCommand {
    @Mixin
    SpaceOption space;

    @Option(names = "--estimator", split = ",", paramLabel = "NAME", defaultValue = "twonn,mle",
            description = "Estimators to run: twonn, mle, pca, corrint, gride, danco, or all"
                    + " (default: ${DEFAULT-VALUE}).")
    List<String> estimators;

    @Option(names = "-k", defaultValue = "20", description = "Neighbours for mle (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--combination", defaultValue = "harmonic",
            description = "How mle combines per-point estimates: harmonic or mean (default: ${DEFAULT-VALUE}).")
    String combination;

    @Option(names = "--discard", defaultValue = "0.1",
            description = "Fraction of the largest mu that twonn discards (default: ${DEFAULT-VALUE}); the "
                    + "largest mu, whose empirical F is 1, is never fitted.")
    double discard;

    @Option(names = "--alpha", defaultValue = "0.05",
            description = "pca: eigenvalue threshold as a fraction of the largest (default: ${DEFAULT-VALUE}).")
    double alpha;

    @Option(names = "--concept", paramLabel = "NAME",
            description = "Measure only the traces of the space bound to this concept (a name or #ID).")
    String concept;

    @Option(names = "--sample", paramLabel = "N", description = "Estimate on a random sample of N points.")
    Integer sample;

    @Option(names = "--bootstrap", paramLabel = "N", defaultValue = "0",
            description = "Error bars: rerun each estimator on N subsamples of a fraction " + Subsampling.FRACTION
                    + " of the points, drawn without replacement (a resample with replacement repeats points, "
                    + "which neighbour-based estimators must drop); the report keeps their standard deviation "
                    + "(sd) and 2.5%%/97.5%% percentiles (ci95). They understate the sampling error (measured: "
                    + "0.65-0.85 of the sd across independent samples), and estimators that depend on the number "
                    + "of points (mle, gride) sit a little lower on 0.8 of them, so ci95 need not contain the "
                    + "estimate itself. 0: none (default: ${DEFAULT-VALUE}).")
    int bootstrap;

    @Option(names = "--seed", defaultValue = "42",
            description = "Seed for --sample, --bootstrap and danco's sample (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--raw", description = "Measure the raw inputs of the space's traces (with --concept: of "
            + "that concept's traces), re-read from their source files at the space's input shape, instead of "
            + "their latent vectors. Image spaces only; fails if a source file is gone or has changed.")
    boolean raw;

    @Option(names = "--pointwise", arity = "0..1", fallbackValue = "summary", paramLabel = "summary|points",
            description = "Also estimate a local ID per point (mle-local: Levina & Bickel's m_k(x); twonn-local: "
                    + "TwoNN's maximum likelihood over the point and its k neighbours), each summarised in a "
                    + "report: the estimate is the mean; parameters hold sd_points, quantiles 5/25/50/75/95, min, max and "
                    + "a 10-bin histogram. With 'points', stdout lists every point's values after the reports "
                    + "(with --json: one object per point with keys target, point (its row in the input), source and "
                    + "one per estimator, left out where the value is unbounded or undefined).")
    String pointwise;

    @Option(names = "--sweep", split = ",", paramLabel = "SIZES",
            description = "Bottleneck sweep of an image space: retrain its autoencoder at each latent size "
                    + "(e.g. 2,4,8,16,32,64) on its raw inputs with its provenance's training settings; report "
                    + "reconstruction MSE per size, the Kneedle knee, and the ID of the raw inputs and of each "
                    + "latent space; --sample N trains and measures on a seeded sample of N inputs. Every figure is kept "
                    + "as a report (reconstruction-mse, knee and the estimators' "
                    + "under targets raw:SPACE and sweep:SPACE/latent=N). With --json, one object a row: target, "
                    + "latent, mse, knee, estimates, reports (the raw row has no latent or mse).")
    List<Integer> sweep;

    @Option(names = "--epochs", paramLabel = "N",
            description = "--sweep: training epochs per size (default: the space's own, from its provenance).")
    Integer epochs;

    @Option(names = "--plot", paramLabel = "FILE.png",
            description = "Draw a PNG: for --sweep, MSE against latent size with the knee and the IDs; otherwise "
                    + "the TwoNN fit (-log(1-F) against log mu with the fitted line), or Gride's ID against scale "
                    + "when gride is chosen without twonn. One target per plot.")
    Path plot;

    @Option(names = "--neighbours", defaultValue = "exact", paramLabel = "exact|hnsw",
            description = "Neighbour search: exact (brute force, default) or hnsw (approximate; recall and the "
                    + "change in the estimate are reported). Default: ${DEFAULT-VALUE}.")
    String neighbourSearch;

    @Option(names = "--history", description = "List the stored reports instead of estimating.")
    boolean history;

    @Parameters(paramLabel = "FILE", arity = "0..*",
            description = "Measure these files instead of a space, each on its own: CSV (a row of numbers a "
                    + "point; a header row is skipped), NumPy .npy (2-D, little-endian float or int), or IDX "
                    + "images (pixels in [0,1]). Reports are kept under the target file:PATH, so the store "
                    + "is created if it does not exist yet.")
    List<Path> files;

    /** Points of the exact lists compared with the approximate ones under --neighbours hnsw. */
    static final int RECALL_SAMPLE = 200;
    private static final int HISTOGRAM_BINS = 10;

    @Override
    public Integer call() {
        Output out = out();
        Console console = console();
        boolean measuringFiles = files != null && !files.isEmpty();
        if (history) {
            if (measuringFiles || concept != null || bootstrap != 0 || raw || pointwise != null || sweep != null
                    || plot != null) {
                throw EngramException.invalidInput("--history lists stored reports; it takes no FILE, --concept,"
                        + " --bootstrap, --raw, --pointwise, --sweep or --plot");
            }
            try (Store db = store().open()) {
                print(out, db.dimReports());
            }
            return 0;
        }
        List<String> chosen = estimators.contains("all") ? KNOWN : estimators;
        for (String e : chosen) {
            if (!KNOWN.contains(e)) {
                throw EngramException.invalidInput("unknown estimator '" + e + "' (known: "
                        + String.join(", ", KNOWN) + ", all)");
            }
        }
        MaximumLikelihood.Combination comb = switch (combination) {
            case "harmonic" -> MaximumLikelihood.Combination.HARMONIC_MEAN;
            case "mean" -> MaximumLikelihood.Combination.MEAN;
            default -> throw EngramException.invalidInput("--combination must be harmonic or mean, not "
                    + combination);
        };
        if (bootstrap < 0) {
            throw EngramException.invalidInput("--bootstrap must be 0 (off) or a number of subsamples, not "
                    + bootstrap);
        }
        if (sample != null && sample < 3) {
            throw EngramException.invalidInput("--sample must be at least 3");
        }
        if (!neighbourSearch.equals("exact") && !neighbourSearch.equals("hnsw")) {
            throw EngramException.invalidInput("--neighbours must be exact or hnsw, not " + neighbourSearch);
        }
        if (pointwise != null && !pointwise.equals("summary") && !pointwise.equals("points")) {
            throw EngramException.invalidInput("--pointwise takes summary or points, not " + pointwise);
        }
        if (epochs != null && (sweep == null || epochs < 1)) {
            throw EngramException.invalidInput("--epochs sets the training of --sweep and must be at least 1");
        }
        if (plot != null && sweep == null && !chosen.contains("twonn") && !chosen.contains("gride")) {
            throw EngramException.invalidInput("--plot draws the TwoNN fit or Gride's scale curve: add twonn or"
                    + " gride to --estimator (or plot a --sweep)");
        }
        Run run = new Run(chosen, comb, console);
        if (sweep != null) {
            if (measuringFiles || concept != null || raw) {
                throw EngramException.invalidInput("--sweep retrains a space's autoencoder on its raw inputs; it"
                        + " takes no FILE, --concept or --raw");
            }
            return sweep(out, run);
        }
        List<DimReport> reports = new ArrayList<>();
        List<Measurement> measured = new ArrayList<>();
        if (measuringFiles) {
            if (space.name != null || concept != null || raw) {
                throw EngramException.invalidInput("FILE arguments are measured on their own; drop --space,"
                        + " --concept and --raw, or the files");
            }
            if (plot != null && files.size() > 1) {
                throw EngramException.invalidInput("--plot draws one measurement; give one FILE");
            }
            // Read and measure every file before the store is opened, so that a bad file anywhere in
            // the line leaves no partial run behind (and no new store).
            for (Path file : files) {
                String what = "file:" + file.toAbsolutePath().normalize();
                measured.add(run.measure(what, sampled(Arrays.asList(PointFiles.read(file))).toArray(float[][]::new),
                        null));
            }
            try (Store db = store().location().openOrCreate()) {
                db.write(tx -> {
                    for (Measurement m : measured) {
                        reports.addAll(keep(tx, m.target(), m.estimates()));
                    }
                    return null;
                });
            }
        } else {
            try (Store db = store().open()) {
                Space target = space.resolve(db);
                List<Trace> traces;
                String what;
                if (concept != null) {
                    Concept c = db.concept(concept).orElseThrow(() -> EngramException.unknown("no concept '"
                            + concept + "' in store " + db.location()));
                    traces = conceptTraces(db, target, c);
                    what = "concept:" + c.label() + "@" + target.name();
                } else {
                    traces = new ArrayList<>();
                    db.forEachTrace(target, traces::add);
                    what = "space:" + target.name();
                }
                traces = sampled(traces);
                float[][] points;
                if (raw) {
                    ImageShape shape = ImageSpaces.shape(target);
                    points = RawInputs.read(traces, shape, target.name());
                    what = "raw:" + what.substring(what.indexOf(':') + 1);
                } else {
                    points = traces.stream().map(Trace::vector).toArray(float[][]::new);
                }
                String[] labels = traces.stream().map(Trace::sourceLabel).toArray(String[]::new);
                Measurement m = run.measure(what, points, labels);
                measured.add(m);
                String kept = what;
                reports.addAll(db.write(tx -> keep(tx, kept, m.estimates())));
            }
        }
        print(out, reports);
        if (pointwise != null) {
            printPointwise(out, measured, reports);
        }
        if (plot != null) {
            Measurement m = measured.getFirst();
            if (chosen.contains("twonn")) {
                Plots.twoNN(m.target(), m.twoNN()).write(plot);
            } else {
                Plots.gride(m.target(), m.gride()).write(plot);
            }
            console.note("plot written to %s", plot);
        }
        return 0;
    }

    private static final List<String> KNOWN = List.of("twonn", "mle", "pca", "corrint", "gride", "danco");

    /**
     * One estimate before it is stored. {@code key} tells apart the estimates of one estimator
     * (gride's scales), so that a subsample's estimate is compared with the full data's at the
     * same scale.
     */
    private record Estimate(String key, String estimator, Map<String, Object> parameters, int points,
                            double value) {
    }

    /**
     * Everything measured on one target: the estimates to store, the per-point values of
     * --pointwise (by estimator, over the distinct points, whose input indices are
     * {@code original}), and the fits a plot draws.
     */
    private record Measurement(String target, List<Estimate> estimates, Map<String, double[]> pointValues,
                               int[] original, String[] labels, TwoNN.Result twoNN, Gride.Result gride) {
    }

    /** The settings of one run, shared by every target it measures. */
    private final class Run {
        final List<String> chosen;
        final MaximumLikelihood.Combination comb;
        final Console console;

        Run(List<String> chosen, MaximumLikelihood.Combination comb, Console console) {
            this.chosen = chosen;
            this.comb = comb;
            this.console = console;
        }

        /** @param labels the points' sources (for --pointwise=points), or null */
        Measurement measure(String what, float[][] points, String[] labels) {
            Neighbours.checkShape(points);
            Duplicates.Result unique = Duplicates.merge(points);
            float[][] distinct = unique.points();
            if (unique.duplicates() > 0) {
                console.note("%s: %d of %d points are exact copies of another; measured on the %d distinct points",
                        what, unique.duplicates(), points.length, distinct.length);
            }
            // Below 3 points the shared neighbour table cannot hold the two neighbours TwoNN asks for.
            if (distinct.length < 3) {
                throw EngramException.nothingToDo(what + " has " + distinct.length + " distinct point"
                        + (distinct.length == 1 ? "" : "s") + "; an intrinsic dimension needs at least 3");
            }
            if ((chosen.contains("mle") || pointwise != null) && distinct.length <= k) {
                throw EngramException.nothingToDo(what + " has " + distinct.length + " distinct points; mle with k="
                        + k + " neighbours needs more than " + k + ": use a smaller -k");
            }
            Neighbours.Result neighbours = search(what, distinct, neighboursNeeded(distinct.length));
            Map<String, Object> common = new LinkedHashMap<>();
            if (unique.duplicates() > 0) {
                common.put("duplicates_merged", unique.duplicates());
            }
            if (neighbourSearch.equals("hnsw")) {
                ApproximateNeighbours.Comparison c = ApproximateNeighbours.compare(distinct, neighbours, RECALL_SAMPLE,
                        seed, Math.min(k, neighbours.k()));
                console.note("%s: hnsw neighbours: recall@%d %.4f against exact lists on %d sampled points; on that"
                                + " sample twonn-mle %.4f (exact) vs %.4f (hnsw), mle %.4f vs %.4f",
                        what, c.k(), c.recall(), c.sample(), c.twoNNExact(), c.twoNNApproximate(), c.mleExact(),
                        c.mleApproximate());
                common.put("neighbours", "hnsw");
                common.put("hnsw", parameters("m", 16, "beam_width", 100, "sample", c.sample(), "k", c.k(),
                        "recall", c.recall(), "twonn_mle_exact", c.twoNNExact(), "twonn_mle_hnsw",
                        c.twoNNApproximate(), "mle_exact", c.mleExact(), "mle_hnsw", c.mleApproximate()));
            }
            Details details = new Details();
            List<Estimate> estimates = estimate(distinct, neighbours, details);
            Map<String, double[]> values = new LinkedHashMap<>();
            if (pointwise != null) {
                values.put("mle-local", Pointwise.mle(neighbours, k));
                values.put("twonn-local", Pointwise.twoNN(neighbours, k));
                for (Map.Entry<String, double[]> e : values.entrySet()) {
                    Pointwise.Summary sum = Pointwise.summary(e.getValue(), HISTOGRAM_BINS);
                    // "sd_points": the spread of the points' values, not an error bar ("sd" is that).
                    Map<String, Object> p = parameters("k", k, "mean", sum.mean(), "sd_points", sum.sd(), "min", sum.min(),
                            "max", sum.max(), "quantiles", quantiles(sum), "histogram", histogram(sum));
                    if (sum.unbounded() > 0) {
                        p.put("unbounded", sum.unbounded());
                    }
                    estimates.add(new Estimate(e.getKey(), e.getKey(), p, sum.count(), sum.mean()));
                }
            }
            if (bootstrap > 0) {
                addErrorBars(distinct, estimates);
            }
            for (Estimate e : estimates) {
                e.parameters().putAll(common);
            }
            return new Measurement(what, estimates, values, unique.original(), labels, details.twoNN, details.gride);
        }

        private Neighbours.Result search(String what, float[][] points, int needed) {
            Neighbours.Progress progress = (done, total) -> console.progress("neighbours", done, total);
            try {
                return neighbourSearch.equals("hnsw") ? ApproximateNeighbours.search(points, needed, progress)
                        : Neighbours.search(points, needed, progress);
            } finally {
                console.clearProgress();
            }
        }

        /** One neighbour search serves every estimator: as many neighbours as the most demanding needs. */
        private int neighboursNeeded(int points) {
            int needed = 2;
            if (chosen.contains("mle") || pointwise != null) {
                needed = Math.max(needed, k);
            }
            if (chosen.contains("corrint")) {
                needed = Math.max(needed, CorrelationDimension.DEFAULT_K2);
            }
            if (chosen.contains("gride")) {
                needed = Math.max(needed, Gride.DEFAULT_MAX_RANK);
            }
            return Math.min(needed, points - 1);
        }

        private List<Estimate> estimate(float[][] points, Neighbours.Result neighbours, Details details) {
            List<Estimate> estimates = new ArrayList<>();
            if (chosen.contains("twonn")) {
                TwoNN.Result r = TwoNN.estimate(neighbours, discard);
                details.twoNN = r;
                // empirical_f tells these reports from those of engram before 2026-12-01, which fitted
                // against (i - 1)/N as scikit-dimension did before its PR #28.
                estimates.add(new Estimate("twonn", "twonn", parameters("discard_fraction", discard,
                        "empirical_f", "i/N"), r.pointsUsed(), r.dimension()));
                estimates.add(new Estimate("twonn-mle", "twonn-mle", parameters("discard_fraction", discard),
                        r.pointsUsed(), r.maximumLikelihood()));
            }
            if (chosen.contains("mle")) {
                MaximumLikelihood.Result r = MaximumLikelihood.estimate(neighbours, k, comb);
                estimates.add(new Estimate("mle", "mle", parameters("k", k, "combination", combination),
                        r.pointsUsed(), r.dimension()));
            }
            if (chosen.contains("pca")) {
                Pca.Result r = Pca.estimate(points, alpha);
                estimates.add(new Estimate("pca", "pca", parameters("alpha", alpha), points.length, r.dimension()));
                estimates.add(new Estimate("pca-pr", "pca-pr", parameters(), points.length,
                        r.participationRatio()));
            }
            if (chosen.contains("corrint")) {
                CorrelationDimension.Result r = CorrelationDimension.estimate(points, neighbours,
                        CorrelationDimension.DEFAULT_K1, CorrelationDimension.DEFAULT_K2);
                estimates.add(new Estimate("corrint", "corrint", parameters("k1", r.k1(), "k2", r.k2()),
                        points.length, r.dimension()));
            }
            if (chosen.contains("gride")) {
                Gride.Result result = Gride.estimate(neighbours, Gride.DEFAULT_MAX_RANK);
                details.gride = result;
                for (Gride.Scale scale : result.scales()) {
                    estimates.add(new Estimate("gride:" + scale.n1() + "/" + scale.n2(), "gride",
                            parameters("n1", scale.n1(), "n2", scale.n2(), "mean_distance", scale.distance(),
                                    "error", scale.error()),
                            scale.pointsUsed(), scale.dimension()));
                }
            }
            if (chosen.contains("danco")) {
                Danco.Settings settings = Danco.Settings.defaults().withSeed(seed);
                Danco.Result r = Danco.estimate(points, settings);
                estimates.add(new Estimate("danco", "danco", parameters("k", r.k(), "sample_size",
                        settings.sampleSize(), "fractal_dimension", r.fractalDimension()), r.pointsUsed(),
                        r.dimension()));
            }
            return estimates;
        }

        /**
         * Re-runs the estimators on {@code --bootstrap} subsamples (see {@link Subsampling} for why
         * without replacement) and adds their spread to each estimate's parameters, where the report
         * keeps it. A subsample on which an estimator fails fails the run, as the full data would.
         */
        private void addErrorBars(float[][] points, List<Estimate> estimates) {
            Map<String, double[]> replicates = new LinkedHashMap<>();
            for (Estimate e : estimates) {
                double[] values = new double[bootstrap];
                Arrays.fill(values, Double.NaN);
                replicates.put(e.key(), values);
            }
            Random random = new Random(seed);
            for (int b = 0; b < bootstrap; b++) {
                float[][] subsample = Subsampling.subsample(points, Subsampling.FRACTION, random);
                Neighbours.Result neighbours = search("subsample", subsample, neighboursNeeded(subsample.length));
                List<Estimate> again = estimate(subsample, neighbours, new Details());
                if (pointwise != null) {
                    again.add(new Estimate("mle-local", "mle-local", parameters(), 0,
                            Pointwise.summary(Pointwise.mle(neighbours, k), HISTOGRAM_BINS).mean()));
                    again.add(new Estimate("twonn-local", "twonn-local", parameters(), 0,
                            Pointwise.summary(Pointwise.twoNN(neighbours, k), HISTOGRAM_BINS).mean()));
                }
                for (Estimate e : again) {
                    double[] values = replicates.get(e.key());
                    // A gride scale the smaller subsample cannot reach stays NaN and is not counted.
                    if (values != null) {
                        values[b] = e.value();
                    }
                }
            }
            for (Estimate e : estimates) {
                Subsampling.Interval interval = Subsampling.interval(replicates.get(e.key()));
                Map<String, Object> p = e.parameters();
                p.put("bootstrap", bootstrap);
                p.put("subsample_fraction", Subsampling.FRACTION);
                if (interval.replicates() < bootstrap) {
                    p.put("bootstrap_finite", interval.replicates());
                }
                if (interval.replicates() > 0) {
                    p.put("sd", interval.sd());
                    p.put("ci95", List.of(interval.low(), interval.high()));
                }
            }
        }
    }

    /** The fits a plot needs, caught on the way. */
    private static final class Details {
        TwoNN.Result twoNN;
        Gride.Result gride;
    }

    // --- the bottleneck sweep

    private int sweep(Output out, Run run) {
        int[] sizes = new TreeSet<>(sweep).stream().mapToInt(Integer::intValue).toArray();
        if (sizes.length == 0 || sizes[0] < 1) {
            throw EngramException.invalidInput("--sweep takes latent sizes of at least 1, e.g. 2,4,8,16,32,64");
        }
        Space target;
        List<Trace> traces = new ArrayList<>();
        // Read what the sweep needs and let go of the store: training takes minutes, and other
        // writers should not wait for it.
        try (Store db = store().open()) {
            target = space.resolve(db);
            ImageSpaces.requireImage(target);
            db.forEachTrace(target, traces::add);
        }
        ImageShape shape = ImageSpaces.shape(target);
        AutoencoderConfig.Provenance provenance = Json.LINES.fromJson(target.config(), AutoencoderConfig.class)
                .provenance();
        if (provenance == null) {
            throw EngramException.invalidInput("space " + target.name() + " records no training provenance"
                    + " (epochs, batch size, learning rate, seed), so a sweep cannot retrain it the same way");
        }
        TrainingOptions options = new TrainingOptions(epochs != null ? epochs : provenance.epochs(),
                provenance.batchSize(), provenance.learningRate(), provenance.seed());
        traces = sampled(traces);
        float[][] inputs = RawInputs.read(traces, shape, target.name());
        String name = target.name();
        Console console = run.console;
        console.note("sweep of space %s: %d autoencoders on %d raw inputs (%s), %d epochs, batch %d, learning rate"
                        + " %s, seed %d", name, sizes.length, inputs.length, shape, options.epochs(),
                options.batchSize(), options.learningRate(), options.seed());
        Measurement rawMeasurement = run.measure("raw:" + name, inputs, null);
        List<Sweep.Size> trained = Sweep.run(inputs, shape, sizes, options, new Sweep.Listener() {
            @Override
            public void size(int index, int latent) {
                console.note("latent size %d (%d of %d)", latent, index + 1, sizes.length);
            }

            @Override
            public TrainingListener training() {
                return new TrainingListener() {
                    @Override
                    public void batch(int epoch, int epochs, int batch, int batches, double loss) {
                        console.progress(String.format(java.util.Locale.ROOT, "epoch %d/%d loss %.5f", epoch, epochs,
                                loss), batch, batches);
                    }

                    @Override
                    public void epoch(int epoch, int epochs, double loss, double seconds) {
                        console.clearProgress();
                    }
                };
            }
        });
        double[] mse = trained.stream().mapToDouble(Sweep.Size::mse).toArray();
        OptionalInt knee = Sweep.knee(sizes, mse);
        List<Measurement> latentMeasurements = new ArrayList<>();
        for (Sweep.Size size : trained) {
            String what = "sweep:" + name + "/latent=" + size.latent();
            Measurement m;
            try {
                m = run.measure(what, size.latents(), null);
            } catch (EngramException e) {
                // A collapsed bottleneck (too few distinct latent vectors) has no ID; the sweep goes on.
                console.note("%s: no intrinsic dimension: %s", what, e.getMessage());
                m = new Measurement(what, new ArrayList<>(), Map.of(), new int[0], null, null, null);
            }
            Map<String, Object> p = parameters("latent", size.latent(), "epochs", options.epochs(), "batch_size",
                    options.batchSize(), "learning_rate", options.learningRate(), "loss_per_epoch", size.losses());
            m.estimates().addFirst(new Estimate("mse", "reconstruction-mse", p, inputs.length, size.mse()));
            latentMeasurements.add(m);
        }
        List<List<DimReport>> stored = new ArrayList<>();
        try (Store db = store().open()) {
            // One unit of work: the sweep's reports are kept together or not at all.
            db.write(tx -> {
                stored.add(keep(tx, rawMeasurement.target(), rawMeasurement.estimates()));
                for (Measurement m : latentMeasurements) {
                    stored.add(keep(tx, m.target(), m.estimates()));
                }
                if (knee.isPresent()) {
                    tx.addDimReport("sweep:" + name, "knee", Json.LINES.toJson(parameters("method", "kneedle",
                            "sensitivity", 1.0, "x", "log2(latent)", "sizes", sizes, "mse", mse)), inputs.length,
                            options.seed(), sizes[knee.getAsInt()]);
                }
                return null;
            });
        }
        printSweep(out, sizes, mse, knee, rawMeasurement, latentMeasurements, stored);
        if (plot != null) {
            Map<String, double[]> latentIds = new LinkedHashMap<>();
            Map<String, Double> rawIds = new LinkedHashMap<>();
            for (Estimate e : rawMeasurement.estimates()) {
                if (e.key().startsWith("gride:") || e.key().endsWith("-local")) {
                    continue;
                }
                rawIds.put(e.key(), e.value());
                double[] ids = new double[sizes.length];
                for (int i = 0; i < sizes.length; i++) {
                    ids[i] = value(latentMeasurements.get(i), e.key());
                }
                latentIds.put(e.key(), ids);
            }
            Plots.sweep(name, sizes, mse, latentIds, rawIds, knee.isPresent() ? sizes[knee.getAsInt()] : 0)
                    .write(plot);
            console.note("plot written to %s", plot);
        }
        return 0;
    }

    private static double value(Measurement m, String key) {
        return m.estimates().stream().filter(e -> e.key().equals(key)).mapToDouble(Estimate::value).findFirst()
                .orElse(Double.NaN);
    }

    private static void printSweep(Output out, int[] sizes, double[] mse, OptionalInt knee, Measurement raw,
                                   List<Measurement> latents, List<List<DimReport>> stored) {
        List<String> keys = raw.estimates().stream().map(Estimate::key).toList();
        List<String> headers = new ArrayList<>(List.of("latent", "mse", "knee"));
        headers.addAll(keys);
        Output.Table table = new Output.Table(headers.toArray(String[]::new));
        for (int row = -1; row < sizes.length; row++) {
            Measurement m = row < 0 ? raw : latents.get(row);
            boolean isKnee = knee.isPresent() && knee.getAsInt() == row;
            if (out.json()) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("target", m.target());
                json.put("latent", row < 0 ? null : sizes[row]);
                json.put("mse", row < 0 ? null : mse[row]);
                json.put("knee", isKnee);
                Map<String, Object> ids = new LinkedHashMap<>();
                for (String key : keys) {
                    double v = value(m, key);
                    ids.put(key, Double.isFinite(v) ? v : null);
                }
                json.put("estimates", ids);
                json.put("reports", stored.get(row + 1).stream().map(DimReport::id).toList());
                out.jsonLine(json);
            } else {
                List<Object> cells = new ArrayList<>(List.of(row < 0 ? "raw" : Integer.toString(sizes[row]),
                        row < 0 ? "-" : mse[row], isKnee ? "*" : ""));
                for (String key : keys) {
                    cells.add(value(m, key));
                }
                table.row(cells.toArray());
            }
        }
        if (!out.json()) {
            table.print(out, "");
        }
    }

    // --- per-point values

    private static List<Double> quantiles(Pointwise.Summary s) {
        return Arrays.stream(s.quantiles()).boxed().toList();
    }

    private static List<Integer> histogram(Pointwise.Summary s) {
        return Arrays.stream(s.histogram()).boxed().toList();
    }

    private void printPointwise(Output out, List<Measurement> measured, List<DimReport> reports) {
        if (pointwise.equals("summary")) {
            if (out.json()) {
                return; // the reports' parameters hold the summaries
            }
            out.line("");
            Output.Table table = new Output.Table("report", "target", "estimator", "mean", "sd", "q5", "q25", "q50",
                    "q75", "q95", "histogram (min..max)");
            for (DimReport r : reports) {
                if (!r.estimator().endsWith("-local")) {
                    continue;
                }
                Map<?, ?> p = Json.LINES.fromJson(r.parameters(), Map.class);
                List<?> q = (List<?>) p.get("quantiles");
                List<?> h = (List<?>) p.get("histogram");
                int[] counts = h.stream().mapToInt(c -> ((Number) c).intValue()).toArray();
                Pointwise.Summary s = new Pointwise.Summary(r.points(), 0, 0, 0, 0, 0, 0, new double[0], counts);
                table.row(r.id(), r.target(), r.estimator(), r.estimate(), p.get("sd_points"), q.get(0), q.get(1), q.get(2),
                        q.get(3), q.get(4), Output.number(((Number) p.get("min")).doubleValue()) + " |" + s.sparkline() + "| "
                                + Output.number(((Number) p.get("max")).doubleValue()));
            }
            table.print(out, "");
            return;
        }
        Output.Table table = new Output.Table("target", "point", "source", "mle-local", "twonn-local");
        for (Measurement m : measured) {
            double[] mle = m.pointValues().get("mle-local");
            double[] twonn = m.pointValues().get("twonn-local");
            for (int i = 0; i < m.original().length; i++) {
                int point = m.original()[i];
                String source = m.labels() == null ? null : m.labels()[point];
                if (out.json()) {
                    Map<String, Object> json = new LinkedHashMap<>();
                    json.put("target", m.target());
                    json.put("point", point);
                    json.put("source", source);
                    json.put("mle-local", Double.isFinite(mle[i]) ? mle[i] : null);
                    json.put("twonn-local", Double.isFinite(twonn[i]) ? twonn[i] : null);
                    out.jsonLine(json);
                } else {
                    table.row(m.target(), point, source == null ? "-" : source, mle[i], twonn[i]);
                }
            }
        }
        if (!out.json()) {
            out.line("");
            table.print(out, "");
        }
    }

    // --- storing and printing reports

    private List<DimReport> keep(Transaction tx, String what, List<Estimate> estimates) {
        List<DimReport> reports = new ArrayList<>();
        for (Estimate e : estimates) {
            reports.add(tx.addDimReport(what, e.estimator(), Json.LINES.toJson(e.parameters()), e.points(),
                    seed, e.value()));
        }
        return reports;
    }

    private static Map<String, Object> parameters(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private List<Trace> conceptTraces(Store db, Space target, Concept c) {
        List<Long> ids = db.members(c, Integer.MAX_VALUE).stream().map(Association::traceId).toList();
        List<Trace> traces = new ArrayList<>();
        for (Trace t : db.traces(ids)) {
            if (t.spaceId() == target.id()) {
                traces.add(t);
            }
        }
        if (traces.size() < 3) {
            throw EngramException.nothingToDo("concept " + c.label() + " has " + traces.size() + " trace"
                    + (traces.size() == 1 ? "" : "s") + " in space " + target.name()
                    + "; an intrinsic dimension needs at least 3");
        }
        return traces;
    }

    /** A seeded sample of {@code --sample} items (the same items for the same list and seed), or all of them. */
    private <T> List<T> sampled(List<T> items) {
        if (sample != null && sample < items.size()) {
            List<T> shuffled = new ArrayList<>(items);
            Collections.shuffle(shuffled, new Random(seed));
            return shuffled.subList(0, sample);
        }
        return items;
    }
    private static void print(Output out, List<DimReport> reports) {
        // Error-bar columns only when some report has them, so plain runs keep their narrow table.
        List<Map<?, ?>> parameters = new ArrayList<>();
        for (DimReport r : reports) {
            parameters.add(Json.LINES.fromJson(r.parameters(), Map.class));
        }
        boolean errorBars = parameters.stream().anyMatch(p -> p.containsKey("sd"));
        Output.Table table = errorBars
                ? new Output.Table("report", "target", "estimator", "estimate", "sd", "ci95", "points", "parameters",
                        "time")
                : new Output.Table("report", "target", "estimator", "estimate", "points", "parameters", "time");
        for (int i = 0; i < reports.size(); i++) {
            DimReport r = reports.get(i);
            Map<?, ?> p = parameters.get(i);
            if (out.json()) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("report", r.id());
                json.put("target", r.target());
                json.put("estimator", r.estimator());
                json.put("estimate", r.estimate());
                if (p.containsKey("sd")) {
                    json.put("sd", p.get("sd"));
                    json.put("ci95", p.get("ci95"));
                }
                json.put("points", r.points());
                json.put("parameters", p);
                json.put("seed", r.seed());
                json.put("time", r.createdAt().toString());
                out.jsonLine(json);
            } else if (errorBars) {
                table.row(r.id(), r.target(), r.estimator(), r.estimate(), cell(p.get("sd")), interval(p.get("ci95")),
                        r.points(), tableParameters(r, p), r.createdAt());
            } else {
                table.row(r.id(), r.target(), r.estimator(), r.estimate(), r.points(), tableParameters(r, p),
                        r.createdAt());
            }
        }
        if (!out.json()) {
            table.print(out, "");
        }
    }

    /** A local-ID report's distribution is long and has a table of its own (--pointwise); here only its k. */
    private static String tableParameters(DimReport r, Map<?, ?> p) {
        if (r.estimator().endsWith("-local") && p.containsKey("quantiles")) {
            return "{\"k\":" + ((Number) p.get("k")).intValue() + ", distribution: --json}";
        }
        return r.parameters();
    }

    private static Object cell(Object value) {
        return value == null ? "-" : value;
    }

    private static String interval(Object ci95) {
        if (ci95 instanceof List<?> bounds && bounds.size() == 2) {
            return "[" + Output.number(((Number) bounds.get(0)).doubleValue()) + ", "
                    + Output.number(((Number) bounds.get(1)).doubleValue()) + "]";
        }
        return "-";
    }
}
