package dev.engram.bind;

import dev.engram.EngramException;
import dev.engram.io.FileErrors;
import dev.engram.io.IdxLabels;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the files that name concepts of traces: CSV {@code source,concept} or IDX label files. */
public final class LabelFiles {
    private LabelFiles() {
    }

    /**
     * A CSV file of {@code source,concept} rows (a header row {@code source,concept} is
     * skipped). A relative source is resolved against the CSV's folder; {@code path#N} names
     * item N of a multi-item file. Returns source label to concept, in file order.
     */
    public static Map<String, String> csv(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw EngramException.invalidInput("cannot read labels file " + file + ": " + e.getMessage(), e);
        }
        Path folder = file.toAbsolutePath().normalize().getParent();
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || (i == 0 && line.replace(" ", "").equalsIgnoreCase("source,concept"))) {
                continue;
            }
            int comma = line.lastIndexOf(',');
            if (comma <= 0 || comma == line.length() - 1) {
                throw EngramException.invalidInput(file + ":" + (i + 1) + ": expected 'source,concept', got '"
                        + FileErrors.shown(line) + "'");
            }
            String source = unquote(line.substring(0, comma).strip());
            String concept = unquote(line.substring(comma + 1).strip());
            try {
                labels.put(resolve(folder, source), concept);
            } catch (InvalidPathException e) {
                throw EngramException.invalidInput(file + ":" + (i + 1) + ": '" + FileErrors.shown(source)
                        + "' is not a valid path", e);
            }
        }
        if (labels.isEmpty()) {
            throw EngramException.nothingToDo("labels file " + file + " has no rows");
        }
        return labels;
    }

    /**
     * An IDX label file paired with the IDX image file it labels: item i of the images gets
     * concept {@code names[label[i]]} (or the label number itself when no names are given).
     */
    public static Map<String, String> idx(Path labelFile, Path imageFile, List<String> names) {
        int[] labels = IdxLabels.read(labelFile);
        String images = imageFile.toAbsolutePath().normalize().toString();
        Map<String, String> byItem = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i];
            if (!names.isEmpty() && (label < 0 || label >= names.size())) {
                throw EngramException.invalidInput(labelFile + ": label " + label + " of item " + i + " has no name"
                        + " among the " + names.size() + " given with --class-names");
            }
            byItem.put(images + "#" + i, names.isEmpty() ? Integer.toString(label) : names.get(label));
        }
        return byItem;
    }

    private static String resolve(Path folder, String source) {
        String index = "";
        int hash = source.lastIndexOf('#');
        if (hash > 0 && source.substring(hash + 1).matches("\\d+")) {
            index = source.substring(hash);
            source = source.substring(0, hash);
        }
        return folder.resolve(source).toAbsolutePath().normalize() + index;
    }

    static String unquote(String cell) {
        return cell.length() >= 2 && cell.startsWith("\"") && cell.endsWith("\"")
                ? cell.substring(1, cell.length() - 1).replace("\"\"", "\"") : cell;
    }
}
