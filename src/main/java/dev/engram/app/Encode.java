package dev.engram.app;

import dev.engram.EngramException;
import dev.engram.encode.Engines;
import dev.engram.encode.Given;
import dev.engram.encode.Input;
import dev.engram.encode.Inputs;
import dev.engram.encode.Manifest;
import dev.engram.encode.Modalities;
import dev.engram.encode.Modality;
import dev.engram.encode.NetworkDeclaration;
import dev.engram.encode.NewSpace;
import dev.engram.encode.PretrainedSpaces;
import dev.engram.encode.Reading;
import dev.engram.encode.Sources;
import dev.engram.encode.SpaceEncoder;
import dev.engram.encode.TrainingOptions;
import dev.engram.encode.text.TextModality;
import dev.engram.encode.text.TextModel;
import dev.engram.store.NewTrace;
import dev.engram.store.Space;
import dev.engram.store.SpaceRules;
import dev.engram.store.Store;
import dev.engram.store.StoreLocation;
import dev.engram.store.SurpriseDistribution;
import dev.engram.store.Trace;
import dev.engram.store.Transaction;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Encode: perceive inputs and store one trace per distinct input in the space of its modality,
 * creating a space that does not exist yet (its encoder trained on the inputs, where it learns).
 * Every input is read and checked before anything is stored, and a new store is created only
 * then, so that bad input leaves nothing behind; new spaces (with their models), the events and
 * all the traces of a run are stored in one unit of work, so that a run is stored whole or not at
 * all. Training and encoding happen before that unit, while other processes read and write.
 */
public final class Encode {
    /** How often a run is encoded again when other processes keep changing its spaces. */
    private static final int ATTEMPTS = 3;

    /**
     * What to encode and how to make new spaces.
     *
     * @param spaces      {@code NAME} for the inputs' space, {@code MODALITY=NAME} for the events' spaces
     * @param modality    the modality of {@code inputs}, or null to tell it from the space or the files
     * @param inputs      files, directories, {@code -}
     * @param texts       texts to encode
     * @param manifest    an event manifest, or null
     * @param events      an events folder, or null
     * @param shape       a new image space's shape ({@code CxHxW}), or null for the first image's
     * @param shaped      whether new autoencoders are shaped by the inputs' concepts
     * @param stdin       what {@code -} reads
     * @param networks    pretrained networks that encode new image or sound spaces ({@link #networks})
     * @param textModel   the sentence encoder of new text spaces ({@link TextModel#named}), or null for the
     *                    default; an existing text space made by another model is refused, never mixed
     */
    public record Request(List<String> spaces, String modality, List<String> inputs, List<String> texts,
                          Path manifest, Path events, int latent, String shape, int epochs, int batchSize,
                          double learningRate, long seed, boolean shaped, double shapeWeight, InputStream stdin,
                          List<Network> networks, String textModel) {

        /** A request whose new spaces all train autoencoders. */
        public Request(List<String> spaces, String modality, List<String> inputs, List<String> texts,
                       Path manifest, Path events, int latent, String shape, int epochs, int batchSize,
                       double learningRate, long seed, boolean shaped, double shapeWeight, InputStream stdin) {
            this(spaces, modality, inputs, texts, manifest, events, latent, shape, epochs, batchSize, learningRate,
                    seed, shaped, shapeWeight, stdin, List.of(), null);
        }

        public Request {
            networks = List.copyOf(networks);
            spaces = List.copyOf(spaces);
            inputs = List.copyOf(inputs);
            texts = List.copyOf(texts);
            if (inputs.isEmpty() && texts.isEmpty() && manifest == null && events == null) {
                throw EngramException.nothingToDo("nothing to encode: give files, directories, IDX files, '-',"
                        + " --text, --manifest or --events");
            }
            if (manifest != null && events != null) {
                throw EngramException.invalidInput("give --manifest or --events, not both");
            }
            if (latent < 1 || epochs < 1 || batchSize < 1 || !(learningRate > 0)) {
                throw EngramException.invalidInput("--latent, --epochs, --batch-size and --learning-rate must be"
                        + " positive");
            }
            if (!(shapeWeight > 0) || Double.isInfinite(shapeWeight)) {
                throw EngramException.invalidInput("--shape-weight must be a positive number");
            }
        }
    }

