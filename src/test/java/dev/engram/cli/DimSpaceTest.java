package dev.engram.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.engram.ExitCode;
import dev.engram.dim.Neighbours;
import dev.engram.dim.Pointwise;
import dev.engram.dim.TwoNN;
import dev.engram.encode.image.ImageInput;
import dev.engram.encode.image.ImageShape;
import dev.engram.encode.image.ImageSources;
import dev.engram.io.PointFiles;
import dev.engram.store.Store;
import dev.engram.store.Stores;
import dev.engram.store.Space;
import dev.engram.store.Trace;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code engram dim} on a trained image space: its raw inputs, per-point local ID, the
 * bottleneck sweep, plots, approximate neighbours, duplicates and the progress line.
 */
class DimSpaceTest {
    /** 30 images of 16×16, one epoch: enough for every path below, quick to train. */
    @RegisterExtension
    static final TemplateStore TEMPLATE = TemplateStore.shapes(10, 3, 1);
    static Path train;

    @TempDir
    Path tmp;
    Path store;

    @BeforeAll
    static void inputs() {
        train = TEMPLATE.path("train");
    }

    @BeforeEach
    void copyStore() {
        store = TEMPLATE.copyTo(tmp.resolve("store"));
    }

    private Engram.Run dim(String... args) {
        List<String> all = new ArrayList<>(List.of("dim", "--store", store.toString()));
        all.addAll(List.of(args));
        return Engram.run(all.toArray(String[]::new));
    }

    private static List<JsonObject> json(Engram.Run run) {
        assertEquals(0, run.exit(), run::toString);
        return run.outLines().stream().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
    }

    private List<Trace> traces() {
        List<Trace> traces = new ArrayList<>();
        try (Store db = Stores.at(store.toString(), Duration.ofSeconds(10)).open()) {
            Space space = db.spaces().getFirst();
            db.forEachTrace(space, traces::add);
        }
        return traces;
    }

    @Test
    void rawInputsAreTheSpacesImagesReadAgain() {
        List<Trace> traces = traces();
        // The same images read directly, in trace order, at the space's 1×16×16 shape.
        Map<String, float[]> byLocation = new HashMap<>();
        for (ImageInput image : ImageSources.readAll(List.of(train.toString()), new ImageShape(1, 16, 16),
                System.in)) {
            byLocation.put(image.location(), image.pixels());
        }
        float[][] pixels = traces.stream().map(t -> byLocation.get(t.sourceLabel())).toArray(float[][]::new);

        List<JsonObject> reports = json(dim("--raw", "--estimator", "twonn", "--json"));

        JsonObject twonn = reports.getFirst();
        assertEquals("raw:shapes", twonn.get("target").getAsString());
        assertEquals(traces.size(), twonn.get("points").getAsInt());
        assertEquals(TwoNN.estimate(pixels, 0.1).dimension(), twonn.get("estimate").getAsDouble(), 1e-12);
    }

    @Test
    void rawInputsOfIdxItemsAreReadByItemNumber() throws IOException {
        int n = 40;
        int side = 8;
        byte[] pixels = new byte[n * side * side];
        new Random(5).nextBytes(pixels);
        Path file = DimInputsTest.idxImages(tmp.resolve("items-idx3-ubyte.gz"), n, side, pixels);
        Path idxStore = tmp.resolve("idx-store");
        Engram.Run encode = Engram.run("encode", "--store", idxStore.toString(), "--space", "items", "--epochs", "1",
                "--batch-size", "8", file.toString());
        assertEquals(0, encode.exit(), encode::toString);

        Engram.Run run = Engram.run("dim", "--store", idxStore.toString(), "--raw", "--estimator", "twonn", "--json");

        JsonObject twonn = json(run).getFirst();
        assertEquals(n, twonn.get("points").getAsInt());
        assertEquals(TwoNN.estimate(PointFiles.read(file), 0.1).dimension(), twonn.get("estimate").getAsDouble(),
                1e-12);
    }

    /** A store of its own over images of its own, for tests that damage the sources. */
    private void ownImages() {
        store = tmp.resolve("own-store");
        Engram.trainedStore(store, Engram.images(tmp.resolve("own-train"), 4, 9), 1);
    }

    @Test
    void aGoneSourceFileIsNamedAndNothingIsMeasured() throws IOException {
        ownImages();
        Path gone = Path.of(traces().get(3).source());
        Files.delete(gone);

        Engram.Run run = dim("--raw");

        assertEquals(ExitCode.INVALID_INPUT.code(), run.exit(), run::toString);
        assertEquals("", run.out());
        assertTrue(run.err().contains(gone + " of trace") && run.err().contains("is gone"), run.err());
    }

