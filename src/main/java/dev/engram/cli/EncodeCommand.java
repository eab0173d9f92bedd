package dev.engram.cli;

import dev.engram.EngramException;
import dev.engram.encode.Autoencoder;
import dev.engram.encode.AutoencoderConfig;
import dev.engram.encode.AutoencoderSpaces;
import dev.engram.encode.ImageSpaces;
import dev.engram.encode.Manifest;
import dev.engram.encode.Modality;
import dev.engram.encode.Perception;
import dev.engram.encode.TrainingListener;
import dev.engram.encode.TrainingOptions;
import dev.engram.encode.image.ImageInput;
import dev.engram.encode.image.ImageShape;
import dev.engram.encode.image.ImageSources;
import dev.engram.encode.audio.AudioInput;
import dev.engram.encode.audio.AudioSources;
import dev.engram.encode.audio.BandShift;
import dev.engram.encode.text.SentenceEncoder;
import dev.engram.encode.text.TextInput;
import dev.engram.encode.text.TextSources;
import dev.engram.encode.text.TextSpaces;
import dev.engram.encode.vector.VectorInput;
import dev.engram.encode.vector.VectorSources;
import dev.engram.store.NewTrace;
import dev.engram.store.Space;
import dev.engram.store.Store;
import dev.engram.store.StoreLocation;
import dev.engram.store.Trace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

/** {@code engram encode}: perceive inputs, storing each as a trace of a latent space. */
@Command(name = "encode", sortOptions = false, mixinStandardHelpOptions = true,
        versionProvider = EngramCommand.Version.class,
        description = {
                "Encode inputs into latent spaces, storing one trace per distinct input: its latent vector, "
                        + "source, content hash, event, time and surprise (with its percentile among the "
                        + "space's traces).",
                "",
                "Modalities: image (PNG, JPEG, IDX files; a convolutional autoencoder), text (a pretrained "
                        + "sentence encoder, all-MiniLM-L6-v2, shipped in engram; no decoder, so a text's "
                        + "surprise is its distance to the nearest stored text), audio and vector. A space "
                        + "holds one modality and is named after it unless --space says otherwise.",
                "",
                "A space that has no model yet is created first: its autoencoder is trained with DJL "
                        + "(PyTorch engine) on the given inputs, with the loss of each epoch on stderr.",
                "",
                "Events: --manifest FILE (JSON Lines, one event per line with a field per modality, "
                        + "an optional concept and time) or --events DIR (files sharing a base name form one "
                        + "event). Every input is read and checked before anything is stored, and all the "
                        + "traces of a run are stored in one transaction: an event is stored whole or not "
                        + "at all."},
        footerHeading = "%nExamples:%n",
        footer = {"  engram encode --store mem --space fashion sample-data/fashion/train",
                "  engram encode --store mem --space fashion --epochs 20 --latent 32 train-images-idx3-ubyte.gz",
                "  find photos -name '*.png' | engram encode --store mem --json -",
                "  engram encode --store mem --text 'a leather ankle boot' --text 'a summer dress'",
                "  cut -f2 captions.tsv | engram encode --store mem --modality text -",
                "  engram encode --store mem --space image=fashion --manifest sample-data/fashion/events.jsonl"})
public final class EncodeCommand extends StoreCommand {

    @Option(names = "--space", paramLabel = "[MODALITY=]NAME",
            description = "Space to encode into: NAME for the inputs' modality, MODALITY=NAME (repeatable) for"
                    + " the modalities of events (default: the modality's name, e.g. image, text).")
    List<String> spaceNames = new ArrayList<>();

    @Option(names = "--modality", paramLabel = "MODALITY",
            description = "Modality of the INPUT arguments: image, text, audio or vector (default: the space's,"
                    + " else told by the files' extensions, else image).")
    String modalityName;

    @Parameters(paramLabel = "INPUT", arity = "0..*",
            description = "Files, directories, IDX files, or '-' (image paths, or for text one text per line).")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--text", paramLabel = "STRING", description = "A text to encode (repeatable).")
    List<String> texts = new ArrayList<>();

    @Option(names = "--manifest", paramLabel = "FILE",
            description = "Event manifest (JSON Lines): each line's inputs are stored as one event.")
    Path manifest;

