package dev.engram.bind;

import dev.engram.EngramException;
import dev.engram.io.FileErrors;
import dev.engram.store.ConceptRules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What is known of a concept in words, to be stored as text traces bound to it with the
 * association kind {@code lexicon} (docs/architecture.md, "Lexical knowledge"): from WordNet, the
 * synonyms of its sense, the sense's gloss, the names of its hyponyms (the kinds of it: a
 * trouser's jeans, slacks and chinos) and of its hypernym (what it is a kind of: a pullover is a
 * sweater); or a user's glossary.
 */
public final class Lexicon {
    /** The most words of one hyponym synset taken (WordNet lists the commonest first). */
    static final int WORDS_PER_HYPONYM = 4;
    /** The most hyponym synsets taken per concept ({@link #kinds}). */
    static final int KINDS = 40;

    private Lexicon() {
    }

    /** Where a text comes from, in order of how surely it names its concept. */
    public enum Part {
        GLOSSARY, SYNONYM, HYPONYM, GLOSS, HYPERNYM;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * One text to bind.
     *
     * @param source what the text is recorded as coming from: {@code wordnet:bag.n.01}, or the glossary file
     * @param index  its place in that source (a glossary's line number)
     */
    public record Text(String concept, String text, Part part, String source, int index) {
    }

    /**
     * The texts of a concept's chosen sense: its synonyms, its gloss, the words of its first
     * hypernym, and up to {@value #WORDS_PER_HYPONYM} words of each of its kinds ({@link #kinds}).
     * A name found by its head word only ({@code ankle-boot} as {@code boot}) takes that word's
     * synonyms and gloss but neither its hypernym nor its hyponyms: those are the concept's
     * grandparent and siblings.
     */
    public static List<Text> of(WordNet wordNet, WordNet.Entry entry) {
        String source = "wordnet:" + entry.senseName();
        List<Text> texts = new ArrayList<>();
        for (String word : entry.sense().words()) {
            texts.add(new Text(entry.concept(), phrase(word), Part.SYNONYM, source, texts.size()));
        }
        if (!entry.sense().gloss().isEmpty()) {
            texts.add(new Text(entry.concept(), entry.sense().gloss(), Part.GLOSS, source, texts.size()));
        }
        // What it is a kind of, in its own words: a pullover is a sweater, or a jumper. (A name
        // found by its head has the head as its parent: its words are the synonyms already.)
        if (!entry.head() && !entry.ancestors().isEmpty()) {
            for (String word : entry.ancestors().getFirst().words()) {
                texts.add(new Text(entry.concept(), phrase(word), Part.HYPERNYM, source, texts.size()));
            }
        }
        if (!entry.head()) {
            for (WordNet.Synset hyponym : kinds(wordNet, entry.sense())) {
                List<String> words = hyponym.words();
                for (String word : words.subList(0, Math.min(WORDS_PER_HYPONYM, words.size()))) {
                    texts.add(new Text(entry.concept(), phrase(word), Part.HYPONYM, source, texts.size()));
                }
            }
        }
        return texts;
    }

    /**
     * The kinds of a sense whose words are taken: its direct hyponyms, then theirs (a coat's
     * jacket, then the jacket's parka and anorak): all of those in common use
     * ({@link WordNet#tagged}), then the others, children before grandchildren, each in file
     * order, up to {@value #KINDS} in all. A tree has
     * hundreds of direct hyponyms, mostly species names (inga, hornbeam) that a sentence encoder
     * has never seen and places near any unfamiliar word: they would draw every odd cue to tree.
     */
    static List<WordNet.Synset> kinds(WordNet wordNet, WordNet.Synset sense) {
        List<WordNet.Synset> children = sense.hyponyms().stream().map(wordNet::synset).toList();
        List<WordNet.Synset> grandchildren = children.stream().flatMap(c -> c.hyponyms().stream())
                .map(wordNet::synset).toList();
        List<WordNet.Synset> common = new ArrayList<>();
        List<WordNet.Synset> rare = new ArrayList<>();
        for (WordNet.Synset s : children) {
            (wordNet.tagged(s) ? common : rare).add(s);
        }
        List<WordNet.Synset> rareGrandchildren = new ArrayList<>();
        for (WordNet.Synset s : grandchildren) {
            (wordNet.tagged(s) ? common : rareGrandchildren).add(s);
        }
        rare.addAll(rareGrandchildren);
        List<WordNet.Synset> all = new ArrayList<>(common);
        all.addAll(rare.subList(0, Math.min(Math.max(0, KINDS - common.size()), rare.size())));
        return all;
    }

    /**
     * A glossary: CSV rows {@code concept,text} (a header row {@code concept,text} is skipped;
     * the text is everything after the first comma, in double quotes if it holds one). The
     * concept is a name; lines that start with {@code #} are comments, and blank lines are
     * skipped.
     *
     * @throws EngramException (invalid input) for an unreadable file or a malformed row
     */
    public static List<Text> glossary(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw EngramException.invalidInput("cannot read glossary " + file + ": " + e.getMessage(), e);
        }
        String source = file.toAbsolutePath().normalize().toString();
        List<Text> texts = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")
                    || (texts.isEmpty() && line.replace(" ", "").equalsIgnoreCase("concept,text"))) {
                continue;
            }
            int comma = line.indexOf(',');
            String concept = comma < 0 ? "" : LabelFiles.unquote(line.substring(0, comma).strip());
            String text = comma < 0 ? "" : LabelFiles.unquote(line.substring(comma + 1).strip());
            if (concept.isEmpty() || text.isBlank()) {
                throw EngramException.invalidInput(file + ":" + (i + 1) + ": expected 'concept,text', got '"
                        + FileErrors.shown(line) + "'");
            }
            if (!ConceptRules.isValidName(concept)) {
                throw EngramException.invalidInput(file + ":" + (i + 1) + ": '" + FileErrors.shown(concept)
                        + "' is no concept name: " + ConceptRules.NAME_RULE);
            }
            texts.add(new Text(concept, text.strip(), Part.GLOSSARY, source, i + 1));
        }
        if (texts.isEmpty()) {
            throw EngramException.nothingToDo("glossary " + file + " has no rows");
        }
        return texts;
    }

    /**
     * Leaves out what would blur concepts: a text that reads as a concept's own name (that name
     * is bound to its concept already, or will be) and, where one text would go to several
     * concepts, all but the concepts for which it is the surest part (a T-shirt's synonym
     * "tee shirt" is also a hyponym of shirt: it stays with t-shirt). Duplicates within a concept
     * go too. Order is kept.
     *
     * @param names the names of the concepts the memory perceived (bound to traces) and of the
     *              glossary's: texts of their own already
     */
    public static List<Text> distinct(List<Text> texts, Collection<String> names) {
        Set<String> named = new HashSet<>();
        names.forEach(n -> named.add(key(n)));
        Map<String, Part> surest = new HashMap<>();
        for (Text t : texts) {
            surest.merge(key(t.text()), t.part(), (a, b) -> a.compareTo(b) <= 0 ? a : b);
        }
        Map<String, Text> kept = new LinkedHashMap<>();
        for (Text t : texts) {
            String key = key(t.text());
            if (!named.contains(key) && surest.get(key) == t.part()) {
                kept.putIfAbsent(t.concept() + "\u0000" + key, t);
            }
        }
        return List.copyOf(kept.values());
    }

    /** A WordNet word as a phrase: {@code tee_shirt} as {@code tee shirt}. */
    static String phrase(String word) {
        return word.replace('_', ' ');
    }

    /** Texts compared as words: case, hyphens, underscores and spacing ignored. */
    static String key(String text) {
        return text.toLowerCase(Locale.ROOT).replaceAll("[-_\\s]+", " ").strip();
    }
}
