package dev.engram.app;

import dev.engram.EngramException;
import dev.engram.bind.Binder;
import dev.engram.bind.Hypernyms;
import dev.engram.bind.LabelFiles;
import dev.engram.bind.Lexicon;
import dev.engram.bind.Senses;
import dev.engram.bind.WordNet;
import dev.engram.encode.text.SentenceEncoder;
import dev.engram.encode.text.TextInput;
import dev.engram.encode.text.TextModel;
import dev.engram.encode.text.TextSpaces;
import dev.engram.store.Concept;
import dev.engram.store.ConceptRules;
import dev.engram.store.NewTrace;
import dev.engram.store.Space;
import dev.engram.store.Store;
import dev.engram.store.StoreLocation;
import dev.engram.store.Writes;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The bind use case: binding passes over an existing store, in a fixed order (labels, folder
 * names, synchrony with its time windows, locality, then parents and names, then WordNet).
 * Every file it needs (labels, the dictionary) is read before the store is opened, so a bad
 * file leaves the store as it was. A run is stored whole or not at all: a run of one pass in a
 * unit after its computation, a run of several in one unit around them all.
 */
public final class Bind {
    /** The text space a lexicon makes when the store has none. */
    public static final String LEXICON_SPACE = "text";

    private Bind() {
    }

    /**
     * What to bind.
     *
     * @param space        the space of the label, folder and locality passes (null: the store's only space;
     *                     synchrony then works across every space)
     * @param labels       a labels CSV (source,concept) or IDX label file; null for none
     * @param labelImages  the IDX image file an IDX label file labels; null for a CSV
     * @param classNames   concept names of IDX labels 0, 1, ...; empty for the numbers
     * @param window       with synchrony, the time window that binds traces outside events; null for none
     * @param maxDistance  the locality bound; NaN for the default ({@link Binder#locality})
     * @param parents      child -> parent concept names
     * @param names        {@code #ID} -> name
     * @param wordnet      the WordNet dictionary directory; null for no WordNet pass
     * @param wordnetConcepts the concepts whose chains to import (empty: every named concept)
     * @param wordnetDepth at most this many parents per chain
     * @param lexicon      with WordNet, whether to bind what it says of each concept as texts ({@link Lexicon#of})
     * @param glossary     a CSV of {@code concept,text} to bind as lexicon texts; null for none
     * @param textModel    the sentence encoder if the lexicon makes the store's first text space; null: the default
     * @param rate         the Hebbian learning rate in (0, 1]
     */
    public record Request(String space, Path labels, Path labelImages, List<String> classNames, boolean fromDirs,
                          boolean synchrony, Duration window, boolean locality, int k, double maxDistance,
                          Map<String, String> parents, Map<String, String> names, Path wordnet,
                          List<String> wordnetConcepts, int wordnetDepth, boolean lexicon, Path glossary,
                          String textModel, double rate) {
    }

    /**
     * What was bound: one result per pass in the order run, the space they ran in (null when
     * synchrony ran across spaces), the WordNet import (null without one) with the sense taken
     * for each concept found, and the lexicon texts bound (empty without).
     */
    public record Result(Space space, List<Binder.Result> passes, int parentsSet, int namesSet,
                         Hypernyms.Report wordnet, Path dictionary, Map<String, Senses.Choice> senses,
                         Space textSpace, List<Lexicon.Text> lexicon) {
    }