    @Option(names = "--events", paramLabel = "DIR",
            description = "Events folder: files sharing a base name (0001.png, 0001.txt, 0001.wav) form one event.")
    Path eventsFolder;

    @Option(names = "--latent", paramLabel = "N", defaultValue = "16",
            description = "Latent dimension of a new autoencoder space (default: ${DEFAULT-VALUE}).")
    int latent;

    @Option(names = "--shape", paramLabel = "CxHxW",
            description = "Image shape of a new image space, e.g. 1x28x28 (default: the first image's, sides"
                    + " rounded to a multiple of 4); images are resized to it.")
    String shape;

    @Option(names = "--epochs", defaultValue = "10", description = "Training epochs for a new space (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "128", description = "Training mini-batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--learning-rate", defaultValue = "0.001", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for initialisation and shuffling (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--shaped",
            description = "Train a new autoencoder space shaped by concepts: reconstruction error plus --shape-weight"
                    + " times the cross-entropy of a linear softmax read-out of the latent vector (a supervised"
                    + " autoencoder, Le, Patterson & White 2018), so that one concept's points lie together. An"
                    + " input's concept is its event's, else the name of the folder holding its file.")
    boolean shaped;

    /*
     * 0.1: on the full Fashion-MNIST (60,000 training images, 10 epochs, 16-d, seed 42;
     * dev.engram.bench.ShapedSpaceBench, 2026-12-01) weight 0.1 gave kNN accuracy 0.909 and test
     * MSE 0.0143, weight 1 0.906 and 0.0176: the cross-entropy's gradient dwarfs the per-pixel
     * error's at the latent layer, so a tenth of it shapes the space as well and costs the
     * reconstruction less.
     */
    @Option(names = "--shape-weight", paramLabel = "W", defaultValue = "0.1",
            description = "Weight of the shaping term with --shaped (default: ${DEFAULT-VALUE}).")
    double shapeWeight;

    /** The inputs bound for one space, with the event (index into the events list, or -1) of each. */
    private static final class Batch {
        final Modality modality;
        final String spaceName;
        Space space;
        final List<Object> inputs = new ArrayList<>();
        final List<Integer> events = new ArrayList<>();
        /** Positional image arguments and manifest image paths, read together once the shape is known. */
        final List<String> imageArgs = new ArrayList<>();
        final List<Integer> imageEvents = new ArrayList<>();
        ImageShape imageShape;
        long[] eventIds;

        Batch(Modality modality, String spaceName, Space space) {
            this.modality = modality;
            this.spaceName = spaceName;
            this.space = space;
        }

        void add(Object input, int event) {
            inputs.add(input);
            events.add(event);
        }
    }

    @Override
    public Integer call() {
        Console console = console();
        Output out = out();
        if (inputs.isEmpty() && texts.isEmpty() && manifest == null && eventsFolder == null) {
            throw EngramException.nothingToDo("nothing to encode: give files, directories, IDX files, '-', --text,"
                    + " --manifest or --events");
        }
        if (manifest != null && eventsFolder != null) {
            throw EngramException.invalidInput("give --manifest or --events, not both");
        }
        if (latent < 1 || epochs < 1 || batchSize < 1 || !(learningRate > 0)) {
            throw EngramException.invalidInput("--latent, --epochs, --batch-size and --learning-rate must be positive");
        }
        if (!(shapeWeight > 0) || Double.isInfinite(shapeWeight)) {
            throw EngramException.invalidInput("--shape-weight must be a positive number");
        }
        Manifest events = manifest != null ? Manifest.read(manifest)
                : eventsFolder != null ? Manifest.ofFolder(eventsFolder) : null;
        // A new store is created only once its inputs have been read and checked, so bad input
        // leaves no trace on disk at all.
        StoreLocation location = store().location();
        Store db = location.exists() ? location.open() : null;
        try {
            Map<String, Batch> batches = plan(db, events);
            batches.values().forEach(this::read);
            if (db == null) {
                db = location.openOrCreate();
            }
            for (Batch batch : batches.values()) {
                console.note("read %d %s inputs for space '%s'", batch.inputs.size(), batch.modality, batch.spaceName);
            }
            encode(db, batches, events, console, out);
        } finally {
            if (db != null) {
                db.close();
            }
        }
        return 0;
    }

