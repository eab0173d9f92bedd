package dev.engram.app;

import dev.engram.EngramException;
import dev.engram.encode.Given;
import dev.engram.encode.Input;
import dev.engram.encode.Modalities;
import dev.engram.encode.Modality;
import dev.engram.encode.Reading;
import dev.engram.encode.ReconstructionWriter;
import dev.engram.encode.Sources;
import dev.engram.encode.SpaceEncoder;
import dev.engram.encode.text.TextModality;
import dev.engram.recall.Recaller;
import dev.engram.store.Concept;
import dev.engram.store.Space;
import dev.engram.store.Store;
import dev.engram.store.Trace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Recall: from cues of any modality, stored traces and concepts to the concepts they evoke
 * ({@link Recaller}), with reconstructions written on request. Every cue is read and checked
 * before any is recalled; each space's encoder is opened once per run, however many cues.
 */
public final class Recall {
    /** Cues encoded per call of an encoder: a bound on the memory of a long run. */
    private static final int BATCH = 512;

    /**
     * What to recall from and what to report.
     *
     * @param cues        paths (files, directories, {@code -} for paths on standard input),
     *                    {@code text:STRING}, {@code trace:ID}, concept names
     * @param texts       text cues
     * @param space       the space for cues of its modality, or null for the store's only one
     * @param modalities  the modalities whose traces are listed as members (empty: all)
     * @param reconstruct where to write reconstructions, or null
     * @param resize      whether image cues of another size are resized rather than refused
     * @param stdin       what {@code -} reads
     */
    public record Request(List<String> cues, List<String> texts, String space, List<String> modalities, int k,
                          int concepts, int members, boolean siblings, Path reconstruct, boolean resize,
                          InputStream stdin) {
        public Request {
            cues = List.copyOf(cues);
            texts = List.copyOf(texts);
            modalities = List.copyOf(modalities);
            if (k < 1 || concepts < 1 || members < 0) {
                throw EngramException.invalidInput("-k and --concepts must be at least 1, --members at least 0");
            }
            if (cues.isEmpty() && texts.isEmpty()) {
                throw EngramException.nothingToDo("nothing to recall from: give cues (files, '-', text:STRING,"
                        + " trace:ID, concept names) or --text");
            }
        }
    }

    /**
     * What one cue recalled, and the reconstructions written for it: of the cue itself (null
     * if none) and of the recalled traces, by trace id.
     */
    public record Recalled(Recaller.Recollection recollection, Path reconstruction, Map<Long, Path> traces) {
    }

    /** How many cues were recalled. */
    public record Result(int cues) {
    }

    private final Store store;
    private final Request request;
    private final Progress progress;
    private final Consumer<Recalled> each;
    private final Map<Integer, Space> spaces = new HashMap<>();
    private final Recaller.Options options;
    private final Map<Integer, Recaller> recallers = new HashMap<>();
    private final Map<Integer, SpaceEncoder<?>> encoders = new HashMap<>();
    private final Set<Long> reconstructed = new HashSet<>();
    private int cueNumber;

    private Recall(Store store, Request request, Progress progress, Consumer<Recalled> each) {
        this.store = store;
        this.request = request;
        this.progress = progress;
        this.each = each;
        store.spaces().forEach(s -> spaces.put(s.id(), s));
        this.options = new Recaller.Options(request.k(), request.concepts(), request.members(), memberSpaces(),
                request.siblings());
    }

    /**
     * Recalls from every cue, handing each cue's recollection to {@code each} as soon as it is
     * made: a run may recall thousands of cues, and a pipeline reading the output should not
     * wait for the last.
     */
    public static Result run(Store store, Request request, Progress progress, Consumer<Recalled> each) {
        Recall recall = new Recall(store, request, progress, each);
        try {
            List<Cue> cues = recall.parse();
            if (request.reconstruct() != null) {
                createDirectory(request.reconstruct());
            }
            int recalled = 0;
            for (Cue cue : cues) {
                recalled += cue.recall(recall);
            }
            return new Result(recalled);
        } finally {
            recall.encoders.values().forEach(SpaceEncoder::close);
        }
    }

    /** Ids of the spaces whose traces the requested modalities let through (null: all). */
    private Set<Integer> memberSpaces() {
        if (request.modalities().isEmpty()) {
            return null;
        }
        Set<String> wanted = new HashSet<>();
        for (String m : request.modalities()) {
            wanted.add(Modalities.of(m.strip()).id());
        }
        Set<Integer> ids = new HashSet<>();
        spaces.values().stream().filter(s -> wanted.contains(s.modality())).forEach(s -> ids.add(s.id()));
        return ids;
    }

