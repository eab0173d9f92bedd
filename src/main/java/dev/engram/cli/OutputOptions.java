package dev.engram.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** How data is written to stdout; inherited, so {@code --json} may stand before the subcommand too. */
public final class OutputOptions {
    @Option(names = "--json", scope = ScopeType.INHERIT,
            description = "Write JSON Lines (one object per line) instead of a table.")
    boolean json;
}