    /**
     * A user's pretrained network that encodes a new space (docs/architecture.md, Pretrained
     * encoders).
     *
     * @param space  the space it encodes, or null for the run's one new image or sound space
     * @param choice the network file and its declaration
     */
    public record Network(String space, PretrainedSpaces.Choice choice) {
    }

    /**
     * The networks {@code encode --encoder [SPACE=]FILE} names, each with the declaration beside
     * its file and over that the {@code --encoder-config [SPACE=]JSON|FILE} for the same space
     * (without SPACE=, the config of the one --encoder).
     */
    public static List<Network> networks(List<String> encoders, List<String> configs) {
        Map<String, NetworkDeclaration> given = new LinkedHashMap<>();
        for (String config : configs) {
            String[] named = named(config);
            if (given.put(named[0] == null ? "" : named[0], NetworkDeclaration.given(named[1])) != null) {
                throw EngramException.invalidInput("--encoder-config given twice for " + (named[0] == null
                        ? "the one --encoder" : "space " + named[0]));
            }
        }
        List<Network> networks = new ArrayList<>();
        for (String encoder : encoders) {
            String[] named = named(encoder);
            NetworkDeclaration declaration = given.remove(named[0] == null ? "" : named[0]);
            if (declaration == null && encoders.size() == 1) {
                declaration = given.remove("");
            }
            networks.add(new Network(named[0], PretrainedSpaces.Choice.of(Path.of(named[1]), declaration)));
        }
        if (!given.isEmpty()) {
            String key = given.keySet().iterator().next();
            throw EngramException.invalidInput(key.isEmpty()
                    ? "--encoder-config without SPACE= needs exactly one --encoder; write --encoder-config SPACE=..."
                    : "--encoder-config names space " + key + ", which no --encoder SPACE=FILE names");
        }
        return networks;
    }

    /**
     * {@code [SPACE=]VALUE} as {SPACE or null, VALUE}: what stands before the first '=' names a
     * space unless the whole is inline JSON or an existing file's name.
     */
    private static String[] named(String value) {
        int eq = value.indexOf('=');
        if (eq > 0 && !value.strip().startsWith("{") && !Files.exists(Path.of(value))) {
            return new String[] {SpaceRules.requireValidName(value.substring(0, eq)), value.substring(eq + 1)};
        }
        return new String[] {null, value};
    }

    /** What was stored, space by space, in the order the spaces were first named by the inputs. */
    public record Result(List<Encoded> spaces) {
    }

    /**
     * One space's inputs as stored, in input order, and how many traces the space holds now;
     * {@code novel}: how many of the new traces lie above the 99th percentile of surprise of the
     * traces the space held before (0 for a new space), the sign that it should learn them
     * ({@code engram consolidate}).
     */
    public record Encoded(Space space, List<Stored> traces, long spaceTraces, long novel) {
        public long created() {
            return traces.stream().filter(Stored::created).count();
        }
    }

    /**
     * One input's trace: new, or the one already stored for its content; its surprise percentile
     * among the space's traces; its event (0 for none).
     */
    public record Stored(Trace trace, boolean created, double surprisePercentile, long event) {
    }

    private Encode() {
    }

    public static Result run(StoreLocation location, Request request, Progress progress) {
        // A batch, not a query: its forward passes may use every core (readers keep to one).
        Engines.inferOnEveryCore();
        Manifest events = request.manifest() != null ? Manifest.read(request.manifest())
                : request.events() != null ? Manifest.ofFolder(request.events()) : null;
        // What '-' names is read before the store is opened: a process upstream in the same
        // pipeline may be writing to this store, and must not wait for this one's input.
        byte[] piped = request.inputs().contains("-") ? readAll(request.stdin()) : new byte[0];
        Store db = location.exists() ? location.open() : null;
        List<Batch<?>> batches = new ArrayList<>();
        try {
            plan(db, request, events, batches, piped, progress);
            if (db != null) {
                db.requireWritable();
                // Reading the inputs needs nothing of the store: let writers commit meanwhile.
                db.release();
            }
            for (Batch<?> batch : batches) {
                batch.read(request, piped);
            }
            if (db == null) {
                db = location.openOrCreate();
            }
            for (Batch<?> batch : batches) {
                progress.note("read %d %s inputs for space '%s'", batch.inputs.size(), batch.modality.id(),
                        batch.name);
            }
            return encode(db, batches, events, request, progress);
        } finally {
            batches.forEach(Batch::close);
            if (db != null) {
                db.close();
            }
        }
    }

