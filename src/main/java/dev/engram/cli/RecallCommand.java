package dev.engram.cli;

import dev.engram.EngramException;
import dev.engram.encode.Autoencoder;
import dev.engram.encode.AutoencoderSpaces;
import dev.engram.encode.ImageSpaces;
import dev.engram.encode.Modality;
import dev.engram.encode.Perception;
import dev.engram.encode.image.ImageShape;
import dev.engram.encode.image.ImageSources;
import dev.engram.encode.image.PngWriter;
import dev.engram.encode.audio.AudioSources;
import dev.engram.encode.audio.SpectrogramPng;
import dev.engram.encode.text.SentenceEncoder;
import dev.engram.encode.text.TextInput;
import dev.engram.encode.text.TextSpaces;
import dev.engram.encode.vector.VectorSources;
import dev.engram.recall.Recaller;
import dev.engram.store.Concept;
import dev.engram.store.Store;
import dev.engram.store.Space;
import dev.engram.store.Trace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code engram recall}: from cues to the concepts and traces they evoke. */
@Command(name = "recall", sortOptions = false, mixinStandardHelpOptions = true,
        versionProvider = EngramCommand.Version.class,
        description = {
                "Recall from cues in any modality. A cue is an image (a PNG or JPEG file, a directory of them, "
                        + "an IDX file, or '-' for paths on stdin), a sound (a WAV file or a directory of them), "
                        + "vectors (the rows of a CSV or .npy file), a text (--text STRING, or text:STRING), a "
                        + "stored trace (trace:ID), or a concept (its name, or concept:NAME, or #ID for an "
                        + "unnamed one). Each cue is encoded into the space of its modality (--space, else the "
                        + "store's only space of that modality).",
                "",
                "For each cue: its surprise (reconstruction error, or for text the distance to the nearest "
                        + "stored text; with its percentile among the space's traces: near 1 means unfamiliar), "
                        + "its k nearest traces with their distances, the concepts ranked by score, and the "
                        + "strongest traces bound to the top concepts in every space (cross-modal recall): "
                        + "--members per space, limited to the modalities of --modality. Text traces show "
                        + "their text; traces of spaces with a decoder get reconstructions with --reconstruct.",
                "",
                "Score: each of the k nearest traces votes for each concept it is bound to with "
                        + "weight / (distance + 1e-9), weight being the association's Hebbian weight; a "
                        + "concept's score is its share of all votes (scores sum to 1). A concept cue scores 1.",
                "",
                "Images are encoded in batches and the model is loaded once per run, however many cues."},
        footerHeading = "%nExamples:%n",
        footer = {"  engram recall --store mem sample-data/fashion/recall/sandal-1.png",
                "  engram recall --store mem --text 'something to wear on a beach' --modality image",
                "  engram recall --store mem --json --reconstruct out/ sample-data/fashion/recall",
                "  engram recall --store mem sandal trace:42"})
public final class RecallCommand extends StoreCommand {
    @Mixin
    SpaceOption space;

    @Parameters(paramLabel = "CUE", arity = "0..*",
            description = "Image, WAV, CSV or .npy paths, '-', text:STRING, trace:ID, or concept names.")
    List<String> cues = new ArrayList<>();

    @Option(names = "--text", paramLabel = "STRING", description = "A text cue (repeatable).")
    List<String> texts = new ArrayList<>();

    @Option(names = "--modality", paramLabel = "MODALITY", split = ",",
            description = "List recalled traces of these modalities only (comma-separated: image, text, audio,"
                    + " vector; default: all).")
    List<String> modalities = new ArrayList<>();

    @Option(names = "-k", defaultValue = "10", description = "Nearest traces that vote (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--concepts", defaultValue = "3", description = "Concepts to report per cue (default: ${DEFAULT-VALUE}).")
    int concepts;

    @Option(names = "--members", defaultValue = "5",
            description = "Strongest traces to list per reported concept (default: ${DEFAULT-VALUE}).")
    int members;

    @Option(names = "--siblings", description = "List each reported concept's siblings: the other children of its parent.")
    boolean siblings;

    @Option(names = "--reconstruct", paramLabel = "DIR",
            description = "Write the decoder's reconstruction of each cue (cue-N) and of each recalled trace "
                    + "(trace-ID) of a space with a decoder into DIR: a PNG for images, a spectrogram PNG for "
                    + "sound, a CSV row for vectors.")
    Path reconstruct;

    @Option(names = "--brief", description = "One table row per cue: its top concept, score and surprise.")
    boolean brief;

