package dev.engram.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/**
 * What every subcommand shares: the store, the output format, and the streams and verbosity of
 * the run. The options themselves are defined once, on {@link EngramCommand}, and inherited.
 */
@Command
abstract class StoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @ParentCommand
    EngramCommand root;

    StoreOption store() {
        // Other processes that wait for the store name this one by it (docs/architecture.md,
        // "Many processes, one store").
        System.setProperty("engram.command", spec.qualifiedName());
        return root.store;
    }

    Output out() {
        return new Output(spec.commandLine().getOut(), root.output.json);
    }

    Console console() {
        return new Console(spec.commandLine().getErr(), root.verbosity.quiet());
    }
}
