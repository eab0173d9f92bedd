package dev.engram.cli;

import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

/** What every subcommand shares: the store, the output format, and the streams and verbosity of the run. */
abstract class StoreCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    StoreOption store;
    @Mixin
    OutputOptions output;
    @ParentCommand
    EngramCommand root;

    Output out() {
        return new Output(spec.commandLine().getOut(), output.json);
    }

    Console console() {
        return new Console(spec.commandLine().getErr(), root.verbosity.quiet());
    }
}