    // --- planning: which inputs go to which space

    /** The inputs bound for one space, with the event (index into the events, or -1) of each. */
    private static final class Batch<I extends Input> {
        final Modality<I> modality;
        final String name;
        Space existing;
        /** The space as recorded: the existing one, or the new one once its unit has recorded it. */
        Space space;
        final List<Given> literals = new ArrayList<>();
        final List<String> arguments = new ArrayList<>();
        final List<Given> fields = new ArrayList<>();
        final List<Integer> fieldEvents = new ArrayList<>();
        Inputs<I> inputs;
        Request request;
        byte[] piped;
        int[] events;
        long[] eventIds;
        SpaceEncoder<I> encoder;
        List<NewTrace> traces;
        /** The pretrained network that encodes the new space, or null. */
        PretrainedSpaces.Choice network;

        Batch(Modality<I> modality, String name, Space existing) {
            this.modality = modality;
            this.name = name;
            this.existing = existing;
        }

        void read(Request request, byte[] piped) {
            this.request = request;
            this.piped = piped;
            inputs = modality.read(new Sources(literals, arguments, fields),
                    Reading.inputs(existing, shape(request), new ByteArrayInputStream(piped)));
            // Arguments may name any number of inputs; each field is one, at the end.
            events = new int[inputs.size()];
            int first = events.length - fields.size();
            for (int i = 0; i < events.length; i++) {
                events[i] = i < first ? -1 : fieldEvents.get(i - first);
            }
        }

        /** A new image space's shape: what its network declares, else what the request says. */
        private String shape(Request request) {
            int[] declared = network == null || existing != null ? null : network.input();
            if (declared == null) {
                return request.shape();
            }
            String shape = declared[0] + "x" + declared[1] + "x" + declared[2];
            if (request.shape() != null && !request.shape().equals(shape)) {
                throw EngramException.invalidInput("--shape " + request.shape() + " differs from the input " + shape
                        + " that network " + network.file() + " declares");
            }
            return shape;
        }

        void open(Store db, NewSpace settings, Progress progress) {
            if (existing == null) {
                Optional<Space> now = db.space(name);
                if (now.isPresent()) {
                    adopt(db, now.get(), progress, "space '%s' was created by another engram process while this"
                            + " one read its inputs: encoding into that space");
                    return;
                }
            }
            requireTextModel(existing);
            encoder = existing != null ? modality.open(db, existing)
                    : modality.create(db, name, inputs.distinct(), settings);
        }

        /** An existing text space's model must be the one asked for, if one is: vectors never mix. */
        private void requireTextModel(Space space) {
            if (space != null && modality == TextModality.INSTANCE && request.textModel() != null) {
                TextModel.requireSame(space, TextModel.named(request.textModel()));
            }
        }

        /**
         * Takes the space as another process made or changed it since this one looked: the
         * inputs are read again for it (an image space resizes to its own shape) and will be
         * encoded with its model.
         */
        void adopt(Store db, Space now, Progress progress, String note) {
            if (!now.modality().equals(modality.id())) {
                throw EngramException.wrongShape("space " + name + " was created meanwhile by another engram"
                        + " process and holds " + now.modality() + ", not " + modality.id() + "; nothing was stored;"
                        + " choose another space with --space");
            }
            progress.note(note, name);
            if (encoder != null) {
                encoder.close();
                encoder = null;
            }
            requireTextModel(now);
            existing = now;
            read(request, piped);
            encoder = modality.open(db, now);
        }

        /**
         * Whether the space is still what this batch was encoded for, as the unit sees the
         * store: a new space still absent, an existing one with the same model.
         */
        boolean current(Transaction tx) {
            Space now = tx.space(name).orElse(null);
            Space mine = encoder.space();
            return mine.recorded() ? now != null && now.id() == mine.id() && now.modelVersion() == mine.modelVersion()
                    : now == null;
        }

