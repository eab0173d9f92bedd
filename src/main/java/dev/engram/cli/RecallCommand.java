package dev.engram.cli;

import dev.engram.EngramException;
import dev.engram.encode.Autoencoder;
import dev.engram.encode.ImageSpaces;
import dev.engram.encode.image.ImageInput;
import dev.engram.encode.image.ImageShape;
import dev.engram.encode.image.ImageSources;
import dev.engram.encode.image.PngWriter;
import dev.engram.recall.Recaller;
import dev.engram.store.Concept;
import dev.engram.store.EmbeddedStore;
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
                "Recall from cues. A cue is an image (a PNG or JPEG file, a directory of them, an IDX file, "
                        + "or '-' for paths on stdin), a stored trace (trace:ID), or a concept (its name, or "
                        + "concept:NAME, or #ID for an unnamed one).",
                "",
                "For each cue: its surprise (reconstruction error, and its percentile among the space's "
                        + "traces: near 1 means unfamiliar), its k nearest traces with their distances, the "
                        + "concepts ranked by score, and the strongest traces bound to the top concepts.",
                "",
                "Score: each of the k nearest traces votes for each concept it is bound to with "
                        + "weight / (distance + 1e-9), weight being the association's Hebbian weight; a "
                        + "concept's score is its share of all votes (scores sum to 1). A concept cue scores 1.",
                "",
                "Images are encoded in batches and the model is loaded once per run, however many cues."},
        footerHeading = "%nExamples:%n",
        footer = {"  engram recall --store mem sample-data/fashion/recall/sandal-1.png",
                "  engram recall --store mem --json --reconstruct out/ sample-data/fashion/recall",
                "  engram recall --store mem sandal trace:42"})
public final class RecallCommand extends StoreCommand {
    @Mixin
    SpaceOption space;

    @Parameters(paramLabel = "CUE", arity = "1..*", description = "Image paths, '-', trace:ID, or concept names.")
    List<String> cues;

    @Option(names = "-k", defaultValue = "10", description = "Nearest traces that vote (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--concepts", defaultValue = "3", description = "Concepts to report per cue (default: ${DEFAULT-VALUE}).")
    int concepts;

    @Option(names = "--members", defaultValue = "5",
            description = "Strongest traces to list per reported concept (default: ${DEFAULT-VALUE}).")
    int members;

    @Option(names = "--reconstruct", paramLabel = "DIR",
            description = "Write the decoder's PNG of each image cue (cue-N.png) and of each recalled trace "
                    + "(trace-ID.png) into DIR.")
    Path reconstruct;

    @Option(names = "--brief", description = "One table row per cue: its top concept, score and surprise.")
    boolean brief;

    @Option(names = "--resize", description = "Resize image cues whose size differs from the space's (default: refuse them).")
    boolean resize;

    private Output out;
    private final Output.Table briefTable = new Output.Table("cue", "concept", "score", "surprise", "percentile");
    private EmbeddedStore db;
    private Space target;
    private ImageShape shape;
    private Autoencoder model;
    private int cueNumber;
    private final Set<Long> reconstructed = new HashSet<>();

    @Override
    public Integer call() {
        if (k < 1 || concepts < 1 || members < 0) {
            throw EngramException.invalidInput("-k and --concepts must be at least 1, --members at least 0");
        }
        out = out();
        Console console = console();
        int recalled = 0;
        try (EmbeddedStore opened = store.open()) {
            db = opened;
            target = space.resolve(db);
            ImageSpaces.requireImage(target);
            shape = ImageSpaces.shape(target);
            List<Cue> parsed = parse();
            Recaller recaller = new Recaller(db, target, new Recaller.Options(k, concepts, members));
            if (reconstruct != null) {
                createDirectory(reconstruct);
            }
            for (Cue cue : parsed) {
                recalled += cue.recall(this, recaller, console);
            }
            if (brief && !out.json()) {
                briefTable.print(out, "");
            }
        } finally {
            if (model != null) {
                model.close();
            }
        }
        console.note("recalled %d cues", recalled);
        return 0;
    }