    @Option(names = "--resize", description = "Resize image cues whose size differs from the space's (default: refuse them).")
    boolean resize;

    private Output out;
    private final Output.Table briefTable = new Output.Table("cue", "concept", "score", "surprise", "percentile");
    private Store db;
    private final Map<Integer, Space> spaces = new HashMap<>();
    private final Map<Integer, Recaller> recallers = new HashMap<>();
    private final Map<Integer, Autoencoder> models = new HashMap<>();
    private Recaller.Options options;
    private int cueNumber;
    private final Set<Long> reconstructed = new HashSet<>();

    @Override
    public Integer call() {
        if (k < 1 || concepts < 1 || members < 0) {
            throw EngramException.invalidInput("-k and --concepts must be at least 1, --members at least 0");
        }
        if (cues.isEmpty() && texts.isEmpty()) {
            throw EngramException.nothingToDo("nothing to recall from: give cues (files, '-', text:STRING, trace:ID,"
                    + " concept names) or --text");
        }
        out = out();
        Console console = console();
        int recalled = 0;
        try (Store opened = store().open()) {
            db = opened;
            db.spaces().forEach(s -> spaces.put(s.id(), s));
            options = new Recaller.Options(k, concepts, members, memberSpaces(), siblings);
            List<Cue> parsed = parse();
            if (reconstruct != null) {
                createDirectory(reconstruct);
            }
            for (Cue cue : parsed) {
                recalled += cue.recall(this, console);
            }
            if (brief && !out.json()) {
                briefTable.print(out, "");
            }
        } finally {
            models.values().forEach(Autoencoder::close);
        }
        console.note("recalled %d cues", recalled);
        return 0;
    }

    /** Ids of the spaces whose traces --modality lets through (null: all). */
    private Set<Integer> memberSpaces() {
        if (modalities.isEmpty()) {
            return null;
        }
        Set<String> wanted = new HashSet<>();
        for (String m : modalities) {
            wanted.add(Modality.of(m.strip()).id());
        }
        Set<Integer> ids = new HashSet<>();
        spaces.values().stream().filter(s -> wanted.contains(s.modality())).forEach(s -> ids.add(s.id()));
        return ids;
    }

    /** The space a cue of this modality is encoded into: --space if it holds the modality, else the only one. */
    private Space spaceFor(Modality modality) {
        if (space.name != null) {
            Space named = space.resolve(db);
            if (named.modality().equals(modality.id())) {
                return named;
            }
        }
        List<Space> candidates = spaces.values().stream().filter(s -> s.modality().equals(modality.id()))
                .sorted(java.util.Comparator.comparing(Space::name)).toList();
        if (candidates.isEmpty()) {
            throw EngramException.unknown("store " + db.location() + " has no " + modality + " space to recall "
                    + modality + " cues from");
        }
        if (candidates.size() > 1) {
            throw EngramException.invalidInput("store " + db.location() + " has " + candidates.size() + " "
                    + modality + " spaces (" + String.join(", ", candidates.stream().map(Space::name).toList())
                    + "); choose one with --space");
        }
        return candidates.getFirst();
    }

    private Recaller recaller(Space s) {
        return recallers.computeIfAbsent(s.id(), id -> new Recaller(db, s, options));
    }

