package dev.engram.cli;

import dev.engram.EngramException;
import dev.engram.app.Recall;
import dev.engram.store.Store;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** {@code engram recall}: from cues to the concepts and traces they evoke. */
@Command(name = "recall", sortOptions = false, mixinStandardHelpOptions = true,
        versionProvider = EngramCommand.Version.class,
        description = {
                "Recall from cues in any modality. A cue is a file of its modality, told by its name or its "
                        + "first bytes: an image (PNG, JPEG, IDX), a sound (WAV), vectors (the rows of a CSV or "
                        + ".npy file) or a text (.txt); a directory (its files of every modality) or '-' (paths "
                        + "on stdin); a text (--text STRING, or text:STRING); a stored trace (trace:ID); or a "
                        + "concept (its name, or concept:NAME, or #ID for an unnamed one). A file whose modality "
                        + "nothing tells is an error. Each cue is encoded into the space of its modality (--space, "
                        + "else the store's only space of that modality).",
                "",
                "For each cue: its surprise (reconstruction error, or for text the distance to the nearest "
                        + "stored text; with its percentile among the space's traces: near 1 means unfamiliar), "
                        + "its k nearest traces with their distances, the concepts ranked by score, and the "
                        + "strongest traces bound to the top concepts in every space (cross-modal recall): "
                        + "--members per space, limited to the modalities of --modality. Text traces show "
                        + "their text; traces of spaces with a decoder get reconstructions with --reconstruct.",
                "",
                "Score: each of the k nearest traces votes for each concept it is bound to with "
                        + "weight / (distance + 1e-9), weight being the association's Hebbian weight, halved "
                        + "for a lexicon text (bind --wordnet, --glossary), of which only a concept's best one "
                        + "counts; a concept's score is its share of all votes (the scores of every concept voted for "
                        + "sum to 1; the --concepts listed may sum to less). A concept cue scores 1.",
                "",
                "Cues are encoded in batches and each space's model is loaded once per run, however many cues."},
        footerHeading = "%nExamples:%n",
        footer = {"  engram recall --store mem sample-data/fashion/recall/sandal-1.png",
                "  engram recall --store mem --text 'something to wear on a beach' --modality image",
                "  engram recall --store mem --json --reconstruct out/ sample-data/fashion/recall",
                "  engram recall --store mem sandal trace:42"})
public final class RecallCommand extends StoreCommand {
    @Mixin
    SpaceOption space;

    @Parameters(paramLabel = "CUE", arity = "0..*",
            description = "Files (image, WAV, CSV, .npy, .txt), directories, '-', text:STRING, trace:ID, or concept"
                    + " names.")
    List<String> cues = new ArrayList<>();

    @Option(names = "--text", paramLabel = "STRING", description = "A text cue (repeatable).")
    List<String> texts = new ArrayList<>();

    @Option(names = "--modality", paramLabel = "MODALITY", split = ",", completionCandidates = ModalityNames.class,
            description = "List recalled traces of these modalities only (comma-separated: ${COMPLETION-CANDIDATES};"
                    + " default: all).")
    List<String> modalities = new ArrayList<>();

    @Option(names = "-k", defaultValue = "10", description = "Nearest traces that vote (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--concepts", defaultValue = "3", description = "Concepts to report per cue (default: ${DEFAULT-VALUE}).")
    int concepts;

    @Option(names = "--members", defaultValue = "5",
            description = "Strongest traces to list per reported concept (default: ${DEFAULT-VALUE}).")
    int members;

    @Option(names = "--siblings", description = "List each reported concept's siblings: the other children of its parent.")
    boolean siblings;

    @Option(names = "--reconstruct", paramLabel = "DIR",
            description = "Write the decoder's reconstruction of each cue (cue-N) and of each recalled trace "
                    + "(trace-ID) of a space with a decoder into DIR: a PNG for images, a spectrogram PNG for "
                    + "sound, a CSV row for vectors.")
    Path reconstruct;

    @Option(names = "--sheet", paramLabel = "FILE",
            description = "Draw a contact sheet into FILE (PNG): per cue (the first " + ContactSheet.MAX_ROWS + "), the"
                    + " cue, its reconstruction and its nearest traces as the memory reconstructs them, with their"
                    + " concepts and distances.")
    Path sheet;

    @Option(names = "--brief", description = "One table row per cue: its top concept, score and surprise.")
    boolean brief;

    @Option(names = "--resize", description = "Resize image cues whose size differs from the space's (default: refuse them).")
    boolean resize;

    @Override
    public Integer call() {
        // What '-' names is read before the store is opened: an upstream process of the same
        // pipeline may be writing to this store, and must not wait for this reader's input.
        InputStream stdin = cues.contains("-") ? new ByteArrayInputStream(readStdin()) : System.in;
        // A sheet draws the reconstructions: into --reconstruct if given, else a scratch directory.
        Path pictures = reconstruct != null || sheet == null ? reconstruct : scratch();
        boolean scratch = pictures != null && reconstruct == null;
        Recall.Request request = new Recall.Request(cues, texts, space.name, modalities, k, concepts, members,
                siblings, pictures, resize, stdin);
        Console console = console();
        Recall.Result result;
        ContactSheet contact = new ContactSheet();
        try (Store db = store().open()) {
            RecallReport report = new RecallReport(out(), db.spaces(), siblings, brief);
            result = Recall.run(db, request, console, r -> {
                // Reconstructions made only for the sheet are not named in the report: they go.
                report.print(scratch ? new Recall.Recalled(r.recollection(), null, java.util.Map.of()) : r);
                if (sheet != null) {
                    contact.add(r);
                }
            });
            report.finish();
            if (sheet != null) {
                console.note("drew %s: %s", sheet, contact.write(sheet));
            }
        } finally {
            if (scratch) {
                try {
                    dev.engram.io.Directories.deleteRecursively(pictures);
                } catch (IOException e) {
                    console.note("could not remove %s: %s", pictures, e.getMessage());
                }
            }
        }
        console.note("recalled %d cues", result.cues());
        return 0;
    }

    private static Path scratch() {
        try {
            return Files.createTempDirectory("engram-sheet");
        } catch (IOException e) {
            throw EngramException.invalidInput("cannot create a scratch directory for the contact sheet: "
                    + e.getMessage(), e);
        }
    }

    private static byte[] readStdin() {
        try {
            return System.in.readAllBytes();
        } catch (IOException e) {
            throw EngramException.invalidInput("cannot read standard input: " + e.getMessage(), e);
        }
    }
}