    public static Result run(StoreLocation location, Request request) {
        if (request.window() != null && !request.synchrony()) {
            throw EngramException.invalidInput("--window groups traces for --synchrony; give --synchrony too");
        }
        if (request.wordnet() == null && (request.wordnetDepth() != Integer.MAX_VALUE
                || !request.wordnetConcepts().isEmpty() || !request.lexicon())) {
            throw EngramException.invalidInput("--wordnet-depth, --concept and --no-lexicon go with --wordnet;"
                    + " give --wordnet too");
        }
        if (request.labels() == null && !request.fromDirs() && !request.synchrony() && !request.locality()
                && request.parents().isEmpty() && request.names().isEmpty() && request.wordnet() == null
                && request.glossary() == null) {
            throw EngramException.nothingToDo("nothing to bind: give --labels, --from-dirs, --synchrony, --locality,"
                    + " --parent, --name, --wordnet or --glossary");
        }
        TextModel textModel = request.textModel() == null ? null : TextModel.named(request.textModel());
        if (textModel != null && !lexicon(request)) {
            throw EngramException.invalidInput("--text-model chooses the encoder of the lexicon's text space; it goes"
                    + " with --wordnet (without --no-lexicon) or --glossary");
        }
        // Read the dictionary, the glossary and the labels before opening the store: a missing
        // or bad file must not leave a half-bound store.
        WordNet dictionary = request.wordnet() == null ? null : WordNet.open(request.wordnet());
        List<Lexicon.Text> glossary = request.glossary() == null ? List.of() : Lexicon.glossary(request.glossary());
        if (request.labelImages() != null && request.labels() == null) {
            throw EngramException.invalidInput("--images names the IDX file that an IDX --labels file labels;"
                    + " give --labels too");
        }
        // Names are checked before the first pass: a bad --parent or --name must not come to light
        // after the label passes have been stored.
        request.parents().forEach((child, parent) -> {
            requireName(child);
            requireName(parent);
        });
        request.names().values().forEach(ConceptRules::requireValidName);
        Map<String, String> labelled = request.labels() == null ? null : request.labelImages() != null
                ? LabelFiles.idx(request.labels(), request.labelImages(), request.classNames())
                : LabelFiles.csv(request.labels());
        try (Store store = location.open()) {
            store.requireWritable();
            // A bind of one pass computes from the store as committed and stores in one short
            // unit. Passes build on each other (locality votes with the labels just bound), so a
            // bind of several runs them all in one unit: stored whole or not at all, never half a
            // run that a re-run would strengthen twice (docs/architecture.md, "Many processes,
            // one store").
            return passes(request) > 1
                    ? store.write(tx -> bind(store, Writes.within(tx), request, labelled, dictionary, glossary, textModel))
                    : bind(store, store, request, labelled, dictionary, glossary, textModel);
        }
    }

    private static int passes(Request request) {
        return (request.labels() != null ? 1 : 0) + (request.fromDirs() ? 1 : 0) + (request.synchrony() ? 1 : 0)
                + (request.window() != null ? 1 : 0) + (request.locality() ? 1 : 0)
                + (request.parents().isEmpty() && request.names().isEmpty() ? 0 : 1)
                + (request.wordnet() != null ? 1 : 0) + (lexicon(request) ? 1 : 0);
    }

    /** Whether the run binds lexicon texts: WordNet's (unless --no-lexicon) or a glossary's. */
    private static boolean lexicon(Request request) {
        return (request.wordnet() != null && request.lexicon()) || request.glossary() != null;
    }

