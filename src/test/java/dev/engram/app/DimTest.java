package dev.engram.app;

import dev.engram.EngramException;
import dev.engram.ExitCode;
import dev.engram.Json;
import dev.engram.dim.Estimator.Estimate;
import dev.engram.dim.Estimator.Settings;
import dev.engram.dim.Estimators;
import dev.engram.dim.Pointwise;
import dev.engram.dim.Subsampling;
import dev.engram.store.AssociationKind;
import dev.engram.store.Binding;
import dev.engram.store.Concept;
import dev.engram.store.DimReport;
import dev.engram.store.StoreLocation;
import dev.engram.store.Stores;
import dev.engram.store.NewTrace;
import dev.engram.store.Space;
import dev.engram.store.Store;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dim use case called in process, on a real store: a space of 5-D vectors whose first 80
 * lie on a flat 2-D sheet (bound to concept "flat") and whose last 2 are bound to "pair".
 */
class DimTest {
    @TempDir
    Path tmp;
    Path directory;
    final List<String> notes = new ArrayList<>();
    /** Keeps the notes; progress bars are of no interest here. */
    final Progress progress = new Progress() {
        @Override
        public void note(String format, Object... args) {
            notes.add(String.format(Locale.ROOT, format, args));
        }

        @Override
        public void progress(String label, long done, long total) {
        }

        @Override
        public void clearProgress() {
        }
    };

    @BeforeEach
    void storeWithASheet() {
        directory = tmp.resolve("store");
        try (Store store = location().openOrCreate()) {
            float[][] sheet = sheet(82, 4);
            List<NewTrace> traces = new ArrayList<>();
            for (int i = 0; i < sheet.length; i++) {
                traces.add(new NewTrace("/t/" + i, -1, "hash" + i, sheet[i], 0, 0));
            }
            store.write(tx -> {
                Space space = tx.createSpace("vectors", "vector", "test", 5, "euclidean", "{}");
                List<Store.StoredTrace> stored = tx.addTraces(java.util.Map.of(space, traces)).get(space);
                Concept flat = tx.conceptNamed("flat");
                Concept pair = tx.conceptNamed("pair");
                List<Binding> bindings = new ArrayList<>();
                for (int i = 0; i < stored.size(); i++) {
                    bindings.add(new Binding(i < 80 ? flat.id() : pair.id(), stored.get(i).trace().id(),
                            AssociationKind.LABEL, 0.5));
                }
                return tx.bind(bindings);
            });
        }
    }

    private StoreLocation location() {
        return Stores.at(directory.toString(), Duration.ofSeconds(10));
    }

    /** {@code n} points uniform on a unit square, embedded linearly in 5 dimensions. */
    private static float[][] sheet(int n, long seed) {
        Random random = new Random(seed);
        float[][] points = new float[n][];
        for (int i = 0; i < n; i++) {
            float u = random.nextFloat();
            float v = random.nextFloat();
            points[i] = new float[]{u, v, u - 2 * v, 0.5f * u + v, 3 * u};
        }
        return points;
    }

    private Dim dim() {
        return new Dim(location(), progress);
    }

    private static Dim.Method method(String estimators, int k, int bootstrap, boolean pointwise) {
        Settings d = Settings.defaults();
        return new Dim.Method(Estimators.named(List.of(estimators.split(","))),
                new Settings(k, d.combination(), d.discard(), d.alpha(), d.seed()), 0, bootstrap, pointwise,
                Dim.Search.EXACT);
    }

    private Dim.Measured measure(Dim.Source source, Dim.Method method) {
        return dim().measure(new Dim.Request(source, method, false));
    }

    @Test
    void aSpaceIsMeasuredAndEachEstimateKeptAsTheReportItReturns() {
        Dim.Measured measured = measure(new Dim.Traces(null, null, false), method("mle,twonn", 10, 0, false));

        Dim.Measurement m = measured.measurements().getFirst();
        assertEquals("space:vectors", m.target());
        assertEquals(List.of("twonn", "twonn-mle", "mle"), m.estimates().stream().map(Estimate::key).toList());
        assertEquals(dim().history(), measured.reports());
        for (int i = 0; i < m.estimates().size(); i++) {
            Estimate e = m.estimates().get(i);
            DimReport r = m.reports().get(i);
            assertTrue(e.value() > 1.5 && e.value() < 2.6, "a 2-D sheet: " + e);
            assertEquals(List.of("space:vectors", e.estimator(), 82, e.value(), Settings.DEFAULT_SEED),
                    List.of(r.target(), r.estimator(), r.points(), r.estimate(), r.seed()));
            assertEquals(Json.LINES.toJson(e.parameters()), r.parameters());
        }
        assertNull(measured.plot());
        assertTrue(m.errorBars().isEmpty() && m.summaries().isEmpty());
    }

    @Test
    void aConceptIsMeasuredOnItsOwnTracesAndOneWithTooFewIsRefused() {
        Dim.Measurement flat = measure(new Dim.Traces("vectors", "flat", false), method("twonn", 10, 0, false))
                .measurements().getFirst();

        assertEquals("concept:flat@vectors", flat.target());
        assertEquals(80, flat.estimates().getFirst().points());
        EngramException pair = assertThrows(EngramException.class,
                () -> measure(new Dim.Traces(null, "pair", false), method("twonn", 10, 0, false)));
        assertEquals(ExitCode.NOTHING_TO_DO, pair.exitCode());
        assertTrue(pair.getMessage().contains("2 traces"), pair.getMessage());
    }

