package dev.engram.cli;

import dev.engram.ExitCode;
import dev.engram.dim.Estimator;
import dev.engram.dim.Estimators;
import dev.engram.dim.Subsampling;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code engram dim}'s options against the estimator registry they stand for. */
class DimCommandTest {
    @TempDir
    Path tmp;

    private static CommandSpec dim() {
        PrintWriter nowhere = new PrintWriter(Writer.nullWriter());
        return EngramCommand.commandLine(nowhere, nowhere).getSubcommands().get("dim").getCommandSpec();
    }

    @Test
    void everyEstimatorParameterIsAnOptionWhoseDefaultIsTheDeclaredOne() {
        CommandSpec dim = dim();
        for (Estimator e : Estimators.all()) {
            for (Estimator.Parameter p : e.parameters()) {
                OptionSpec option = dim.findOption(p.name());
                assertNotNull(option, e.name() + "'s " + p.name() + " has no option");
                assertEquals(p.defaultValue(), option.defaultValue(), option.longestName());
            }
        }
    }

    @Test
    void theHelpNamesTheRegistrysEstimatorsAndTheSubsampleFraction() {
        CommandSpec dim = dim();

        assertEquals("Estimators to run: " + String.join(", ", Estimators.names()) + ", or all (default: twonn,mle).",
                dim.findOption("estimator").description()[0]);
        assertTrue(dim.findOption("bootstrap").description()[0].contains("N subsamples of a fraction "
                + Subsampling.FRACTION + " of the points"));
    }

    @Test
    void anUnknownEstimatorIsOneLineOnStderrAndExitCode3() {
        Engram.Run run = Engram.run("dim", "--store", tmp.toString(), "--estimator", "twonn,nope");

        assertEquals(ExitCode.INVALID_INPUT.code(), run.exit(), run::toString);
        assertEquals(List.of("engram: unknown estimator 'nope' (known: twonn, mle, pca, corrint, gride, danco, all)"),
                run.err().lines().toList());
        assertEquals("", run.out());
    }
}