    /** Cues are all checked (files exist and decode, traces and concepts exist) before any is recalled. */
    private List<Cue> parse() {
        List<Cue> parsed = new ArrayList<>();
        List<String> images = new ArrayList<>();
        for (String cue : cues) {
            if (cue.startsWith("trace:")) {
                long id = parseId(cue);
                Trace trace = db.trace(id).filter(t -> t.spaceId() == target.id())
                        .orElseThrow(() -> EngramException.unknown("no trace " + id + " in space " + target.name()));
                parsed.add(new TraceCue(cue, trace));
            } else if (cue.equals("-") || Files.exists(Path.of(cue))) {
                images.add(cue);
            } else {
                String name = cue.startsWith("concept:") ? cue.substring("concept:".length()) : cue;
                Optional<Concept> concept = db.concept(name);
                if (concept.isEmpty()) {
                    throw EngramException.unknown("cue '" + cue + "' is neither a file, a trace (trace:ID) nor a"
                            + " known concept");
                }
                parsed.add(new ConceptCue(cue, concept.get()));
            }
        }
        if (!images.isEmpty()) {
            ImageSources sources = ImageSources.resolve(images, System.in);
            if (!resize) {
                for (Path file : sources.files()) {
                    ImageShape found = ImageSources.resolve(List.of(file.toString())).inferShape();
                    if (found.height() != shape.height() || found.width() != shape.width()) {
                        throw EngramException.wrongShape("cue " + file + " is " + found.height() + "x"
                                + found.width() + " but space " + target.name() + " holds " + shape.height() + "x"
                                + shape.width() + " images; pass --resize to scale it");
                    }
                }
            }
            parsed.addFirst(new ImageCues(sources.readAll(shape)));
        }
        return parsed;
    }

    private static long parseId(String cue) {
        try {
            return Long.parseLong(cue.substring("trace:".length()));
        } catch (NumberFormatException e) {
            throw EngramException.invalidInput("'" + cue + "' is not a trace id (trace:ID with a number)");
        }
    }

    private sealed interface Cue permits ImageCues, TraceCue, ConceptCue {
        int recall(RecallCommand command, Recaller recaller, Console console);
    }

    private record ImageCues(List<ImageInput> inputs) implements Cue {
        @Override
        public int recall(RecallCommand command, Recaller recaller, Console console) {
            int batch = 512;
            for (int from = 0; from < inputs.size(); from += batch) {
                List<ImageInput> slice = inputs.subList(from, Math.min(inputs.size(), from + batch));
                float[][] pixels = ImageSpaces.pixels(slice);
                Autoencoder model = command.model();
                float[][] latents = model.encode(pixels);
                float[][] reconstructions = model.decode(latents);
                double[] surprise = Autoencoder.reconstructionErrors(pixels, reconstructions);
                for (int i = 0; i < slice.size(); i++) {
                    Recaller.Recollection r = recaller.recall(slice.get(i).location(), "image", latents[i], surprise[i]);
                    command.emit(r, reconstructions[i]);
                    console.progress("recall", from + i + 1, inputs.size());
                }
            }
            console.clearProgress();
            return inputs.size();
        }
    }

    private record TraceCue(String cue, Trace trace) implements Cue {
        @Override
        public int recall(RecallCommand command, Recaller recaller, Console console) {
            command.emit(recaller.recall(cue, "trace", trace.vector(), trace.surprise()), null);
            return 1;
        }
    }

    private record ConceptCue(String cue, Concept concept) implements Cue {
        @Override
        public int recall(RecallCommand command, Recaller recaller, Console console) {
            command.emit(recaller.recall(cue, concept), null);
            return 1;
        }
    }

    /** The space's autoencoder, loaded on first use: once per run, and not at all for concept cues. */
    private Autoencoder model() {
        if (model == null) {
            model = ImageSpaces.load(db, target);
        }
        return model;
    }

    private void emit(Recaller.Recollection r, float[] cueReconstruction) {
        cueNumber++;
        Map<Long, String> pngs = reconstruct == null ? Map.of() : writeReconstructions(r, cueReconstruction);
        if (out.json()) {
            out.jsonLine(json(r, pngs));
        } else if (brief) {
            Recaller.ConceptScore top = r.top();
            briefTable.row(r.cue(), top == null ? "-" : top.concept().label(), top == null ? Double.NaN : top.score(),
                    r.surprise(), r.surprisePercentile());
        } else {
            table(r, pngs);
        }
    }

    private Map<Long, String> writeReconstructions(Recaller.Recollection r, float[] cueReconstruction) {
        Map<Long, String> written = new LinkedHashMap<>();
        try {
            if (cueReconstruction != null) {
                Path file = reconstruct.resolve("cue-" + cueNumber + ".png");
                PngWriter.write(cueReconstruction, shape, file);
                written.put(0L, file.toString());
            }
            List<Trace> traces = new ArrayList<>();
            r.neighbours().forEach(h -> traces.add(h.trace()));
            r.concepts().forEach(c -> c.members().forEach(m -> traces.add(m.trace())));
            List<Trace> inSpace = traces.stream().filter(t -> t.spaceId() == target.id()).toList();
            // A trace recalled by many cues is decoded and written once per run.
            List<Trace> todo = inSpace.stream().filter(t -> reconstructed.add(t.id())).toList();
            if (!todo.isEmpty()) {
                float[][] decoded = model().decode(todo.stream().map(Trace::vector).toArray(float[][]::new));
                for (int i = 0; i < todo.size(); i++) {
                    PngWriter.write(decoded[i], shape, tracePng(todo.get(i)));
                }
            }
            for (Trace t : inSpace) {
                written.put(t.id(), tracePng(t).toString());
            }
        } catch (IOException e) {
            throw EngramException.invalidInput("cannot write reconstructions to " + reconstruct + ": " + e.getMessage(), e);
        }
        return written;
    }

