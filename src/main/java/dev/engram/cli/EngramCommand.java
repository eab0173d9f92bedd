package dev.engram.cli;

import dev.engram.EngramException;
import dev.engram.ExitCode;
import dev.engram.NativeExecutable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code engram} command: a multimodal memory of latent spaces and concept nodes. */
@Command(name = "engram", mixinStandardHelpOptions = true, versionProvider = EngramCommand.Version.class,
        description = {
                "A memory of perceptions: per-modality autoencoders compress inputs into latent spaces; "
                        + "concept nodes bind traces by labels, locality and synchrony; recall starts from a cue "
                        + "and returns the concepts and traces it evokes, with reconstructions and surprise.",
                "",
                "All subcommands share one store (--store): a directory, or PostgreSQL and SolrCloud. Data goes"
                        + " to stdout (a table, or JSON Lines with --json); messages for people go to stderr."},
        subcommands = {EncodeCommand.class, BindCommand.class, RecallCommand.class, DimCommand.class,
                InfoCommand.class, ConsolidateCommand.class, ReindexCommand.class, CopyCommand.class,
                ExportCommand.class, ImportCommand.class, ForgetCommand.class, CompactCommand.class,
                MapCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class},
        footerHeading = "%nExample:%n",
        footer = {"  engram encode --store mem sample-data/fashion/train",
                "  engram bind --store mem --from-dirs",
                "  engram recall --store mem sample-data/fashion/recall/sandal-1.png"})
public final class EngramCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Mixin
    Verbosity verbosity;

    @Mixin
    StoreOption store;

    @Mixin
    OutputOptions output;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand");
    }

    /** The whole command tree, writing to the given streams, with engram's exit codes and error handling. */
    public static CommandLine commandLine(PrintWriter out, PrintWriter err) {
        EngramCommand root = new EngramCommand();
        CommandLine commandLine = new CommandLine(root);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionStrategy(parseResult -> {
            root.verbosity.apply(parseResult.commandSpec().commandLine());
            return new CommandLine.RunLast().execute(parseResult);
        });
        commandLine.setExecutionExceptionHandler((e, cmd, parseResult) -> report(e, root.verbosity, cmd.getErr()));
        commandLine.setParameterExceptionHandler((e, args) -> {
            PrintWriter w = e.getCommandLine().getErr();
            w.println("engram: " + e.getMessage());
            w.println("Try '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help' for more information.");
            return ExitCode.USAGE.code();
        });
        Map<String, String> exitCodes = exitCodeList();
        commandLine.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(exitCodes);
        for (CommandLine sub : commandLine.getSubcommands().values()) {
            sub.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(exitCodes);
        }
        return commandLine;
    }

    static Map<String, String> exitCodeList() {
        Map<String, String> list = new LinkedHashMap<>();
        for (ExitCode code : ExitCode.values()) {
            list.put(String.format("%3d", code.code()), code.meaning());
        }
        return list;
    }

    private static int report(Exception e, Verbosity verbosity, PrintWriter err) {
        if (e instanceof EngramException engram) {
            err.println("engram: " + engram.getMessage() + (verbosity.verbose() || engram.getCause() == null
                    ? "" : " (rerun with --verbose for details)"));
            if (verbosity.verbose()) {
                e.printStackTrace(err);
            }
            return engram.exitCode().code();
        }
        String message = e.getMessage() == null ? e.getClass().getName() : e.getMessage().lines().findFirst().orElse("");
        err.println("engram: internal error: " + message + (verbosity.verbose() ? "" : " (rerun with --verbose for the stack trace)"));
        if (verbosity.verbose()) {
            e.printStackTrace(err);
        }
        return ExitCode.INTERNAL_ERROR.code();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = BuildVersion.VERSION;
            String runtime = NativeExecutable.running() ? "native executable" : "JVM " + Runtime.version();
            return new String[] {"engram " + (version == null ? "(development build)" : version), runtime};
        }
    }
}
