package dev.engram.app;

import dev.engram.EngramException;
import dev.engram.io.Directories;
import dev.engram.store.Association;
import dev.engram.store.DimReport;
import dev.engram.store.Event;
import dev.engram.store.Restore;
import dev.engram.store.Space;
import dev.engram.store.SpaceVersion;
import dev.engram.store.Store;
import dev.engram.store.StoreLocation;
import dev.engram.store.StoreSummary;
import dev.engram.store.Trace;
import dev.engram.store.Transaction;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The copy use case: a whole store written into an empty one, of the same backend or another
 * (a directory into a server store and back), with every id and time kept, so that what a user
 * saved (trace ids, {@code #id} labels of unnamed concepts) names the same things in the copy.
 * Spaces with every model version (files, and the traces' points under the earlier ones), events,
 * traces with their vectors, concepts
 * with their parents, associations with their weights and counts, dimension reports: all in one
 * unit of work of the destination, which is stored whole or not at all. The destination's vector
 * indexes are built from what it stored, as every write does. The source is read as of one
 * committed point and not changed (docs/architecture.md, "Copying a store").
 */
public final class Copy {
    /** Traces read from the source and written to the destination at a time. */
    private static final int BATCH = 1000;

    private Copy() {
    }

    /** One space copied: its traces and the model versions whose files came along. */
    public record SpaceCopied(String space, long traces, List<Integer> modelVersions) {
    }

    /** What the copy wrote, counted in the destination after it committed. */
    public record Copied(String from, String to, List<SpaceCopied> spaces, long events, long concepts,
                         long associations, long dimReports, double seconds) {
    }

    public static Copied run(StoreLocation from, StoreLocation to, Progress progress) {
        if (from.describe().equals(to.describe())) {
            throw EngramException.invalidInput("--from and --to name the same store (" + from.describe()
                    + "): copy into another one");
        }
        long start = System.nanoTime();
        try (Store source = from.open()) {
            StoreSummary wanted = source.summary();
            if (wanted.spaces().isEmpty() && wanted.events() + wanted.concepts() + wanted.dimReports() == 0) {
                throw EngramException.nothingToDo("store " + source.location() + " is empty: nothing to copy");
            }
            Restore.Ceilings highest = source.highestIds();
            try (Store destination = to.openOrCreate()) {
                destination.requireWritable();
                List<SpaceCopied> spaces = destination.write(unit -> copy(source, unit, highest, progress));
                progress.clearProgress();
                StoreSummary copied = destination.summary();
                requireSame(wanted, copied);
                return new Copied(source.location(), destination.location(), spaces, copied.events(),
                        copied.concepts(), copied.associations(), copied.dimReports(),
                        (System.nanoTime() - start) / 1e9);
            }
        }
    }

    /** Everything of {@code source}, restored in the destination's unit. */
    private static List<SpaceCopied> copy(Store source, Transaction unit, Restore.Ceilings highest,
                                          Progress progress) {
        Restore restore = unit.restore(highest);
        List<Space> spaces = new ArrayList<>(source.spaces());
        spaces.sort((a, b) -> Integer.compare(a.id(), b.id()));
        Map<Integer, List<SpaceVersion>> versions = new HashMap<>();
        Map<Integer, List<Integer>> models = new HashMap<>();
        for (Space space : spaces) {
            versions.put(space.id(), source.versions(space));
            restore.space(space);
            restore.versions(space, versions.get(space.id()));
            models.put(space.id(), copyModels(source, unit, space, versions.get(space.id())));
        }
        List<Event> events = new ArrayList<>(BATCH);
        source.forEachEvent(e -> {
            events.add(e);
            if (events.size() == BATCH) {
                restore.events(events);
                events.clear();
            }
        });
        restore.events(events);
        restore.concepts(source.concepts());
        List<SpaceCopied> copied = new ArrayList<>();
        for (Space space : spaces) {
            long traces = copyTraces(source, restore, space, versions.get(space.id()), progress);
            copied.add(new SpaceCopied(space.name(), traces, models.get(space.id())));
        }
        restore.perceived(source.eventTraces(null));
        for (DimReport report : source.dimReports()) {
            restore.dimReport(report);
        }
        return copied;
    }

    /**
     * The space's traces in batches, their points under its earlier versions, then their
     * associations (concepts are in by now); returns how many traces there were.
     */
    private static long copyTraces(Store source, Restore restore, Space space, List<SpaceVersion> versions,
                                   Progress progress) {
        long total = source.traceCount(space);
        List<Long> ids = new ArrayList<>();
        List<Trace> batch = new ArrayList<>(BATCH);
        source.forEachTrace(space, t -> {
            batch.add(t);
            ids.add(t.id());
            if (batch.size() == BATCH) {
                restore.traces(space, batch);
                batch.clear();
                progress.progress("copying " + space.name(), ids.size(), total);
            }
        });
        restore.traces(space, batch);
        for (SpaceVersion version : versions) {
            if (version.version() != space.modelVersion()) {
                restore.vectors(space, version.version(), List.copyOf(source.vectors(space, version.version()).values()));
            }
        }
        // Read once the traces' cursor is closed: one statement at a time on the source's connection.
        for (int i = 0; i < ids.size(); i += 10 * BATCH) {
            List<Association> associations = new ArrayList<>();
            for (List<Association> of : source.associationsOf(ids.subList(i, Math.min(ids.size(), i + 10 * BATCH)))
                    .values()) {
                associations.addAll(of);
            }
            restore.associations(associations);
        }
        progress.clearProgress();
        progress.note("copied space %s: %d traces", space.name(), ids.size());
        return ids.size();
    }

    /** Every model version of the space whose files the source has, in version order. */
    private static List<Integer> copyModels(Store source, Transaction unit, Space space, List<SpaceVersion> known) {
        List<Integer> versions = new ArrayList<>();
        for (SpaceVersion v : known) {
            int version = v.version();
            if (!source.models().exists(space.name(), version)) {
                continue;
            }
            source.models().read(space.name(), version, files -> {
                unit.writeModel(space.name(), version, target -> Directories.copyRecursively(files, target));
                return null;
            });
            versions.add(version);
        }
        return versions;
    }

    /** The destination holds what the source held, counted the same way: else the copy is a fault of ours. */
    private static void requireSame(StoreSummary wanted, StoreSummary copied) {
        Map<String, Long> want = counts(wanted);
        Map<String, Long> got = counts(copied);
        if (!want.equals(got)) {
            throw EngramException.internal("the copy in " + copied.directory() + " does not hold what "
                    + wanted.directory() + " holds: " + got + " instead of " + want, null);
        }
    }

    private static Map<String, Long> counts(StoreSummary s) {
        Map<String, Long> counts = new java.util.TreeMap<>();
        s.spaces().forEach(space -> counts.put("space " + space.name(), space.traces()));
        counts.put("events", s.events());
        counts.put("concepts", s.concepts());
        counts.put("associations", s.associations());
        counts.put("dim reports", s.dimReports());
        return counts;
    }
}