    private Path tracePng(Trace trace) {
        return reconstruct.resolve("trace-" + trace.id() + ".png");
    }

    private static void createDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw EngramException.invalidInput("cannot create --reconstruct directory " + dir + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, Object> json(Recaller.Recollection r, Map<Long, String> pngs) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("cue", r.cue());
        json.put("kind", r.kind());
        if (!Double.isNaN(r.surprise())) {
            json.put("surprise", r.surprise());
            json.put("surprise_percentile", r.surprisePercentile());
        }
        if (pngs.containsKey(0L)) {
            json.put("reconstruction", pngs.get(0L));
        }
        List<Map<String, Object>> concepts = new ArrayList<>();
        for (Recaller.ConceptScore c : r.concepts()) {
            Map<String, Object> concept = new LinkedHashMap<>();
            concept.put("name", c.concept().label());
            concept.put("score", c.score());
            concept.put("votes", c.votes());
            concept.put("parents", c.parents().stream().map(Concept::label).toList());
            List<Map<String, Object>> members = new ArrayList<>();
            for (Recaller.Member m : c.members()) {
                Map<String, Object> member = traceRef(m.trace(), pngs);
                member.put("kind", m.association().kind().sqlName());
                member.put("weight", m.association().weight());
                member.put("count", m.association().count());
                members.add(member);
            }
            concept.put("members", members);
            concepts.add(concept);
        }
        json.put("concepts", concepts);
        List<Map<String, Object>> neighbours = new ArrayList<>();
        for (Recaller.Hit h : r.neighbours()) {
            Map<String, Object> hit = traceRef(h.trace(), pngs);
            hit.put("distance", h.distance());
            hit.put("concepts", h.concepts());
            neighbours.add(hit);
        }
        json.put("neighbours", neighbours);
        return json;
    }

    private static Map<String, Object> traceRef(Trace t, Map<Long, String> pngs) {
        Map<String, Object> ref = new LinkedHashMap<>();
        ref.put("trace", t.id());
        ref.put("source", t.sourceLabel());
        if (pngs.containsKey(t.id())) {
            ref.put("reconstruction", pngs.get(t.id()));
        }
        return ref;
    }

    private void table(Recaller.Recollection r, Map<Long, String> pngs) {
        StringBuilder head = new StringBuilder("cue " + r.cue());
        if (!Double.isNaN(r.surprise())) {
            head.append(String.format(java.util.Locale.ROOT, "  surprise %s (percentile %s)",
                    Output.number(r.surprise()), Output.number(r.surprisePercentile())));
        }
        Recaller.ConceptScore top = r.top();
        head.append("  ->  ").append(top == null ? "no concept" : top.concept().label());
        out.line(head.toString());
        if (!r.concepts().isEmpty()) {
            Output.Table concepts = new Output.Table("concept", "score", "votes", "parents");
            for (Recaller.ConceptScore c : r.concepts()) {
                concepts.row(c.concept().label(), c.score(), c.votes(),
                        c.parents().isEmpty() ? "-" : String.join(" > ", c.parents().stream().map(Concept::label).toList()));
            }
            concepts.print(out, "  ");
        }
        if (!r.neighbours().isEmpty()) {
            Output.Table neighbours = new Output.Table("trace", "distance", "concepts", "source");
            for (Recaller.Hit h : r.neighbours()) {
                neighbours.row(h.trace().id(), h.distance(), h.concepts().isEmpty() ? "-" : String.join(",", h.concepts()),
                        h.trace().sourceLabel());
            }
            neighbours.print(out, "  ");
        }
        if (top != null && !top.members().isEmpty()) {
            Output.Table members = new Output.Table("member", "weight", "kind", "source");
            for (Recaller.Member m : top.members()) {
                members.row(m.trace().id(), m.association().weight(), m.association().kind().sqlName(),
                        m.trace().sourceLabel());
            }
            members.print(out, "  ");
        }
        if (pngs.containsKey(0L)) {
            out.line("  reconstruction " + pngs.get(0L));
        }
        out.line("");
        out.flush();
    }
}
