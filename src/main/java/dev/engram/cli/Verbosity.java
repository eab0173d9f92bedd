package dev.engram.cli;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.util.List;

/**
 * {@code -v}/{@code -vv} and {@code -q}: mutually exclusive, accepted before or after the
 * subcommand (inherited). Levels apply to messages on stderr only; stdout carries data
 * whatever they are.
 */
public final class Verbosity {
    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "More messages on stderr (-vv for debug); errors show their stack trace.")
    boolean[] verbose = new boolean[0];

    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
            description = "Only errors on stderr: no progress, no counts.")
    boolean quiet;

    int level() {
        return quiet ? -1 : verbose.length;
    }

    boolean verbose() {
        return level() > 0;
    }

    boolean quiet() {
        return quiet;
    }

    /** Checks the exclusion (picocli argument groups do not mix with inherited options) and sets the log level. */
    void apply(CommandLine commandLine) {
        if (quiet && verbose.length > 0) {
            throw new CommandLine.ParameterException(commandLine, "-q/--quiet and -v/--verbose are mutually exclusive");
        }
        Level level = switch (level()) {
            case -1 -> Level.ERROR;
            case 0 -> Level.WARN;
            case 1 -> Level.INFO;
            default -> Level.DEBUG;
        };
        Configurator.setRootLevel(level);
        // Libraries whose warnings engram tells in its own words (log4j2.properties): shown with -vv.
        for (String library : List.of("ai.djl", "org.apache.solr", "org.apache.zookeeper", "org.apache.curator")) {
            Configurator.setLevel(library, level() >= 2 ? Level.DEBUG : Level.ERROR);
        }
    }
}
