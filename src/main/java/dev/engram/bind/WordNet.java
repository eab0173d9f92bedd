package dev.engram.bind;

import dev.engram.EngramException;

import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The noun hypernym hierarchy of a WordNet 3.0 dictionary, read in place from its database
 * files ({@code index.noun}, {@code data.noun}, optionally {@code noun.exc}; format: the
 * wndb(5WN) man page). Nothing of WordNet is copied into engram: Debian's {@code wordnet-base}
 * package installs the files under {@link #DEBIAN_DICTIONARY}.
 *
 * <p>Both files are memory-mapped and searched in place: {@code index.noun} is sorted by lemma
 * (byte order), so a lookup is a binary search over its lines, and a synset is read at the byte
 * offset the index (or a pointer) gives. Opening costs nothing and a lookup touches a few pages.
 * Measured on Debian's dictionary (one JVM per run, best of three, a busy 2-core machine):
 * 10 / 100 / 1,000 index lookups took 137 / 214 / 373 ms mapped, 28 / 521 / 5,752 ms with a
 * {@code RandomAccessFile} binary search (its {@code readLine} reads byte by byte), and
 * 407 / 419 / 745 ms loading the index into a map first. A map only pays off well past a
 * thousand lookups; a store has tens to hundreds of named concepts.
 */
public final class WordNet {
    /** Where Debian's {@code wordnet-base} puts the dictionary. */
    public static final Path DEBIAN_DICTIONARY = Path.of("/usr/share/wordnet");
    /** Longer than any WordNet 3.0 noun chain (19 links); a longer one means pointers loop. */
    private static final int MAX_CHAIN = 100;
    /** Morphy's detachment rules for nouns (morph(7WN)): plural suffix and its singular. */
    private static final String[][] NOUN_SUFFIXES = {
            {"ses", "s"}, {"xes", "x"}, {"zes", "z"}, {"ches", "ch"}, {"shes", "sh"}, {"men", "man"},
            {"ies", "y"}, {"s", ""}};

    private final Path directory;
    private final MappedByteBuffer index;
    private final MappedByteBuffer data;
    private final Map<String, String> exceptions;
    /**
     * Synsets read so far. Every chain ends in the same few synsets near the root, whose lines
     * list all their hyponyms (tens of kilobytes for artifact or person): parse each once.
     */
    private final Map<Long, Synset> synsets = new ConcurrentHashMap<>();

    private WordNet(Path directory, MappedByteBuffer index, MappedByteBuffer data, Map<String, String> exceptions) {
        this.directory = directory;
        this.index = index;
        this.data = data;
        this.exceptions = exceptions;
    }

    /**
     * A noun synset: its words as WordNet spells them, the offsets of its hypernyms and of its
     * direct hyponyms in file order, and its gloss (the definition, without the quoted examples
     * that follow it).
     */
    public record Synset(long offset, List<String> words, List<Long> hypernyms, List<Long> hyponyms, String gloss) {
        /**
         * The synset as an engram concept name: its first word (the one WordNet lists first,
         * usually the most common), lower case, with {@code _} written as {@code -}, the way
         * engram names read ({@code physical_entity} becomes {@code physical-entity}).
         */
        public String name() {
            return conceptName(words.getFirst());
        }
    }

    /**
     * What a concept name was found as.
     *
     * @param lemma     the index entry that matched
     * @param head      whether it matched by its last word only (a compound's head noun)
     * @param number    which of the lemma's senses this is, from 1 (WordNet orders senses most frequent first)
     * @param senses    how many noun senses the lemma has
     * @param sense     the sense's synset
     * @param ancestors the sense's hypernyms, nearest first, up to the root ({@code entity})
     */
    public record Entry(String concept, String lemma, boolean head, int number, int senses, Synset sense,
                        List<Synset> ancestors) {
        /** The sense as WordNet's users write it: lemma, part of speech, sense number ({@code bag.n.04}). */
        public String senseName() {
            return "%s.n.%02d".formatted(lemma, number);
        }

        /**
         * Parent concept names, nearest first. A compound found by its head word is a kind of
         * that word (an ankle boot is a boot), so the head's own synset comes first; a name found
         * whole is the synset itself, so its parents start at the synset's hypernym.
         */
        public List<String> parents() {
            List<String> names = new ArrayList<>(ancestors.size() + 1);
            if (head) {
                names.add(sense.name());
            }
            ancestors.forEach(s -> names.add(s.name()));
            return names;
        }
    }

    /** A spelling to try in the index, and whether it is only the name's head word. */
    record Candidate(String lemma, boolean head) {
    }

    /**
     * Opens the dictionary in {@code directory}.
     *
     * @throws EngramException (invalid input) if the folder lacks {@code index.noun} or {@code data.noun}
     */
    public static WordNet open(Path directory) {
        Path indexFile = directory.resolve("index.noun");
        Path dataFile = directory.resolve("data.noun");
        if (!Files.isRegularFile(indexFile) || !Files.isRegularFile(dataFile)) {
            throw EngramException.invalidInput("no WordNet dictionary at " + directory + " (index.noun and data.noun"
                    + " are needed): install Debian's wordnet-base package (apt-get install wordnet-base)"
                    + " or give the folder of a WordNet 3.0 dictionary");
        }
        return new WordNet(directory, map(indexFile), map(dataFile), exceptions(directory.resolve("noun.exc")));
    }

    private static MappedByteBuffer map(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size());
        } catch (IOException e) {
            throw EngramException.invalidInput("cannot read WordNet file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Irregular plurals ({@code mice mouse}); the file is optional, as Morphy's rules cover the rest. */
    private static Map<String, String> exceptions(Path file) {
        Map<String, String> bases = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
                String[] fields = line.split(" ");
                if (fields.length >= 2) {
                    bases.putIfAbsent(fields[0], fields[1]);
                }
            }
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            throw EngramException.invalidInput("cannot read WordNet file " + file + ": " + e.getMessage(), e);
        }
        return bases;
    }

    public Path directory() {
        return directory;
    }

    /**
     * Finds a concept name in WordNet's nouns and follows the first sense's hypernyms to the
     * root. The spellings tried, first found wins, are listed at {@link #candidates}.
     *
     * @throws EngramException (invalid input) if the dictionary files are corrupt
     */
    public Optional<Entry> lookup(String conceptName) {
        List<Entry> all = senses(conceptName);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getFirst());
    }

    /**
     * Every noun sense of the first spelling of a concept name that WordNet knows
     * ({@link #candidates}), most frequent first, each with its hypernyms up to the root; empty
     * if no spelling is found.
     *
     * @throws EngramException (invalid input) if the dictionary files are corrupt
     */
    public List<Entry> senses(String conceptName) {
        for (Candidate candidate : candidates(conceptName, exceptions)) {
            List<Long> offsets = senseOffsets(candidate.lemma());
            if (!offsets.isEmpty()) {
                List<Entry> entries = new ArrayList<>(offsets.size());
                for (int i = 0; i < offsets.size(); i++) {
                    Synset synset = synset(offsets.get(i));
                    entries.add(new Entry(conceptName, candidate.lemma(), candidate.head(), i + 1, offsets.size(),
                            synset, ancestors(synset)));
                }
                return List.copyOf(entries);
            }
        }
        return List.of();
    }

    /**
     * The spellings of an engram concept name to look up, in order: the name in lower case with
     * white space as {@code _} ({@code t-shirt}, which WordNet spells with its hyphen); hyphens as
     * {@code _} ({@code ankle-boot} as {@code ankle_boot}); hyphens dropped ({@code e-mail} as
     * {@code email}); the singular of each by {@code noun.exc} and Morphy's suffix rules
     * ({@code sandals}); last, for a compound, its final word and that word's singular (the head
     * noun: {@code ankle-boot} as {@code boot}).
     */
    static List<Candidate> candidates(String name, Map<String, String> exceptions) {
        String base = name.strip().toLowerCase(Locale.ROOT).replaceAll("\\s+", "_");
        Map<String, Candidate> tried = new LinkedHashMap<>();
        List<String> whole = List.of(base, base.replace('-', '_'), base.replace("-", ""));
        whole.forEach(w -> tried.putIfAbsent(w, new Candidate(w, false)));
        for (String w : whole) {
            singulars(w, exceptions).forEach(s -> tried.putIfAbsent(s, new Candidate(s, false)));
        }
        String[] words = base.split("[-_]+");
        if (words.length > 1 && !words[words.length - 1].isEmpty()) {
            String head = words[words.length - 1];
            tried.putIfAbsent(head, new Candidate(head, true));
            singulars(head, exceptions).forEach(s -> tried.putIfAbsent(s, new Candidate(s, true)));
        }
        tried.keySet().removeIf(lemma -> lemma.isEmpty() || !StandardCharsets.US_ASCII.newEncoder().canEncode(lemma));
        return List.copyOf(tried.values());
    }

    private static List<String> singulars(String word, Map<String, String> exceptions) {
        List<String> forms = new ArrayList<>();
        String irregular = exceptions.get(word);
        if (irregular != null) {
            forms.add(irregular);
        }
        // Morphy leaves words in -ss alone: "dress" is no plural of "dres".
        if (!word.endsWith("ss")) {
            for (String[] rule : NOUN_SUFFIXES) {
                if (word.endsWith(rule[0]) && word.length() > rule[0].length()) {
                    forms.add(word.substring(0, word.length() - rule[0].length()) + rule[1]);
                }
            }
        }
        return forms;
    }

    /** The senses of a lemma, most frequent first: the synset offsets of its {@code index.noun} line. */
    List<Long> senseOffsets(String lemma) {
        return indexEntry(lemma).map(IndexEntry::senses).orElse(List.of());
    }

    /**
     * Whether a synset is in common use: one of its words has it among the senses found in
     * WordNet's semantically tagged corpus (index.noun's tagsense_cnt: the first that many senses
     * of a lemma were seen tagged). Inga and hornbeam are not; sweatshirt and slacks are.
     */
    public boolean tagged(Synset synset) {
        for (String word : synset.words()) {
            Optional<IndexEntry> entry = indexEntry(word.toLowerCase(Locale.ROOT));
            if (entry.isPresent() && entry.get().senses().subList(0, entry.get().tagged()).contains(synset.offset())) {
                return true;
            }
        }
        return false;
    }

    /** An {@code index.noun} line: the lemma's synset offsets, and how many of the first were seen tagged. */
    private record IndexEntry(List<Long> senses, int tagged) {
    }

    private Optional<IndexEntry> indexEntry(String lemma) {
        long at = find(lemma.getBytes(StandardCharsets.ISO_8859_1));
        if (at < 0) {
            return Optional.empty();
        }
        String line = line(index, at);
        // lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt synset_offset...
        String[] f = line.split(" ");
        try {
            int synsets = Integer.parseInt(f[2]);
            int pointers = Integer.parseInt(f[3]);
            int first = 4 + pointers + 2;
            if (!f[1].equals("n") || synsets < 1 || f.length < first + synsets) {
                throw corrupt("index.noun", at, "a malformed entry for '" + lemma + "'");
            }
            List<Long> offsets = new ArrayList<>(synsets);
            for (int i = 0; i < synsets; i++) {
                offsets.add(Long.parseLong(f[first + i]));
            }
            int tagged = Math.clamp(Integer.parseInt(f[first - 1]), 0, synsets);
            return Optional.of(new IndexEntry(List.copyOf(offsets), tagged));
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw corrupt("index.noun", at, "a malformed entry for '" + lemma + "'");
        }
    }

    /**
     * Binary search of {@code index.noun} for the line whose first field is {@code key}; the
     * byte offset of that line, or -1. The licence lines at the top start with a space, so they
     * sort before every lemma and need no skipping.
     */
    private long find(byte[] key) {
        long lo = 0;
        long hi = index.limit();
        while (lo < hi) {
            long mid = (lo + hi) >>> 1;
            long start = mid;
            while (start > lo && index.get((int) start - 1) != '\n') {
                start--;
            }
            int cmp = compareKey(start, key);
            if (cmp == 0) {
                return start;
            }
            if (cmp < 0) {
                long end = start;
                while (end < hi && index.get((int) end) != '\n') {
                    end++;
                }
                lo = end + 1;
            } else {
                hi = start;
            }
        }
        return -1;
    }

    /** Compares the first field of the index line at {@code start} with {@code key}, as unsigned bytes. */
    private int compareKey(long start, byte[] key) {
        int limit = index.limit();
        for (int i = 0; ; i++) {
            int p = (int) start + i;
            int b = p < limit ? index.get(p) & 0xff : '\n';
            boolean fieldEnds = b == ' ' || b == '\n';
            if (i == key.length) {
                return fieldEnds ? 0 : 1;
            }
            if (fieldEnds) {
                return -1;
            }
            int c = Byte.toUnsignedInt(key[i]);
            if (b != c) {
                return Integer.compare(b, c);
            }
        }
    }

    /** The synset at a byte offset of {@code data.noun}, checked against the offset its line states. */
    Synset synset(long offset) {
        Synset known = synsets.get(offset);
        if (known == null) {
            known = readSynset(offset);
            synsets.put(offset, known);
        }
        return known;
    }

    private Synset readSynset(long offset) {
        if (offset < 0 || offset >= data.limit()) {
            throw corrupt("data.noun", offset, "a synset offset past the end of the file");
        }
        String line = line(data, offset);
        int gloss = line.indexOf(" | ");
        String[] f = (gloss < 0 ? line : line.substring(0, gloss)).split(" ");
        // synset_offset lex_filenum ss_type w_cnt word lex_id [word lex_id...] p_cnt [ptr...] | gloss
        try {
            if (Long.parseLong(f[0]) != offset || !f[2].equals("n")) {
                throw corrupt("data.noun", offset, "no noun synset line");
            }
            int words = Integer.parseInt(f[3], 16);
            List<String> names = new ArrayList<>(words);
            for (int w = 0; w < words; w++) {
                names.add(f[4 + 2 * w]);
            }
            int p = 4 + 2 * words;
            int pointers = Integer.parseInt(f[p]);
            List<Long> hypernyms = new ArrayList<>(1);
            List<Long> hyponyms = new ArrayList<>();
            for (int i = 0; i < pointers; i++) {
                String symbol = f[p + 1 + 4 * i];
                if (!f[p + 3 + 4 * i].equals("n")) {
                    continue;
                }
                // '@' hypernym, '@i' instance hypernym (Einstein is an instance of physicist);
                // '~' hyponym. Instances ('~i': Paris of city) are names, not kinds: left out.
                if (symbol.equals("@") || symbol.equals("@i")) {
                    hypernyms.add(Long.parseLong(f[p + 2 + 4 * i]));
                } else if (symbol.equals("~")) {
                    hyponyms.add(Long.parseLong(f[p + 2 + 4 * i]));
                }
            }
            if (words < 1 || f.length < p + 1 + 4 * pointers) {
                throw corrupt("data.noun", offset, "a synset line with fewer fields than it counts");
            }
            return new Synset(offset, List.copyOf(names), List.copyOf(hypernyms), List.copyOf(hyponyms),
                    gloss < 0 ? "" : definition(line.substring(gloss + 3)));
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            throw corrupt("data.noun", offset, "a malformed synset line");
        }
    }

    /**
     * The hypernyms of a synset up to the root, nearest first. Where a synset has several
     * hypernyms (2,213 of WordNet 3.0's 82,115 noun synsets: clothing is both covering and
     * consumer goods) the first listed is followed, so the result is one path, as an engram
     * concept has one parent.
     */
    private List<Synset> ancestors(Synset synset) {
        List<Synset> chain = new ArrayList<>();
        Set<Long> seen = new HashSet<>();
        seen.add(synset.offset());
        Synset at = synset;
        while (!at.hypernyms().isEmpty()) {
            long next = at.hypernyms().getFirst();
            if (!seen.add(next) || chain.size() == MAX_CHAIN) {
                throw corrupt("data.noun", next, "hypernym pointers that loop");
            }
            at = synset(next);
            chain.add(at);
        }
        return chain;
    }

    /**
     * The definition part of a gloss: up to the first quoted example ({@code ; "...}), without
     * the trailing semicolon. WordNet writes examples after the definition, separated by
     * semicolons and in double quotes.
     */
    static String definition(String gloss) {
        int example = gloss.indexOf("; \"");
        if (example < 0 && gloss.startsWith("\"")) {
            example = 0;
        }
        String definition = example < 0 ? gloss : gloss.substring(0, example);
        return definition.strip().replaceAll(";$", "").strip();
    }

    private static String line(MappedByteBuffer file, long start) {
        int end = (int) start;
        while (end < file.limit() && file.get(end) != '\n') {
            end++;
        }
        byte[] bytes = new byte[end - (int) start];
        file.get((int) start, bytes);
        return new String(bytes, StandardCharsets.ISO_8859_1).stripTrailing();
    }

    private EngramException corrupt(String file, long offset, String what) {
        return EngramException.invalidInput("WordNet file " + directory.resolve(file) + " is corrupt: " + what
                + " at byte " + offset + "; reinstall wordnet-base or give an intact WordNet 3.0 dictionary");
    }

    /** A WordNet word as an engram concept name: lower case, {@code _} as {@code -}. */
    static String conceptName(String word) {
        return word.toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
