package dev.engram.cli;

import dev.engram.EngramException;
import dev.engram.Json;
import dev.engram.dim.CorrelationDimension;
import dev.engram.dim.Danco;
import dev.engram.dim.Gride;
import dev.engram.dim.MaximumLikelihood;
import dev.engram.dim.Pca;
import dev.engram.dim.Neighbours;
import dev.engram.dim.TwoNN;
import dev.engram.dim.PointFiles;
import dev.engram.dim.Subsampling;
import dev.engram.store.Association;
import dev.engram.store.Concept;
import dev.engram.store.DimReport;
import dev.engram.store.EmbeddedStore;
import dev.engram.store.Space;
import dev.engram.store.Trace;
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
import java.util.Random;

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
                "Neighbours are exact and shared by the estimators; points sitting exactly on another point "
                        + "(duplicates) are reported and left out."},
        footerHeading = "%nExamples:%n",
        footer = {"  engram dim --store mem",
                "  engram dim --store mem --estimator mle -k 10 --json",
                "  engram dim --store mem --concept digit-7 --bootstrap 50",
                "  engram dim --store mem points.csv embeddings.npy train-images-idx3-ubyte.gz",
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
            description = "Fraction of the largest mu that twonn discards (default: ${DEFAULT-VALUE}).")
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
                    + "(sd) and 2.5%%/97.5%% percentiles (ci95), which understate the sampling error somewhat. "
                    + "0: none (default: ${DEFAULT-VALUE}).")
    int bootstrap;

    @Option(names = "--seed", defaultValue = "42",
            description = "Seed for --sample, --bootstrap and danco's sample (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--history", description = "List the stored reports instead of estimating.")
    boolean history;

    @Parameters(paramLabel = "FILE", arity = "0..*",
            description = "Measure these files instead of a space, each on its own: CSV (a row of numbers a "
                    + "point; a header row is skipped), NumPy .npy (2-D, little-endian float or int), or IDX "
                    + "images (pixels in [0,1]). Reports are kept under the target file:PATH, so the store "
                    + "is created if it does not exist yet.")
    List<Path> files;

    @Override
    public Integer call() {
        Output out = out();
        Console console = console();
        boolean measuringFiles = files != null && !files.isEmpty();
        if (history) {
            if (measuringFiles || concept != null || bootstrap != 0) {
                throw EngramException.invalidInput("--history lists stored reports; it takes no FILE, --concept"
                        + " or --bootstrap");
            }
            try (EmbeddedStore db = store.open()) {
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
        List<DimReport> reports = new ArrayList<>();
        if (measuringFiles) {
            if (space.name != null || concept != null) {
                throw EngramException.invalidInput("FILE arguments are measured on their own; drop --space and"
                        + " --concept, or the files");
            }
            // Read and measure every file before the store is opened, so that a bad file anywhere in
            // the line leaves no partial run behind (and no new store).
            List<Map.Entry<String, List<Estimate>>> perFile = new ArrayList<>();
            for (Path file : files) {
                String what = "file:" + file.toAbsolutePath().normalize();
                perFile.add(Map.entry(what, measure(what, sampled(Arrays.asList(PointFiles.read(file))), chosen,
                        comb, console)));
            }
            try (EmbeddedStore db = store.openOrCreate()) {
                for (Map.Entry<String, List<Estimate>> file : perFile) {
                    reports.addAll(keep(db, file.getKey(), file.getValue()));
                }
            }
        } else {
            try (EmbeddedStore db = store.open()) {
                Space target = space.resolve(db);
                if (concept != null) {
                    Concept c = db.concept(concept).orElseThrow(() -> EngramException.unknown("no concept '"
                            + concept + "' in store " + db.directory()));
                    String what = "concept:" + c.label() + "@" + target.name();
                    reports.addAll(keep(db, what, measure(what, conceptPoints(db, target, c), chosen, comb,
                            console)));
                } else {
                    List<float[]> vectors = new ArrayList<>();
                    db.forEachTrace(target, (Trace t) -> vectors.add(t.vector()));
                    String what = "space:" + target.name();
                    reports.addAll(keep(db, what, measure(what, sampled(vectors), chosen, comb, console)));
                }
            }
        }
        print(out, reports);
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

    private List<Estimate> measure(String what, float[][] points, List<String> chosen,
                                   MaximumLikelihood.Combination comb, Console console) {
        // Below 3 points the shared neighbour table cannot hold the two neighbours TwoNN asks for.
        if (points.length < 3) {
            throw EngramException.nothingToDo(what + " has " + points.length + " point"
                    + (points.length == 1 ? "" : "s") + "; an intrinsic dimension needs at least 3");
        }
        Neighbours.Result neighbours = Neighbours.search(points, neighboursNeeded(chosen, points.length));
        if (neighbours.duplicatePoints() > 0) {
            console.note("%s: %d of %d points have an exact duplicate; they are left out of the estimates",
                    what, neighbours.duplicatePoints(), points.length);
        }
        List<Estimate> estimates = estimate(points, neighbours, chosen, comb);
        if (bootstrap > 0) {
            addErrorBars(points, estimates, chosen, comb);
        }
        return estimates;
    }

    private List<DimReport> keep(EmbeddedStore db, String what, List<Estimate> estimates) {
        List<DimReport> reports = new ArrayList<>();
        for (Estimate e : estimates) {
            reports.add(db.addDimReport(what, e.estimator(), Json.LINES.toJson(e.parameters()), e.points(), seed,
                    e.value()));
        }
        return reports;
    }

    private List<Estimate> estimate(float[][] points, Neighbours.Result neighbours, List<String> chosen,
                                    MaximumLikelihood.Combination comb) {
        List<Estimate> estimates = new ArrayList<>();
        if (chosen.contains("twonn")) {
            TwoNN.Result r = TwoNN.estimate(neighbours, discard);
            estimates.add(new Estimate("twonn", "twonn", parameters("discard_fraction", discard), r.pointsUsed(),
                    r.dimension()));
            estimates.add(new Estimate("twonn-mle", "twonn-mle", parameters("discard_fraction", discard),
                    r.pointsUsed(), r.maximumLikelihood()));
        }
        if (chosen.contains("mle")) {
            MaximumLikelihood.Result r = MaximumLikelihood.estimate(neighbours, k, comb);
            estimates.add(new Estimate("mle", "mle", parameters("k", k, "combination", combination), r.pointsUsed(),
                    r.dimension()));
        }
        if (chosen.contains("pca")) {
            Pca.Result r = Pca.estimate(points, alpha);
            estimates.add(new Estimate("pca", "pca", parameters("alpha", alpha), points.length, r.dimension()));
            estimates.add(new Estimate("pca-pr", "pca-pr", parameters(), points.length, r.participationRatio()));
        }
        if (chosen.contains("corrint")) {
            CorrelationDimension.Result r = CorrelationDimension.estimate(points, neighbours,
                    CorrelationDimension.DEFAULT_K1, CorrelationDimension.DEFAULT_K2);
            estimates.add(new Estimate("corrint", "corrint", parameters("k1", r.k1(), "k2", r.k2()), points.length,
                    r.dimension()));
        }
        if (chosen.contains("gride")) {
            for (Gride.Scale scale : Gride.estimate(neighbours, Gride.DEFAULT_MAX_RANK).scales()) {
                estimates.add(new Estimate("gride:" + scale.n1() + "/" + scale.n2(), "gride",
                        parameters("n1", scale.n1(), "n2", scale.n2(), "mean_distance", scale.distance()),
                        scale.pointsUsed(), scale.dimension()));
            }
        }
        if (chosen.contains("danco")) {
            Danco.Settings settings = Danco.Settings.defaults().withSeed(seed);
            Danco.Result r = Danco.estimate(points, settings);
            estimates.add(new Estimate("danco", "danco", parameters("k", r.k(), "sample_size", settings.sampleSize(),
                    "fractal_dimension", r.fractalDimension()), r.pointsUsed(), r.dimension()));
        }
        return estimates;
    }

    /**
     * Re-runs the estimators on {@code --bootstrap} subsamples (see {@link Subsampling} for why
     * without replacement) and adds their spread to each estimate's parameters, where the report
     * keeps it. A subsample on which an estimator fails fails the run, as the full data would.
     */
    private void addErrorBars(float[][] points, List<Estimate> estimates, List<String> chosen,
                              MaximumLikelihood.Combination comb) {
        Map<String, double[]> replicates = new LinkedHashMap<>();
        for (Estimate e : estimates) {
            double[] values = new double[bootstrap];
            Arrays.fill(values, Double.NaN);
            replicates.put(e.key(), values);
        }
        Random random = new Random(seed);
        for (int b = 0; b < bootstrap; b++) {
            float[][] subsample = Subsampling.subsample(points, Subsampling.FRACTION, random);
            Neighbours.Result neighbours = Neighbours.search(subsample, neighboursNeeded(chosen, subsample.length));
            for (Estimate e : estimate(subsample, neighbours, chosen, comb)) {
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

    private static Map<String, Object> parameters(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    /** One exact neighbour search serves every estimator: as many neighbours as the most demanding needs. */
    private int neighboursNeeded(List<String> chosen, int points) {
        int needed = 2;
        if (chosen.contains("mle")) {
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

    private float[][] conceptPoints(EmbeddedStore db, Space target, Concept c) {
        List<Long> ids = db.members(c, Integer.MAX_VALUE).stream().map(Association::traceId).toList();
        List<float[]> vectors = new ArrayList<>();
        for (Trace t : db.traces(ids)) {
            if (t.spaceId() == target.id()) {
                vectors.add(t.vector());
            }
        }
        if (vectors.size() < 3) {
            throw EngramException.nothingToDo("concept " + c.label() + " has " + vectors.size() + " trace"
                    + (vectors.size() == 1 ? "" : "s") + " in space " + target.name()
                    + "; an intrinsic dimension needs at least 3");
        }
        return sampled(vectors);
    }

    private float[][] sampled(List<float[]> vectors) {
        if (sample != null && sample < vectors.size()) {
            List<float[]> shuffled = new ArrayList<>(vectors);
            Collections.shuffle(shuffled, new Random(seed));
            return shuffled.subList(0, sample).toArray(float[][]::new);
        }
        return vectors.toArray(float[][]::new);
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
                        r.points(), r.parameters(), r.createdAt());
            } else {
                table.row(r.id(), r.target(), r.estimator(), r.estimate(), r.points(), r.parameters(), r.createdAt());
            }
        }
        if (!out.json()) {
            table.print(out, "");
        }
    }

    private static Object cell(Object value) {
        return value == null ? "-" : value;
    }

    private static String interval(Object ci95) {
        if (ci95 instanceof List<?> bounds && bounds.size() == 2) {
            return "[" + Output.number((Double) bounds.get(0)) + ", " + Output.number((Double) bounds.get(1)) + "]";
        }
        return "-";
    }
}