    @Test
    void aFailedMeasurementStoresNothing() {
        EngramException e = assertThrows(EngramException.class,
                () -> measure(new Dim.Traces(null, null, false), method("mle", 90, 0, false)));

        assertTrue(e.getMessage().contains("mle with k=90"), e.getMessage());
        assertTrue(dim().history().isEmpty());
    }

    @Test
    void filesAreReadAndMeasuredBeforeTheStoreIsCreated() throws IOException {
        directory = tmp.resolve("new-store");
        StringBuilder csv = new StringBuilder();
        for (float[] p : sheet(120, 8)) {
            csv.append(p[0]).append(',').append(p[1]).append(',').append(p[2]).append('\n');
        }
        Path good = Files.writeString(tmp.resolve("sheet.csv"), csv);
        Path bad = Files.writeString(tmp.resolve("bad.csv"), "1,2\n3\n");

        assertThrows(EngramException.class,
                () -> measure(new Dim.Files(List.of(good, bad)), method("twonn", 10, 0, false)));
        assertFalse(Files.exists(directory), "a file that cannot be read creates no store");

        Dim.Measured measured = measure(new Dim.Files(List.of(good)), method("twonn", 10, 0, false));
        assertEquals("file:" + good.toAbsolutePath().normalize(), measured.reports().getFirst().target());
        assertEquals(2, dim().history().size());
    }

    @Test
    void bootstrapErrorBarsAreTypedAndKeptInTheReportsAlike() {
        Dim.Method method = method("twonn,mle,pca", 10, 8, false);

        Dim.Measurement m = measure(new Dim.Traces(null, null, false), method).measurements().getFirst();
        Dim.Measurement again = measure(new Dim.Traces(null, null, false), method).measurements().getFirst();

        assertEquals(m.estimates().stream().map(Estimate::key).toList(), List.copyOf(m.errorBars().keySet()));
        for (Estimate e : m.estimates()) {
            Subsampling.Interval bars = m.errorBars().get(e.key());
            assertEquals(8, e.parameters().get("bootstrap"));
            assertEquals(bars.sd(), e.parameters().get("sd"));
            assertEquals(List.of(bars.low(), bars.high()), e.parameters().get("ci95"));
            assertEquals(bars, again.errorBars().get(e.key()), "the same seed, the same subsamples");
        }
    }

    @Test
    void pointwiseGivesEachPointsLocalIdAndTheirSummaries() {
        Dim.Measurement m = measure(new Dim.Traces(null, null, false), method("twonn", 6, 0, true))
                .measurements().getFirst();

        assertEquals(List.of("mle-local", "twonn-local"), List.copyOf(m.summaries().keySet()));
        for (Map.Entry<String, Pointwise.Summary> e : m.summaries().entrySet()) {
            double[] values = m.pointValues().get(e.getKey());
            assertEquals(82, values.length);
            assertEquals(Pointwise.summary(values, 10).mean(), e.getValue().mean());
            assertEquals(e.getValue().mean(), m.value(e.getKey()));
        }
        assertEquals("/t/5", m.sources()[m.original()[5]]);
    }

    @Test
    void duplicatesAreMergedWithANoteAndAPlotIsDrawnOfTheFirstFit() throws IOException {
        float[][] sheet = sheet(40, 9);
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 43; i++) {
            csv.append(sheet[i % 40][0]).append(',').append(sheet[i % 40][1]).append('\n');
        }
        Path doubled = Files.writeString(tmp.resolve("doubled.csv"), csv);

        Dim.Measured measured = dim().measure(new Dim.Request(new Dim.Files(List.of(doubled)),
                method("gride,twonn", 10, 0, false), true));

        assertEquals(List.of("file:" + doubled.toAbsolutePath().normalize()
                + ": 3 of 43 points are exact copies of another; measured on the 40 distinct points"), notes);
        assertEquals(3, measured.measurements().getFirst().estimates().getFirst().parameters()
                .get("duplicates_merged"));
        assertNotNull(measured.plot());
        assertTrue(measured.plot().render().getWidth() > 0);
    }

    @Test
    void aSweepNeedsAnImageSpaceAndLetsGoOfTheStore() {
        Dim.SweepRequest request = new Dim.SweepRequest(null, new int[]{4, 2, 4}, 1, method("twonn", 10, 0, false),
                false);

        EngramException e = assertThrows(EngramException.class, () -> dim().sweep(request));

        assertEquals(ExitCode.WRONG_SHAPE, e.exitCode());
        assertEquals(List.of(2, 4), Arrays.stream(request.sizes()).boxed().toList(), "sizes ascending, each once");
        EngramException zero = assertThrows(EngramException.class,
                () -> new Dim.SweepRequest(null, new int[]{0, 2}, null, request.method(), false));
        assertEquals(ExitCode.INVALID_INPUT, zero.exitCode());
        try (Store store = Stores.at(directory.toString(), Duration.ZERO).open()) {
            assertTrue(store.dimReports().isEmpty());
        }
    }
}
