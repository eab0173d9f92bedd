package dev.engram.bind;

import dev.engram.EngramException;
import dev.engram.store.Concept;
import dev.engram.store.Store;
import dev.engram.store.Transaction;
import dev.engram.store.Writes;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Imports WordNet hypernym chains as concept parents: a sandal's parent becomes shoe, shoe's
 * footwear, and so on up to entity. The user's own hierarchy wins: a concept that already has a
 * parent keeps it, and a chain stops where it reaches a concept that already has one (it has
 * joined an existing chain, from WordNet or from the user).
 */
public final class Hypernyms {
    private final Store store;
    private final Writes writes;
    private final WordNet wordNet;

    /** @param writes where the import is stored: the store (a unit of its own), or a unit already open */
    public Hypernyms(Store store, Writes writes, WordNet wordNet) {
        this.store = store;
        this.writes = writes;
        this.wordNet = wordNet;
    }

    /**
     * One parent link set.
     *
     * @param from   the concept whose WordNet chain gave the link
     * @param lemma  how {@code from} was found in WordNet
     * @param depth  1 for {@code from}'s own parent, 2 for its grandparent, ...
     * @param created whether the parent concept was created by this import
     */
    public record Link(String child, String parent, String from, String lemma, int depth, boolean created) {
    }

    /** A concept whose parent was set before and differs from the one WordNet would have given it. */
    public record Kept(String concept, String parent, String wordNetParent) {
    }

    /** A link left out because the parent already descends from the child (two synsets share a name). */
    public record Refused(String child, String parent) {
    }

    public record Report(int lookedUp, List<String> notFound, List<Link> links, List<Kept> kept,
                         List<Refused> refused) {
        public long conceptsCreated() {
            return links.stream().filter(Link::created).count();
        }
    }

    /**
     * The concepts a WordNet pass looks up: the named ones ({@code names} empty: every named
     * concept of the store).
     *
     * @throws EngramException (unknown name) if a given name is no concept of the store
     */
    public static List<Concept> concepts(Store store, List<String> names) {
        if (names.isEmpty()) {
            return store.concepts().stream().filter(c -> c.name() != null).toList();
        }
        List<Concept> concepts = new ArrayList<>();
        for (String name : names) {
            concepts.add(store.concept(name).orElseThrow(() -> EngramException.unknown("no concept '" + name
                    + "' in store " + store.location())));
        }
        return concepts;
    }

    /**
     * Imports the chains of the named concepts ({@code names} empty: every named concept of the
     * store), each in the sense {@link Senses} chooses, at most {@code maxDepth} parents per chain.
     *
     * @throws EngramException (unknown name) if a given name is no concept of the store
     */
    public Report importChains(List<String> names, int maxDepth) {
        List<Concept> concepts = concepts(store, names);
        return importChains(concepts, Senses.choose(wordNet, parents(store, concepts, Map.of())), maxDepth);
    }

    /**
     * Each named concept with the names of its parents, nearest first: as stored, or as
     * {@code pending} (child to parent, set in the same run) says.
     */
    public static Map<String, List<String>> parents(Store store, List<Concept> concepts, Map<String, String> pending) {
        Map<String, List<String>> parents = new LinkedHashMap<>();
        for (Concept c : concepts) {
            if (c.name() == null) {
                continue;
            }
            List<String> chain = new ArrayList<>();
            String next = pending.get(c.name());
            if (next != null) {
                chain.add(next);
            }
            store.parentChain(c).forEach(p -> chain.add(p.label()));
            parents.put(c.name(), chain);
        }
        return parents;
    }

    /**
     * Imports the chains of the chosen senses of {@code concepts} (those without a sense were
     * not found), at most {@code maxDepth} parents per chain. Every lookup was done before, so
     * a corrupt dictionary leaves the store untouched.
     */
    public Report importChains(List<Concept> concepts, Map<String, Senses.Choice> senses, int maxDepth) {
        if (maxDepth < 1) {
            throw EngramException.invalidInput("--wordnet-depth must be at least 1, not " + maxDepth);
        }
        Map<Concept, Optional<WordNet.Entry>> entries = new LinkedHashMap<>();
        for (Concept c : concepts) {
            if (c.name() != null) {
                entries.put(c, Optional.ofNullable(senses.get(c.name())).map(Senses.Choice::entry));
            }
        }
        List<String> notFound = new ArrayList<>();
        List<Link> links = new ArrayList<>();
        List<Kept> kept = new ArrayList<>();
        List<Refused> refused = new ArrayList<>();
        // Concepts given a parent by this import: met again later, they are done, not "kept".
        Set<Long> linkedNow = new HashSet<>();
        // One unit of work: the whole import is stored, or none of it.
        writes.write(tx -> {
            entries.forEach((concept, entry) -> {
                Concept current = tx.concept(concept.id()).orElseThrow();
                if (entry.isEmpty()) {
                    notFound.add(current.label());
                } else if (current.parentId() != 0) {
                    List<String> parents = entry.get().parents();
                    String wordNetParent = parents.isEmpty() ? null : parents.getFirst();
                    String parent = tx.concept(current.parentId()).map(Concept::label).orElse("?");
                    if (!linkedNow.contains(current.id()) && !parent.equals(wordNetParent)) {
                        kept.add(new Kept(current.label(), parent, wordNetParent));
                    }
                } else {
                    link(tx, current, entry.get(), maxDepth, links, refused, linkedNow);
                }
            });
            return null;
        });
        return new Report(entries.size(), notFound, links, kept, refused);
    }

    private static void link(Transaction tx, Concept concept, WordNet.Entry entry, int maxDepth, List<Link> links,
                             List<Refused> refused, Set<Long> linkedNow) {
        List<String> parents = entry.parents();
        Concept child = concept;
        for (int depth = 1; depth <= Math.min(maxDepth, parents.size()); depth++) {
            String name = parents.get(depth - 1);
            boolean existed = tx.concept(name).isPresent();
            Concept parent = tx.conceptNamed(name);
            if (descends(tx, parent, child)) {
                refused.add(new Refused(child.label(), parent.label()));
                return;
            }
            tx.setParent(child, parent);
            linkedNow.add(child.id());
            links.add(new Link(child.label(), parent.label(), concept.label(), entry.lemma(), depth, !existed));
            if (parent.parentId() != 0) {
                return;
            }
            child = parent;
        }
    }

    private static boolean descends(Transaction tx, Concept concept, Concept from) {
        return concept.id() == from.id() || tx.parentChain(concept).stream().anyMatch(a -> a.id() == from.id());
    }
}