    // --- cues: all checked (files exist and decode, traces and concepts exist) before any is recalled

    private sealed interface Cue permits Cues, TraceCue, ConceptCue {
        int recall(Recall recall);
    }

    private List<Cue> parse() {
        List<Cue> parsed = new ArrayList<>();
        List<Given> texts = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        request.texts().forEach(text -> texts.add(textCue(texts.size() + 1, text)));
        for (String cue : request.cues()) {
            if (cue.startsWith("trace:")) {
                long id = parseId(cue);
                Trace trace = store.trace(id).orElseThrow(() -> EngramException.unknown("no trace " + id
                        + " in store " + store.location()));
                parsed.add(new TraceCue(cue, trace));
            } else if (cue.startsWith("text:")) {
                texts.add(textCue(texts.size() + 1, cue.substring("text:".length())));
            } else if (cue.equals("-") || Files.exists(Path.of(cue))) {
                paths.add(cue);
            } else {
                String name = cue.startsWith("concept:") ? cue.substring("concept:".length()) : cue;
                Optional<Concept> concept = store.concept(name);
                if (concept.isEmpty()) {
                    throw EngramException.unknown("cue '" + cue + "' is neither a file, a text (text:STRING), a"
                            + " trace (trace:ID) nor a known concept");
                }
                parsed.add(new ConceptCue(cue, concept.get()));
            }
        }
        // Each file a cue of its own kind; a directory gives its files of every kind.
        Map<Modality<?>, List<String>> files = new HashMap<>();
        if (!paths.isEmpty()) {
            for (Path file : Modalities.files().resolve(paths, request.stdin())) {
                files.computeIfAbsent(Modalities.ofPath(file), m -> new ArrayList<>()).add(file.toString());
            }
        }
        List<Cue> perceived = new ArrayList<>();
        for (Modality<?> modality : Modalities.all()) {
            List<Given> literals = modality == TextModality.INSTANCE ? texts : List.of();
            List<String> arguments = files.getOrDefault(modality, List.of());
            if (!literals.isEmpty() || !arguments.isEmpty()) {
                perceived.add(cues(modality, new Sources(literals, arguments, List.of())));
            }
        }
        perceived.addAll(parsed);
        return perceived;
    }

    private <I extends Input> Cues<I> cues(Modality<I> modality, Sources sources) {
        Space space = spaceFor(modality);
        List<I> inputs = modality.read(sources, Reading.cues(space, request.resize(), request.stdin())).items();
        // The space's surprises are read while its network loads: at 10^6 traces each took about
        // half a second of a one-cue recall, one after the other.
        store.warm(space);
        SpaceEncoder<I> encoder = modality.open(store, space);
        encoders.put(space.id(), encoder);
        return new Cues<>(modality, encoder, inputs);
    }

    private static Given textCue(int index, String text) {
        if (text.isBlank()) {
            throw EngramException.invalidInput("text cue " + index + " is empty: give some words to recall from");
        }
        return Given.text("text cue " + index, "text", index, text.strip());
    }

    private static long parseId(String cue) {
        try {
            return Long.parseLong(cue.substring("trace:".length()));
        } catch (NumberFormatException e) {
            throw EngramException.invalidInput("'" + cue + "' is not a trace id (trace:ID with a number)");
        }
    }

    /** The space a cue of this modality is encoded into: the requested one if it holds the modality, else the only one. */
    private Space spaceFor(Modality<?> modality) {
        if (request.space() != null) {
            Space named = Spaces.named(store, request.space());
            if (named.modality().equals(modality.id())) {
                return named;
            }
        }
        List<Space> candidates = spaces.values().stream().filter(s -> s.modality().equals(modality.id()))
                .sorted(Comparator.comparing(Space::name)).toList();
        if (candidates.isEmpty()) {
            throw EngramException.unknown("store " + store.location() + " has no " + modality.id() + " space to"
                    + " recall " + modality.id() + " cues from");
        }
        if (candidates.size() > 1) {
            throw EngramException.invalidInput("store " + store.location() + " has " + candidates.size() + " "
                    + modality.id() + " spaces (" + String.join(", ", candidates.stream().map(Space::name).toList())
                    + "); choose one with --space");
        }
        return candidates.getFirst();
    }

    private Recaller recaller(Space s) {
        return recallers.computeIfAbsent(s.id(), id -> new Recaller(store, s, options));
    }

