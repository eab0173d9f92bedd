package dev.engram.bench;

import dev.engram.store.Association;
import dev.engram.store.Concept;
import dev.engram.store.Neighbour;
import dev.engram.store.Space;
import dev.engram.store.SpaceVersion;
import dev.engram.store.Store;
import dev.engram.store.StoreSummary;
import dev.engram.store.Stores;
import dev.engram.store.Trace;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a store holds, read through the Store contract as the commands read it, written as
 * sorted lines that leave out what two runs of the same commands do not share (ids, times,
 * surprises, points, the store's directory): each space with its model versions (which is
 * current, how many points each earlier one kept, whether its model files are there), the source
 * and content hash of each of its traces, the events and dim reports by number, each concept with its parent, and each
 * association by concept, trace source, kind, weight and count. A unit of work stored whole
 * gives the state of a run that completed; a unit half stored gives a state of its own.
 *
 * <p>Reading it also checks that each space's vector index agrees with the record: it finds
 * exactly the space's traces, and every trace at distance 0 from its own vector. Those
 * disagreements are listed in {@link #index}, not in the state.
 *
 * @param sections the lines, by section (spaces, traces, events, concepts, associations, dim reports)
 * @param index    disagreements between a space's index and its record (empty: they agree)
 */
public record StoreState(Map<String, List<String>> sections, List<String> index) {
    /** How long a read waits for the store: a killed process's lock is gone once it is dead. */
    private static final Duration WAIT = Duration.ofSeconds(30);

    /** Reads the store at {@code dir}; throws what opening it throws. */
    public static StoreState of(Path dir) {
        Map<String, List<String>> sections = new TreeMap<>();
        List<String> index = new ArrayList<>();
        try (Store store = Stores.at(dir.toString(), WAIT).open()) {
            StoreSummary summary = store.summary();
            Map<Long, String> traceNames = new HashMap<>();
            for (Space space : store.spaces()) {
                add(sections, "spaces", space.name() + " " + space.modality() + " " + space.dimension());
                for (SpaceVersion v : store.versions(space)) {
                    add(sections, "versions", space.name() + " v" + v.version()
                            + (v.version() == space.modelVersion() ? " current" : " points "
                            + store.vectors(space, v.version()).size())
                            + (store.models().exists(space.name(), v.version()) ? " model" : " no model"));
                }
                List<Trace> traces = new ArrayList<>();
                store.forEachTrace(space, traces::add);
                for (Trace t : traces) {
                    traceNames.put(t.id(), space.name() + " " + t.sourceLabel());
                    add(sections, "traces", space.name() + " " + t.sourceLabel() + " " + t.contentHash());
                }
                checkIndex(store, space, traces, index);
            }
            add(sections, "events", Long.toString(summary.events()));
            add(sections, "dim reports", Long.toString(summary.dimReports()));
            Map<Long, String> conceptNames = new HashMap<>();
            List<Concept> concepts = store.concepts();
            concepts.forEach(c -> conceptNames.put(c.id(), c.label()));
            for (Concept c : concepts) {
                add(sections, "concepts", c.label() + " < " + conceptNames.getOrDefault(c.parentId(), "-"));
            }
            for (List<Association> list : store.associationsOf(traceNames.keySet()).values()) {
                for (Association a : list) {
                    add(sections, "associations", conceptNames.get(a.conceptId()) + " " + traceNames.get(a.traceId())
                            + " " + a.kind() + " " + a.weight() + " " + a.count());
                }
            }
        }
        sections.values().forEach(lines -> lines.sort(null));
        return new StoreState(sections, List.copyOf(index));
    }

    private static void add(Map<String, List<String>> sections, String section, String line) {
        sections.computeIfAbsent(section, s -> new ArrayList<>()).add(line);
    }

    /**
     * The index of {@code space} holds its traces: a search for more neighbours than there are
     * traces finds them all, and each trace's own vector finds a trace at distance 0.
     */
    private static void checkIndex(Store store, Space space, List<Trace> traces, List<String> problems) {
        if (traces.isEmpty()) {
            return;
        }
        int found = store.nearest(space, traces.getFirst().vector(), traces.size() + 10).size();
        if (found != traces.size()) {
            problems.add("space " + space.name() + ": the index finds " + found + " traces, the record holds "
                    + traces.size());
        }
        for (Trace t : traces) {
            List<Neighbour> nearest = store.nearest(space, t.vector(), 1);
            if (nearest.isEmpty() || nearest.getFirst().distance() > 1e-6) {
                problems.add("space " + space.name() + ": trace " + t.sourceLabel() + " is not found at distance 0"
                        + (nearest.isEmpty() ? "" : " (nearest at " + nearest.getFirst().distance() + ")"));
                return;
            }
        }
    }

    /** The number of lines in each section, for a message: {@code traces 400, associations 200, ...}. */
    public String counts() {
        StringBuilder text = new StringBuilder();
        sections.forEach((name, lines) -> text.append(text.isEmpty() ? "" : ", ").append(name).append(' ')
                .append(name.equals("events") || name.equals("dim reports") ? lines.getFirst() : lines.size()));
        return text.toString();
    }

    /** Whether two stores hold the same things (their indexes aside). */
    public boolean sameAs(StoreState other) {
        return sections.equals(other.sections);
    }
}
