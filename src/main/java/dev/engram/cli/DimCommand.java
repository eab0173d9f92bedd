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
import dev.engram.store.DimReport;
import dev.engram.store.EmbeddedStore;
import dev.engram.store.Space;
import dev.engram.store.Trace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** {@code engram dim}: the intrinsic dimension of a latent space. */
@Command(name = "dim", sortOptions = false, mixinStandardHelpOptions = true,
        versionProvider = EngramCommand.Version.class,
        description = {
                "Estimate the intrinsic dimension of a space's latent vectors and keep each estimate in the "
                        + "store as a report (list them with --history).",
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

    @Option(names = "--sample", paramLabel = "N", description = "Estimate on a random sample of N traces.")
    Integer sample;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for --sample (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--history", description = "List the stored reports instead of estimating.")
    boolean history;

    @Override
    public Integer call() {
        Output out = out();
        Console console = console();
        try (EmbeddedStore db = store.open()) {
            if (history) {
                print(out, db.dimReports());
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
            Space target = space.resolve(db);
            float[][] points = points(db, target);
            String what = "space:" + target.name();
            Neighbours.Result neighbours = Neighbours.search(points, neighboursNeeded(chosen, points.length));
            if (neighbours.duplicatePoints() > 0) {
                console.note("%d of %d points have an exact duplicate; they are left out of the estimates",
                        neighbours.duplicatePoints(), points.length);
            }
            List<DimReport> reports = new ArrayList<>();
            if (chosen.contains("twonn")) {
                TwoNN.Result r = TwoNN.estimate(neighbours, discard);
                String params = Json.LINES.toJson(Map.of("discard_fraction", discard));
                reports.add(db.addDimReport(what, "twonn", params, r.pointsUsed(), seed, r.dimension()));
                reports.add(db.addDimReport(what, "twonn-mle", params, r.pointsUsed(), seed, r.maximumLikelihood()));
            }
            if (chosen.contains("mle")) {
                MaximumLikelihood.Result r = MaximumLikelihood.estimate(neighbours, k, comb);
                String params = Json.LINES.toJson(Map.of("k", k, "combination", combination));
                reports.add(db.addDimReport(what, "mle", params, r.pointsUsed(), seed, r.dimension()));
            }
            if (chosen.contains("pca")) {
                Pca.Result r = Pca.estimate(points, alpha);
                String params = Json.LINES.toJson(Map.of("alpha", alpha));
                reports.add(db.addDimReport(what, "pca", params, points.length, seed, r.dimension()));
                reports.add(db.addDimReport(what, "pca-pr", "{}", points.length, seed, r.participationRatio()));
            }
            if (chosen.contains("corrint")) {
                CorrelationDimension.Result r = CorrelationDimension.estimate(points, neighbours,
                        CorrelationDimension.DEFAULT_K1, CorrelationDimension.DEFAULT_K2);
                String params = Json.LINES.toJson(Map.of("k1", r.k1(), "k2", r.k2()));
                reports.add(db.addDimReport(what, "corrint", params, points.length, seed, r.dimension()));
            }
            if (chosen.contains("gride")) {
                for (Gride.Scale scale : Gride.estimate(neighbours, Gride.DEFAULT_MAX_RANK).scales()) {
                    String params = Json.LINES.toJson(Map.of("n1", scale.n1(), "n2", scale.n2(),
                            "mean_distance", scale.distance()));
                    reports.add(db.addDimReport(what, "gride", params, scale.pointsUsed(), seed, scale.dimension()));
                }
            }
            if (chosen.contains("danco")) {
                Danco.Settings settings = Danco.Settings.defaults().withSeed(seed);
                Danco.Result r = Danco.estimate(points, settings);
                String params = Json.LINES.toJson(Map.of("k", r.k(), "sample_size", settings.sampleSize(),
                        "fractal_dimension", r.fractalDimension()));
                reports.add(db.addDimReport(what, "danco", params, r.pointsUsed(), seed, r.dimension()));
            }
            print(out, reports);
        }
        return 0;
    }

    private static final List<String> KNOWN = List.of("twonn", "mle", "pca", "corrint", "gride", "danco");

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

    private float[][] points(EmbeddedStore db, Space target) {
        List<float[]> vectors = new ArrayList<>();
        db.forEachTrace(target, (Trace t) -> vectors.add(t.vector()));
        if (sample != null && sample < vectors.size()) {
            if (sample < 3) {
                throw EngramException.invalidInput("--sample must be at least 3");
            }
            java.util.Collections.shuffle(vectors, new Random(seed));
            return vectors.subList(0, sample).toArray(float[][]::new);
        }
        return vectors.toArray(float[][]::new);
    }

    private static void print(Output out, List<DimReport> reports) {
        Output.Table table = new Output.Table("report", "target", "estimator", "estimate", "points", "parameters", "time");
        for (DimReport r : reports) {
            if (out.json()) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("report", r.id());
                json.put("target", r.target());
                json.put("estimator", r.estimator());
                json.put("estimate", r.estimate());
                json.put("points", r.points());
                json.put("parameters", Json.LINES.fromJson(r.parameters(), Map.class));
                json.put("seed", r.seed());
                json.put("time", r.createdAt().toString());
                out.jsonLine(json);
            } else {
                table.row(r.id(), r.target(), r.estimator(), r.estimate(), r.points(), r.parameters(), r.createdAt());
            }
        }
        if (!out.json()) {
            table.print(out, "");
        }
    }
}
