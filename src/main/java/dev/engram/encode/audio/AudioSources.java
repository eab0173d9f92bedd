package dev.engram.encode.audio;

import dev.engram.encode.image.ImageShape;
import dev.engram.io.InputFiles;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Expands command-line audio arguments into {@link AudioInput}s: WAV files, directories
 * (searched recursively for {@code *.wav} in any case, in path order, hidden entries skipped)
 * and {@code -} (paths on standard input), as {@link InputFiles} does for every modality.
 * A file given by name is read whatever its extension; one that is not a WAV file fails
 * with invalidInput naming it. Nothing is decoded before {@link #stream} or {@link #readAll}.
 */
public final class AudioSources {
    /**
     * The input shape of an audio space's convolutional autoencoder: 1 channel × {@link LogMel#MELS}
     * bands × {@link LogMel#FRAMES} frames, both divisible by 4 as the conv autoencoder needs.
     */
    public static final ImageShape SHAPE = new ImageShape(1, LogMel.MELS, LogMel.FRAMES);

    private static final InputFiles WAV_FILES = InputFiles.byExtension("WAV files", ".wav");

    private final List<Path> files;

    private AudioSources(List<Path> files) {
        this.files = List.copyOf(files);
    }

    /** {@link #SHAPE} as {@code {channels, height, width}}; a new array each call. */
    public static int[] shape() {
        return new int[] {SHAPE.channels(), SHAPE.height(), SHAPE.width()};
    }

    /** Checks the arguments and lists the files; reads {@code stdin} when an argument is {@code -}. */
    public static AudioSources resolve(List<String> args, InputStream stdin) {
        return new AudioSources(WAV_FILES.resolve(args, stdin));
    }

    /** {@link #resolve(List, InputStream)} for arguments that do not include {@code -}. */
    public static AudioSources resolve(List<String> args) {
        if (args.contains("-")) {
            throw new IllegalArgumentException("'-' needs an input stream: use resolve(args, stdin)");
        }
        return resolve(args, InputStream.nullInputStream());
    }

    /** {@code resolve(args, stdin).readAll()}. */
    public static List<AudioInput> readAll(List<String> args, InputStream stdin) {
        return resolve(args, stdin).readAll();
    }

    /** The files, in the order they are read: arguments in order, directories sorted. */
    public List<Path> files() {
        return files;
    }

    /** The inputs, decoded lazily in order, one file at a time; a bad file throws when reached. */
    public Stream<AudioInput> stream() {
        return files.stream().map(AudioInput::read);
    }

    /** Every input, all decoded before this returns: a bad file anywhere throws and nothing is returned. */
    public List<AudioInput> readAll() {
        return stream().toList();
    }
}