    /** Cues of one modality, encoded (and decoded, where the space has a decoder) in batches. */
    private record Cues<I extends Input>(Modality<I> modality, SpaceEncoder<I> encoder, List<I> inputs)
            implements Cue {
        @Override
        public int recall(Recall recall) {
            Space space = encoder.space();
            Recaller recaller = recall.recaller(space);
            for (int from = 0; from < inputs.size(); from += BATCH) {
                List<I> slice = inputs.subList(from, Math.min(inputs.size(), from + BATCH));
                SpaceEncoder.Encoded encoded = encoder.encode(slice);
                List<Recaller.Recollection> recalled = recaller.recallAll(slice.stream().map(Input::label).toList(),
                        modality.id(), encoded.vectors(), encoded.surprise());
                for (int i = 0; i < slice.size(); i++) {
                    recall.emit(recalled.get(i), space, encoded.reconstructions() == null ? null
                            : encoded.reconstructions()[i]);
                    recall.progress.progress("recall", from + i + 1, inputs.size());
                }
            }
            recall.progress.clearProgress();
            return inputs.size();
        }
    }

    private record TraceCue(String cue, Trace trace) implements Cue {
        @Override
        public int recall(Recall recall) {
            Space space = recall.spaces.get(trace.spaceId());
            recall.emit(recall.recaller(space).recall(cue, "trace", trace.vector(), trace.surprise()), space, null);
            return 1;
        }
    }

    private record ConceptCue(String cue, Concept concept) implements Cue {
        @Override
        public int recall(Recall recall) {
            // Any recaller serves: a concept cue looks at no space's neighbours.
            recall.emit(new Recaller(recall.store, null, recall.options).recall(cue, concept), null, null);
            return 1;
        }
    }

    // --- reconstructions

    private void emit(Recaller.Recollection r, Space cueSpace, float[] cueReconstruction) {
        cueNumber++;
        Path reconstruction = null;
        Map<Long, Path> traces = Map.of();
        if (request.reconstruct() != null) {
            try {
                if (cueReconstruction != null) {
                    reconstruction = write(cueSpace, cueReconstruction, "cue-" + cueNumber);
                }
                traces = reconstructTraces(r);
            } catch (IOException e) {
                throw EngramException.invalidInput("cannot write reconstructions to " + request.reconstruct() + ": "
                        + e.getMessage(), e);
            }
        }
        each.accept(new Recalled(r, reconstruction, traces));
    }

    /** The reconstructions of the recalled traces of spaces with a decoder; each trace is decoded once per run. */
    private Map<Long, Path> reconstructTraces(Recaller.Recollection r) throws IOException {
        List<Trace> traces = new ArrayList<>();
        r.neighbours().forEach(h -> traces.add(h.trace()));
        r.concepts().forEach(c -> c.members().forEach(m -> traces.add(m.trace())));
        List<Trace> decodable = traces.stream().filter(t -> decoder(spaces.get(t.spaceId())).isPresent()).toList();
        Map<Integer, List<Trace>> todo = new LinkedHashMap<>();
        for (Trace t : decodable) {
            if (reconstructed.add(t.id())) {
                todo.computeIfAbsent(t.spaceId(), s -> new ArrayList<>()).add(t);
            }
        }
        for (Map.Entry<Integer, List<Trace>> group : todo.entrySet()) {
            Space s = spaces.get(group.getKey());
            List<Trace> list = group.getValue();
            SpaceEncoder.Decoder decoder = decoder(s).orElseThrow();
            float[][] decoded = decoder.decode(list.stream().map(Trace::vector).toArray(float[][]::new));
            for (int i = 0; i < list.size(); i++) {
                write(s, decoded[i], "trace-" + list.get(i).id());
            }
        }
        Map<Long, Path> written = new LinkedHashMap<>();
        for (Trace t : decodable) {
            written.put(t.id(), file(spaces.get(t.spaceId()), "trace-" + t.id()));
        }
        return written;
    }

    /** A space's decoder, where it has one and its reconstructions can be written (a pretrained network's space has none). */
    private Optional<SpaceEncoder.Decoder> decoder(Space space) {
        if (writer(space).isEmpty()) {
            return Optional.empty();
        }
        return encoders.computeIfAbsent(space.id(), id -> Modalities.of(space.modality()).open(store, space))
                .decoder();
    }

    private Path write(Space space, float[] values, String name) throws IOException {
        Path file = file(space, name);
        writer(space).orElseThrow().write(space, values, file);
        return file;
    }

    /** Where the reconstruction called {@code name} of a point of the space is written. */
    private Path file(Space space, String name) {
        return request.reconstruct().resolve(name + writer(space).orElseThrow().extension());
    }

    private static Optional<ReconstructionWriter> writer(Space space) {
        return Modalities.of(space.modality()).reconstructions();
    }

    private static void createDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw EngramException.invalidInput("cannot create --reconstruct directory " + dir + ": " + e.getMessage(), e);
        }
    }
}
