package dev.engram.dim;

import dev.engram.EngramException;
import dev.engram.dim.Estimator.Estimate;
import dev.engram.dim.Estimator.Parameter;
import dev.engram.dim.Estimator.Result;
import dev.engram.dim.Estimator.Settings;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Every estimator {@code engram dim} runs, in the order their reports are listed. The command
 * line's choices, its help and {@code --estimator all} read this list.
 */
public final class Estimators {

    /** The name that chooses every estimator. */
    public static final String ALL = "all";

    public static final Estimator TWONN = new Declared("twonn",
            List.of(new Parameter("discard", "" + TwoNN.DEFAULT_DISCARD_FRACTION)), true, s -> 2,
            Estimators::twoNN);
    public static final Estimator MLE = new Declared("mle",
            List.of(new Parameter("k", "" + MaximumLikelihood.DEFAULT_NEIGHBOURS),
                    new Parameter("combination", MaximumLikelihood.Combination.HARMONIC_MEAN.label())),
            false, Settings::k, Estimators::mle);
    public static final Estimator PCA = new Declared("pca",
            List.of(new Parameter("alpha", "" + Pca.DEFAULT_ALPHA)), false, s -> 0, Estimators::pca);
    public static final Estimator CORRINT = new Declared("corrint", List.of(), false,
            s -> CorrelationDimension.DEFAULT_K2, Estimators::correlationDimension);
    public static final Estimator GRIDE = new Declared("gride", List.of(), true, s -> Gride.DEFAULT_MAX_RANK,
            Estimators::gride);
    /** DANCo searches neighbours of its own sample, so it reads none from the shared table. */
    public static final Estimator DANCO = new Declared("danco",
            List.of(new Parameter("seed", "" + Settings.DEFAULT_SEED)), false, s -> 0, Estimators::danco);

    private static final List<Estimator> EVERY = List.of(TWONN, MLE, PCA, CORRINT, GRIDE, DANCO);

    private Estimators() {
    }

    /** Every estimator, in the order of their reports. */
    public static List<Estimator> all() {
        return EVERY;
    }

    public static List<String> names() {
        return EVERY.stream().map(Estimator::name).toList();
    }

    /**
     * The estimators these names choose, each once and in the order of {@link #all()};
     * {@value #ALL} among them chooses every one.
     */
    public static List<Estimator> named(Collection<String> names) {
        if (names.contains(ALL)) {
            return EVERY;
        }
        List<String> known = names();
        for (String name : names) {
            if (!known.contains(name)) {
                throw EngramException.invalidInput("unknown estimator '" + name + "' (known: "
                        + String.join(", ", known) + ", " + ALL + ")");
            }
        }
        return EVERY.stream().filter(e -> names.contains(e.name())).toList();
    }

    /** Report parameters in the order given: key, value, key, value, ... */
    public static Map<String, Object> parameters(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    private static Result twoNN(float[][] points, Neighbours.Result neighbours, Settings s) {
        TwoNN.Result r = TwoNN.estimate(neighbours, s.discard());
        // empirical_f tells these reports from those of engram before 2026-12-01, which fitted
        // against (i - 1)/N as scikit-dimension did before its PR #28.
        return new Result(List.of(
                new Estimate("twonn", parameters("discard_fraction", s.discard(), "empirical_f", "i/N"),
                        r.pointsUsed(), r.dimension()),
                new Estimate("twonn-mle", parameters("discard_fraction", s.discard()), r.pointsUsed(),
                        r.maximumLikelihood())), r);
    }

    private static Result mle(float[][] points, Neighbours.Result neighbours, Settings s) {
        MaximumLikelihood.Result r = MaximumLikelihood.estimate(neighbours, s.k(), s.combination());
        return new Result(List.of(new Estimate("mle", parameters("k", s.k(), "combination",
                s.combination().label()), r.pointsUsed(), r.dimension())), null);
    }

    private static Result pca(float[][] points, Neighbours.Result neighbours, Settings s) {
        Pca.Result r = Pca.estimate(points, s.alpha());
        return new Result(List.of(new Estimate("pca", parameters("alpha", s.alpha()), points.length, r.dimension()),
                new Estimate("pca-pr", parameters(), points.length, r.participationRatio())), null);
    }

    private static Result correlationDimension(float[][] points, Neighbours.Result neighbours, Settings s) {
        CorrelationDimension.Result r = CorrelationDimension.estimate(points, neighbours,
                CorrelationDimension.DEFAULT_K1, CorrelationDimension.DEFAULT_K2);
        return new Result(List.of(new Estimate("corrint", parameters("k1", r.k1(), "k2", r.k2()), points.length,
                r.dimension())), null);
    }

    private static Result gride(float[][] points, Neighbours.Result neighbours, Settings s) {
        Gride.Result r = Gride.estimate(neighbours, Gride.DEFAULT_MAX_RANK);
        List<Estimate> estimates = new ArrayList<>();
        for (Gride.Scale scale : r.scales()) {
            estimates.add(new Estimate("gride:" + scale.n1() + "/" + scale.n2(), "gride",
                    parameters("n1", scale.n1(), "n2", scale.n2(), "mean_distance", scale.distance(),
                            "error", scale.error()),
                    scale.pointsUsed(), scale.dimension()));
        }
        return new Result(estimates, r);
    }

    private static Result danco(float[][] points, Neighbours.Result neighbours, Settings s) {
        Danco.Settings settings = Danco.Settings.defaults().withSeed(s.seed());
        Danco.Result r = Danco.estimate(points, settings);
        return new Result(List.of(new Estimate("danco", parameters("k", r.k(), "sample_size", settings.sampleSize(),
                "fractal_dimension", r.fractalDimension()), r.pointsUsed(), r.dimension())), null);
    }

    @FunctionalInterface
    private interface Computation {
        Result estimate(float[][] points, Neighbours.Result neighbours, Settings settings);
    }

    /** An estimator as this registry declares it: a row of the list above. */
    private record Declared(String name, List<Parameter> parameters, boolean plotted,
                            ToIntFunction<Settings> neighboursRead, Computation computation) implements Estimator {
        @Override
        public int neighbours(Settings settings) {
            return neighboursRead.applyAsInt(settings);
        }

        @Override
        public Result estimate(float[][] points, Neighbours.Result neighbours, Settings settings) {
            return computation.estimate(points, neighbours, settings);
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
