package dev.engram.dim;

import dev.engram.EngramException;
import dev.engram.encode.image.ImageInput;
import dev.engram.encode.image.ImageShape;
import dev.engram.encode.image.ImageSources;
import dev.engram.store.Trace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The raw inputs an image space's traces came from, read again from their sources (a file, or
 * item N of an IDX file) at the space's input shape: the data the autoencoder was trained on,
 * before the bottleneck. Each re-read image is checked against the content hash its trace
 * recorded, so that a file changed since it was encoded is reported rather than measured.
 */
public final class RawInputs {

    private RawInputs() {
    }

    /** The pixels of each trace's source, in the order of {@code traces}. */
    public static float[][] read(List<Trace> traces, ImageShape shape, String spaceName) {
        Set<String> files = new LinkedHashSet<>();
        for (Trace t : traces) {
            if (files.add(t.source()) && !Files.isRegularFile(Path.of(t.source()))) {
                throw EngramException.invalidInput("the source " + t.source() + " of trace " + t.id() + " in space "
                        + spaceName + " is gone: the raw inputs cannot be read again (restore the file, or measure"
                        + " the space's latent vectors without --raw)");
            }
        }
        Map<String, List<Integer>> wanted = new HashMap<>();
        for (int i = 0; i < traces.size(); i++) {
            wanted.computeIfAbsent(traces.get(i).sourceLabel(), label -> new ArrayList<>()).add(i);
        }
        float[][] pixels = new float[traces.size()][];
        // One pass over the files in order; an IDX file is streamed and only its traced items kept.
        try (Stream<ImageInput> images = ImageSources.resolve(new ArrayList<>(files)).stream(shape)) {
            images.forEachOrdered(image -> {
                for (int at : wanted.getOrDefault(image.location(), List.of())) {
                    Trace t = traces.get(at);
                    if (!t.contentHash().equals(image.contentHash())) {
                        throw EngramException.invalidInput(image.location() + " (trace " + t.id() + " in space "
                                + spaceName + ") has changed since it was encoded: its pixels no longer match the"
                                + " trace's content hash, so the raw inputs cannot be measured as they were");
                    }
                    pixels[at] = image.pixels();
                }
            });
        }
        for (int i = 0; i < pixels.length; i++) {
            if (pixels[i] == null) {
                Trace t = traces.get(i);
                throw EngramException.invalidInput("item " + t.sourceLabel() + " of trace " + t.id() + " in space "
                        + spaceName + " is not in its file any more (the file was shortened or replaced)");
            }
        }
        return pixels;
    }
}