    @Test
    void aSourceChangedSinceItWasEncodedIsRefused() throws IOException {
        ownImages();
        Path changed = Path.of(traces().get(0).source());
        BufferedImage other = Engram.draw("square", new Random(99));
        ImageIO.write(other, "png", changed.toFile());

        Engram.Run run = dim("--raw");

        assertEquals(ExitCode.INVALID_INPUT.code(), run.exit(), run::toString);
        assertTrue(run.err().contains("has changed since it was encoded"), run.err());
    }

    @Test
    void pointwiseSummariesAreReportsWithQuantilesAndHistogram() {
        List<JsonObject> reports = json(dim("--pointwise", "-k", "5", "--estimator", "mle", "--json"));

        assertEquals(List.of("mle", "mle-local", "twonn-local"),
                reports.stream().map(r -> r.get("estimator").getAsString()).toList());
        for (JsonObject local : reports.subList(1, 3)) {
            JsonObject p = local.getAsJsonObject("parameters");
            assertEquals(5, p.getAsJsonArray("quantiles").size());
            int total = 0;
            for (var c : p.getAsJsonArray("histogram")) {
                total += c.getAsInt();
            }
            assertEquals(local.get("points").getAsInt(), total);
            assertEquals(p.get("mean").getAsDouble(), local.get("estimate").getAsDouble(), 0);
        }
        // MacKay–Ghahramani: the harmonic mean of the per-point values is the global mle.
        JsonObject mle = reports.get(0);
        assertTrue(reports.get(1).get("estimate").getAsDouble() >= mle.get("estimate").getAsDouble() - 1e-9);
    }

    @Test
    void pointwiseSummaryTableShowsTheDistribution() {
        Engram.Run run = dim("--pointwise", "-k", "5", "--estimator", "twonn");

        assertEquals(0, run.exit(), run::toString);
        assertTrue(run.out().contains("q25") && run.out().contains("histogram"), run.out());
        assertTrue(run.out().lines().anyMatch(l -> l.contains("twonn-local") && l.contains("|")), run.out());
    }

    @Test
    void pointwisePointsListsEveryPointWithItsSource() {
        List<Trace> traces = traces();
        float[][] vectors = traces.stream().map(Trace::vector).toArray(float[][]::new);
        double[] expected = Pointwise.mle(Neighbours.search(vectors, 5), 5);

        List<JsonObject> lines = json(dim("--pointwise=points", "-k", "5", "--estimator", "twonn", "--json"));

        List<JsonObject> points = lines.stream().filter(l -> l.has("point")).toList();
        assertEquals(traces.size(), points.size());
        for (JsonObject p : points) {
            int i = p.get("point").getAsInt();
            assertEquals(traces.get(i).sourceLabel(), p.get("source").getAsString());
            assertEquals(expected[i], p.get("mle-local").getAsDouble(), 1e-12);
        }
    }

    @Test
    void sweepTrainsEachSizeAndKeepsEveryFigure() throws IOException {
        Path png = tmp.resolve("sweep.png");

        List<JsonObject> rows = json(dim("--sweep", "8,2,4", "--epochs", "1", "-k", "5", "--estimator", "twonn,mle",
                "--json", "--plot", png.toString()));

        assertEquals(4, rows.size());
        assertEquals("raw:shapes", rows.get(0).get("target").getAsString());
        assertFalse(rows.get(0).has("mse") || rows.get(0).has("latent"), "the raw row has no size and no error");
        List<Integer> sizes = rows.subList(1, 4).stream().map(r -> r.get("latent").getAsInt()).toList();
        assertEquals(List.of(2, 4, 8), sizes);
        for (JsonObject row : rows.subList(1, 4)) {
            double mse = row.get("mse").getAsDouble();
            assertTrue(mse > 0 && mse < 1, row.toString());
            assertEquals("sweep:shapes/latent=" + row.get("latent").getAsInt(), row.get("target").getAsString());
            assertTrue(row.getAsJsonObject("estimates").has("twonn"), row.toString());
        }
        assertTrue(Files.size(png) > 1000);
        assertTrue(ImageIO.read(png.toFile()).getWidth() > 0);
        // Every figure is a report: raw twonn, twonn-mle, mle, and per size the mse and the same three.
        List<JsonObject> history = json(dim("--history", "--json"));
        assertEquals(3 + 3 * 4 + (history.stream().anyMatch(h -> h.get("estimator").getAsString().equals("knee"))
                ? 1 : 0), history.size());
        assertTrue(history.stream().anyMatch(h -> h.get("estimator").getAsString().equals("reconstruction-mse")
                && h.get("target").getAsString().equals("sweep:shapes/latent=4")
                && h.getAsJsonObject("parameters").get("epochs").getAsInt() == 1));
    }

