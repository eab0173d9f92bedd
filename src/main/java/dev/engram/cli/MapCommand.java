package dev.engram.cli;

import dev.engram.app.Layout;
import dev.engram.dim.Projection;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;

/** {@code engram map}: a space's traces laid out in two dimensions, coloured by concept. */
@Command(name = "map", mixinStandardHelpOptions = true,
        versionProvider = EngramCommand.Version.class,
        description = {"Lay a space's traces out in two dimensions, to look at: by t-SNE (the default; exact,"
                + " perplexity 30, 1,000 iterations, as van der Maaten's reference and scikit-learn run it), which"
                + " keeps neighbours together, or by PCA (the first two principal components), which keeps the"
                + " large distances. Each trace is shown with the concept it is most strongly bound to.",
                "",
                "Prints one row per trace (trace, x, y, concept, source; --json: JSON Lines) and with --plot draws"
                        + " them as a PNG, one colour per concept with a legend. A space of more than --sample"
                        + " traces is drawn from a seeded sample (t-SNE costs the square of the number of points)."},
        footerHeading = "%nExamples:%n",
        footer = {"  engram map --store mem --space fashion --plot fashion.png",
                "  engram map --store mem --space text --method pca --json > text-pca.jsonl"})
public final class MapCommand extends StoreCommand {
    @Mixin
    SpaceOption space;

    @Option(names = "--method", paramLabel = "METHOD", defaultValue = "tsne",
            description = "tsne or pca (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--sample", paramLabel = "N", defaultValue = "2000",
            description = "Most traces to lay out (default: ${DEFAULT-VALUE}; a seeded sample of a larger space).")
    int sample;

    @Option(names = "--perplexity", paramLabel = "P", defaultValue = "30",
            description = "t-SNE's perplexity, about the number of neighbours each point keeps (default:"
                    + " ${DEFAULT-VALUE}).")
    double perplexity = Projection.DEFAULT_PERPLEXITY;

    @Option(names = "--seed", defaultValue = "42", description = "Seed of the sample and of t-SNE (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--plot", paramLabel = "FILE", description = "Draw the map as a PNG into FILE.")
    Path plot;

    @Option(names = "--thumbnails",
            description = "On the plot, draw each concept's reconstruction (the decoder applied to the mean of its"
                    + " latents) at the centre of its points (image and audio spaces).")
    boolean thumbnails;

    @Override
    public Integer call() {
        Layout.Method chosen = switch (method.toLowerCase(Locale.ROOT)) {
            case "tsne", "t-sne" -> Layout.Method.TSNE;
            case "pca" -> Layout.Method.PCA;
            default -> throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--method takes tsne or pca, not '" + method + "'");
        };
        Layout.Laid laid = Layout.run(store().location(), new Layout.Request(space.name, chosen, sample, perplexity,
                seed, plot, thumbnails), console());
        Output out = out();
        Output.Table table = new Output.Table("trace", "x", "y", "concept", "source");
        for (Layout.Placed p : laid.points()) {
            if (out.json()) {
                out.jsonLine(p);
            } else {
                table.row(p.trace(), String.format(Locale.ROOT, "%.4f", p.x()), String.format(Locale.ROOT, "%.4f", p.y()),
                        p.concept() == null ? "-" : p.concept(), p.source());
            }
        }
        if (!out.json()) {
            table.print(out, "");
        }
        console().note("laid out %d traces of space %s by %s in %s s%s", laid.points().size(), laid.space(),
                laid.method(), String.format(Locale.ROOT, "%.1f", laid.seconds()), plot == null ? "" : "; drew " + plot);
        return 0;
    }
}
