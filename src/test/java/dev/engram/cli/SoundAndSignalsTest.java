package dev.engram.cli;

import com.google.gson.JsonObject;
import dev.engram.ExitCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static dev.engram.cli.Engram.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Audio and vector spaces through the commands: training, binding, recall, reconstructions, bad input. */
class SoundAndSignalsTest {
    private static final Path SPEECH = Path.of("sample-data", "fashion", "speech");

    @TempDir
    Path tmp;

    @Test
    void spokenWordsTrainASoundSpaceAndRecallWithASpectrogramReconstruction() throws Exception {
        Path store = tmp.resolve("store");
        Path words = tmp.resolve("words");
        for (String word : List.of("bag", "trouser")) {
            Files.createDirectories(words.resolve(word));
            for (String voice : List.of("gb-f2.wav", "rp-m3.wav", "scot-m7.wav")) {
                Files.copy(SPEECH.resolve(word).resolve(voice), words.resolve(word).resolve(voice));
            }
        }
        Engram.Run encode = Engram.run("encode", "--store", store.toString(), "--json", "--epochs", "3",
                "--batch-size", "2", words.toString());
        assertEquals(0, encode.exit(), encode::toString);
        List<JsonObject> traces = json(encode);
        assertEquals(6, traces.size());
        assertEquals("audio", traces.getFirst().get("space").getAsString(), "named after its modality");
        assertEquals(0, Engram.run("bind", "--store", store.toString(), "--from-dirs").exit());

        Path out = tmp.resolve("out");
        Path cue = SPEECH.resolve("bag").resolve("gb-m5.wav");
        Engram.Run recall = Engram.run("recall", "--store", store.toString(), "--json", "-k", "3",
                "--reconstruct", out.toString(), cue.toString());
        assertEquals(0, recall.exit(), recall::toString);
        JsonObject r = json(recall).getFirst();
        assertEquals("audio", r.get("kind").getAsString());
        BufferedImage spectrogram = ImageIO.read(Path.of(r.get("reconstruction").getAsString()).toFile());
        assertEquals(64, spectrogram.getWidth());
        assertEquals(64, spectrogram.getHeight());
        assertTrue(r.getAsJsonArray("concepts").size() >= 1, r::toString);
    }

    @Test
    void aSoundSpaceConsolidatesLikeAnImageSpace() throws Exception {
        Path store = tmp.resolve("store");
        Path words = tmp.resolve("words");
        Path later = tmp.resolve("later");
        for (String word : List.of("bag", "trouser", "sandal")) {
            Path into = (word.equals("sandal") ? later : words).resolve(word);
            Files.createDirectories(into);
            for (String voice : List.of("gb-f2.wav", "rp-m3.wav", "scot-m7.wav")) {
                Files.copy(SPEECH.resolve(word).resolve(voice), into.resolve(voice));
            }
        }
        assertEquals(0, Engram.run("encode", "--store", store.toString(), "--epochs", "2", "--batch-size", "2",
                words.toString()).exit());
        assertEquals(0, Engram.run("encode", "--store", store.toString(), later.toString()).exit());
        assertEquals(0, Engram.run("bind", "--store", store.toString(), "--from-dirs").exit());
        Engram.Run consolidate = Engram.run("consolidate", "--store", store.toString(), "--epochs", "2", "--json");
        assertEquals(0, consolidate.exit(), consolidate::toString);
        JsonObject result = json(consolidate).getFirst();
        assertTrue(result.get("changed").getAsBoolean(), consolidate::toString);
        assertEquals(3, result.getAsJsonObject("plan").get("fresh").getAsInt(), consolidate::toString);
        assertEquals(9, result.get("reencodedRaw").getAsInt(), "every WAV read again: " + consolidate);
        Engram.Run info = Engram.run("info", "--store", store.toString());
        assertTrue(info.out().contains("v2 *"), info::toString);
        Engram.Run recall = Engram.run("recall", "--store", store.toString(), "--json", "-k", "1",
                later.resolve("sandal").resolve("gb-f2.wav").toString());
        assertEquals(0, recall.exit(), recall::toString);
        assertEquals(0, json(recall).getFirst().getAsJsonArray("neighbours").get(0).getAsJsonObject()
                .get("distance").getAsDouble(), 1e-4, "the index holds v2's points: " + recall);
    }

    @Test
    void aBrokenWavIsRefusedAndNothingIsStored() throws Exception {
        Path store = tmp.resolve("store");
        Path words = tmp.resolve("words");
        Files.createDirectories(words);
        Files.copy(SPEECH.resolve("bag").resolve("gb-f2.wav"), words.resolve("a.wav"));
        Files.write(words.resolve("b.wav"), new byte[] {'R', 'I', 'F', 'F', 0, 0});
        Engram.Run run = Engram.run("encode", "--store", store.toString(), words.toString());
        assertEquals(ExitCode.INVALID_INPUT.code(), run.exit(), run::toString);
        assertEquals(1, run.err().lines().count(), run::toString);
        assertTrue(run.err().contains("b.wav"), run::toString);
        assertTrue(!Files.exists(store), "a refused first encode creates no store");
    }

    @Test
    void numericRowsTrainADenseSpaceAndRecallTheirConcept() throws Exception {
        // Two clusters of 8-d signals on different 2-d planes.
        Random random = new Random(4);
        StringBuilder csv = new StringBuilder();
        StringBuilder labels = new StringBuilder("source,concept\n");
        for (int i = 0; i < 60; i++) {
            boolean low = i % 2 == 0;
            double a = random.nextGaussian();
            double b = random.nextGaussian();
            for (int j = 0; j < 8; j++) {
                double v = low ? (j < 4 ? a : b) + 5 : (j % 2 == 0 ? a : -b) - 5;
                csv.append(j == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.5f", v + 0.01 * random.nextGaussian()));
            }
            csv.append('\n');
            labels.append("signals.csv#").append(i).append(',').append(low ? "low" : "high").append('\n');
        }
        Files.writeString(tmp.resolve("signals.csv"), csv);
        Files.writeString(tmp.resolve("labels.csv"), labels);
        Files.writeString(tmp.resolve("cue.csv"), "5.1,5.2,4.9,5.0,4.8,5.1,5.3,5.0\n");
        Path store = tmp.resolve("store");
        Engram.Run encode = Engram.run("encode", "--store", store.toString(), "--latent", "2", "--epochs", "30",
                "--batch-size", "8", tmp.resolve("signals.csv").toString());
        assertEquals(0, encode.exit(), encode::toString);
        Engram.Run bind = Engram.run("bind", "--store", store.toString(), "--labels", tmp.resolve("labels.csv").toString());
        assertEquals(0, bind.exit(), bind::toString);
        Path out = tmp.resolve("out");
        Engram.Run recall = Engram.run("recall", "--store", store.toString(), "--json", "--reconstruct",
                out.toString(), tmp.resolve("cue.csv").toString());
        assertEquals(0, recall.exit(), recall::toString);
        JsonObject r = json(recall).getFirst();
        assertEquals("low", r.getAsJsonArray("concepts").get(0).getAsJsonObject().get("name").getAsString(), r::toString);
        String row = Files.readString(Path.of(r.get("reconstruction").getAsString())).strip();
        assertEquals(8, row.split(",").length, row);
        double first = Double.parseDouble(row.split(",")[0]);
        assertTrue(first > 2 && first < 8, "reconstructed in the inputs' own units: " + row);
    }
}