        /**
         * Another process changed the space while this one made its traces (created it, or
         * gave it a new model): encodes the inputs again with the space as it is now.
         */
        void reopen(Store db, Progress progress) {
            Space now = db.space(name).orElseThrow(() -> EngramException.storeUnavailable("space '" + name
                    + "' changed while this process encoded into it, and is gone; nothing was stored", null));
            adopt(db, now, progress, encoder.space().recorded()
                    ? "space '%s' got a new model while this process encoded into it: encoding again with it"
                    : "space '%s' was created by another engram process while this one trained it: encoding into"
                    + " that space instead (this training is discarded)");
            encode();
        }

        /**
         * Encodes each distinct content once and gives every repeat the same trace (the store
         * then joins the one trace to each repeat's event).
         */
        void encode() {
            Map<String, NewTrace> byHash = new HashMap<>();
            encoder.traces(inputs.distinct().items()).forEach(t -> byHash.put(t.contentHash(), t));
            traces = inputs.items().stream().map(input -> byHash.get(input.contentHash())).toList();
        }

        void close() {
            if (encoder != null) {
                encoder.close();
            }
        }
    }

    /**
     * Sorts the inputs into batches, one per space; {@code piped} is what {@code -} reads (the
     * first of its paths tells their modality).
     */
    private static void plan(Store db, Request request, Manifest events, List<Batch<?>> batches, byte[] piped,
                             Progress progress) {
        Map<Modality<?>, String> named = new LinkedHashMap<>();
        String plain = null;
        for (String s : request.spaces()) {
            int eq = s.indexOf('=');
            if (eq < 0) {
                if (plain != null) {
                    throw EngramException.invalidInput("--space NAME given twice; use MODALITY=NAME for the"
                            + " spaces of other modalities");
                }
                plain = s;
            } else {
                named.put(Modalities.of(s.substring(0, eq)), SpaceRules.requireValidName(s.substring(eq + 1)));
            }
        }
        boolean positional = !request.inputs().isEmpty() || !request.texts().isEmpty();
        Modality<?> primary = null;
        if (positional) {
            primary = positionalModality(db, request, plain);
            if (primary == null) {
                // The modality of '-' is that of the first path it gives: read them ahead.
                primary = stdinModality(piped);
            }
        } else if (events != null && events.modalities().size() == 1) {
            primary = events.modalities().getFirst();
        }
        if (plain != null && primary == null) {
            throw EngramException.invalidInput("these events hold several modalities: name their spaces with"
                    + " --space MODALITY=NAME");
        }
        if (plain != null) {
            named.putIfAbsent(primary, SpaceRules.requireValidName(plain));
        }
        if (positional) {
            Batch<?> batch = batch(db, batches, primary, named);
            if (!request.texts().isEmpty() && primary != TextModality.INSTANCE) {
                throw EngramException.invalidInput("--text goes to a text space, but the inputs are " + primary.id());
            }
            for (int i = 0; i < request.texts().size(); i++) {
                String text = request.texts().get(i);
                if (text.isBlank()) {
                    throw EngramException.invalidInput("--text " + (i + 1) + " is empty: give some words to encode");
                }
                batch.literals.add(Given.text("--text " + (i + 1), "text", i + 1, text.strip()));
            }
            batch.arguments.addAll(request.inputs());
        }
        if (events != null) {
            for (int e = 0; e < events.events().size(); e++) {
                for (Map.Entry<Modality<?>, Given> field : events.events().get(e).inputs().entrySet()) {
                    Batch<?> batch = batch(db, batches, field.getKey(), named);
                    batch.fields.add(field.getValue());
                    batch.fieldEvents.add(e);
                }
            }
        }
        for (Network network : request.networks()) {
            assign(network, batches, request, progress);
        }
    }

