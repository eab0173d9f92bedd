package dev.engram.encode;

import dev.engram.store.Space;
import dev.engram.store.Store;

import java.util.List;
import java.util.Optional;

/**
 * One kind of input engram perceives, and everything engram does that depends on the kind:
 * how its files are told apart, how its inputs are read from the command line and from events,
 * how a space of it encodes them, and how a reconstruction is written. A space holds one
 * modality; by default a modality's space is named after it. {@link Modalities} lists them all:
 * adding a modality is one more implementation there (docs/architecture.md).
 *
 * @param <I> the input it reads and its encoder takes
 */
public interface Modality<I extends Input> {

    /** The name users type ({@code --modality}, {@code --space ID=NAME}, the manifest field) and spaces record. */
    String id();

    /** The file name endings (lower case, with the dot) that announce it; directories are searched for them. */
    List<String> extensions();

    /** Whether a file's first bytes (up to 12) show it to be of this modality, whatever its name. */
    boolean recognises(byte[] head);

    /** Reads this modality's field of a manifest line: what one event perceived of it. */
    Given field(Manifest.Field field);

    /**
     * Reads inputs for one space, checking each: the literals, then what the arguments name,
     * then the events' fields, in that order. Each {@link Given} is exactly one input.
     */
    Inputs<I> read(Sources sources, Reading reading);

    /** The encoder of an existing space; refuses a space this engram cannot encode into. */
    SpaceEncoder<I> open(Store store, Space space);

    /** Creates a space, its encoder made (trained, where it learns) from the distinct inputs. */
    SpaceEncoder<I> create(Store store, String name, Inputs<I> inputs, NewSpace settings);

    /**
     * Whether a new space of it may be encoded by a user's pretrained network
     * ({@link NewSpace#network()}) instead of an autoencoder trained on its inputs.
     */
    default boolean takesPretrainedNetworks() {
        return false;
    }

    /** How a decoder's output is written as a file; empty for a modality whose encoder has no decoder. */
    Optional<ReconstructionWriter> reconstructions();
}
