package dev.engram.bind;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Chooses the WordNet sense of each concept name (docs/architecture.md, "Lexical knowledge").
 * Evidence, strongest first:
 * <ol>
 * <li>the concept's parents in the store: the sense among whose hypernyms a parent's name
 *     appears, nearest wins (a {@code bag} under {@code accessory} is not a {@code bag} of
 *     groceries);</li>
 * <li>the other concepts looked up together: a sense other than the first is taken if it shares
 *     a deeper common hypernym than the first sense does (depth counted from {@code entity})
 *     with more than half of them, {@link #INFORMATIVE_DEPTH} or more levels below it:
 *     {@code mouse} among keyboard, monitor and printer is the
 *     device. A majority, not a sum of depths, because the first sense is WordNet's most
 *     frequent and a few related concepts must not outvote it (apple among cat, dog, tree and
 *     eighteen artifacts stays the fruit; after Resnik 1995, "Disambiguating noun groupings
 *     with respect to WordNet senses", with depth standing in for information content);</li>
 * <li>otherwise the first sense.</li>
 * </ol>
 */
public final class Senses {
    /**
     * A shared hypernym counts as evidence only this far below entity: the five most general
     * levels (entity, physical entity, object, whole, artifact or living thing) join nearly
     * everything. Without the bound, apple the tree (a whole, like every artifact) beat apple
     * the fruit (only a physical entity, like an artifact) for every artifact in the store.
     */
    static final int INFORMATIVE_DEPTH = 5;

    private Senses() {
    }

    /** The sense taken for a concept, and why, in words a user reads. */
    public record Choice(WordNet.Entry entry, String reason) {
    }

    /**
     * The sense of each concept found in WordNet, in the order given.
     *
     * @param concepts concept name to the names of its parents in the store, nearest first (empty: none)
     */
    public static Map<String, Choice> choose(WordNet wordNet, Map<String, List<String>> concepts) {
        Map<String, List<WordNet.Entry>> senses = new LinkedHashMap<>();
        concepts.keySet().forEach(name -> {
            List<WordNet.Entry> found = wordNet.senses(name);
            if (!found.isEmpty()) {
                senses.put(name, found);
            }
        });
        // Per concept: every synset on any of its senses' chains.
        Map<String, Set<Long>> ancestry = new HashMap<>();
        senses.forEach((name, entries) -> {
            Set<Long> all = new HashSet<>();
            entries.forEach(e -> all.addAll(chain(e)));
            ancestry.put(name, all);
        });
        Map<String, Choice> chosen = new LinkedHashMap<>();
        senses.forEach((name, entries) -> chosen.put(name,
                choose(name, entries, concepts.getOrDefault(name, List.of()), ancestry)));
        return chosen;
    }

    private static Choice choose(String name, List<WordNet.Entry> entries, List<String> parents,
                                 Map<String, Set<Long>> ancestry) {
        if (entries.size() == 1) {
            return new Choice(entries.getFirst(), "its only sense");
        }
        // 1. A parent named among a sense's hypernyms.
        WordNet.Entry byParent = null;
        int nearest = Integer.MAX_VALUE;
        String parentFound = null;
        for (WordNet.Entry e : entries) {
            List<Set<String>> levels = hypernymWords(e);
            for (int i = 0; i < levels.size() && i < nearest; i++) {
                for (String parent : parents) {
                    if (levels.get(i).contains(parent.toLowerCase(Locale.ROOT))) {
                        byParent = e;
                        nearest = i;
                        parentFound = parent;
                        break;
                    }
                }
            }
        }
        if (byParent != null) {
            return new Choice(byParent, "its parent " + parentFound + " is among this sense's hypernyms");
        }
        // 2. A sense that fits most of the other concepts better than sense 1 does.
        List<Set<Long>> others = ancestry.entrySet().stream().filter(e -> !e.getKey().equals(name))
                .map(Map.Entry::getValue).toList();
        if (!others.isEmpty()) {
            List<Long> firstChain = chain(entries.getFirst());
            int[] first = new int[others.size()];
            for (int o = 0; o < others.size(); o++) {
                first[o] = shared(firstChain, others.get(o));
            }
            int best = 0;
            int bestCount = 0;
            for (int s = 1; s < entries.size(); s++) {
                List<Long> chain = chain(entries.get(s));
                int count = 0;
                for (int o = 0; o < others.size(); o++) {
                    int depth = shared(chain, others.get(o));
                    count += depth > first[o] && depth >= INFORMATIVE_DEPTH ? 1 : 0;
                }
                if (count > bestCount) {
                    best = s;
                    bestCount = count;
                }
            }
            if (2 * bestCount > others.size()) {
                return new Choice(entries.get(best), "it shares deeper hypernyms than sense 1 with " + bestCount
                        + " of the " + others.size() + " other concepts");
            }
        }
        return new Choice(entries.getFirst(), "the most frequent of its " + entries.size() + " senses");
    }

    /** The depth below entity of the deepest synset of {@code chain} among {@code ancestry}; -1 if none. */
    private static int shared(List<Long> chain, Set<Long> ancestry) {
        for (int j = 0; j < chain.size(); j++) {
            if (ancestry.contains(chain.get(j))) {
                return chain.size() - 1 - j;
            }
        }
        return -1;
    }

    /** The sense and its hypernyms, nearest first, as synset offsets. */
    private static List<Long> chain(WordNet.Entry e) {
        List<Long> chain = new ArrayList<>(e.ancestors().size() + 1);
        chain.add(e.sense().offset());
        e.ancestors().forEach(s -> chain.add(s.offset()));
        return chain;
    }

    /** The words (as concept names) of each parent level of a sense, nearest first. */
    private static List<Set<String>> hypernymWords(WordNet.Entry e) {
        List<Set<String>> levels = new ArrayList<>();
        if (e.head()) {
            levels.add(words(e.sense()));
        }
        e.ancestors().forEach(s -> levels.add(words(s)));
        return levels;
    }

    private static Set<String> words(WordNet.Synset s) {
        return Set.copyOf(s.words().stream().map(WordNet::conceptName).toList());
    }
}