    /**
     * Gives a pretrained network to the new space it encodes. A space that exists already keeps
     * its encoder: naming the very network it was made with is allowed (a pipeline run again),
     * any other is refused.
     */
    private static void assign(Network network, List<Batch<?>> batches, Request request, Progress progress) {
        Path file = network.choice().file();
        Batch<?> target;
        if (network.space() != null) {
            target = batches.stream().filter(b -> b.name.equals(network.space())).findFirst()
                    .orElseThrow(() -> EngramException.invalidInput("--encoder names space " + network.space()
                            + ", which this run does not encode into"));
        } else {
            List<Batch<?>> open = batches.stream().filter(b -> b.modality.takesPretrainedNetworks()).toList();
            List<Batch<?>> fresh = open.stream().filter(b -> b.existing == null).toList();
            if (fresh.size() > 1) {
                throw EngramException.invalidInput("--encoder " + file + ": this run makes several new spaces that a"
                        + " network could encode (" + String.join(", ", fresh.stream().map(b -> b.name).toList())
                        + "); name one: --encoder SPACE=FILE");
            }
            if (fresh.isEmpty() && open.size() != 1 && batches.size() != 1) {
                throw EngramException.invalidInput("--encoder " + file + ": this run encodes no image or sound space"
                        + (open.isEmpty() ? "" : " of its own choosing; name one: --encoder SPACE=FILE"));
            }
            target = !fresh.isEmpty() ? fresh.getFirst() : open.size() == 1 ? open.getFirst() : batches.getFirst();
        }
        if (!target.modality.takesPretrainedNetworks()) {
            throw EngramException.invalidInput("--encoder " + file + ": space " + target.name + " holds "
                    + target.modality.id() + "; pretrained networks encode image and audio spaces");
        }
        if (target.network != null) {
            throw EngramException.invalidInput("two --encoder networks for space " + target.name);
        }
        if (target.existing != null) {
            if (!PretrainedSpaces.uses(target.existing, file)) {
                throw EngramException.invalidInput("--encoder " + file + ": space " + target.name + " exists"
                        + " already, encoded by " + target.existing.encoder() + "; a network encodes a new space"
                        + " (choose one with --space)");
            }
            progress.note("space '%s' is encoded by %s already", target.name, file);
            return;
        }
        if (request.shaped()) {
            throw EngramException.invalidInput("--shaped shapes an autoencoder's latent space; the features of"
                    + " network " + file + " are what they are: drop --shaped or --encoder");
        }
        target.network = network.choice();
    }

    /**
     * The modality of the INPUT arguments: the request's, else text for texts, else the named
     * space's, else the first argument's kind; null when that argument is {@code -}.
     */
    private static Modality<?> positionalModality(Store db, Request request, String plain) {
        if (request.modality() != null) {
            return Modalities.of(request.modality());
        }
        if (!request.texts().isEmpty()) {
            return TextModality.INSTANCE;
        }
        Optional<Space> existing = plain == null || db == null ? Optional.empty() : db.space(plain);
        if (existing.isPresent()) {
            return Modalities.of(existing.get().modality());
        }
        String first = request.inputs().getFirst();
        return first.equals("-") ? null : Modalities.ofPath(Path.of(first));
    }

    /** The modality of the paths on standard input: the first one's. */
    private static Modality<?> stdinModality(byte[] lines) {
        String first = new String(lines, StandardCharsets.UTF_8).lines().map(String::strip)
                .filter(line -> !line.isEmpty()).findFirst()
                .orElseThrow(() -> EngramException.nothingToDo("standard input ('-') gave no paths"));
        if (!Files.exists(Path.of(first))) {
            throw EngramException.invalidInput("cannot tell the modality of the lines on standard input ('-'): the"
                    + " first is not a file; give --modality (--modality text for one text per line)");
        }
        return Modalities.ofPath(Path.of(first));
    }

    private static byte[] readAll(InputStream stdin) {
        try {
            return stdin.readAllBytes();
        } catch (IOException e) {
            throw EngramException.invalidInput("cannot read standard input: " + e.getMessage(), e);
        }
    }

