package dev.engram.cli;

import dev.engram.encode.Modalities;
import dev.engram.encode.Modality;

import java.util.Iterator;

/** The ids {@code --modality} takes, for shell completion: the modality registry's. */
final class ModalityNames implements Iterable<String> {
    @Override
    public Iterator<String> iterator() {
        return Modalities.all().stream().<String>map(Modality::id).iterator();
    }
}