    // --- planning: which inputs go to which space

    private Map<String, Batch> plan(Store db, Manifest events) {
        Map<Modality, String> named = new EnumMap<>(Modality.class);
        String plain = null;
        for (String s : spaceNames) {
            int eq = s.indexOf('=');
            if (eq < 0) {
                if (plain != null) {
                    throw EngramException.invalidInput("--space NAME given twice; use MODALITY=NAME for the"
                            + " spaces of other modalities");
                }
                plain = s;
            } else {
                named.put(Modality.of(s.substring(0, eq)), requireName(s.substring(eq + 1)));
            }
        }
        Map<String, Batch> batches = new LinkedHashMap<>();
        boolean positional = !inputs.isEmpty() || !texts.isEmpty();
        Modality primary = positional ? positionalModality(db, plain, named)
                : events != null && modalities(events).size() == 1 ? modalities(events).getFirst() : null;
        if (plain != null && primary == null) {
            throw EngramException.invalidInput("these events hold several modalities: name their spaces with"
                    + " --space MODALITY=NAME");
        }
        if (plain != null) {
            named.putIfAbsent(primary, requireName(plain));
        }
        if (positional) {
            Batch batch = batch(db, batches, primary, named);
            if (primary == Modality.TEXT) {
                TextSources.read(inputs, texts, System.in).forEach(t -> batch.add(t, -1));
            } else if (!texts.isEmpty()) {
                throw EngramException.invalidInput("--text goes to a text space, but the inputs are " + primary);
            } else if (primary == Modality.IMAGE) {
                batch.imageArgs.addAll(inputs);
                inputs.forEach(i -> batch.imageEvents.add(-1));
            } else if (primary == Modality.AUDIO) {
                AudioSources.resolve(inputs, System.in).readAll().forEach(a -> batch.add(a, -1));
            } else {
                VectorSources.read(inputs).forEach(v -> batch.add(v, -1));
            }
        }
        if (events != null) {
            // An event stream may hear one recording many times: decode each file once.
            Map<Path, AudioInput> sounds = new HashMap<>();
            List<Manifest.Event> list = events.events();
            for (int e = 0; e < list.size(); e++) {
                Manifest.Event event = list.get(e);
                for (Map.Entry<Modality, Manifest.Input> field : event.inputs().entrySet()) {
                    Batch batch = batch(db, batches, field.getKey(), named);
                    Manifest.Input input = field.getValue();
                    switch (field.getKey()) {
                        case IMAGE -> {
                            batch.imageArgs.add(input.file().toString());
                            batch.imageEvents.add(e);
                        }
                        case TEXT -> batch.add(input.file() != null ? TextSources.file(input.file())
                                : new TextInput(manifestSource(events), event.line(), input.text()), e);
                        case AUDIO -> batch.add(sounds.computeIfAbsent(input.file(), AudioInput::read), e);
                        case VECTOR -> batch.add(input.values() != null
                                ? new VectorInput(manifestSource(events), event.line(), input.values())
                                : oneRow(event, input.file()), e);
                    }
                }
            }
        }
        return batches;
    }

    private static String manifestSource(Manifest events) {
        return events.file().toAbsolutePath().normalize().toString();
    }

    /** An event's vector given as a file: the file must hold exactly one row. */
    private static VectorInput oneRow(Manifest.Event event, Path file) {
        List<VectorInput> rows = VectorSources.read(List.of(file.toString()));
        if (rows.size() != 1) {
            throw EngramException.invalidInput(event.where() + ": the event's vector file " + file + " holds "
                    + rows.size() + " rows, not one");
        }
        return rows.getFirst();
    }

    private static List<Modality> modalities(Manifest events) {
        return events.events().stream().flatMap(e -> e.inputs().keySet().stream()).distinct().toList();
    }

    private static String requireName(String name) {
        if (name.isBlank() || name.length() > 200 || name.contains("/") || name.contains("\\") || name.startsWith(".")) {
            throw EngramException.invalidInput("invalid space name '" + name + "': not blank, no '/', '\\' or"
                    + " leading '.', at most 200 characters");
        }
        return name;
    }

