package dev.engram.cli;

import com.google.gson.JsonObject;
import dev.engram.ExitCode;
import dev.engram.encode.NetworkDeclaration;
import dev.engram.encode.PretrainedNetwork;
import dev.engram.encode.image.ImageInput;
import dev.engram.encode.image.ImageShape;
import dev.engram.encode.image.ImageSources;
import dev.engram.io.Npy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.engram.cli.Engram.json;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code encode --encoder}: a user's pretrained network (the tiny ones of
 * src/test/resources/encoders) encodes a new image or audio space, end to end through the
 * commands.
 */
class PretrainedEncoderTest {
    private static final Path ENCODERS = Path.of("src", "test", "resources", "encoders");
    private static final Path SPEECH = Path.of("sample-data", "fashion", "speech");

    @TempDir
    Path tmp;
    Path store;
    Path train;
    Path network;

    @BeforeEach
    void photosEncodedByAnOnnxNetwork() throws IOException {
        store = tmp.resolve("store");
        train = Engram.images(tmp.resolve("train"), 6, 7);
        // The user's copy, with the declaration beside it: the store must not need it later.
        Path mine = Files.createDirectories(tmp.resolve("mine"));
        network = Files.copy(ENCODERS.resolve("tiny-image.onnx"), mine.resolve("tiny-image.onnx"));
        Files.copy(ENCODERS.resolve("tiny-image.json"), mine.resolve("tiny-image.json"));
        Engram.Run encode = Engram.on(store, "encode", "--space", "photos", "--encoder", network.toString(),
                "--latent", "8", "--epochs", "3", "--batch-size", "8", "--json", train.toString());
        assertEquals(0, encode.exit(), encode::toString);
        assertEquals(18, json(encode).size());
        assertTrue(encode.err().contains("extracting 32 features of 18 image inputs with onnx network tiny-image"),
                encode::toString);
    }

    @Test
    void theSpaceHoldsTheNetworksFeaturesAndRecallsWithoutTheUsersFile() throws IOException {
        JsonObject space = space("photos");
        assertEquals("onnx:tiny-image", space.get("encoder").getAsString());
        assertEquals(32, space.get("dimension").getAsInt());

        // Each trace is the network's features of its image, read at the declared 3x16x16.
        Engram.Run export = Engram.on(store, "export", tmp.resolve("export").toString());
        assertEquals(0, export.exit(), export::toString);
        float[][] latents = Npy.read(tmp.resolve("export/spaces/photos/latents.npy"));
        List<String> sources = Files.readAllLines(tmp.resolve("export/spaces/photos/traces.jsonl")).stream()
                .map(l -> com.google.gson.JsonParser.parseString(l).getAsJsonObject().get("source").getAsString())
                .toList();
        List<ImageInput> images = ImageSources.resolve(List.of(train.toString())).readAll(new ImageShape(3, 16, 16));
        Map<String, float[]> features = new HashMap<>();
        try (PretrainedNetwork net = PretrainedNetwork.load(network, PretrainedNetwork.Format.ONNX,
                new int[] {3, 16, 16}, NetworkDeclaration.beside(network), "test")) {
            float[][] rows = net.features(images.stream().map(ImageInput::values).toArray(float[][]::new));
            for (int i = 0; i < rows.length; i++) {
                features.put(images.get(i).source(), rows[i]);
            }
        }
        assertEquals(18, latents.length);
        for (int i = 0; i < latents.length; i++) {
            assertArrayEquals(features.get(sources.get(i)), latents[i], 1e-6f, sources.get(i));
        }

        // The network is in the store: recall works with the user's file gone, and a cue of
        // another size is brought to the network's input size.
        Files.delete(network);
        Path cue = train.resolve("vbar").resolve("002.png");
        Engram.Run recall = Engram.on(store, "recall", "--space", "photos", "--json", cue.toString());
        assertEquals(0, recall.exit(), recall::toString);
        JsonObject r = json(recall).getFirst();
        assertTrue(r.get("surprise").getAsDouble() > 0, r::toString);
        JsonObject nearest = r.getAsJsonArray("neighbours").get(0).getAsJsonObject();
        assertEquals(0.0, nearest.get("distance").getAsDouble(), 1e-6, r::toString);
        assertEquals(cue.toAbsolutePath().normalize().toString(), nearest.get("source").getAsString());

        Path big = tmp.resolve("big.png");
        Engram.write(big, new java.awt.image.BufferedImage(40, 24, java.awt.image.BufferedImage.TYPE_BYTE_GRAY));
        assertEquals(0, Engram.on(store, "recall", "--space", "photos", big.toString()).exit());

        // A sheet shows the neighbours' own images (there is no decoder to draw from).
        Path sheet = tmp.resolve("sheet.png");
        Engram.Run drawn = Engram.on(store, "recall", "--space", "photos", "--sheet", sheet.toString(), cue.toString());
        assertEquals(0, drawn.exit(), drawn::toString);
        assertTrue(Files.size(sheet) > 1000);

        // Measured like any space; not consolidated (the network does not learn).
        Engram.Run dim = Engram.on(store, "dim", "--space", "photos", "--estimator", "twonn");
        assertEquals(0, dim.exit(), dim::toString);
        Engram.Run consolidate = Engram.on(store, "consolidate", "--space", "photos");
        assertEquals(ExitCode.NOTHING_TO_DO.code(), consolidate.exit(), consolidate::toString);
        assertTrue(consolidate.err().contains("onnx:tiny-image"), consolidate::toString);

        // Moved to another store whole: the network travels in the export.
        Path other = tmp.resolve("other");
        assertEquals(0, Engram.on(other, "import", tmp.resolve("export").toString()).exit());
        Engram.Run moved = Engram.on(other, "recall", "--space", "photos", "--json", cue.toString());
        assertEquals(0, moved.exit(), moved::toString);
        assertEquals(0.0, json(moved).getFirst().getAsJsonArray("neighbours").get(0).getAsJsonObject()
                .get("distance").getAsDouble(), 1e-6);
    }