    @Test
    void sweepRefusesFilesAndConcepts() throws IOException {
        Path csv = tmp.resolve("p.csv");
        Files.writeString(csv, "1,2\n3,4\n5,7\n");

        Engram.Run run = dim("--sweep", "2,4", csv.toString());

        assertEquals(ExitCode.INVALID_INPUT.code(), run.exit(), run::toString);
    }

    @Test
    void aSingleEstimatePlotsTheTwoNNFitOrTheGrideCurve() throws IOException {
        Path fit = tmp.resolve("fit.png");
        Path scales = tmp.resolve("gride.png");

        assertEquals(0, dim("--plot", fit.toString()).exit());
        assertEquals(0, dim("--raw", "--estimator", "gride", "--plot", scales.toString()).exit());
        Engram.Run neither = dim("--estimator", "mle", "--plot", tmp.resolve("no.png").toString());

        assertTrue(Files.size(fit) > 1000 && Files.size(scales) > 1000);
        assertEquals(ExitCode.INVALID_INPUT.code(), neither.exit(), neither::toString);
        assertFalse(Files.exists(tmp.resolve("no.png")));
    }

    private Path sheetCsv(String name, int n, int copies) throws IOException {
        StringBuilder text = new StringBuilder();
        double[][] sheet = DimInputsTest.sheet(n, 7);
        for (int i = 0; i < n + copies; i++) {
            double[] p = sheet[i % n];
            text.append(p[0]).append(',').append(p[1]).append(',').append(p[2]).append(',').append(p[3]).append(',')
                    .append(p[4]).append('\n');
        }
        Path file = tmp.resolve(name);
        Files.writeString(file, text.toString());
        return file;
    }

    @Test
    void hnswNeighboursStateTheirRecallAndTheChangeInTheEstimate() throws IOException {
        Path csv = sheetCsv("sheet.csv", 1500, 0);

        Engram.Run run = dim("--neighbours", "hnsw", "--json", csv.toString());

        List<JsonObject> reports = json(run);
        JsonObject hnsw = reports.getFirst().getAsJsonObject("parameters").getAsJsonObject("hnsw");
        double recall = hnsw.get("recall").getAsDouble();
        assertTrue(recall > 0.9 && recall <= 1, hnsw.toString());
        assertEquals(200, hnsw.get("sample").getAsInt());
        assertTrue(run.err().contains("recall@20"), run.err());
        double d = reports.getFirst().get("estimate").getAsDouble();
        assertTrue(d > 1.6 && d < 2.5, "a 2-D sheet: " + d);
        assertEquals(ExitCode.INVALID_INPUT.code(), dim("--neighbours", "annoy", csv.toString()).exit());
    }

    @Test
    void duplicatePointsAreReportedAndMergedBeforeMeasuring() throws IOException {
        Path plain = sheetCsv("plain.csv", 300, 0);
        Path doubled = sheetCsv("doubled.csv", 300, 120);

        List<JsonObject> once = json(dim("--json", "--estimator", "twonn,mle,gride", plain.toString()));
        Engram.Run run = dim("--json", "--estimator", "twonn,mle,gride", doubled.toString());
        List<JsonObject> twice = json(run);

        assertTrue(run.err().contains("120 of 420 points are exact copies"), run.err());
        assertEquals(once.size(), twice.size());
        for (int i = 0; i < once.size(); i++) {
            double value = twice.get(i).get("estimate").getAsDouble();
            assertTrue(Double.isFinite(value));
            assertEquals(once.get(i).get("estimate").getAsDouble(), value, 0);
            assertEquals(120, twice.get(i).getAsJsonObject("parameters").get("duplicates_merged").getAsInt());
        }
    }

    @Test
    void aProgressBarIsDrawnOnlyOnATerminal() throws IOException {
        Path csv = sheetCsv("sheet.csv", 600, 0);
        String before = System.getProperty("engram.stderr.tty");
        try {
            System.setProperty("engram.stderr.tty", "true");
            Engram.Run terminal = dim(csv.toString());
            System.clearProperty("engram.stderr.tty");
            Engram.Run pipe = dim(csv.toString());

            assertTrue(terminal.err().contains("neighbours [") && terminal.err().contains("\r"), terminal.err());
            assertFalse(pipe.err().contains("neighbours ["), pipe.err());
        } finally {
            if (before != null) {
                System.setProperty("engram.stderr.tty", before);
            }
        }
    }
}
