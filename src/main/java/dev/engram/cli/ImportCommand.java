package dev.engram.cli;

import dev.engram.EngramException;
import dev.engram.app.Import;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** {@code engram import}: an export read into a store, empty or not. */
@Command(name = "import", mixinStandardHelpOptions = true,
        versionProvider = EngramCommand.Version.class,
        description = {"Read a directory that engram export wrote into the store (created if absent), merging it"
                + " with what the store holds, as one unit of work: nothing is written unless all is, and a"
                + " malformed export changes nothing.",
                "",
                "The store gives everything ids of its own. A trace whose content its space already holds is that"
                        + " trace; a named concept joins the concept of that name (unnamed ones are made anew); an"
                        + " event of the same name, time and source is that event; associations are joined (the"
                        + " stronger kind, the larger weight and count). Importing the same export twice changes"
                        + " nothing but the unnamed concepts. A space the store holds already takes the export's"
                        + " traces only if it is the same space (modality, encoder, dimension, metric and model"
                        + " files); else import it under another name with --rename. Prints one row per space and"
                        + " per kind of record: how many were new and how many the store held."},
        footerHeading = "%nExamples:%n",
        footer = {"  engram import --store other mem-export",
                "  engram import --store mem --rename fashion=fashion-lab2 lab2-export"})
public final class ImportCommand extends StoreCommand {
    @Parameters(paramLabel = "DIR", description = "A directory engram export wrote.")
    Path from;

    @Option(names = "--rename", paramLabel = "OLD=NEW", description = "Import the export's space OLD as space NEW (repeatable).")
    Map<String, String> rename = new LinkedHashMap<>();

    @Override
    public Integer call() {
        if (new java.util.HashSet<>(rename.values()).size() != rename.size()) {
            throw EngramException.invalidInput("--rename gives two spaces the same name");
        }
        Import.Imported imported = Import.run(store().location(), from, rename, console());
        Output out = out();
        if (out.json()) {
            out.jsonLine(imported);
            return 0;
        }
        Output.Table table = new Output.Table("imported", "new", "held already", "detail");
        for (Import.SpaceImported s : imported.spaces()) {
            table.row("space " + s.space(), s.newTraces(), s.traces() - s.newTraces(),
                    (s.created() ? "new space" : "existing space") + (s.space().equals(s.from()) ? "" : ", " + s.from()
                            + " in the export"));
        }
        table.row("concepts", imported.newConcepts(), imported.matchedConcepts(),
                imported.parentsKept() == 0 ? "" : imported.parentsKept() + " parents kept as the store had them");
        table.row("associations", imported.newAssociations(), imported.joinedAssociations(), "");
        table.row("events", imported.newEvents(), imported.matchedEvents(), "");
        table.row("dim reports", imported.newDimReports(), imported.matchedDimReports(), "");
        table.print(out, "");
        console().note("imported %s into %s in %s s", imported.from(), imported.store(),
                String.format(Locale.ROOT, "%.1f", imported.seconds()));
        return 0;
    }
}
