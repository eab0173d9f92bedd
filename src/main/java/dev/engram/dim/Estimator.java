package dev.engram.dim;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One intrinsic-dimension estimator as a run of {@code engram dim} uses it: its name, the
 * settings it reads, how many neighbours of each point it reads from the table that every
 * estimator of a run shares, and the estimates it makes. {@link Estimators} lists them.
 */
public interface Estimator {

    /** The name {@code --estimator} takes, and the estimator of its reports. */
    String name();

    /** The settings it reads, with their defaults; each is an option of {@code engram dim}. */
    List<Parameter> parameters();

    /** Neighbours per point it reads from the shared table; 0 if it reads none. */
    int neighbours(Settings settings);

    /** Whether its result has a fit that {@code --plot} draws. */
    boolean plotted();

    /**
     * Its estimates of {@code points}, distinct points whose nearest neighbours are
     * {@code neighbours} (at least {@link #neighbours} of each, unless there are too few points).
     */
    Result estimate(float[][] points, Neighbours.Result neighbours, Settings settings);

    /** A setting: the name of its option, and its default as the option would be written. */
    record Parameter(String name, String defaultValue) {
    }

    /** The settings of one run; each estimator reads its own. {@code seed} also draws samples and subsamples. */
    record Settings(int k, MaximumLikelihood.Combination combination, double discard, double alpha, long seed) {
        public static final long DEFAULT_SEED = 42;

        public static Settings defaults() {
            return new Settings(MaximumLikelihood.DEFAULT_NEIGHBOURS, MaximumLikelihood.Combination.HARMONIC_MEAN,
                    TwoNN.DEFAULT_DISCARD_FRACTION, Pca.DEFAULT_ALPHA, DEFAULT_SEED);
        }
    }

    /**
     * One estimate, as a report keeps it. {@code key} tells apart the estimates of one estimator
     * (gride's scales), so that an estimate on a subsample is compared with the full data's at
     * the same scale.
     */
    record Estimate(String key, String estimator, Map<String, Object> parameters, int points, double value) {
        public Estimate {
            parameters = new LinkedHashMap<>(parameters);
        }

        /** An estimate whose key is its estimator's name. */
        public Estimate(String estimator, Map<String, Object> parameters, int points, double value) {
            this(estimator, estimator, parameters, points, value);
        }

        /** The same estimate with {@code more} parameters after its own. */
        public Estimate with(Map<String, Object> more) {
            Map<String, Object> all = new LinkedHashMap<>(parameters);
            all.putAll(more);
            return new Estimate(key, estimator, all, points, value);
        }

        @Override
        public Map<String, Object> parameters() {
            return Collections.unmodifiableMap(parameters);
        }
    }

    /** What an estimator found: its estimates, and the fit a plot draws (null if it has none). */
    record Result(List<Estimate> estimates, Fit fit) {
        public Result {
            estimates = List.copyOf(estimates);
        }
    }

    /** A fit {@code --plot} can draw. */
    sealed interface Fit permits TwoNN.Result, Gride.Result {
    }
}
