package dev.engram.cli;

import dev.engram.EngramException;
import dev.engram.app.Dim;
import dev.engram.dim.Estimator;
import dev.engram.dim.Estimators;
import dev.engram.dim.MaximumLikelihood;
import dev.engram.dim.Pca;
import dev.engram.dim.TwoNN;
import dev.engram.dim.plot.Chart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;

/**
 * {@code engram dim}: the intrinsic dimension of a latent space. This class reads the command
 * line into a request for {@link Dim}, the use case, and renders its result with {@link DimOutput};
 * the help text is in {@code DimHelp.properties} beside it.
 */
@Command(name = "dim", sortOptions = false, mixinStandardHelpOptions = true, resourceBundle = "dev.engram.cli.DimHelp",
        versionProvider = EngramCommand.Version.class, footerHeading = "%nExamples:%n")
public final class DimCommand extends StoreCommand {
    @Mixin
    SpaceOption space;

    @Option(names = "--estimator", split = ",", paramLabel = "NAME", defaultValue = "twonn,mle",
            completionCandidates = EstimatorNames.class)
    List<String> estimators;

    // The defaults of the estimators' parameters are the estimators' own (Estimators declares them).
    @Option(names = "-k", defaultValue = "" + MaximumLikelihood.DEFAULT_NEIGHBOURS)
    int k;

    @Option(names = "--combination", defaultValue = "harmonic")
    String combination;

    @Option(names = "--discard", defaultValue = "" + TwoNN.DEFAULT_DISCARD_FRACTION)
    double discard;

    @Option(names = "--alpha", defaultValue = "" + Pca.DEFAULT_ALPHA)
    double alpha;

    @Option(names = "--concept", paramLabel = "NAME")
    String concept;

    @Option(names = "--sample", paramLabel = "N")
    Integer sample;

    @Option(names = "--bootstrap", paramLabel = "N", defaultValue = "0")
    int bootstrap;

    @Option(names = "--seed", defaultValue = "" + Estimator.Settings.DEFAULT_SEED)
    long seed;

    @Option(names = "--raw")
    boolean raw;

    @Option(names = "--pointwise", arity = "0..1", fallbackValue = "summary", paramLabel = "summary|points")
    String pointwise;

    @Option(names = "--sweep", split = ",", paramLabel = "SIZES")
    List<Integer> sweep;

    @Option(names = "--epochs", paramLabel = "N")
    Integer epochs;

    @Option(names = "--plot", paramLabel = "FILE.png")
    Path plot;

    @Option(names = "--neighbours", defaultValue = "exact", paramLabel = "exact|hnsw")
    String neighbourSearch;

    @Option(names = "--history")
    boolean history;

    @Parameters(paramLabel = "FILE", arity = "0..*", descriptionKey = "FILE")
    List<Path> files;

    /** The names {@code --estimator} takes, for its help: the registry's. */
    static final class EstimatorNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Estimators.names().iterator();
        }
    }

    @Override
    public Integer call() {
        Output out = out();
        Console console = console();
        Dim dim = new Dim(store().location(), console);
        boolean measuringFiles = files != null && !files.isEmpty();
        if (history) {
            if (measuringFiles || concept != null || bootstrap != 0 || raw || pointwise != null || sweep != null
                    || plot != null) {
                throw EngramException.invalidInput("--history lists stored reports; it takes no FILE, --concept,"
                        + " --bootstrap, --raw, --pointwise, --sweep or --plot");
            }
            DimOutput.reports(out, dim.history());
            return 0;
        }
        Dim.Method method = method();
        if (sweep != null) {
            if (measuringFiles || concept != null || raw) {
                throw EngramException.invalidInput("--sweep retrains a space's autoencoder on its raw inputs; it"
                        + " takes no FILE, --concept or --raw");
            }
            Dim.Swept swept = dim.sweep(new Dim.SweepRequest(space.name,
                    sweep.stream().mapToInt(Integer::intValue).toArray(), epochs, method, plot != null));
            DimOutput.sweep(out, swept);
            write(swept.plot(), console);
            return 0;
        }
        Dim.Source source;
        if (measuringFiles) {
            if (space.name != null || concept != null || raw) {
                throw EngramException.invalidInput("FILE arguments are measured on their own; drop --space,"
                        + " --concept and --raw, or the files");
            }
            if (plot != null && files.size() > 1) {
                throw EngramException.invalidInput("--plot draws one measurement; give one FILE");
            }
            source = new Dim.Files(files);
        } else {
            source = new Dim.Traces(space.name, concept, raw);
        }
        Dim.Measured measured = dim.measure(new Dim.Request(source, method, plot != null));
        DimOutput.reports(out, measured.reports());
        if (pointwise != null) {
            DimOutput.pointwise(out, measured.measurements(), pointwise.equals("points"));
        }
        write(measured.plot(), console);
        return 0;
    }

    /** How every target is measured, from the options every kind of run shares. */
    private Dim.Method method() {
        List<Estimator> chosen = Estimators.named(estimators);
        MaximumLikelihood.Combination comb = MaximumLikelihood.Combination.labelled(combination).orElseThrow(() ->
                EngramException.invalidInput("--combination must be harmonic or mean, not " + combination));
        if (bootstrap < 0) {
            throw EngramException.invalidInput("--bootstrap must be 0 (off) or a number of subsamples, not "
                    + bootstrap);
        }
        if (sample != null && sample < 3) {
            throw EngramException.invalidInput("--sample must be at least 3");
        }
        Dim.Search search = switch (neighbourSearch) {
            case "exact" -> Dim.Search.EXACT;
            case "hnsw" -> Dim.Search.HNSW;
            default -> throw EngramException.invalidInput("--neighbours must be exact or hnsw, not "
                    + neighbourSearch);
        };
        if (pointwise != null && !pointwise.equals("summary") && !pointwise.equals("points")) {
            throw EngramException.invalidInput("--pointwise takes summary or points, not " + pointwise);
        }
        if (epochs != null && (sweep == null || epochs < 1)) {
            throw EngramException.invalidInput("--epochs sets the training of --sweep and must be at least 1");
        }
        if (plot != null && sweep == null && chosen.stream().noneMatch(Estimator::plotted)) {
            throw EngramException.invalidInput("--plot draws the TwoNN fit or Gride's scale curve: add twonn or"
                    + " gride to --estimator (or plot a --sweep)");
        }
        return new Dim.Method(chosen, new Estimator.Settings(k, comb, discard, alpha, seed),
                sample == null ? 0 : sample, bootstrap, pointwise != null, search);
    }

    private void write(Chart chart, Console console) {
        if (chart != null) {
            chart.write(plot);
            console.note("plot written to %s", plot);
        }
    }
}
