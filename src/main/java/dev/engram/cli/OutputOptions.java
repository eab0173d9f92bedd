package dev.engram.cli;

import picocli.CommandLine.Option;

/** How data is written to stdout. */
public final class OutputOptions {
    @Option(names = "--json", description = "Write JSON Lines (one object per line) instead of a table.")
    boolean json;
}