    /** The modality of the INPUT arguments: --modality, else the named space's, else the files'. */
    private Modality positionalModality(Store db, String plain, Map<Modality, String> named) {
        if (modalityName != null) {
            return Modality.of(modalityName);
        }
        if (!texts.isEmpty()) {
            return Modality.TEXT;
        }
        Optional<Space> existing = plain == null || db == null ? Optional.empty() : db.space(plain);
        if (existing.isPresent()) {
            return Modality.of(existing.get().modality());
        }
        for (String arg : inputs) {
            Modality m = Modality.guess(Path.of(arg));
            if (m != null) {
                return m;
            }
        }
        return Modality.IMAGE;
    }

    private static Batch batch(Store db, Map<String, Batch> batches, Modality modality, Map<Modality, String> named) {
        String name = named.getOrDefault(modality, modality.id());
        Batch batch = batches.get(name);
        if (batch == null) {
            Space space = db == null ? null : db.space(name).orElse(null);
            if (space != null && !space.modality().equals(modality.id())) {
                throw EngramException.wrongShape("space " + name + " holds " + space.modality() + ", not "
                        + modality + "; choose another space with --space");
            }
            batch = new Batch(modality, name, space);
            batches.put(name, batch);
        } else if (batch.modality != modality) {
            throw EngramException.invalidInput("space " + name + " cannot take both " + batch.modality + " and "
                    + modality + " inputs");
        }
        return batch;
    }

    // --- reading

    private void read(Batch batch) {
        if (batch.modality != Modality.IMAGE) {
            return; // read while planning
        }
        // Positional arguments may expand to many images (directories, IDX files, paths on
        // stdin); each manifest path is one image file, checked here so the events stay aligned.
        int positional = (int) batch.imageEvents.stream().filter(e -> e < 0).count();
        ImageSources sources = ImageSources.resolve(positional > 0 ? batch.imageArgs.subList(0, positional)
                : batch.imageArgs.subList(0, 1), System.in);
        ImageShape imageShape = batch.space != null ? ImageSpaces.shape(batch.space) : newShape(sources);
        batch.imageShape = imageShape;
        if (positional > 0) {
            sources.readAll(imageShape).forEach(image -> batch.add(image, -1));
        }
        for (int i = positional; i < batch.imageArgs.size(); i++) {
            List<ImageInput> one = ImageSources.resolve(List.of(batch.imageArgs.get(i))).readAll(imageShape);
            if (one.size() != 1) {
                throw EngramException.invalidInput(batch.imageArgs.get(i) + ": an event's image must be one PNG or"
                        + " JPEG file, not an IDX file of several images");
            }
            batch.add(one.getFirst(), batch.imageEvents.get(i));
        }
    }

    private ImageShape newShape(ImageSources sources) {
        if (shape != null) {
            return ImageShape.parse(shape);
        }
        ImageShape first = sources.inferShape();
        return new ImageShape(first.channels(), roundTo4(first.height()), roundTo4(first.width()));
    }

    private static int roundTo4(int side) {
        return Math.max(4, Math.round(side / 4f) * 4);
    }

    // --- encoding and storing

