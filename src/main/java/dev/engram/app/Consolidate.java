package dev.engram.app;

import dev.engram.EngramException;
import dev.engram.Json;
import dev.engram.encode.Autoencoder;
import dev.engram.encode.AutoencoderConfig;
import dev.engram.encode.AutoencoderSpaces;
import dev.engram.encode.Modalities;
import dev.engram.encode.Modality;
import dev.engram.encode.SourceInputs;
import dev.engram.encode.TrainingOptions;
import dev.engram.store.Association;
import dev.engram.store.Space;
import dev.engram.store.SpaceVersion;
import dev.engram.store.Store;
import dev.engram.store.StoreLocation;
import dev.engram.store.SurpriseDistribution;
import dev.engram.store.Trace;
import dev.engram.store.TraceVector;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The consolidation use case: a space's autoencoder trained further, from its current weights,
 * into the next model version, on what it perceived since that version together with replay of
 * older traces, so that it learns the new without forgetting the old (docs/architecture.md,
 * "Spaces that keep learning"). Replay uses a trace's raw input when its source can still be
 * read and matches the trace's content hash, else the current decoder's reconstruction of the
 * trace's point (generative replay, as SHARP, Gurbuz et al. 2023, replays processed
 * activations rather than raw input). Then every trace of the space is encoded again under the
 * new version (from its raw input, else its reconstruction), and the new model, points and
 * surprises are stored in one unit of work; the earlier version stays, and
 * {@link Request#restore} makes it current again.
 */
public final class Consolidate {
    /** Above this percentile of the older traces' surprise a new trace is novel. */
    public static final double NOVEL_PERCENTILE = 0.99;

    private Consolidate() {
    }

    /** Which older traces are replayed first. */
    public enum Priority {
        /** The most recently perceived first (SHARP's preference for what was learned lately). */
        RECENCY,
        /** The most surprising (worst reconstructed) first: what the space knows least well. */
        SURPRISE
    }

    /** Where replayed inputs come from. */
    public enum ReplayInputs {
        /** A trace's raw input where its source can be read again, else its reconstruction. */
        AUTO,
        /** Reconstructions only, as if the older inputs were gone (generative replay). */
        GENERATED
    }

    /**
     * @param space       the space to consolidate (null: the store's only space)
     * @param replayShare the share of older traces in the training set, in [0, 1): 0 trains on the new only
     * @param epochs      training epochs; null for those the current version was trained with
     * @param whenNovel   do nothing unless at least this many novel traces accumulated (0: always)
     * @param restore     make this earlier version current again instead (null: consolidate)
     */
    public record Request(String space, double replayShare, Priority priority, ReplayInputs replayInputs,
                          Integer epochs, Integer batchSize, Double learningRate, long seed, int whenNovel,
                          boolean dryRun, Integer restore) {
        public Request {
            if (!(replayShare >= 0 && replayShare < 1)) {
                throw EngramException.invalidInput("--replay is the share of older traces in the training set: from 0"
                        + " up to but not including 1, not " + replayShare);
            }
            if (epochs != null && epochs < 1 || batchSize != null && batchSize < 1
                    || learningRate != null && !(learningRate > 0)) {
                throw EngramException.invalidInput("--epochs, --batch-size and --learning-rate must be positive");
            }
            if (whenNovel < 0) {
                throw EngramException.invalidInput("--when-novel must be 0 or more, not " + whenNovel);
            }
        }
    }

    /**
     * What a consolidation trains on, or did: the traces perceived since the current version
     * ({@code fresh}; {@code novel} of them above the older traces' 99th-percentile surprise),
     * the older ones replayed, and where each input came from.
     */
    public record Plan(String space, int fromVersion, int toVersion, int traces, int fresh, int novel,
                       int replayed, int freshRaw, int freshGenerated, int replayedRaw, int replayedGenerated,
                       String priority, double replayShare, int epochs, boolean shaped) {
        /** The same plan, its new version numbered {@code version} (taken when it is stored). */
        Plan to(int version) {
            return new Plan(space, fromVersion, version, traces, fresh, novel, replayed, freshRaw, freshGenerated,
                    replayedRaw, replayedGenerated, priority, replayShare, epochs, shaped);
        }
    }

    /**
     * What was done: the plan, whether anything changed ({@code skipped} says why not), how
     * each trace was encoded again (from its raw input or from its reconstruction), the new
     * version's loss per epoch, and the time of training and of the whole.
     */
    public record Result(Plan plan, boolean changed, String skipped, int reencodedRaw, int reencodedGenerated,
                         List<Double> lossPerEpoch, double trainingSeconds, double seconds) {
    }

    public static Result run(StoreLocation location, Request request, Progress progress) {
        long started = System.nanoTime();
        try (Store store = location.open()) {
            if (!request.dryRun()) {
                store.requireWritable();
            }
            Space space = Spaces.resolve(store, request.space());
            Modality<?> modality = requireLearning(space);
            return request.restore() != null
                    ? restore(store, space, modality, request.restore(), request.dryRun(), progress, started)
                    : consolidate(store, space, modality, request, progress, started);
        }
    }

    /** The modality of a space whose encoder learns; a pretrained (text) space is refused. */
    private static Modality<?> requireLearning(Space space) {
        if (!space.encoder().endsWith("autoencoder")) {
            throw EngramException.nothingToDo("space " + space.name() + " is encoded by " + space.encoder()
                    + ", a pretrained network that engram does not train: there is nothing to consolidate");
        }
        return Modalities.of(space.modality());
    }

    // --- consolidation

    private static Result consolidate(Store store, Space space, Modality<?> modality, Request request,
                                      Progress progress, long started) {
        List<SpaceVersion> versions = store.versions(space);
        SpaceVersion current = versions.stream().filter(v -> v.version() == space.modelVersion()).findFirst()
                .orElse(versions.getLast());
        List<Trace> traces = new ArrayList<>();
        store.forEachTrace(space, traces::add);
        Instant since = current.createdAt();
        List<Trace> fresh = traces.stream().filter(t -> t.createdAt().isAfter(since)).toList();
        List<Trace> older = traces.stream().filter(t -> !t.createdAt().isAfter(since)).toList();
        SurpriseDistribution olderSurprise = new SurpriseDistribution(older.stream()
                .mapToDouble(Trace::surprise).toArray());
        int novel = (int) fresh.stream().filter(t -> olderSurprise.percentile(t.surprise()) > NOVEL_PERCENTILE)
                .count();
        List<Trace> replayed = replayed(older, fresh.size(), request);
        AutoencoderConfig config = AutoencoderSpaces.config(space);
        int epochs = request.epochs() != null ? request.epochs() : config.provenance().epochs();
        int next = versions.stream().mapToInt(SpaceVersion::version).max().orElseThrow() + 1;

        if (novel < request.whenNovel() || fresh.isEmpty()) {
            String why = fresh.isEmpty()
                    ? "no traces were stored in space " + space.name() + " since v" + space.modelVersion()
                    + ": nothing new to learn"
                    : novel + " novel trace" + (novel == 1 ? "" : "s") + " since v" + space.modelVersion()
                    + ", fewer than --when-novel " + request.whenNovel();
            if (request.whenNovel() == 0 && !request.dryRun()) {
                throw EngramException.nothingToDo(why);
            }
            Plan plan = new Plan(space.name(), space.modelVersion(), space.modelVersion(), traces.size(), fresh.size(),
                    novel, 0, 0, 0, 0, 0, priority(request), request.replayShare(), epochs, config.shaped());
            progress.note("%s; nothing done", why);
            return new Result(plan, false, why, 0, 0, List.of(), 0, seconds(started));
        }

        // Every trace's input: read again where possible (all are encoded again after training).
        progress.note("reading the sources of %d traces of space '%s' again", traces.size(), space.name());
        SourceInputs.Reread raw = SourceInputs.read(modality, space, traces);
        boolean generated = request.replayInputs() == ReplayInputs.GENERATED;
        int freshRaw = countRaw(fresh, raw);
        int replayedRaw = generated ? 0 : countRaw(replayed, raw);
        Plan plan = new Plan(space.name(), space.modelVersion(), next, traces.size(), fresh.size(), novel,
                replayed.size(), freshRaw, fresh.size() - freshRaw, replayedRaw, replayed.size() - replayedRaw,
                priority(request), request.replayShare(), epochs, config.shaped());
        progress.note("v%d of space '%s' will learn from %d traces stored since v%d (%d novel; %d raw inputs, %d"
                        + " reconstructions) and replay %d older ones (%d raw, %d reconstructions), %d epochs",
                next, space.name(), fresh.size(), space.modelVersion(), novel, freshRaw, fresh.size() - freshRaw,
                replayed.size(), replayedRaw, replayed.size() - replayedRaw, epochs);
        if (!raw.unreadable().isEmpty()) {
            progress.note("%d traces' inputs cannot be read again (e.g. %s): their reconstructions stand in",
                    raw.unreadable().size(), raw.unreadable().values().iterator().next());
        }
        if (request.dryRun()) {
            return new Result(plan, false, "dry run", 0, 0, List.of(), 0, seconds(started));
        }

        Map<Long, Integer> conceptOf = config.shaped() ? concepts(store, traces) : Map.of();
        try (Autoencoder model = store.models().read(space.name(), space.modelVersion(), Autoencoder::load)) {
            store.release(); // no view held while training (a server store's snapshot would stay open)
            // Reconstructions stand in for the inputs that cannot be read (or, replayed generatively,
            // may not be): made once by the current decoder, before it learns anything new.
            Set<Long> replayedGeneratively = new HashSet<>();
            if (generated) {
                replayed.forEach(t -> replayedGeneratively.add(t.id()));
            }
            Map<Long, float[]> reconstructed = reconstructions(model, traces.stream().filter(t ->
                    !raw.values().containsKey(t.id()) || replayedGeneratively.contains(t.id())).toList());
            Map<Long, float[]> inputs = inputs(traces, raw, reconstructed);
            List<Trace> training = new ArrayList<>(fresh);
            training.addAll(replayed);
            float[][] values = new float[training.size()][];
            int[] concepts = config.shaped() ? new int[training.size()] : null;
            for (int i = 0; i < values.length; i++) {
                long id = training.get(i).id();
                values[i] = replayedGeneratively.contains(id) ? reconstructed.get(id) : inputs.get(id);
                if (concepts != null) {
                    concepts[i] = conceptOf.getOrDefault(id, -1);
                }
            }
            double shapeWeight = config.shaped() ? config.provenance().shaping().weight() : 0;
            if (concepts != null && java.util.Arrays.stream(concepts).filter(c -> c >= 0).distinct().count() < 2) {
                progress.note("fewer than two concepts are bound to the training traces: v%d is trained without"
                        + " shaping", next);
                shapeWeight = 0;
            }
            AutoencoderConfig.Provenance was = config.provenance();
            TrainingOptions options = new TrainingOptions(epochs,
                    request.batchSize() != null ? request.batchSize() : was.batchSize(),
                    request.learningRate() != null ? request.learningRate() : was.learningRate(), request.seed(),
                    shapeWeight);
            long trainingStart = System.nanoTime();
            Autoencoder trained = model.trainFurther(values, concepts, options, Encode.listener(progress));
            double trainingSeconds = seconds(trainingStart);
            List<TraceVector> vectors = encode(trained, traces, inputs);
            int reencodedRaw = (int) traces.stream().filter(t -> raw.values().containsKey(t.id())).count();
            Map<String, Object> how = new LinkedHashMap<>();
            how.put("from_version", space.modelVersion());
            how.put("fresh", plan.fresh());
            how.put("novel", plan.novel());
            how.put("fresh_raw", plan.freshRaw());
            how.put("fresh_generated", plan.freshGenerated());
            how.put("replayed", plan.replayed());
            how.put("replayed_raw", plan.replayedRaw());
            how.put("replayed_generated", plan.replayedGenerated());
            how.put("replay_share", plan.replayShare());
            how.put("priority", plan.priority());
            how.put("reencoded_raw", reencodedRaw);
            how.put("reencoded_generated", traces.size() - reencodedRaw);
            how.put("training_seconds", trainingSeconds);
            // The version's number is taken in the unit: another process may have made one meanwhile
            // (changeVersion then refuses if the space moved on; a restore may have brought it back).
            SpaceVersion made = store.write(tx -> {
                int number = store.versions(space).stream().mapToInt(SpaceVersion::version).max().orElseThrow() + 1;
                SpaceVersion version = new SpaceVersion(number, Json.LINES.toJson(trained.config()),
                        Json.LINES.toJson(how), null);
                tx.changeVersion(space, version, vectors);
                tx.writeModel(space.name(), number, trained::save);
                return version;
            });
            progress.note("space '%s' is at v%d: %d traces encoded again (%d from their raw inputs, %d from"
                            + " reconstructions); v%d is kept (engram consolidate --restore v%d)", space.name(),
                    made.version(), traces.size(), reencodedRaw, traces.size() - reencodedRaw, space.modelVersion(),
                    space.modelVersion());
            return new Result(plan.to(made.version()), true, null, reencodedRaw, traces.size() - reencodedRaw,
                    trained.config().provenance().lossPerEpoch(), trainingSeconds, seconds(started));
        }
    }

    /**
     * The older traces replayed: as many as make {@code share} of the training set, by priority.
     * Ties (the traces of one encode share its time) are broken at random, seeded: a batch of
     * one kind of input must not take all the places.
     */
    private static List<Trace> replayed(List<Trace> older, int fresh, Request request) {
        long wanted = Math.round(request.replayShare() / (1 - request.replayShare()) * fresh);
        List<Trace> shuffled = new ArrayList<>(older);
        java.util.Collections.shuffle(shuffled, new java.util.Random(request.seed()));
        Comparator<Trace> order = request.priority() == Priority.SURPRISE
                ? Comparator.comparingDouble(Trace::surprise).reversed()
                : Comparator.comparing(Trace::createdAt).reversed();
        shuffled.sort(order);
        return shuffled.subList(0, (int) Math.min(wanted, older.size()));
    }

    private static String priority(Request request) {
        return request.priority().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static int countRaw(List<Trace> traces, SourceInputs.Reread raw) {
        return (int) traces.stream().filter(t -> raw.values().containsKey(t.id())).count();
    }

    /**
     * The concept of each bound trace, numbered 0..K-1 (the concept of its strongest
     * association): what shapes a shaped space's next version, as labels shaped its first.
     */
    private static Map<Long, Integer> concepts(Store store, List<Trace> traces) {
        Map<Long, Integer> numbers = new HashMap<>();
        Map<Long, Integer> of = new HashMap<>();
        List<Long> ids = traces.stream().map(Trace::id).toList();
        for (int i = 0; i < ids.size(); i += 10_000) {
            store.associationsOf(ids.subList(i, Math.min(ids.size(), i + 10_000))).forEach((trace, associations) ->
                    associations.stream().max(Comparator.comparingDouble(Association::weight)).ifPresent(a ->
                            of.put(trace, numbers.computeIfAbsent(a.conceptId(), c -> numbers.size()))));
        }
        return of;
    }

    /** The model's reconstruction of each trace's point, by trace id. */
    private static Map<Long, float[]> reconstructions(Autoencoder model, List<Trace> traces) {
        Map<Long, float[]> reconstructed = new HashMap<>();
        if (!traces.isEmpty()) {
            float[][] decoded = model.decode(traces.stream().map(Trace::vector).toArray(float[][]::new));
            for (int i = 0; i < traces.size(); i++) {
                reconstructed.put(traces.get(i).id(), decoded[i]);
            }
        }
        return reconstructed;
    }

    /** Each trace's input: its raw values where they could be read again, else its reconstruction. */
    private static Map<Long, float[]> inputs(List<Trace> traces, SourceInputs.Reread raw,
                                             Map<Long, float[]> reconstructed) {
        Map<Long, float[]> inputs = new HashMap<>();
        for (Trace t : traces) {
            float[] values = raw.values().get(t.id());
            inputs.put(t.id(), values != null ? values : reconstructed.get(t.id()));
        }
        return inputs;
    }

    /** Every trace encoded by {@code model} from its input: its point and surprise under the model. */
    private static List<TraceVector> encode(Autoencoder model, List<Trace> traces, Map<Long, float[]> inputs) {
        float[][] values = traces.stream().map(t -> inputs.get(t.id())).toArray(float[][]::new);
        float[][] points = model.encode(values);
        double[] surprise = model.surprise(values, model.decode(points));
        List<TraceVector> vectors = new ArrayList<>(traces.size());
        for (int i = 0; i < traces.size(); i++) {
            vectors.add(new TraceVector(traces.get(i).id(), points[i], surprise[i]));
        }
        return vectors;
    }

    // --- restoring an earlier version

    private static Result restore(Store store, Space space, Modality<?> modality, int version, boolean dryRun,
                                  Progress progress, long started) {
        List<SpaceVersion> versions = store.versions(space);
        SpaceVersion wanted = versions.stream().filter(v -> v.version() == version).findFirst()
                .orElseThrow(() -> EngramException.unknown("space " + space.name() + " has no v" + version
                        + " (it has " + versions.stream().map(v -> "v" + v.version())
                        .collect(java.util.stream.Collectors.joining(", ")) + ")"));
        if (version == space.modelVersion()) {
            throw EngramException.nothingToDo("space " + space.name() + " is at v" + version + " already");
        }
        if (!store.models().exists(space.name(), version)) {
            throw EngramException.storeUnavailable("the model files of v" + version + " of space " + space.name()
                    + " are missing from store " + store.location() + ": it cannot be made current again", null);
        }
        Map<Long, TraceVector> kept = store.vectors(space, version);
        List<Trace> traces = new ArrayList<>();
        store.forEachTrace(space, traces::add);
        List<Trace> later = traces.stream().filter(t -> !kept.containsKey(t.id())).toList();
        SourceInputs.Reread raw = SourceInputs.read(modality, space, later);
        Plan plan = new Plan(space.name(), space.modelVersion(), version, traces.size(), later.size(), 0, 0,
                raw.values().size(), later.size() - raw.values().size(), 0, 0, null, 0, 0,
                Json.LINES.fromJson(wanted.config(), AutoencoderConfig.class).shaped());
        progress.note("v%d of space '%s' keeps the points of %d traces; %d stored since are encoded with it (%d from"
                        + " their raw inputs, %d from reconstructions)", version, space.name(), kept.size(),
                later.size(), raw.values().size(), later.size() - raw.values().size());
        if (dryRun) {
            return new Result(plan, false, "dry run", 0, 0, List.of(), 0, seconds(started));
        }
        store.release();
        List<TraceVector> vectors = new ArrayList<>(kept.values());
        if (!later.isEmpty()) {
            Map<Long, float[]> inputs;
            try (Autoencoder now = store.models().read(space.name(), space.modelVersion(), Autoencoder::load)) {
                store.release();
                inputs = inputs(later, raw, reconstructions(now, later.stream()
                        .filter(t -> !raw.values().containsKey(t.id())).toList()));
            }
            try (Autoencoder then = store.models().read(space.name(), version, Autoencoder::load)) {
                store.release();
                vectors.addAll(encode(then, later, inputs));
            }
        }
        store.write(tx -> tx.changeVersion(space, wanted, vectors));
        progress.note("space '%s' is at v%d again; v%d is kept", space.name(), version, space.modelVersion());
        return new Result(plan, true, null, raw.values().size(), later.size() - raw.values().size(), List.of(), 0,
                seconds(started));
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
