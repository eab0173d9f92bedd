package dev.engram.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import dev.engram.app.Import;
import dev.engram.io.Npy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An export as {@code engram import} reads it before it opens a store (Import.check): a small
 * valid export, one of whose files (picked by the first byte) is replaced by the fuzzer's bytes.
 */
class ExportFuzzTest {
    /** The files of the export, in the order the first byte picks them. */
    static final List<String> FILES = List.of("manifest.json", "spaces/v/traces.jsonl", "spaces/v/latents.npy",
            "concepts.jsonl", "associations.jsonl", "events.jsonl", "dim_reports.jsonl");

    @ParserFuzzTest
    void table(FuzzedDataProvider data) throws Exception {
        Path export = Scratch.directory("export");
        Scratch.clear(export);
        writeValid(export);
        String replaced = data.pickValue(FILES);
        Files.write(export.resolve(replaced), data.consumeRemainingAsBytes());
        Contract.holds(() -> Import.check(export));
    }

    /** Two traces of a 2-d space, bound to a concept under a parent, in an event, and a report. */
    static void writeValid(Path export) throws IOException {
        Files.createDirectories(export.resolve("spaces/v"));
        Files.writeString(export.resolve("manifest.json"), """
                {"format": "engram-export", "version": 1, "store": "s", "exported": "2026-12-07T10:00:00Z",
                 "filter": {"spaces": [], "concepts": []},
                 "spaces": [{"name": "v", "modality": "vector", "encoder": "dense-autoencoder", "dimension": 2,
                   "metric": "euclidean", "model_version": 1, "config": "{}", "time": "2026-12-07T10:00:00Z",
                   "traces": 2, "latents": "spaces/v/latents.npy", "table": "spaces/v/traces.jsonl"}],
                 "concepts": "concepts.jsonl", "associations": "associations.jsonl", "events": "events.jsonl",
                 "dim_reports": "dim_reports.jsonl"}
                """, StandardCharsets.UTF_8);
        Files.writeString(export.resolve("spaces/v/traces.jsonl"), """
                {"row":0,"trace":1,"source":"a.csv","index":0,"hash":"h0","time":"2026-12-07T10:00:00Z","surprise":0.5,"events":[1],"concepts":[{"concept":2,"label":"leaf","weight":0.5}]}
                {"row":1,"trace":2,"source":"a.csv","index":1,"hash":"h1","time":"2026-12-07T10:00:00Z","surprise":0.25,"events":[],"concepts":[]}
                """, StandardCharsets.UTF_8);
        try (OutputStream out = Files.newOutputStream(export.resolve("spaces/v/latents.npy"))) {
            Npy.write(new float[][] {{1, 2}, {3, 4}}, out);
        }
        Files.writeString(export.resolve("concepts.jsonl"), """
                {"concept":1,"name":"top","time":"2026-12-07T10:00:00Z"}
                {"concept":2,"name":"leaf","parent":1,"time":"2026-12-07T10:00:00Z"}
                """, StandardCharsets.UTF_8);
        Files.writeString(export.resolve("associations.jsonl"), """
                {"concept":2,"trace":1,"space":"v","kind":"label","weight":0.5,"count":1,"first":"2026-12-07T10:00:00Z","last":"2026-12-07T10:00:00Z"}
                """, StandardCharsets.UTF_8);
        Files.writeString(export.resolve("events.jsonl"), """
                {"event":1,"name":"leaf","source":"events.jsonl:1"}
                """, StandardCharsets.UTF_8);
        Files.writeString(export.resolve("dim_reports.jsonl"), """
                {"report":1,"target":"space:v","estimator":"twonn","parameters":"{}","points":2,"seed":1,"estimate":1.0,"time":"2026-12-07T10:00:00Z"}
                """, StandardCharsets.UTF_8);
    }
}