    @Test
    void theSameNetworkAgainIsAPipelineRunAgainAndTorchScriptGivesTheSameFeatures() throws IOException {
        Engram.Run again = Engram.on(store, "encode", "--space", "photos", "--encoder", network.toString(),
                train.toString());
        assertEquals(0, again.exit(), again::toString);
        assertTrue(again.err().contains("0 new traces, 18 already stored"), again::toString);

        // The TorchScript twin of the network, its output by index on the command line.
        Engram.Run pt = Engram.on(store, "encode", "--space", "scripted", "--encoder",
                ENCODERS.resolve("tiny-image.pt").toString(), "--encoder-config", "{\"output\": 0}", "--latent", "8",
                "--epochs", "1", train.toString());
        assertEquals(0, pt.exit(), pt::toString);
        assertEquals(0, Engram.on(store, "export", tmp.resolve("both").toString()).exit());
        float[][] onnx = Npy.read(tmp.resolve("both/spaces/photos/latents.npy"));
        float[][] scripted = Npy.read(tmp.resolve("both/spaces/scripted/latents.npy"));
        assertEquals(onnx.length, scripted.length);
        for (int i = 0; i < onnx.length; i++) {
            assertArrayEquals(onnx[i], scripted[i], 1e-5f); // both exports list traces in input order
        }
    }

    @Test
    void soundIsHeardThroughItsSpectrogram() {
        List<String> clips = new ArrayList<>();
        for (String word : List.of("bag", "coat", "dress")) {
            for (String voice : List.of("gb-f2.wav", "rp-m3.wav", "scot-m7.wav")) {
                clips.add(SPEECH.resolve(word).resolve(voice).toString());
            }
        }
        List<String> args = new ArrayList<>(List.of("--space", "heard", "--encoder",
                ENCODERS.resolve("tiny-audio.onnx").toString(), "--latent", "4", "--epochs", "2"));
        args.addAll(clips);
        Engram.Run encode = Engram.on(store, "encode", args.toArray(String[]::new));
        assertEquals(0, encode.exit(), encode::toString);
        Engram.Run recall = Engram.on(store, "recall", "--space", "heard", "--json", clips.get(4));
        assertEquals(0, recall.exit(), recall::toString);
        JsonObject nearest = json(recall).getFirst().getAsJsonArray("neighbours").get(0).getAsJsonObject();
        assertEquals(0.0, nearest.get("distance").getAsDouble(), 1e-6);
        assertEquals("onnx:tiny-audio", space("heard").get("encoder").getAsString());
        assertEquals(24, space("heard").get("dimension").getAsInt());
    }

