package dev.engram.cli;

import dev.engram.app.Encode;
import dev.engram.store.Space;
import dev.engram.store.Trace;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
                "Pretrained encoders: with --encoder FILE a new image or audio space is encoded by your own "
                        + "network (ONNX, or TorchScript), frozen: the space's points are its features, and a "
                        + "small autoencoder trained on the features (--latent wide) gives their reconstruction "
                        + "and so the surprise. The network's input size, normalisation and output are declared "
                        + "in a JSON file beside it (resnet18.onnx -> resnet18.json) or with --encoder-config, "
                        + "e.g. {\"input\": [3, 224, 224], \"mean\": [0.485, 0.456, 0.406], \"std\": [0.229, "
                        + "0.224, 0.225], \"output\": \"features\"}. The file is copied into the store.",
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
                "  engram encode --store mem --space photos --encoder resnet18.onnx photos/",
                "  cut -f2 captions.tsv | engram encode --store mem --modality text -",
                "  engram encode --store mem --space image=fashion --manifest sample-data/fashion/events.jsonl"})
public final class EncodeCommand extends StoreCommand {

    @Option(names = "--space", paramLabel = "[MODALITY=]NAME",
            description = "Space to encode into: NAME for the inputs' modality, MODALITY=NAME (repeatable) for"
                    + " the modalities of events (default: the modality's name, e.g. image, text).")
    List<String> spaceNames = new ArrayList<>();

    @Option(names = "--modality", paramLabel = "MODALITY", completionCandidates = ModalityNames.class,
            description = "Modality of the INPUT arguments: ${COMPLETION-CANDIDATES} (default: the space's,"
                    + " else the first input's, told by its name or its first bytes).")
    String modalityName;

    @Parameters(paramLabel = "INPUT", arity = "0..*",
            description = "Files, directories, IDX files, or '-' (paths, or for text one text per line).")
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

    @Option(names = "--encoder", paramLabel = "[SPACE=]FILE",
            description = "A pretrained network (.onnx, or TorchScript .pt) that encodes the new image or audio"
                    + " space (SPACE= names which, when the run makes several): its features are the space's"
                    + " points; --latent is then the width of the autoencoder on them that measures surprise.")
    List<String> encoders = new ArrayList<>();

    @Mixin
    TextModelOption textModel;

    @Option(names = "--encoder-config", paramLabel = "[SPACE=]JSON|FILE",
            description = "The network's declaration (keys input [C,H,W], mean, std, output, name), inline or in a"
                    + " file; over the FILE.json beside the network, key by key.")
    List<String> encoderConfigs = new ArrayList<>();

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

    @Override
    public Integer call() {
        Output out = out();
        Encode.Result result = Encode.run(store().location(), new Encode.Request(spaceNames, modalityName, inputs,
                texts, manifest, eventsFolder, latent, shape, epochs, batchSize, learningRate, seed, shaped,
                shapeWeight, System.in, Encode.networks(encoders, encoderConfigs), textModel.name), console());
        Output.Table table = new Output.Table("trace", "space", "surprise", "percentile", "new", "source");
        for (Encode.Encoded encoded : result.spaces()) {
            for (Encode.Stored s : encoded.traces()) {
                Trace t = s.trace();
                if (out.json()) {
                    out.jsonLine(traceJson(encoded.space(), t, s.surprisePercentile(), s.created(), s.event()));
                } else {
                    table.row(t.id(), encoded.space().name(), t.surprise(), s.surprisePercentile(),
                            s.created() ? "yes" : "no", t.sourceLabel());
                }
            }
        }
        if (!out.json()) {
            table.print(out, "");
        }
        return 0;
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
