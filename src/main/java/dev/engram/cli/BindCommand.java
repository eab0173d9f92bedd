package dev.engram.cli;

import dev.engram.app.Bind;
import dev.engram.bind.Binder;
import dev.engram.bind.Hypernyms;
import dev.engram.bind.Lexicon;
import dev.engram.bind.TimeWindows;
import dev.engram.store.Space;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code engram bind}: form concepts and bind traces to them. */
@Command(name = "bind", sortOptions = false, mixinStandardHelpOptions = true,
        versionProvider = EngramCommand.Version.class,
        description = {
                "Bind traces to concepts. Passes run in this order, each once per invocation: labels (--labels, "
                        + "--from-dirs), synchrony (--synchrony), locality (--locality), then hierarchy and names "
                        + "(--parent, --name), then the lexicon (--wordnet, --glossary). Each pass prints one report "
                        + "row.",
                "",
                "Synchrony with --window binds time windows too (a second row, pass 'window'). WordNet parents "
                        + "(--wordnet) come last, after --parent, and print one row per parent link set.",
                "",
                "An association joins one concept and one trace. Binding the same pair again strengthens it "
                        + "by the Hebbian rule w <- w + rate * (1 - w), starting from 0, and counts the binding; "
                        + "its kind is the strongest evidence seen: label > synchrony > lexicon > locality.",
                "",
                "Locality: every trace bound to no concept joins the concept its k nearest bound neighbours "
                        + "vote for (votes weighted by 1/distance), if those neighbours are within the distance "
                        + "bound; its rate is --rate times the winner's share of the votes.",
                "",
                "Time windows (--synchrony --window D): traces that belong to no event are sorted by the time they "
                        + "were stored; a window opens at its first trace and takes every trace at most D after it "
                        + "(equal times and a trace exactly D later included); the next trace opens the next window. "
                        + "Each window holding traces of two or more spaces is bound like an unnamed event; a window "
                        + "of one space's traces (one encode batch) is left alone.",
                "",
                "WordNet (--wordnet): each named concept (or each --concept) is looked up among WordNet's nouns: "
                        + "the name in lower case with spaces as underscores (t-shirt keeps its hyphen), then with "
                        + "hyphens as underscores (ankle-boot), then without hyphens, then their singulars (noun.exc and WordNet's "
                        + "suffix rules), and last a compound's final word (ankle-boot as boot, which then becomes its "
                        + "first parent). The first (most frequent) sense is taken and its first hypernym followed up "
                        + "to entity; each synset is named by its first word in lower case with underscores as "
                        + "hyphens (physical-entity). Parents are created as needed. A concept that already has a parent "
                        + "keeps it (reported on stderr), and a chain stops once it reaches a concept that already "
                        + "has a parent. The dictionary is read from local files: Debian's wordnet-base package.",
                "",
                "Lexicon (--wordnet, unless --no-lexicon; --glossary): each concept bound to a trace (or each "
                        + "--concept) also gets its sense's synonyms, gloss, hypernym's words and kinds (hyponyms and "
                        + "theirs, common ones first, at most 40) as texts of the store's text space (--space if it names one; a "
                        + "new space 'text' if there is none), bound with the kind lexicon: weaker than a label, and "
                        + "in recall a concept's lexicon texts vote once, at half weight. The sense is the one a "
                        + "parent of the concept is a hypernym of, else one that fits most of the other concepts "
                        + "better than sense 1, else sense 1; stderr says which and why. engram forget --lexicon "
                        + "removes these texts."},
        footerHeading = "%nExamples:%n",
        footer = {"  engram bind --store mem --from-dirs",
                "  engram bind --store mem --labels labels.csv --locality -k 10",
                "  engram bind --store mem --labels train-labels-idx1-ubyte.gz --images train-images-idx3-ubyte.gz \\",
                "      --class-names t-shirt,trouser,pullover,dress,coat,sandal,shirt,sneaker,bag,ankle-boot",
                "  engram bind --store mem --parent sandal=footwear --parent sneaker=footwear",
                "  engram bind --store mem --synchrony --window 2s",
                "  engram bind --store mem --wordnet --wordnet-depth 3"})