    private static <I extends Input> Batch<I> batch(Store db, List<Batch<?>> batches, Modality<I> modality,
                                                    Map<Modality<?>, String> named) {
        String name = named.getOrDefault(modality, modality.id());
        for (Batch<?> batch : batches) {
            if (batch.name.equals(name)) {
                if (batch.modality != modality) {
                    throw EngramException.invalidInput("space " + name + " cannot take both " + batch.modality.id()
                            + " and " + modality.id() + " inputs");
                }
                @SuppressWarnings("unchecked") // same modality, same input type
                Batch<I> same = (Batch<I>) batch;
                return same;
            }
        }
        Space space = db == null ? null : db.space(name).orElse(null);
        if (space != null && !space.modality().equals(modality.id())) {
            throw EngramException.wrongShape("space " + name + " holds " + space.modality() + ", not "
                    + modality.id() + "; choose another space with --space");
        }
        Batch<I> batch = new Batch<>(modality, name, space);
        batches.add(batch);
        return batch;
    }

    // --- encoding and storing

    private static Result encode(Store db, List<Batch<?>> batches, Manifest events, Request request,
                                 Progress progress) {
        // The encoders first (new spaces trained, the store let go meanwhile), then every trace
        // computed, all outside the store's exclusive section; then one unit stores it all.
        TrainingOptions options = new TrainingOptions(request.epochs(), request.batchSize(), request.learningRate(),
                request.seed(), request.shaped() ? request.shapeWeight() : 0);
        for (Batch<?> batch : batches) {
            batch.open(db, new NewSpace(request.latent(), options,
                    distinct -> concepts(batch, distinct, events, request.shapeWeight(), progress), listener(progress),
                    batch.network, request.textModel()), progress);
        }
        batches.forEach(Batch::encode);
        Map<Space, List<Store.StoredTrace>> stored = null;
        for (int attempt = 1; stored == null; attempt++) {
            List<Batch<?>> stale = new ArrayList<>();
            stored = db.write(tx -> store(tx, batches, events, stale));
            if (stored == null) {
                if (attempt == ATTEMPTS) {
                    throw EngramException.storeUnavailable("the spaces of this run kept changing under other engram"
                            + " processes (" + ATTEMPTS + " attempts); nothing was stored; run it again", null);
                }
                for (Batch<?> batch : stale) {
                    batch.reopen(db, progress);
                }
            }
        }
        List<Encoded> result = new ArrayList<>();
        for (Batch<?> batch : batches) {
            Space space = batch.space;
            List<Stored> traces = new ArrayList<>();
            List<Store.StoredTrace> list = stored.get(space);
            for (int i = 0; i < list.size(); i++) {
                Trace t = list.get(i).trace();
                traces.add(new Stored(t, list.get(i).created(), db.surprisePercentile(space, t.surprise()),
                        batch.eventIds[i]));
            }
            long total = db.traceCount(space);
            Encoded encoded = new Encoded(space, traces, total, novel(db, space, traces, total));
            progress.note("encoded %d %s inputs into space '%s': %d new traces, %d already stored; the space holds %d",
                    traces.size(), batch.modality.id(), space.name(), encoded.created(),
                    traces.size() - encoded.created(), encoded.spaceTraces());
            if (encoded.novel() >= 5 && encoded.novel() * 10 >= encoded.created()) {
                progress.note("%d of the %d new traces are novel (above the space's 99th-percentile surprise): 'engram"
                        + " consolidate --space %s' would let the space learn them", encoded.novel(),
                        encoded.created(), space.name());
            }
            result.add(encoded);
        }
        return new Result(result);
    }

    /**
     * How many of the new traces are novel: above the 99th percentile of surprise among the
     * traces the space held before them. The store's percentiles count the new traces too, so
     * theirs are taken out again.
     */
    private static long novel(Store db, Space space, List<Stored> stored, long total) {
        Map<Long, Double> fresh = new HashMap<>();
        stored.stream().filter(Stored::created).forEach(s -> fresh.put(s.trace().id(), s.trace().surprise()));
        long older = total - fresh.size();
        if (older <= 0) {
            return 0;
        }
        SurpriseDistribution ofFresh = new SurpriseDistribution(fresh.values().stream().mapToDouble(d -> d).toArray());
        return fresh.values().stream().filter(surprise -> {
            long olderAtMost = Math.round(db.surprisePercentile(space, surprise) * total)
                    - Math.round(ofFresh.percentile(surprise) * fresh.size());
            return (double) olderAtMost / older > Consolidate.NOVEL_PERCENTILE;
        }).count();
    }