    private static Result bind(Store store, Writes writes, Request request, Map<String, String> labelled,
                               WordNet dictionary, List<Lexicon.Text> glossary, TextModel textModel) {
        Binder binder = new Binder(store, writes, request.rate());
        boolean needsSpace = labelled != null || request.fromDirs() || request.locality();
        // Synchrony works across spaces: it needs no space, but keeps to one when told to.
        Space target = needsSpace || request.space() != null ? Spaces.resolve(store, request.space())
                : store.spaces().size() == 1 ? store.spaces().getFirst() : null;
        List<Binder.Result> passes = new ArrayList<>();
        if (labelled != null) {
            passes.add(binder.labels(target, labelled));
        }
        if (request.fromDirs()) {
            passes.add(binder.directories(target));
        }
        if (request.synchrony()) {
            synchrony(binder, store, target, request.window(), passes);
        }
        if (request.locality()) {
            passes.add(binder.locality(target, request.k(), request.maxDistance()));
        }
        binder.hierarchy(request.parents(), request.names());
        Hypernyms.Report imported = null;
        Map<String, Senses.Choice> senses = Map.of();
        List<Lexicon.Text> texts = new ArrayList<>(glossary);
        // The names of the concepts the memory perceived (bound to a trace), read once.
        Set<String> perceived = lexicon(request) ? perceived(store) : Set.of();
        if (dictionary != null) {
            List<Concept> concepts = Hypernyms.concepts(store, request.wordnetConcepts());
            senses = Senses.choose(dictionary, Hypernyms.parents(store, concepts, request.parents()));
            imported = new Hypernyms(store, writes, dictionary).importChains(concepts, senses, request.wordnetDepth());
            if (request.lexicon()) {
                // The concepts perceived (bound to a trace) or named by --concept: not the bare
                // hierarchy nodes an import made, whose words (a garment's dozens of kinds, the
                // gloss of entity) would draw cues away from the concepts the memory holds.
                for (Concept c : concepts) {
                    Senses.Choice choice = senses.get(c.name());
                    if (choice != null && (!request.wordnetConcepts().isEmpty() || perceived.contains(c.name()))) {
                        texts.addAll(Lexicon.of(dictionary, choice.entry()));
                    }
                }
            }
        }
        Space textSpace = null;
        List<Lexicon.Text> bound = List.of();
        if (!texts.isEmpty()) {
            // The perceived concepts' names: each is its concept's own text already. A bare
            // hierarchy node's name (sweater, above pullover) may be a lexicon text.
            List<String> names = new ArrayList<>(perceived);
            glossary.forEach(t -> names.add(t.concept()));
            bound = Lexicon.distinct(texts, names);
            textSpace = textSpace(store, request.space(), textModel);
            SentenceEncoder encoder = SentenceEncoder.shared(textSpace.recorded()
                    ? TextModel.requireSame(textSpace, textModel) : TextModel.of(textSpace));
            List<NewTrace> traces = TextSpaces.traces(store, textSpace, encoder, bound.stream()
                    .map(t -> new TextInput(t.source(), t.index(), t.text())).toList());
            passes.add(binder.lexicon(textSpace, traces, bound));
        }
        return new Result(target, passes, request.parents().size(), request.names().size(), imported,
                dictionary == null ? null : dictionary.directory(), senses, textSpace, bound);
    }

    private static Set<String> perceived(Store store) {
        Set<String> names = new HashSet<>();
        for (Concept c : store.concepts()) {
            if (c.name() != null && !store.membersPerSpace(c, 1).isEmpty()) {
                names.add(c.name());
            }
        }
        return names;
    }

    /**
     * The text space lexicon texts go to: the one {@code --space} names if it is a text space,
     * else the store's only text space, else (none yet) a new space {@value #LEXICON_SPACE}
     * encoded by {@code model} (null: the default).
     */
    private static Space textSpace(Store store, String named, TextModel model) {
        if (named != null) {
            Space space = Spaces.named(store, named);
            if (space.modality().equals(TextSpaces.MODALITY)) {
                return space;
            }
        }
        List<Space> texts = store.spaces().stream().filter(s -> s.modality().equals(TextSpaces.MODALITY)).toList();
        if (texts.size() > 1) {
            throw EngramException.invalidInput("the store has " + texts.size() + " text spaces (" + String.join(", ",
                    texts.stream().map(Space::name).toList()) + "): name the lexicon's with --space");
        }
        if (texts.size() == 1) {
            return texts.getFirst();
        }
        Optional<Space> taken = store.space(LEXICON_SPACE);
        if (taken.isPresent()) {
            throw EngramException.invalidInput("the store has no text space, and its space '" + LEXICON_SPACE
                    + "' holds " + taken.get().modality() + ": encode some text first");
        }
        return TextSpaces.draft(LEXICON_SPACE, SentenceEncoder.shared(model == null ? TextModel.DEFAULT : model));
    }

    /** A concept a user names: a valid name, or the {@code #ID} label of an unnamed concept. */
    private static void requireName(String label) {
        if (ConceptRules.parseLabel(label).isEmpty()) {
            ConceptRules.requireValidName(label);
        }
    }

    /** Event synchrony, then time windows; only finding neither is nothing to do. */
    private static void synchrony(Binder binder, Store store, Space target, Duration window,
                                  List<Binder.Result> passes) {
        if (window == null || !store.eventTraces(target).isEmpty()) {
            passes.add(binder.synchrony(target));
        }
        if (window != null) {
            Binder.Result windows = binder.windows(target, window);
            if (windows.bound() == 0 && passes.isEmpty()) {
                throw EngramException.nothingToDo("no events, and no " + window + " window holds traces of two spaces"
                        + " (" + windows.unbound() + " traces outside events); encode a manifest, or widen --window");
            }
            passes.add(windows);
        }
    }
}
