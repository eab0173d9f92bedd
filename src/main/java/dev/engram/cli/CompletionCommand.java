package dev.engram.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * {@code engram completion}: the bash/zsh completion script of the whole command tree, made by
 * picocli's {@link AutoComplete} from the same annotations engram parses, so it cannot drift
 * from the options. The build writes the same script into {@code target/completion/} and
 * {@code bin/engram completion} prints that file without starting a JVM (docs/architecture.md,
 * "Shell completion").
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        versionProvider = EngramCommand.Version.class,
        description = {"Print the shell completion script of engram's commands and options on stdout, for bash"
                + " and for zsh (through its bash compatibility, which the script loads itself). Install it in"
                + " the running shell with the first example; add that line to ~/.bashrc or ~/.zshrc to keep it."},
        footerHeading = "%nExamples:%n",
        footer = {"  source <(bin/engram completion)",
                "  bin/engram completion > ~/.local/share/bash-completion/completions/engram"})
public final class CompletionCommand implements Callable<Integer> {
    /** The name the script completes: the command users type. */
    static final String NAME = "engram";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(script(spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return 0;
    }

    /** The completion script of {@code commandLine}'s command tree. */
    public static String script(CommandLine commandLine) {
        return AutoComplete.bash(NAME, commandLine);
    }
}