    private void encode(Store db, Map<String, Batch> batches, Manifest events, Console console, Output out) {
        List<AutoCloseable> models = new ArrayList<>();
        try {
            // Spaces first (each commits its own row); then the events and every trace in one
            // transaction, so that an event is stored whole or not at all.
            Map<Batch, Autoencoder> autoencoders = new LinkedHashMap<>();
            for (Batch batch : batches.values()) {
                if (batch.modality == Modality.TEXT) {
                    if (batch.space == null) {
                        batch.space = TextSpaces.create(db, batch.spaceName, SentenceEncoder.shared());
                        console.note("created text space '%s' (%s)", batch.spaceName, SentenceEncoder.shared().modelId());
                    }
                    TextSpaces.requireModel(batch.space, SentenceEncoder.shared());
                    continue;
                }
                Autoencoder model;
                if (batch.space == null) {
                    List<Perception> distinct = distinct(perceptions(batch), Perception::contentHash);
                    console.note("training a %d-dimensional autoencoder for new %s space '%s' on %d distinct inputs",
                            latent, batch.modality, batch.spaceName, distinct.size());
                    int[] concepts = shaped ? concepts(batch, distinct, events, console) : null;
                    List<? extends Perception> training = distinct;
                    if (batch.modality == Modality.AUDIO) {
                        BandShift.Augmented augmented = BandShift.augment(distinct, concepts);
                        training = augmented.inputs();
                        concepts = augmented.concepts();
                        console.note("training on each clip and %d copies with its mel bands shifted (vocal tract"
                                + " length perturbation)", BandShift.SHIFTS.length - 1);
                    }
                    AutoencoderSpaces.Created created = AutoencoderSpaces.create(db, batch.spaceName, batch.modality,
                            architecture(batch), options(), training, concepts, listener(console));
                    batch.space = created.space();
                    model = created.model();
                } else {
                    model = AutoencoderSpaces.load(db, batch.space);
                }
                models.add(model);
                autoencoders.put(batch, model);
            }
            Map<Space, List<NewTrace>> encoded = new LinkedHashMap<>();
            for (Batch batch : batches.values()) {
                Store reader = db;
                encoded.put(batch.space, batch.modality == Modality.TEXT
                        ? encodeDistinct(texts(batch), TextInput::contentHash, (inputs) ->
                                TextSpaces.traces(reader, batch.space, SentenceEncoder.shared(), inputs, null))
                        : encodeDistinct(perceptions(batch), Perception::contentHash, (inputs) ->
                                AutoencoderSpaces.traces(autoencoders.get(batch), inputs, null)));
            }
            // One unit of work: the events and every trace of the run, so that an event is
            // stored whole or not at all.
            Map<Space, List<Store.StoredTrace>> stored = db.write(tx -> {
                long[] eventIds = events == null ? new long[0] : new long[events.events().size()];
                for (int e = 0; e < eventIds.length; e++) {
                    Manifest.Event event = events.events().get(e);
                    eventIds[e] = tx.createEvent(event.concept(), event.time(), event.where());
                }
                Map<Space, List<NewTrace>> traces = new LinkedHashMap<>();
                for (Batch batch : batches.values()) {
                    batch.eventIds = batch.events.stream().mapToLong(e -> e < 0 ? 0 : eventIds[e]).toArray();
                    List<NewTrace> list = encoded.get(batch.space);
                    List<NewTrace> perceived = new ArrayList<>(list.size());
                    for (int i = 0; i < list.size(); i++) {
                        perceived.add(list.get(i).inEvent(batch.eventIds[i]));
                    }
                    traces.put(batch.space, perceived);
                }
                return tx.addTraces(traces);
            });
            report(db, batches, stored, console, out);
        } finally {
            for (AutoCloseable model : models) {
                try {
                    model.close();
                } catch (Exception ignored) {
                    // closing native memory; nothing to report
                }
            }
        }
    }

    private AutoencoderConfig architecture(Batch batch) {
        return switch (batch.modality) {
            case IMAGE -> Autoencoder.conv2d(batch.imageShape.channels(), batch.imageShape.height(),
                    batch.imageShape.width(), latent);
            case AUDIO -> Autoencoder.conv2d(AudioSources.SHAPE.channels(), AudioSources.SHAPE.height(),
                    AudioSources.SHAPE.width(), latent);
            case VECTOR -> Autoencoder.dense(batch.inputs.isEmpty() ? 0
                    : ((Perception) batch.inputs.getFirst()).values().length, latent);
            case TEXT -> throw new IllegalStateException("text spaces have no autoencoder");
        };
    }

    private void report(Store db, Map<String, Batch> batches, Map<Space, List<Store.StoredTrace>> stored,
                        Console console, Output out) {
        Output.Table table = new Output.Table("trace", "space", "surprise", "percentile", "new", "source");
        for (Batch batch : batches.values()) {
            List<Store.StoredTrace> list = stored.get(batch.space);
            int created = 0;
            for (int i = 0; i < list.size(); i++) {
                Store.StoredTrace s = list.get(i);
                Trace t = s.trace();
                created += s.created() ? 1 : 0;
                double percentile = db.surprisePercentile(batch.space, t.surprise());
                if (out.json()) {
                    out.jsonLine(traceJson(batch.space, t, percentile, s.created(), batch.eventIds[i]));
                } else {
                    table.row(t.id(), batch.space.name(), t.surprise(), percentile, s.created() ? "yes" : "no",
                            t.sourceLabel());
                }
            }
            console.note("encoded %d %s inputs into space '%s': %d new traces, %d already stored; the space holds %d",
                    list.size(), batch.modality, batch.space.name(), created, list.size() - created,
                    db.traceCount(batch.space));
        }
        if (!out.json()) {
            table.print(out, "");
        }
    }