    /** Cues are all checked (files exist and decode, traces and concepts exist) before any is recalled. */
    private List<Cue> parse() {
        List<Cue> parsed = new ArrayList<>();
        List<String> images = new ArrayList<>();
        List<String> sounds = new ArrayList<>();
        List<String> vectors = new ArrayList<>();
        List<TextInput> textCues = new ArrayList<>();
        for (int i = 0; i < texts.size(); i++) {
            textCues.add(textCue("text", i + 1, texts.get(i)));
        }
        for (String cue : cues) {
            if (cue.startsWith("trace:")) {
                long id = parseId(cue);
                Trace trace = db.trace(id).orElseThrow(() -> EngramException.unknown("no trace " + id + " in store "
                        + db.location()));
                parsed.add(new TraceCue(cue, trace));
            } else if (cue.startsWith("text:")) {
                textCues.add(textCue("text", textCues.size() + 1, cue.substring("text:".length())));
            } else if (cue.equals("-")) {
                images.add(cue);
            } else if (Files.exists(Path.of(cue))) {
                Modality m = Modality.guess(Path.of(cue));
                (m == Modality.AUDIO ? sounds : m == Modality.VECTOR ? vectors : images).add(cue);
            } else {
                String name = cue.startsWith("concept:") ? cue.substring("concept:".length()) : cue;
                Optional<Concept> concept = db.concept(name);
                if (concept.isEmpty()) {
                    throw EngramException.unknown("cue '" + cue + "' is neither a file, a text (text:STRING), a trace"
                            + " (trace:ID) nor a known concept");
                }
                parsed.add(new ConceptCue(cue, concept.get()));
            }
        }
        if (!vectors.isEmpty()) {
            parsed.addFirst(new PerceptionCues(spaceFor(Modality.VECTOR), "vector", VectorSources.read(vectors)));
        }
        if (!sounds.isEmpty()) {
            parsed.addFirst(new PerceptionCues(spaceFor(Modality.AUDIO), "audio",
                    AudioSources.resolve(sounds).readAll()));
        }
        if (!textCues.isEmpty()) {
            Space textSpace = spaceFor(Modality.TEXT);
            TextSpaces.requireModel(textSpace, SentenceEncoder.shared());
            parsed.addFirst(new TextCues(textSpace, textCues));
        }
        if (!images.isEmpty()) {
            Space imageSpace = spaceFor(Modality.IMAGE);
            ImageShape shape = ImageSpaces.shape(imageSpace);
            ImageSources sources = ImageSources.resolve(images, System.in);
            if (!resize) {
                for (Path file : sources.files()) {
                    ImageShape found = ImageSources.resolve(List.of(file.toString())).inferShape();
                    if (found.height() != shape.height() || found.width() != shape.width()) {
                        throw EngramException.wrongShape("cue " + file + " is " + found.height() + "x"
                                + found.width() + " but space " + imageSpace.name() + " holds " + shape.height()
                                + "x" + shape.width() + " images; pass --resize to scale it");
                    }
                }
            }
            parsed.addFirst(new PerceptionCues(imageSpace, "image", sources.readAll(shape)));
        }
        return parsed;
    }

    private static TextInput textCue(String source, int index, String text) {
        if (text.isBlank()) {
            throw EngramException.invalidInput("text cue " + index + " is empty: give some words to recall from");
        }
        return new TextInput(source, index, text.strip());
    }

    private static long parseId(String cue) {
        try {
            return Long.parseLong(cue.substring("trace:".length()));
        } catch (NumberFormatException e) {
            throw EngramException.invalidInput("'" + cue + "' is not a trace id (trace:ID with a number)");
        }
    }

    private sealed interface Cue permits PerceptionCues, TextCues, TraceCue, ConceptCue {
        int recall(RecallCommand command, Console console);
    }

    /** Cues for an autoencoder space, encoded and decoded in batches with the model loaded once. */
    private record PerceptionCues(Space space, String kind, List<? extends Perception> inputs) implements Cue {
        @Override
        public int recall(RecallCommand command, Console console) {
            int batch = 512;
            Recaller recaller = command.recaller(space);
            for (int from = 0; from < inputs.size(); from += batch) {
                List<? extends Perception> slice = inputs.subList(from, Math.min(inputs.size(), from + batch));
                float[][] values = AutoencoderSpaces.values(slice);
                Autoencoder model = command.model(space);
                float[][] latents = model.encode(values);
                float[][] reconstructions = model.decode(latents);
                double[] surprise = model.surprise(values, reconstructions);
                for (int i = 0; i < slice.size(); i++) {
                    Perception p = slice.get(i);
                    String cue = Trace.sourceLabel(p.source(), p.index());
                    command.emit(recaller.recall(cue, kind, latents[i], surprise[i]), space, reconstructions[i]);
                    console.progress("recall", from + i + 1, inputs.size());
                }
            }
            console.clearProgress();
            return inputs.size();
        }
    }

    /** Text cues: one batch through the sentence encoder; surprise is the distance to the nearest stored text. */
    private record TextCues(Space space, List<TextInput> inputs) implements Cue {
        @Override
        public int recall(RecallCommand command, Console console) {
            float[][] vectors = SentenceEncoder.shared().encode(inputs.stream().map(TextInput::text).toList());
            Recaller recaller = command.recaller(space);
            for (int i = 0; i < inputs.size(); i++) {
                double surprise = TextSpaces.surprise(command.db, space, vectors[i]);
                command.emit(recaller.recall(inputs.get(i).text(), "text", vectors[i], surprise), space, null);
            }
            return inputs.size();
        }
    }

    private record TraceCue(String cue, Trace trace) implements Cue {
        @Override
        public int recall(RecallCommand command, Console console) {
            Space space = command.spaces.get(trace.spaceId());
            command.emit(command.recaller(space).recall(cue, "trace", trace.vector(), trace.surprise()), space, null);
            return 1;
        }
    }