    @Test
    void mistakesAreOneLineWithTheirExitCodeAndLeaveTheStoreAsItWas() throws IOException {
        String before = Engram.snapshot(store);
        String pt = ENCODERS.resolve("tiny-image.pt").toString();
        String audio = ENCODERS.resolve("tiny-audio.onnx").toString();
        String clip = SPEECH.resolve("bag").resolve("gb-f2.wav").toString();
        Path vectors = Files.writeString(tmp.resolve("v.csv"), "1,2,3\n4,5,6\n7,8,9\n");
        Path bare = Files.copy(network, Files.createDirectories(tmp.resolve("bare")).resolve("net.onnx"));

        fails(ExitCode.INVALID_INPUT, "exists already, encoded by onnx:tiny-image", "encode", "--space", "photos",
                "--encoder", pt, "--encoder-config", "{\"output\": 0}", train.toString());
        fails(ExitCode.INVALID_INPUT, "has no output 'features'; its outputs are #0, #1", "encode", "--space", "new",
                "--encoder", pt, train.toString());
        fails(ExitCode.INVALID_INPUT, "pretrained networks encode image and audio spaces", "encode", "--space",
                "numbers", "--encoder", network.toString(), vectors.toString());
        fails(ExitCode.INVALID_INPUT, "drop --shaped or --encoder", "encode", "--space", "new", "--shaped",
                "--encoder", network.toString(), train.toString());
        fails(ExitCode.INVALID_INPUT, "--latent 32 must be smaller than the 32 features", "encode", "--space", "new",
                "--latent", "32", "--encoder", network.toString(), train.toString());
        fails(ExitCode.INVALID_INPUT, "unknown key \"means\"", "encode", "--space", "new", "--encoder",
                network.toString(), "--encoder-config", "{\"means\": [0.5]}", train.toString());
        fails(ExitCode.INVALID_INPUT, "--encoder-config: not JSON", "encode", "--space", "new", "--encoder",
                network.toString(), "--encoder-config", "{\"output\": ", train.toString());
        fails(ExitCode.INVALID_INPUT, "no such file", "encode", "--space", "new", "--encoder",
                tmp.resolve("absent.onnx").toString(), train.toString());
        fails(ExitCode.WRONG_SHAPE, "declares input [3, 16, 16] but audio inputs are [1, 64, 64]", "encode", "--space",
                "heard", "--encoder", audio, "--encoder-config", "{\"input\": [3, 16, 16]}", clip);
        fails(ExitCode.INVALID_INPUT, "the network failed on a batch of 1x64x64 inputs", "encode", "--space", "heard",
                "--encoder", bare.toString(), clip);
        fails(ExitCode.INVALID_INPUT, "which this run does not encode into", "encode", "--space", "new", "--encoder",
                "elsewhere=" + network, train.toString());
        fails(ExitCode.INVALID_INPUT, "sweep a space made without --encoder", "dim", "--space", "photos", "--sweep",
                "2,4");
        assertEquals(before, Engram.snapshot(store), "the store is exactly as it was");
    }

    /** The space as {@code info --json} describes it. */
    private JsonObject space(String name) {
        for (var s : json(Engram.on(store, "info", "--json")).getFirst().getAsJsonArray("spaces")) {
            if (s.getAsJsonObject().get("name").getAsString().equals(name)) {
                return s.getAsJsonObject();
            }
        }
        throw new AssertionError("no space " + name);
    }

    private void fails(ExitCode expected, String message, String... args) {
        Engram.Run run = Engram.on(store, args[0], java.util.Arrays.copyOfRange(args, 1, args.length));
        assertEquals(expected.code(), run.exit(), run::toString);
        assertEquals("", run.out(), run::toString);
        List<String> errors = run.err().lines().filter(l -> l.startsWith("engram:") && !l.contains(" read ")).toList();
        assertEquals(1, errors.size(), run::toString);
        assertTrue(errors.getFirst().contains(message), run::toString);
    }
}
