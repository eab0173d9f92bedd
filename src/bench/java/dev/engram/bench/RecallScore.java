package dev.engram.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.engram.Json;
import dev.engram.io.IdxLabels;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores {@code engram recall --json} output for the items of one IDX image file against its IDX
 * label file: the share of cues whose top concept (first of {@code concepts}) is the true class,
 * per class too, and the mean surprise (per-pixel reconstruction MSE). Prints one JSON object.
 *
 * <pre>
 * RecallScore --recall FILE.jsonl --labels IDX --class-names a,b,c,... [--groups NAME=FIRST-LAST,...]
 * </pre>
 *
 * With {@code --groups} (e.g. {@code old=0-4,new=5-9}) it also gives the accuracy and mean
 * surprise of each group of classes.
 */
public final class RecallScore {
    private RecallScore() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> opts = HnswRecall.options(args);
        Path recall = Path.of(HnswRecall.required(opts, "--recall"));
        int[] labels = IdxLabels.read(Path.of(HnswRecall.required(opts, "--labels")));
        List<String> names = List.of(HnswRecall.required(opts, "--class-names").split(","));

        int cues = 0;
        int correct = 0;
        int noConcept = 0;
        double surpriseSum = 0;
        double topScoreSum = 0;
        int[] perClass = new int[names.size()];
        double[] perClassSurprise = new double[names.size()];
        int[] perClassCorrect = new int[names.size()];
        int[][] confusion = new int[names.size()][names.size()];
        boolean[] seen = new boolean[labels.length];
        int duplicates = 0;
        try (BufferedReader in = Files.newBufferedReader(recall, StandardCharsets.UTF_8)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                JsonObject r = JsonParser.parseString(line).getAsJsonObject();
                String cue = r.get("cue").getAsString();
                int hash = cue.lastIndexOf('#');
                if (hash < 0) {
                    throw new IllegalArgumentException("cue " + cue + " is not an item of an IDX file (path#N)");
                }
                int index = Integer.parseInt(cue.substring(hash + 1));
                if (seen[index]) {
                    duplicates++;
                }
                seen[index] = true;
                String truth = names.get(labels[index]);
                cues++;
                surpriseSum += r.get("surprise").getAsDouble();
                perClassSurprise[labels[index]] += r.get("surprise").getAsDouble();
                perClass[labels[index]]++;
                JsonArray concepts = r.getAsJsonArray("concepts");
                if (concepts == null || concepts.isEmpty()) {
                    noConcept++;
                    continue;
                }
                JsonObject top = concepts.get(0).getAsJsonObject();
                String predicted = top.get("name").getAsString();
                JsonElement score = top.get("score");
                topScoreSum += score == null ? 0 : score.getAsDouble();
                int p = names.indexOf(predicted);
                if (p >= 0) {
                    confusion[labels[index]][p]++;
                }
                if (predicted.equals(truth)) {
                    correct++;
                    perClassCorrect[labels[index]]++;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int missing = 0;
        for (boolean s : seen) {
            missing += s ? 0 : 1;
        }

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("cues", cues);
        json.put("labels", labels.length);
        json.put("missing_cues", missing);
        json.put("repeated_cues", duplicates);
        json.put("no_concept", noConcept);
        json.put("top_concept_accuracy", cues == 0 ? Double.NaN : (double) correct / cues);
        json.put("test_mse", cues == 0 ? Double.NaN : surpriseSum / cues);
        json.put("mean_top_score", cues == noConcept ? Double.NaN : topScoreSum / (cues - noConcept));
        Map<String, Object> classes = new LinkedHashMap<>();
        for (int c = 0; c < names.size(); c++) {
            classes.put(names.get(c), perClass[c] == 0 ? Double.NaN : (double) perClassCorrect[c] / perClass[c]);
        }
        json.put("per_class_accuracy", classes);
        if (opts.containsKey("--groups")) {
            Map<String, Object> groups = new LinkedHashMap<>();
            for (String group : opts.get("--groups").split(",")) {
                String[] nameRange = group.split("=");
                String[] range = nameRange[1].split("-");
                int n = 0;
                int right = 0;
                double surprise = 0;
                for (int c = Integer.parseInt(range[0]); c <= Integer.parseInt(range[range.length - 1]); c++) {
                    n += perClass[c];
                    right += perClassCorrect[c];
                    surprise += perClassSurprise[c];
                }
                Map<String, Object> g = new LinkedHashMap<>();
                g.put("cues", n);
                g.put("top_concept_accuracy", n == 0 ? Double.NaN : (double) right / n);
                g.put("test_mse", n == 0 ? Double.NaN : surprise / n);
                groups.put(nameRange[0], g);
            }
            json.put("groups", groups);
        }
        json.put("confusion", confusion);
        System.out.println(Json.LINES.toJson(json));
    }
}