    private record ConceptCue(String cue, Concept concept) implements Cue {
        @Override
        public int recall(RecallCommand command, Console console) {
            // Any recaller serves: a concept cue looks at no space's neighbours.
            Recaller recaller = new Recaller(command.db, null, command.options);
            command.emit(recaller.recall(cue, concept), null, null);
            return 1;
        }
    }

    /** The space's autoencoder, loaded on first use: once per run, and not at all for concept cues. */
    private Autoencoder model(Space s) {
        return models.computeIfAbsent(s.id(), id -> AutoencoderSpaces.load(db, s));
    }

    private void emit(Recaller.Recollection r, Space cueSpace, float[] cueReconstruction) {
        cueNumber++;
        Map<Long, String> files = reconstruct == null ? Map.of() : writeReconstructions(r, cueSpace, cueReconstruction);
        if (out.json()) {
            out.jsonLine(json(r, files));
        } else if (brief) {
            Recaller.ConceptScore top = r.top();
            briefTable.row(r.cue(), top == null ? "-" : top.concept().label(), top == null ? Double.NaN : top.score(),
                    r.surprise(), r.surprisePercentile());
        } else {
            table(r, files);
        }
    }

    private Map<Long, String> writeReconstructions(Recaller.Recollection r, Space cueSpace, float[] cueReconstruction) {
        Map<Long, String> written = new LinkedHashMap<>();
        try {
            if (cueReconstruction != null) {
                Path file = reconstruct.resolve("cue-" + cueNumber + extension(cueSpace));
                writePicture(cueSpace, cueReconstruction, file);
                written.put(0L, file.toString());
            }
            List<Trace> traces = new ArrayList<>();
            r.neighbours().forEach(h -> traces.add(h.trace()));
            r.concepts().forEach(c -> c.members().forEach(m -> traces.add(m.trace())));
            List<Trace> decodable = traces.stream().filter(t -> hasPicture(spaces.get(t.spaceId()))).toList();
            // A trace recalled by many cues is decoded and written once per run.
            Map<Integer, List<Trace>> todo = new LinkedHashMap<>();
            for (Trace t : decodable) {
                if (reconstructed.add(t.id())) {
                    todo.computeIfAbsent(t.spaceId(), s -> new ArrayList<>()).add(t);
                }
            }
            for (Map.Entry<Integer, List<Trace>> group : todo.entrySet()) {
                Space s = spaces.get(group.getKey());
                List<Trace> list = group.getValue();
                float[][] decoded = model(s).decode(list.stream().map(Trace::vector).toArray(float[][]::new));
                for (int i = 0; i < list.size(); i++) {
                    writePicture(s, decoded[i], tracePng(list.get(i)));
                }
            }
            for (Trace t : decodable) {
                written.put(t.id(), tracePng(t).toString());
            }
        } catch (IOException e) {
            throw EngramException.invalidInput("cannot write reconstructions to " + reconstruct + ": " + e.getMessage(), e);
        }
        return written;
    }

    /** Whether the space's decoder output is written as a file: every autoencoder space's is. */
    private static boolean hasPicture(Space s) {
        return s != null && !s.modality().equals(Modality.TEXT.id());
    }

    /** A reconstruction as a file: a PNG for images, a spectrogram PNG for sound, a CSV row for vectors. */
    private static void writePicture(Space s, float[] values, Path file) throws IOException {
        switch (Modality.of(s.modality())) {
            case IMAGE -> PngWriter.write(values, ImageSpaces.shape(s), file);
            case AUDIO -> SpectrogramPng.write(values, file);
            case VECTOR -> Files.writeString(file, csvRow(values) + "\n");
            case TEXT -> throw new IllegalStateException("text spaces have no decoder");
        }
    }