    /**
     * Stores the run in one unit of work: the new spaces with their models, the events, every
     * trace. Everything was computed outside it, so it first checks that the spaces are still
     * what that was computed for; if another process changed one meanwhile, it stores nothing,
     * names the stale batches and returns null (docs/architecture.md, "Many processes, one store").
     */
    private static Map<Space, List<Store.StoredTrace>> store(Transaction tx, List<Batch<?>> batches, Manifest events,
                                                             List<Batch<?>> stale) {
        for (Batch<?> batch : batches) {
            if (!batch.current(tx)) {
                stale.add(batch);
            }
        }
        if (!stale.isEmpty()) {
            return null;
        }
        long[] eventIds = events == null ? new long[0] : new long[events.events().size()];
        for (int e = 0; e < eventIds.length; e++) {
            Manifest.Event event = events.events().get(e);
            eventIds[e] = tx.createEvent(event.concept(), event.time(), event.where());
        }
        Map<Space, List<NewTrace>> traces = new LinkedHashMap<>();
        for (Batch<?> batch : batches) {
            batch.space = batch.encoder.record(tx);
            batch.eventIds = Arrays.stream(batch.events).mapToLong(e -> e < 0 ? 0 : eventIds[e]).toArray();
            List<NewTrace> perceived = new ArrayList<>(batch.traces.size());
            for (int i = 0; i < batch.traces.size(); i++) {
                perceived.add(batch.traces.get(i).inEvent(batch.eventIds[i]));
            }
            traces.put(batch.space, perceived);
        }
        return tx.addTraces(traces);
    }

    /**
     * The concept of each distinct training input, numbered in order of first appearance (-1:
     * unknown): its event's concept, else the name of the folder holding its file (as
     * {@code bind --from-dirs} reads it; items of IDX and CSV files have none).
     */
    private static int[] concepts(Batch<?> batch, List<? extends Input> distinct, Manifest events, double weight,
                                  Progress progress) {
        Map<String, String> byHash = new HashMap<>();
        for (int i = 0; i < batch.inputs.size(); i++) {
            Input input = batch.inputs.items().get(i);
            int e = batch.events[i];
            String concept = e >= 0 ? events.events().get(e).concept()
                    : input.index() >= 0 ? null : folderName(input.source());
            if (concept != null) {
                byHash.putIfAbsent(input.contentHash(), concept);
            }
        }
        Map<String, Integer> numbers = new LinkedHashMap<>();
        int[] concepts = new int[distinct.size()];
        for (int i = 0; i < concepts.length; i++) {
            String concept = byHash.get(distinct.get(i).contentHash());
            concepts[i] = concept == null ? -1 : numbers.computeIfAbsent(concept, c -> numbers.size());
        }
        if (numbers.size() < 2) {
            throw EngramException.invalidInput("--shaped needs inputs of at least two concepts (from the events'"
                    + " concept fields or the inputs' folder names); found " + numbers.size());
        }
        long known = Arrays.stream(concepts).filter(c -> c >= 0).count();
        progress.note("shaping space '%s' by %d concepts known for %d of %d inputs (weight %s)", batch.name,
                numbers.size(), known, concepts.length, Progress.number(weight));
        return concepts;
    }

    private static String folderName(String source) {
        Path parent = Path.of(source).getParent();
        return parent == null || parent.getFileName() == null ? null : parent.getFileName().toString();
    }

    /** Training told as notes (each epoch's loss) and a progress bar (each batch). */
    static NewSpace.Listener listener(Progress progress) {
        return new NewSpace.Listener() {
            @Override
            public void note(String format, Object... args) {
                progress.note(format, args);
            }

            @Override
            public void batch(int epoch, int epochs, int batch, int batches, double loss) {
                progress.progress(String.format(Locale.ROOT, "epoch %d/%d loss %.5f", epoch, epochs, loss), batch,
                        batches);
            }

            @Override
            public void epoch(int epoch, int epochs, double loss, double seconds) {
                progress.note("epoch %d/%d: reconstruction loss (MSE) %.5f, %.1f s", epoch, epochs, loss, seconds);
            }
        };
    }
}