    /** The inputs with repeats of one content dropped: an event stream may perceive one thing many times. */
    private static <T> List<T> distinct(List<T> inputs, Function<T, String> hash) {
        Set<String> seen = new HashSet<>();
        return inputs.stream().filter(i -> seen.add(hash.apply(i))).toList();
    }

    /**
     * Encodes each distinct content once and gives every repeat the same trace (the store then
     * joins the one trace to each repeat's event).
     */
    private static <T> List<NewTrace> encodeDistinct(List<T> inputs, Function<T, String> hash,
                                                     Function<List<T>, List<NewTrace>> encode) {
        Map<String, Integer> first = new HashMap<>();
        List<T> unique = new ArrayList<>();
        for (T input : inputs) {
            if (first.putIfAbsent(hash.apply(input), unique.size()) == null) {
                unique.add(input);
            }
        }
        List<NewTrace> encoded = encode.apply(unique);
        List<NewTrace> traces = new ArrayList<>(inputs.size());
        for (T input : inputs) {
            traces.add(encoded.get(first.get(hash.apply(input))));
        }
        return traces;
    }

    private TrainingOptions options() {
        return new TrainingOptions(epochs, batchSize, learningRate, seed, shaped ? shapeWeight : 0);
    }

    /**
     * The concept of each distinct training input, numbered in order of first appearance (-1:
     * unknown): its event's concept, else the name of the folder holding its file (as
     * {@code bind --from-dirs} reads it; items of IDX and CSV files have none).
     */
    private int[] concepts(Batch batch, List<Perception> distinct, Manifest events, Console console) {
        Map<String, String> byHash = new HashMap<>();
        for (int i = 0; i < batch.inputs.size(); i++) {
            Perception p = (Perception) batch.inputs.get(i);
            int e = batch.events.get(i);
            String concept = e >= 0 ? events.events().get(e).concept()
                    : p.index() >= 0 ? null : folderName(p.source());
            if (concept != null) {
                byHash.putIfAbsent(p.contentHash(), concept);
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
        long known = java.util.Arrays.stream(concepts).filter(c -> c >= 0).count();
        console.note("shaping space '%s' by %d concepts known for %d of %d inputs (weight %s)", batch.spaceName,
                numbers.size(), known, concepts.length, Output.number(shapeWeight));
        return concepts;
    }

    private static String folderName(String source) {
        Path parent = Path.of(source).getParent();
        return parent == null || parent.getFileName() == null ? null : parent.getFileName().toString();
    }

    private static List<Perception> perceptions(Batch batch) {
        return batch.inputs.stream().map(Perception.class::cast).toList();
    }

    private static List<TextInput> texts(Batch batch) {
        return batch.inputs.stream().map(TextInput.class::cast).toList();
    }

    private TrainingListener listener(Console console) {
        return new TrainingListener() {
            @Override
            public void batch(int epoch, int epochs, int batch, int batches, double loss) {
                console.progress(String.format("epoch %d/%d loss %.5f", epoch, epochs, loss), batch, batches);
            }

            @Override
            public void epoch(int epoch, int epochs, double loss, double seconds) {
                console.note("epoch %d/%d: reconstruction loss (MSE) %.5f, %.1f s", epoch, epochs, loss, seconds);
            }
        };
    }

    static Map<String, Object> traceJson(Space space, Trace t, double percentile, boolean created, long event) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("trace", t.id());
        json.put("space", space.name());
        json.put("modality", space.modality());
        json.put("source", t.source());
        if (t.sourceIndex() >= 0) {
            json.put("index", t.sourceIndex());
        }
        json.put("hash", t.contentHash());
        if (t.content() != null) {
            json.put("text", t.content());
        }
        json.put("surprise", t.surprise());
        json.put("surprise_percentile", percentile);
        if (event > 0) {
            json.put("event", event);
        }
        json.put("new", created);
        json.put("time", t.createdAt().toString());
        return json;
    }
}
