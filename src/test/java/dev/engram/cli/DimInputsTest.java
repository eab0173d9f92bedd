package dev.engram.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.engram.ExitCode;
import dev.engram.store.AssociationKind;
import dev.engram.store.Binding;
import dev.engram.store.Concept;
import dev.engram.store.Stores;
import dev.engram.store.NewTrace;
import dev.engram.store.Space;
import dev.engram.store.Store;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

import static dev.engram.cli.Engram.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code engram dim} on inputs other than a whole space: files (CSV, .npy, IDX), the traces of
 * one concept, and error bars from subsamples. The data are points on a flat 2-D sheet embedded
 * in 5 dimensions, whose intrinsic dimension is 2.
 */
class DimInputsTest {
    @TempDir
    Path tmp;

    /** {@code n} points uniform on a 2-D square, rotated into 5 dimensions. */
    static double[][] sheet(int n, long seed) {
        Random random = new Random(seed);
        double[][] points = new double[n][];
        for (int i = 0; i < n; i++) {
            double u = random.nextDouble();
            double v = random.nextDouble();
            points[i] = new double[]{u + v, u - v, 0.5 * u, 2 * v, 0.3 * u + 0.7 * v};
        }
        return points;
    }

    private Engram.Run dim(String... args) {
        List<String> all = new ArrayList<>(List.of("dim", "--store", tmp.resolve("store").toString()));
        all.addAll(List.of(args));
        return Engram.run(all.toArray(String[]::new));
    }

