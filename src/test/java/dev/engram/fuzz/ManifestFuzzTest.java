package dev.engram.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import dev.engram.encode.Given;
import dev.engram.encode.Manifest;
import dev.engram.encode.Modality;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Events as {@code engram encode --manifest} and {@code --events} read them: the JSON Lines
 * manifest, or a folder of files grouped by base name; then every input they give, read by its
 * modality. The manifest's folder holds one small valid file of each kind for paths to name.
 */
class ManifestFuzzTest {
    /** The files beside the manifest, from the test resources. */
    static final List<String> BESIDE = List.of("a.png", "b.jpg", "c.wav", "d.csv", "e.npy", "f.txt");
    private static final List<String> ENDINGS = List.of(".png", ".jpg", ".jpeg", ".PNG", ".txt", ".wav", ".csv",
            ".npy", "", ".bin");

    @ParserFuzzTest
    void manifest(byte[] bytes) throws Exception {
        Path folder = Scratch.directory("manifest");
        for (String name : BESIDE) {
            Path file = folder.resolve(name);
            if (!Files.exists(file)) {
                Files.write(file, beside(name));
            }
        }
        Path manifest = Files.write(folder.resolve("events.jsonl"), bytes);
        Contract.holds(() -> readInputs(Manifest.read(manifest)));
    }

    @ParserFuzzTest
    void folder(FuzzedDataProvider data) throws Exception {
        Path folder = Scratch.directory("folder");
        Scratch.clear(folder);
        int files = data.consumeInt(0, 6);
        for (int i = 0; i < files; i++) {
            String directory = data.consumeBoolean() ? "sub/" : "";
            String name = data.consumeString(8).replaceAll("[^A-Za-z0-9._-]", "_") + data.pickValue(ENDINGS);
            byte[] content = data.consumeBoolean() ? beside(data.pickValue(BESIDE)) : data.consumeBytes(256);
            if (name.isEmpty() || name.equals(".") || name.equals("..")) {
                continue;
            }
            try {
                Path file = Files.createDirectories(folder.resolve(directory)).resolve(name);
                Files.write(file, content);
            } catch (IOException e) {
                // A name taken by a directory (or the reverse): this file is not made; the rest are.
            }
        }
        Contract.holds(() -> readInputs(Manifest.ofFolder(folder)));
    }

    /** Reads every input of the events, one modality at a time, as encode does. */
    private static void readInputs(Manifest events) {
        for (Modality<?> modality : events.modalities()) {
            List<Given> fields = new ArrayList<>();
            for (Manifest.Event event : events.events()) {
                Given given = event.inputs().get(modality);
                if (given != null) {
                    fields.add(given);
                }
            }
            Encoding.fields(modality, fields);
        }
    }

    private static byte[] beside(String name) throws IOException {
        try (InputStream in = ManifestFuzzTest.class.getResourceAsStream("events/" + name)) {
            if (in == null) {
                throw new IOException("no test resource events/" + name);
            }
            return in.readAllBytes();
        }
    }
}
