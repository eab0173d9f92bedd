package dev.engram.dim;

import dev.engram.EngramException;
import dev.engram.ExitCode;
import dev.engram.dim.Estimator.Estimate;
import dev.engram.dim.Estimator.Parameter;
import dev.engram.dim.Estimator.Settings;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EstimatorsTest {

    @Test
    void theRegistryListsEachEstimatorOnceInItsFixedOrder() {
        List<String> names = Estimators.names();

        assertEquals(List.of("twonn", "mle", "pca", "corrint", "gride", "danco"), names);
        assertEquals(names.size(), new HashSet<>(names).size());
        assertFalse(names.contains(Estimators.ALL), "'all' is a choice, not an estimator");
    }

    @Test
    void allChoosesEveryEstimatorWhateverElseIsNamed() {
        assertEquals(Estimators.all(), Estimators.named(List.of("all")));
        assertEquals(Estimators.all(), Estimators.named(List.of("mle", "all")));
    }

    @Test
    void namesChooseEachEstimatorOnceInTheRegistrysOrder() {
        assertEquals(List.of(Estimators.TWONN, Estimators.GRIDE),
                Estimators.named(List.of("gride", "twonn", "gride")));
    }

    @Test
    void anUnknownNameIsAOneLineErrorThatListsTheKnownOnes() {
        EngramException e = assertThrows(EngramException.class,
                () -> Estimators.named(List.of("twonn", "nope", "other")));

        assertEquals(ExitCode.INVALID_INPUT, e.exitCode());
        assertEquals(3, e.exitCode().code());
        assertEquals("unknown estimator 'nope' (known: twonn, mle, pca, corrint, gride, danco, all)", e.getMessage());
    }

    @Test
    void parametersDeclareTheDefaultsTheSettingsStartFrom() {
        Map<String, String> declared = new LinkedHashMap<>();
        for (Estimator e : Estimators.all()) {
            for (Parameter p : e.parameters()) {
                assertNull(declared.put(p.name(), p.defaultValue()), "one default for " + p.name());
            }
        }

        assertEquals(Map.of("discard", "0.1", "k", "20", "combination", "harmonic", "alpha", "0.05", "seed", "42"),
                declared);
        Settings defaults = Settings.defaults();
        assertEquals(Integer.parseInt(declared.get("k")), defaults.k());
        assertEquals(MaximumLikelihood.Combination.labelled(declared.get("combination")).orElseThrow(),
                defaults.combination());
        assertEquals(Double.parseDouble(declared.get("discard")), defaults.discard());
        assertEquals(Double.parseDouble(declared.get("alpha")), defaults.alpha());
        assertEquals(Long.parseLong(declared.get("seed")), defaults.seed());
    }

    @Test
    void eachDeclaresTheNeighboursItReadsAndWhetherItHasAFitToPlot() {
        Settings k7 = new Settings(7, MaximumLikelihood.Combination.MEAN, 0.1, 0.05, 1);
        Map<String, Integer> neighbours = new LinkedHashMap<>();
        Estimators.all().forEach(e -> neighbours.put(e.name(), e.neighbours(k7)));

        assertEquals(Map.of("twonn", 2, "mle", 7, "pca", 0, "corrint", CorrelationDimension.DEFAULT_K2,
                "gride", Gride.DEFAULT_MAX_RANK, "danco", 0), neighbours);
        assertEquals(List.of(Estimators.TWONN, Estimators.GRIDE),
                Estimators.all().stream().filter(Estimator::plotted).toList());
    }

    @Test
    void estimatesKeepTheirKeysAndAreThoseOfTheNumericalCode() {
        float[][] points = RandomPoints.rotatedCube(new Random(3), 400, 2, 5);
        Neighbours.Result neighbours = Neighbours.search(points, Gride.DEFAULT_MAX_RANK);
        Settings settings = new Settings(10, MaximumLikelihood.Combination.MEAN, 0.2, 0.1, 5);

        Map<String, Estimate> byKey = new LinkedHashMap<>();
        for (Estimator e : Estimators.all()) {
            Estimator.Result result = e.estimate(points, neighbours, settings);
            for (Estimate estimate : result.estimates()) {
                assertTrue(estimate.estimator().equals(e.name()) || estimate.estimator().startsWith(e.name() + "-"),
                        estimate::toString);
                byKey.put(estimate.key(), estimate);
            }
            if (e.plotted()) {
                Class<?> fit = e == Estimators.TWONN ? TwoNN.Result.class : Gride.Result.class;
                assertInstanceOf(fit, result.fit());
            } else {
                assertNull(result.fit(), e.name());
            }
        }

        TwoNN.Result twoNN = TwoNN.estimate(neighbours, 0.2);
        assertEquals(twoNN.dimension(), byKey.get("twonn").value());
        assertEquals(twoNN.maximumLikelihood(), byKey.get("twonn-mle").value());
        assertEquals(Map.of("discard_fraction", 0.2, "empirical_f", "i/N"), byKey.get("twonn").parameters());
        assertEquals(MaximumLikelihood.estimate(neighbours, 10, MaximumLikelihood.Combination.MEAN).dimension(),
                byKey.get("mle").value());
        assertEquals(Map.of("k", 10, "combination", "mean"), byKey.get("mle").parameters());
        Pca.Result pca = Pca.estimate(points, 0.1);
        assertEquals(pca.dimension(), byKey.get("pca").value());
        assertEquals(pca.participationRatio(), byKey.get("pca-pr").value());
        assertEquals(CorrelationDimension.estimate(points).dimension(), byKey.get("corrint").value(), 1e-12);
        Gride.Scale first = Gride.estimate(neighbours, Gride.DEFAULT_MAX_RANK).scales().getFirst();
        assertEquals(first.dimension(), byKey.get("gride:1/2").value());
        assertEquals(Danco.estimate(points, Danco.Settings.defaults().withSeed(5)).dimension(),
                byKey.get("danco").value());
        assertEquals(List.of("twonn", "twonn-mle", "mle", "pca", "pca-pr", "corrint"),
                byKey.keySet().stream().limit(6).toList());
        assertTrue(byKey.keySet().stream().skip(6).limit(byKey.size() - 7).allMatch(k -> k.startsWith("gride:")));
        assertEquals("danco", List.copyOf(byKey.keySet()).getLast());
    }
}