    private Path csv(String name, String text) throws IOException {
        Path file = tmp.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private Path sheetCsv(int n) throws IOException {
        StringBuilder text = new StringBuilder("a,b,c,d,e\n");
        for (double[] p : sheet(n, 7)) {
            for (int j = 0; j < p.length; j++) {
                text.append(j > 0 ? "," : "").append(String.format(Locale.ROOT, "%.9f", p[j]));
            }
            text.append('\n');
        }
        return csv("sheet.csv", text.toString());
    }

    /** A .npy file as numpy.save writes it: version 1 or 2, the header padded to 64 bytes. */
    static byte[] npy(int version, String descr, String shape, boolean fortran, byte[] data) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False")
                + ", 'shape': " + shape + ", }";
        int prefix = version == 1 ? 10 : 12;
        int padded = (prefix + dict.length() + 1 + 63) / 64 * 64;
        String header = dict + " ".repeat(padded - prefix - dict.length() - 1) + "\n";
        ByteBuffer b = ByteBuffer.allocate(padded + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[]{(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
        if (version == 1) {
            b.putShort((short) header.length());
        } else {
            b.putInt(header.length());
        }
        b.put(header.getBytes(StandardCharsets.ISO_8859_1));
        b.put(data);
        return b.array();
    }

    static byte[] float64(double[][] points) {
        ByteBuffer b = ByteBuffer.allocate(points.length * points[0].length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double[] p : points) {
            for (double v : p) {
                b.putDouble(v);
            }
        }
        return b.array();
    }

    static byte[] float32(double[][] points) {
        ByteBuffer b = ByteBuffer.allocate(points.length * points[0].length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (double[] p : points) {
            for (double v : p) {
                b.putFloat((float) v);
            }
        }
        return b.array();
    }

    /** A gzipped IDX image file (magic 0x00000803) of n square images, pixels row-major. */
    static Path idxImages(Path file, int n, int side, byte[] pixels) throws IOException {
        ByteBuffer idx = ByteBuffer.allocate(16 + n * side * side).order(ByteOrder.BIG_ENDIAN);
        idx.putInt(0x00000803).putInt(n).putInt(side).putInt(side).put(pixels);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(idx.array());
        }
        return Files.write(file, gz.toByteArray());
    }

    private static void assertNearTwo(JsonObject report) {
        double d = report.get("estimate").getAsDouble();
        assertTrue(d > 1.6 && d < 2.5, "a 2-D sheet measures about 2: " + report);
    }

    @Test
    void aCsvFileIsMeasuredWithoutAStoreAndKeptUnderItsPath() throws IOException {
        Path file = sheetCsv(400);
        Engram.Run run = dim("--json", file.toString());
        assertEquals(0, run.exit(), run::toString);
        List<JsonObject> reports = json(run);
        assertEquals(List.of("twonn", "twonn-mle", "mle"), reports.stream().map(r -> r.get("estimator").getAsString())
                .toList());
        for (JsonObject r : reports) {
            assertEquals("file:" + file.toAbsolutePath().normalize(), r.get("target").getAsString());
            assertNearTwo(r);
            assertFalse(r.has("sd"), "no error bars without --bootstrap");
        }
        assertEquals(3, json(dim("--json", "--history")).size(), "the store was created and keeps the reports");
    }

    @Test
    void npyFilesOfEveryVersionAndFloatTypeGiveTheSameMeasure() throws IOException {
        double[][] points = sheet(300, 3);
        Path f8 = tmp.resolve("f8.npy");
        Files.write(f8, npy(1, "<f8", "(300, 5)", false, float64(points)));
        Path f4 = tmp.resolve("f4.npy");
        Files.write(f4, npy(2, "<f4", "(300, 5)", false, float32(points)));
        Engram.Run run = dim("--json", "--estimator", "twonn", f8.toString(), f4.toString());
        assertEquals(0, run.exit(), run::toString);
        List<JsonObject> reports = json(run);
        assertEquals(4, reports.size());
        assertTrue(reports.get(0).get("target").getAsString().endsWith("f8.npy"));
        assertTrue(reports.get(2).get("target").getAsString().endsWith("f4.npy"));
        assertEquals(reports.get(0).get("estimate").getAsDouble(), reports.get(2).get("estimate").getAsDouble(), 1e-3);
        assertNearTwo(reports.get(0));
        assertEquals(300, reports.get(0).get("points").getAsInt());
    }

    @Test
    void integerNpyIsRead() throws IOException {
        Random random = new Random(5);
        ByteBuffer data = ByteBuffer.allocate(200 * 3 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 200 * 3; i++) {
            data.putInt(random.nextInt(1_000_000));
        }
        Path file = tmp.resolve("ints.npy");
        Files.write(file, npy(1, "<i4", "(200, 3)", false, data.array()));
        Engram.Run run = dim("--json", "--estimator", "twonn", file.toString());
        assertEquals(0, run.exit(), run::toString);
        double d = json(run).getFirst().get("estimate").getAsDouble();
        assertTrue(d > 2 && d < 4.5, "uniform integers in a cube measure about 3: " + d);
    }

    @Test
    void unsupportedNpyFilesAreRefusedWithTheReason() throws IOException {
        byte[] data = float64(sheet(10, 1));
        Path bigEndian = tmp.resolve("be.npy");
        Files.write(bigEndian, npy(1, ">f8", "(10, 5)", false, data));
        Path threeD = tmp.resolve("3d.npy");
        Files.write(threeD, npy(1, "<f8", "(10, 5, 1)", false, data));
        Path fortran = tmp.resolve("fortran.npy");
        Files.write(fortran, npy(1, "<f8", "(10, 5)", true, data));
        Path objects = tmp.resolve("objects.npy");
        Files.write(objects, npy(1, "|O", "(10, 5)", false, data));
        Path truncated = tmp.resolve("short.npy");
        Files.write(truncated, npy(1, "<f8", "(20, 5)", false, data));
        for (Path file : List.of(bigEndian, threeD, fortran, objects, truncated)) {
            Engram.Run run = dim(file.toString());
            assertEquals(ExitCode.INVALID_INPUT.code(), run.exit(), run::toString);
            assertTrue(run.err().contains(file.toString()) && run.err().contains("not a .npy file engram reads"),
                    run::toString);
        }
        assertTrue(dim(bigEndian.toString()).err().contains("'>f8' is not supported"));
        assertTrue(dim(threeD.toString()).err().contains("3 dimensions"));
        assertTrue(dim(fortran.toString()).err().contains("Fortran"));
        assertTrue(dim(truncated.toString()).err().contains("shorter"));
    }

    @Test
    void badCsvRowsAreNamedByFileAndLine() throws IOException {
        Path ragged = csv("ragged.csv", "x,y\n1,2\n3,4\n5\n");
        Engram.Run run = dim(ragged.toString());
        assertEquals(ExitCode.INVALID_INPUT.code(), run.exit(), run::toString);
        assertTrue(run.err().contains(ragged + ":4:"), run::toString);

        Path words = csv("words.csv", "1,2\n3,4\nfive,6\n");
        run = dim(words.toString());
        assertEquals(ExitCode.INVALID_INPUT.code(), run.exit(), run::toString);
        assertTrue(run.err().contains(words + ":3:"), run::toString);

        Path empty = csv("empty.csv", "a,b\n");
        assertEquals(ExitCode.NOTHING_TO_DO.code(), dim(empty.toString()).exit());

        Path other = csv("points.bin", "1,2\n");
        Engram.Run unknown = dim(other.toString());
        assertEquals(ExitCode.INVALID_INPUT.code(), unknown.exit(), unknown::toString);
        Engram.Run tooFew = dim(sheetCsv(50).toString(), csv("two.csv", "1,2\n3,4\n").toString());
        assertEquals(ExitCode.NOTHING_TO_DO.code(), tooFew.exit(), tooFew::toString);
        assertFalse(Files.exists(tmp.resolve("store")), "a file that cannot be read or measured creates no store");
    }

    @Test
    void filesCannotBeMixedWithASpaceOrConcept() throws IOException {
        Path file = sheetCsv(50);
        assertEquals(ExitCode.INVALID_INPUT.code(), dim("--space", "s", file.toString()).exit());
        assertEquals(ExitCode.INVALID_INPUT.code(), dim("--concept", "c", file.toString()).exit());
    }

    @Test
    void idxImagesAreMeasuredAsPixelVectors() throws IOException {
        // 120 images of 6×6 pixels: a bright 2×2 block at a random place over faint noise.
        int n = 120;
        int side = 6;
        byte[] pixels = new byte[n * side * side];
        Random random = new Random(11);
        int at = 0;
        for (int i = 0; i < n; i++) {
            int x = random.nextInt(side - 1);
            int y = random.nextInt(side - 1);
            for (int r = 0; r < side; r++) {
                for (int c = 0; c < side; c++) {
                    boolean on = r >= y && r <= y + 1 && c >= x && c <= x + 1;
                    pixels[at++] = (byte) (on ? 255 : random.nextInt(20));
                }
            }
        }
        Path file = idxImages(tmp.resolve("images-idx3-ubyte.gz"), n, side, pixels);
        Engram.Run run = dim("--json", "--estimator", "pca", file.toString());
        assertEquals(0, run.exit(), run::toString);
        JsonObject pca = json(run).getFirst();
        assertEquals(n, pca.get("points").getAsInt());
        double d = pca.get("estimate").getAsDouble();
        assertTrue(d >= 1 && d <= side * side, "pixel vectors are 36-dimensional: " + d);
    }

    /** A store with one space of 5-D vectors: 60 on the sheet bound to "flat", 2 bound to "pair". */
    private void storeWithConcepts() {
        try (Store db = Stores.at(tmp.resolve("store").toString(), Duration.ofSeconds(10)).openOrCreate()) {
            Space space = db.write(tx -> tx.createSpace("vectors", "image", "test", 5, "euclidean", "{}"));
            double[][] sheet = sheet(60, 9);
            Random random = new Random(2);
            List<NewTrace> traces = new ArrayList<>();
            for (int i = 0; i < 62; i++) {
                float[] v = new float[5];
                for (int j = 0; j < 5; j++) {
                    v[j] = i < 60 ? (float) sheet[i][j] : random.nextFloat();
                }
                traces.add(new NewTrace("/t/" + i, -1, "hash" + i, v, 0, 0));
            }
            db.write(tx -> {
                List<Store.StoredTrace> stored = tx.addTraces(java.util.Map.of(space, traces)).get(space);
                Concept flat = tx.conceptNamed("flat");
                Concept pair = tx.conceptNamed("pair");
                List<Binding> bindings = new ArrayList<>();
                for (int i = 0; i < stored.size(); i++) {
                    long id = stored.get(i).trace().id();
                    bindings.add(new Binding(i < 60 ? flat.id() : pair.id(), id, AssociationKind.LABEL, 0.5));
                }
                return tx.bind(bindings);
            });
        }
    }

    @Test
    void aConceptIsMeasuredOnItsOwnTraces() {
        storeWithConcepts();
        Engram.Run run = dim("--json", "--concept", "flat", "-k", "8");
        assertEquals(0, run.exit(), run::toString);
        for (JsonObject r : json(run)) {
            assertEquals("concept:flat@vectors", r.get("target").getAsString());
            assertEquals(60, r.get("points").getAsInt());
        }
        Engram.Run pair = dim("--concept", "pair");
        assertEquals(ExitCode.NOTHING_TO_DO.code(), pair.exit(), pair::toString);
        assertTrue(pair.err().contains("2 traces"), pair::toString);
        Engram.Run missing = dim("--concept", "nope");
        assertEquals(ExitCode.UNKNOWN_NAME.code(), missing.exit(), missing::toString);
    }

    @Test
    void bootstrapAddsReproducibleErrorBars() throws IOException {
        Path file = sheetCsv(300);
        Engram.Run run = dim("--json", "--bootstrap", "20", "--seed", "3", "--estimator", "twonn,mle,pca,gride",
                file.toString());
        assertEquals(0, run.exit(), run::toString);
        List<JsonObject> reports = json(run);
        for (JsonObject r : reports) {
            JsonObject parameters = r.getAsJsonObject("parameters");
            assertEquals(20, parameters.get("bootstrap").getAsInt(), r::toString);
            assertEquals(0.8, parameters.get("subsample_fraction").getAsDouble());
            if (!r.has("sd")) {
                // Only a gride scale that no subsample reaches may lack error bars.
                assertEquals("gride", r.get("estimator").getAsString(), r::toString);
                continue;
            }
            JsonArray ci = r.getAsJsonArray("ci95");
            double low = ci.get(0).getAsDouble();
            double high = ci.get(1).getAsDouble();
            double sd = r.get("sd").getAsDouble();
            assertTrue(low <= high && sd >= 0, r::toString);
            assertEquals(parameters.get("sd").getAsDouble(), sd);
            if (r.get("estimator").getAsString().startsWith("twonn") || r.get("estimator").getAsString().equals("mle")) {
                assertTrue(sd > 0 && sd < 0.5, "subsamples of a 2-D sheet agree to within tenths: " + r);
                assertTrue(low > 1.4 && high < 2.8, r::toString);
            }
        }
        Engram.Run again = dim("--json", "--bootstrap", "20", "--seed", "3", "--estimator", "twonn,mle,pca,gride",
                file.toString());
        List<JsonObject> second = json(again);
        for (int i = 0; i < reports.size(); i++) {
            assertEquals(reports.get(i).get("ci95"), second.get(i).get("ci95"), "the same seed, the same bars");
        }
        Engram.Run table = dim("--bootstrap", "5", "--estimator", "twonn", file.toString());
        assertEquals(0, table.exit(), table::toString);
        assertTrue(table.out().lines().findFirst().orElseThrow().contains("ci95"), table::toString);
        assertEquals(ExitCode.INVALID_INPUT.code(), dim("--bootstrap", "-1", file.toString()).exit());
    }
}