    private static String csvRow(float[] values) {
        StringBuilder row = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            row.append(i == 0 ? "" : ",").append(values[i]);
        }
        return row.toString();
    }

    private Path tracePng(Trace trace) {
        return reconstruct.resolve("trace-" + trace.id() + extension(spaces.get(trace.spaceId())));
    }

    private static String extension(Space s) {
        return s.modality().equals(Modality.VECTOR.id()) ? ".csv" : ".png";
    }

    private static void createDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw EngramException.invalidInput("cannot create --reconstruct directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private Map<String, Object> json(Recaller.Recollection r, Map<Long, String> files) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("cue", r.cue());
        json.put("kind", r.kind());
        if (!Double.isNaN(r.surprise())) {
            json.put("surprise", r.surprise());
            json.put("surprise_percentile", r.surprisePercentile());
        }
        if (files.containsKey(0L)) {
            json.put("reconstruction", files.get(0L));
        }
        List<Map<String, Object>> concepts = new ArrayList<>();
        for (Recaller.ConceptScore c : r.concepts()) {
            Map<String, Object> concept = new LinkedHashMap<>();
            concept.put("name", c.concept().label());
            concept.put("score", c.score());
            concept.put("votes", c.votes());
            concept.put("parents", c.parents().stream().map(Concept::label).toList());
            if (siblings) {
                concept.put("siblings", c.siblings().stream().map(Concept::label).toList());
            }
            List<Map<String, Object>> list = new ArrayList<>();
            for (Recaller.Member m : c.members()) {
                Map<String, Object> member = traceRef(m.trace(), files);
                member.put("kind", m.association().kind().sqlName());
                member.put("weight", m.association().weight());
                member.put("count", m.association().count());
                list.add(member);
            }
            concept.put("members", list);
            concepts.add(concept);
        }
        json.put("concepts", concepts);
        List<Map<String, Object>> neighbours = new ArrayList<>();
        for (Recaller.Hit h : r.neighbours()) {
            Map<String, Object> hit = traceRef(h.trace(), files);
            hit.put("distance", h.distance());
            hit.put("concepts", h.concepts());
            neighbours.add(hit);
        }
        json.put("neighbours", neighbours);
        return json;
    }

    private Map<String, Object> traceRef(Trace t, Map<Long, String> files) {
        Map<String, Object> ref = new LinkedHashMap<>();
        Space s = spaces.get(t.spaceId());
        ref.put("trace", t.id());
        ref.put("space", s.name());
        ref.put("modality", s.modality());
        ref.put("source", t.sourceLabel());
        if (t.content() != null) {
            ref.put("text", t.content());
        }
        if (files.containsKey(t.id())) {
            ref.put("reconstruction", files.get(t.id()));
        }
        return ref;
    }

    /** What a person reads for a trace: its text if it has one, else its source. */
    private static String shown(Trace t) {
        return t.content() != null ? '"' + t.content() + '"' : t.sourceLabel();
    }

    private void table(Recaller.Recollection r, Map<Long, String> files) {
        StringBuilder head = new StringBuilder("cue " + r.cue());
        if (!Double.isNaN(r.surprise())) {
            head.append(String.format(java.util.Locale.ROOT, "  surprise %s (percentile %s)",
                    Output.number(r.surprise()), Output.number(r.surprisePercentile())));
        }
        Recaller.ConceptScore top = r.top();
        head.append("  ->  ").append(top == null ? "no concept" : top.concept().label());
        out.line(head.toString());
        if (!r.concepts().isEmpty()) {
            Output.Table table = siblings ? new Output.Table("concept", "score", "votes", "parents", "siblings")
                    : new Output.Table("concept", "score", "votes", "parents");
            for (Recaller.ConceptScore c : r.concepts()) {
                String chain = c.parents().isEmpty() ? "-"
                        : String.join(" > ", c.parents().stream().map(Concept::label).toList());
                if (siblings) {
                    table.row(c.concept().label(), c.score(), c.votes(), chain, c.siblings().isEmpty() ? "-"
                            : String.join(",", c.siblings().stream().map(Concept::label).toList()));
                } else {
                    table.row(c.concept().label(), c.score(), c.votes(), chain);
                }
            }
            table.print(out, "  ");
        }
        if (!r.neighbours().isEmpty()) {
            Output.Table table = new Output.Table("trace", "distance", "concepts", "source");
            for (Recaller.Hit h : r.neighbours()) {
                table.row(h.trace().id(), h.distance(), h.concepts().isEmpty() ? "-" : String.join(",", h.concepts()),
                        shown(h.trace()));
            }
            table.print(out, "  ");
        }
        if (top != null && !top.members().isEmpty()) {
            Output.Table table = new Output.Table("member", "space", "weight", "kind", "source");
            for (Recaller.Member m : top.members()) {
                table.row(m.trace().id(), spaces.get(m.trace().spaceId()).name(), m.association().weight(),
                        m.association().kind().sqlName(), shown(m.trace()));
            }
            table.print(out, "  ");
        }
        if (files.containsKey(0L)) {
            out.line("  reconstruction " + files.get(0L));
        }
        out.line("");
        out.flush();
    }
}