public final class BindCommand extends StoreCommand {
    @Mixin
    SpaceOption space;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "Labels: CSV rows 'source,concept' (relative sources are resolved against the CSV's "
                    + "folder; 'path#N' is item N of an IDX file), or an IDX label file with --images.")
    Path labels;

    @Option(names = "--images", paramLabel = "IDX", description = "The IDX image file an IDX --labels file labels.")
    Path images;

    @Option(names = "--class-names", paramLabel = "NAME", split = ",",
            description = "Concept names for IDX labels 0, 1, 2, ... (default: the numbers).")
    List<String> classNames = new ArrayList<>();

    @Option(names = "--from-dirs", description = "Label each image file's trace with its parent folder's name.")
    boolean fromDirs;

    @Option(names = "--synchrony", description = "Bind the traces of each event to one concept (of every space "
            + "unless --space is given).")
    boolean synchrony;

    @Option(names = "--window", paramLabel = "DURATION",
            description = "With --synchrony, also bind traces outside events that were stored within DURATION of "
                    + "one another: 500ms, 2s, 1.5m, 1h, 1d or ISO-8601 (PT2S).")
    String window;

    @Option(names = "--locality", description = "Let unbound traces join the concept of their bound neighbours.")
    boolean locality;

    @Option(names = "-k", defaultValue = "10", description = "Neighbours that vote in --locality (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--max-distance", paramLabel = "D",
            description = "Locality distance bound (default: the 95th percentile of bound traces' distance to "
                    + "their nearest neighbour of the same concept).")
    Double maxDistance;

    @Option(names = "--parent", paramLabel = "CHILD=PARENT",
            description = "Make PARENT the parent concept of CHILD (repeatable).")
    Map<String, String> parents = new LinkedHashMap<>();

    @Option(names = "--name", paramLabel = "#ID=NAME", description = "Name (or rename) a concept (repeatable).")
    Map<String, String> names = new LinkedHashMap<>();

    @Option(names = "--wordnet", arity = "0..1", paramLabel = "DIR", fallbackValue = "/usr/share/wordnet",
            description = "Import WordNet hypernym chains as parents, from the dictionary in DIR (default: "
                    + "${FALLBACK-VALUE}, where Debian's wordnet-base installs it).")
    Path wordnet;

    @Option(names = "--wordnet-depth", paramLabel = "N",
            description = "With --wordnet, set at most N parents per chain (default: the whole chain, up to entity).")
    Integer wordnetDepth;

    @Option(names = "--concept", paramLabel = "NAME",
            description = "With --wordnet, import the chains of these concepts only (repeatable; default: every "
                    + "named concept).")
    List<String> concepts = new ArrayList<>();

    @Option(names = "--no-lexicon", negatable = false,
            description = "With --wordnet, import parents only: bind no lexicon texts (synonyms, gloss, "
                    + "hypernym and kinds).")
    boolean noLexicon;

    @Option(names = "--glossary", paramLabel = "CSV",
            description = "Bind your own words for concepts: CSV rows 'concept,text' (lines starting with # are "
                    + "comments), stored as texts of the text space with the association kind lexicon (concepts "
                    + "created as needed).")
    Path glossary;

    @Mixin
    TextModelOption textModel;

    @Option(names = "--rate", defaultValue = "0.5",
            description = "Hebbian learning rate in (0, 1] (default: ${DEFAULT-VALUE}).")
    double rate;

    @Override
    public Integer call() {
        Bind.Result result = Bind.run(store().location(), new Bind.Request(space.name, labels, images, classNames,
                fromDirs, synchrony, window == null ? null : TimeWindows.parse(window), locality, k,
                maxDistance == null ? Double.NaN : maxDistance, parents, names, wordnet, concepts,
                wordnetDepth == null ? Integer.MAX_VALUE : wordnetDepth, !noLexicon, glossary, textModel.name, rate));
        Console console = console();
        Output out = out();
        print(out, result.space(), result.passes());
        if (result.parentsSet() > 0 || result.namesSet() > 0) {
            console.note("set %d parents and %d names", result.parentsSet(), result.namesSet());
        }
        if (result.wordnet() != null) {
            print(out, result.wordnet(), !result.passes().isEmpty());
            summarise(console, result.dictionary(), result.wordnet());
            result.senses().forEach((concept, choice) -> console.note("wordnet: %s is %s, '%s' (%s)", concept,
                    choice.entry().senseName(), choice.entry().sense().gloss(), choice.reason()));
        }
        if (!result.lexicon().isEmpty()) {
            Map<Lexicon.Part, Long> parts = new java.util.EnumMap<>(Lexicon.Part.class);
            result.lexicon().forEach(t -> parts.merge(t.part(), 1L, Long::sum));
            console.note("lexicon: bound %d texts to %d concepts in text space '%s' (%s)", result.lexicon().size(),
                    result.lexicon().stream().map(Lexicon.Text::concept).distinct().count(),
                    result.textSpace().name(), String.join(", ", parts.entrySet().stream()
                            .map(e -> e.getValue() + " " + e.getKey().id() + (e.getValue() == 1 ? ""
                                    : e.getKey() == Lexicon.Part.GLOSS ? "es" : "s")).toList()));
        }
        return 0;
    }

    private static void print(Output out, Hypernyms.Report report, boolean after) {
        if (out.json()) {
            for (Hypernyms.Link link : report.links()) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("pass", "wordnet");
                json.put("child", link.child());
                json.put("parent", link.parent());
                json.put("from", link.from());
                json.put("lemma", link.lemma());
                json.put("depth", link.depth());
                json.put("new_parent", link.created());
                out.jsonLine(json);
            }
        } else if (!report.links().isEmpty()) {
            if (after) {
                out.line("");
            }
            Output.Table table = new Output.Table("child", "parent", "from", "lemma", "depth", "new-parent");
            report.links().forEach(l -> table.row(l.child(), l.parent(), l.from(), l.lemma(), l.depth(),
                    l.created() ? "yes" : "no"));
            table.print(out, "");
        }
        out.flush();
    }

    private static void summarise(Console console, Path dictionary, Hypernyms.Report report) {
        console.note("wordnet: looked up %d concepts in %s: %d found, %d not found%s; set %d parent links,"
                        + " created %d concepts", report.lookedUp(), dictionary,
                report.lookedUp() - report.notFound().size(), report.notFound().size(),
                report.notFound().isEmpty() ? "" : " (" + abbreviate(report.notFound()) + ")",
                report.links().size(), report.conceptsCreated());
        for (Hypernyms.Kept kept : report.kept()) {
            console.note("wordnet: kept the parent %s of %s (WordNet's would be %s)", kept.parent(), kept.concept(),
                    kept.wordNetParent() == null ? "none" : kept.wordNetParent());
        }
        for (Hypernyms.Refused refused : report.refused()) {
            console.note("wordnet: left out %s -> %s: %s already descends from %s (two synsets share a name)",
                    refused.child(), refused.parent(), refused.parent(), refused.child());
        }
    }

    private static String abbreviate(List<String> names) {
        return names.size() <= 5 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 5)) + ", and " + (names.size() - 5) + " more";
    }

    private static void print(Output out, Space space, List<Binder.Result> results) {
        Output.Table table = new Output.Table("pass", "bound", "new", "concepts", "unbound", "max-distance");
        for (Binder.Result r : results) {
            if (out.json()) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("pass", r.kind());
                if (space != null) {
                    json.put("space", space.name());
                }
                json.put("bound", r.bound());
                json.put("new_associations", r.newAssociations());
                json.put("concepts", r.concepts());
                if (r.unbound() >= 0) {
                    json.put("unbound", r.unbound());
                }
                if (!Double.isNaN(r.maxDistance())) {
                    json.put("max_distance", r.maxDistance());
                }
                out.jsonLine(json);
            } else {
                table.row(r.kind(), r.bound(), r.newAssociations(), r.concepts(),
                        r.unbound() < 0 ? "-" : r.unbound(), r.maxDistance());
            }
        }
        if (!out.json() && !results.isEmpty()) {
            table.print(out, "");
        }
    }
}
