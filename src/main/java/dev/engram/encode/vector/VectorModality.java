package dev.engram.encode.vector;

import dev.engram.EngramException;
import dev.engram.encode.Autoencoder;
import dev.engram.encode.AutoencoderSpaces;
import dev.engram.encode.Given;
import dev.engram.encode.Inputs;
import dev.engram.encode.Manifest;
import dev.engram.encode.Modality;
import dev.engram.encode.NewSpace;
import dev.engram.encode.Reading;
import dev.engram.encode.ReconstructionWriter;
import dev.engram.encode.Sources;
import dev.engram.encode.SpaceEncoder;
import dev.engram.store.Space;
import dev.engram.store.Store;

import java.nio.file.Files;
import java.util.List;
import java.util.Optional;

/**
 * Numeric signals: the rows of CSV and .npy files, or numbers in an event, into a dense
 * autoencoder; a reconstruction is a CSV row.
 */
public final class VectorModality implements Modality<VectorInput> {
    public static final String ID = "vector";
    public static final VectorModality INSTANCE = new VectorModality();

    private static final ReconstructionWriter CSV_ROW = new ReconstructionWriter(".csv",
            (space, values, file) -> Files.writeString(file, csvRow(values) + "\n"));

    private VectorModality() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<String> extensions() {
        return List.of(".csv", ".npy");
    }

    /** Nothing: a CSV file has no magic number, and rows are told by the name's ending alone. */
    @Override
    public boolean recognises(byte[] head) {
        return false;
    }

    @Override
    public Given field(Manifest.Field field) {
        return field.isArray() ? field.numbers() : field.file();
    }

    @Override
    public Inputs<VectorInput> read(Sources sources, Reading reading) {
        List<VectorInput> rows = sources.read(VectorModality::one, VectorSources::read);
        return new Inputs<>(rows, new int[] {rows.isEmpty() ? 0 : rows.getFirst().values().length});
    }

    /** A given vector: its numbers, or a file that holds exactly one row. */
    private static VectorInput one(Given given) {
        if (given.values() != null) {
            return new VectorInput(given.source(), given.index(), given.values());
        }
        List<VectorInput> rows = VectorSources.read(List.of(given.requireFile().toString()));
        if (rows.size() != 1) {
            throw EngramException.invalidInput(given.where() + ": the event's vector file " + given.file()
                    + " holds " + rows.size() + " rows, not one");
        }
        return rows.getFirst();
    }

    @Override
    public SpaceEncoder<VectorInput> open(Store store, Space space) {
        return AutoencoderSpaces.open(store, space);
    }

    @Override
    public SpaceEncoder<VectorInput> create(Store store, String name, Inputs<VectorInput> inputs, NewSpace settings) {
        int[] concepts = AutoencoderSpaces.announce(name, this, inputs, settings);
        return AutoencoderSpaces.create(store, name, this, Autoencoder.dense(inputs.shape()[0], settings.latent()),
                inputs.items(), concepts, settings);
    }

    @Override
    public Optional<ReconstructionWriter> reconstructions() {
        return Optional.of(CSV_ROW);
    }

    private static String csvRow(float[] values) {
        StringBuilder row = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            row.append(i == 0 ? "" : ",").append(values[i]);
        }
        return row.toString();
    }
}
