package dev.engram.cli;

import dev.engram.EngramException;
import dev.engram.encode.Autoencoder;
import dev.engram.encode.ImageSpaces;
import dev.engram.encode.Manifest;
import dev.engram.encode.TrainingListener;
import dev.engram.encode.TrainingOptions;
import dev.engram.encode.image.ImageInput;
import dev.engram.encode.image.ImageShape;
import dev.engram.encode.image.ImageSources;
import dev.engram.store.EmbeddedStore;
import dev.engram.store.NewTrace;
import dev.engram.store.Space;
import dev.engram.store.Store;
import dev.engram.store.Trace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code engram encode}: perceive inputs, storing each as a trace of a latent space. */
@Command(name = "encode", sortOptions = false, mixinStandardHelpOptions = true,
        versionProvider = EngramCommand.Version.class,
        description = {
                "Encode images into a latent space, storing one trace per distinct image: its latent vector, "
                        + "source, content hash, time and surprise (reconstruction error, with its percentile "
                        + "among the space's traces).",
                "",
                "A space that has no model yet is created first: a convolutional autoencoder is trained with "
                        + "DJL (PyTorch engine) on the given images, with the loss of each epoch on stderr.",
                "",
                "Inputs are PNG or JPEG files, directories (searched recursively), IDX image files "
                        + "(MNIST / Fashion-MNIST format, gzipped or not), '-' for paths on stdin, or an event "
                        + "manifest (--manifest). The same image twice is one trace."},
        footerHeading = "%nExamples:%n",
        footer = {"  engram encode --store mem --space fashion sample-data/fashion/train",
                "  engram encode --store mem --space fashion --epochs 20 --latent 32 train-images-idx3-ubyte.gz",
                "  find photos -name '*.png' | engram encode --store mem --json -"})
public final class EncodeCommand extends StoreCommand {

    @Option(names = "--space", paramLabel = "NAME", defaultValue = "image",
            description = "Latent space to encode into (default: ${DEFAULT-VALUE}).")
    String spaceName;

    @Parameters(paramLabel = "INPUT", arity = "0..*",
            description = "Image files, directories, IDX files, or '-' to read paths from stdin.")
    List<String> inputs = new ArrayList<>();

    @Option(names = "--manifest", paramLabel = "FILE",
            description = "Event manifest (JSON Lines): each line's inputs are stored as one event.")
    Path manifest;

    @Option(names = "--latent", paramLabel = "N", defaultValue = "16",
            description = "Latent dimension of a new space (default: ${DEFAULT-VALUE}).")
    int latent;

    @Option(names = "--shape", paramLabel = "CxHxW",
            description = "Image shape of a new space, e.g. 1x28x28 (default: the first image's, sides rounded"
                    + " to a multiple of 4); images are resized to it.")
    String shape;

    @Option(names = "--epochs", defaultValue = "10", description = "Training epochs for a new space (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "128", description = "Training mini-batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--learning-rate", defaultValue = "0.001", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--seed", defaultValue = "42", description = "Seed for initialisation and shuffling (default: ${DEFAULT-VALUE}).")
    long seed;


    @Override
    public Integer call() {
        Console console = console();
        Output out = out();
        if (inputs.isEmpty() && manifest == null) {
            throw EngramException.nothingToDo("nothing to encode: give image files, directories, IDX files, '-',"
                    + " or --manifest");
        }
        if (latent < 1 || epochs < 1 || batchSize < 1 || !(learningRate > 0)) {
            throw EngramException.invalidInput("--latent, --epochs, --batch-size and --learning-rate must be positive");
        }
        Manifest events = manifest == null ? null : Manifest.read(manifest);
        Inputs sources = new Inputs(inputs.isEmpty() ? null : ImageSources.resolve(inputs, System.in),
                events == null ? null : ImageSources.resolve(events.events().stream()
                        .map(e -> e.inputs().get("image").toString()).toList()));
        boolean exists = EmbeddedStore.exists(store.directory);
        // A new store is created only once its inputs have been read and checked, so bad input
        // leaves no trace on disk at all.
        List<ImageInput> images = exists ? null : sources.read(newShape(sources.first()), events);
        try (EmbeddedStore db = store.openOrCreate()) {
            Space space = db.space(spaceName).orElse(null);
            ImageShape imageShape = space != null ? ImageSpaces.shape(space) : newShape(sources.first());
            if (images == null || space != null) {
                images = sources.read(imageShape, events);
            }
            console.note("read %d images (%s)", images.size(), imageShape);
            Autoencoder model;
            if (space == null) {
                console.note("training a %d-dimensional convolutional autoencoder for new space '%s' on %d images",
                        latent, spaceName, images.size());
                ImageSpaces.Created created = ImageSpaces.create(db, spaceName, imageShape, latent,
                        new TrainingOptions(epochs, batchSize, learningRate, seed), images, listener(console));
                space = created.space();
                model = created.model();
            } else {
                model = ImageSpaces.load(db, space);
            }
            try (model) {
                long[] eventIds = events == null ? null : createEvents(db, events, images);
                List<NewTrace> traces = ImageSpaces.traces(model, images, eventIds);
                List<Store.StoredTrace> stored = db.addTraces(space, traces);
                int created = 0;
                Output.Table table = new Output.Table("trace", "surprise", "percentile", "new", "source");
                for (int i = 0; i < stored.size(); i++) {
                    Store.StoredTrace s = stored.get(i);
                    Trace t = s.trace();
                    created += s.created() ? 1 : 0;
                    double percentile = db.surprisePercentile(space, t.surprise());
                    if (out.json()) {
                        out.jsonLine(traceJson(space, t, percentile, s.created(), eventIds == null ? 0 : eventIds[i]));
                    } else {
                        table.row(t.id(), t.surprise(), percentile, s.created() ? "yes" : "no", t.sourceLabel());
                    }
                }
                if (!out.json()) {
                    table.print(out, "");
                }
                console.note("encoded %d images into space '%s': %d new traces, %d already stored; the space holds %d",
                        stored.size(), space.name(), created, stored.size() - created, db.traceCount(space));
            }
        }
        return 0;
    }

    /** The positional inputs and the manifest's, read at one shape: positional images first. */
    private record Inputs(ImageSources positional, ImageSources manifest) {
        ImageSources first() {
            return positional != null ? positional : manifest;
        }

        List<ImageInput> read(ImageShape shape, Manifest events) {
            List<ImageInput> all = new ArrayList<>();
            if (positional != null) {
                all.addAll(positional.readAll(shape));
            }
            if (manifest != null) {
                List<ImageInput> perEvent = manifest.readAll(shape);
                if (perEvent.size() != events.events().size()) {
                    throw EngramException.invalidInput("manifest " + events.file() + ": each event's image must be"
                            + " one PNG or JPEG file, not an IDX file of several images");
                }
                all.addAll(perEvent);
            }
            return all;
        }
    }

    /** One event per manifest line; the manifest's images come after the positional inputs. */
    private static long[] createEvents(Store db, Manifest events, List<ImageInput> images) {
        long[] ids = new long[images.size()];
        int offset = images.size() - events.events().size();
        for (int i = 0; i < events.events().size(); i++) {
            Manifest.Event e = events.events().get(i);
            ids[offset + i] = db.createEvent(e.concept(), e.time(), events.file().toAbsolutePath() + ":" + e.line());
        }
        return ids;
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
        json.put("source", t.source());
        if (t.sourceIndex() >= 0) {
            json.put("index", t.sourceIndex());
        }
        json.put("hash", t.contentHash());
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
