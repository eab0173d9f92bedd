package dev.engram.cli;

import dev.engram.EngramException;
import dev.engram.bind.Binder;
import dev.engram.bind.LabelFiles;
import dev.engram.store.EmbeddedStore;
import dev.engram.store.Space;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code engram bind}: form concepts and bind traces to them. */
@Command(name = "bind", sortOptions = false, mixinStandardHelpOptions = true,
        versionProvider = EngramCommand.Version.class,
        description = {
                "Bind traces to concepts. Passes run in this order, each once per invocation: labels (--labels, "
                        + "--from-dirs), synchrony (--synchrony), locality (--locality), then hierarchy and names "
                        + "(--parent, --name). Each pass prints one report row.",
                "",
                "An association joins one concept and one trace. Binding the same pair again strengthens it "
                        + "by the Hebbian rule w <- w + rate * (1 - w), starting from 0, and counts the binding; "
                        + "its kind is the strongest evidence seen: label > synchrony > locality.",
                "",
                "Locality: every trace bound to no concept joins the concept its k nearest bound neighbours "
                        + "vote for (votes weighted by 1/distance), if those neighbours are within the distance "
                        + "bound; its rate is --rate times the winner's share of the votes."},
        footerHeading = "%nExamples:%n",
        footer = {"  engram bind --store mem --from-dirs",
                "  engram bind --store mem --labels labels.csv --locality -k 10",
                "  engram bind --store mem --labels train-labels-idx1-ubyte.gz --images train-images-idx3-ubyte.gz \\",
                "      --class-names t-shirt,trouser,pullover,dress,coat,sandal,shirt,sneaker,bag,ankle-boot",
                "  engram bind --store mem --parent sandal=footwear --parent sneaker=footwear"})
public final class BindCommand extends StoreCommand {
    @Mixin
    SpaceOption space;

    @Option(names = "--labels", paramLabel = "FILE",
            description = "Labels: CSV rows 'source,concept' (relative sources are resolved against the CSV's "
                    + "folder; 'path#N' is item N of an IDX file), or an IDX label file with --images.")
    Path labels;

    @Option(names = "--images", paramLabel = "IDX", description = "The IDX image file an IDX --labels file labels.")
    Path images;

    @Option(names = "--class-names", paramLabel = "NAME", split = ",",
            description = "Concept names for IDX labels 0, 1, 2, ... (default: the numbers).")
    List<String> classNames = new ArrayList<>();

    @Option(names = "--from-dirs", description = "Label each image file's trace with its parent folder's name.")
    boolean fromDirs;

    @Option(names = "--synchrony", description = "Bind the traces of each event to one concept.")
    boolean synchrony;

    @Option(names = "--locality", description = "Let unbound traces join the concept of their bound neighbours.")
    boolean locality;

    @Option(names = "-k", defaultValue = "10", description = "Neighbours that vote in --locality (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--max-distance", paramLabel = "D",
            description = "Locality distance bound (default: the 95th percentile of bound traces' distance to "
                    + "their nearest neighbour of the same concept).")
    Double maxDistance;

    @Option(names = "--parent", paramLabel = "CHILD=PARENT",
            description = "Make PARENT the parent concept of CHILD (repeatable).")
    Map<String, String> parents = new LinkedHashMap<>();

    @Option(names = "--name", paramLabel = "#ID=NAME", description = "Name (or rename) a concept (repeatable).")
    Map<String, String> names = new LinkedHashMap<>();

    @Option(names = "--rate", defaultValue = "0.5",
            description = "Hebbian learning rate in (0, 1] (default: ${DEFAULT-VALUE}).")
    double rate;

    @Override
    public Integer call() {
        if (labels == null && !fromDirs && !synchrony && !locality && parents.isEmpty() && names.isEmpty()) {
            throw EngramException.nothingToDo("nothing to bind: give --labels, --from-dirs, --synchrony, --locality,"
                    + " --parent or --name");
        }
        if (images != null && labels == null) {
            throw EngramException.invalidInput("--images names the IDX file that an IDX --labels file labels;"
                    + " give --labels too");
        }
        // Read label files before opening the store: a bad file must not leave a half-bound store.
        Map<String, String> labelled = labels == null ? null
                : images != null ? LabelFiles.idx(labels, images, classNames) : LabelFiles.csv(labels);
        Console console = console();
        Output out = out();
        List<Binder.Result> results = new ArrayList<>();
        try (EmbeddedStore db = store.open()) {
            Binder binder = new Binder(db, rate);
            boolean needsSpace = labelled != null || fromDirs || locality || synchrony;
            Space target = needsSpace ? space.resolve(db) : null;
            if (labelled != null) {
                results.add(binder.labels(target, labelled));
            }
            if (fromDirs) {
                results.add(binder.directories(target));
            }
            if (synchrony) {
                results.add(binder.synchrony(target));
            }
            if (locality) {
                results.add(binder.locality(target, k, maxDistance == null ? Double.NaN : maxDistance));
            }
            parents.forEach(binder::parent);
            names.forEach(binder::name);
            print(out, target, results);
            if (!parents.isEmpty() || !names.isEmpty()) {
                console.note("set %d parents and %d names", parents.size(), names.size());
            }
        }
        return 0;
    }

    private static void print(Output out, Space space, List<Binder.Result> results) {
        Output.Table table = new Output.Table("pass", "bound", "new", "concepts", "unbound", "max-distance");
        for (Binder.Result r : results) {
            if (out.json()) {
                Map<String, Object> json = new LinkedHashMap<>();
                json.put("pass", r.kind());
                json.put("space", space.name());
                json.put("bound", r.bound());
                json.put("new_associations", r.newAssociations());
                json.put("concepts", r.concepts());
                if (r.unbound() >= 0) {
                    json.put("unbound", r.unbound());
                    json.put("max_distance", r.maxDistance());
                }
                out.jsonLine(json);
            } else {
                table.row(r.kind(), r.bound(), r.newAssociations(), r.concepts(),
                        r.unbound() < 0 ? "-" : r.unbound(), r.unbound() < 0 ? "-" : (Object) r.maxDistance());
            }
        }
        if (!out.json() && !results.isEmpty()) {
            table.print(out, "");
        }
    }
}
