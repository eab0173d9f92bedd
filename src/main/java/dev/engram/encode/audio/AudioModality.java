package dev.engram.encode.audio;

import dev.engram.encode.Autoencoder;
import dev.engram.encode.AutoencoderSpaces;
import dev.engram.encode.Given;
import dev.engram.encode.Inputs;
import dev.engram.encode.Manifest;
import dev.engram.encode.Modality;
import dev.engram.encode.NewSpace;
import dev.engram.encode.PretrainedSpaces;
import dev.engram.encode.Reading;
import dev.engram.encode.ReconstructionWriter;
import dev.engram.encode.Sources;
import dev.engram.encode.SpaceEncoder;
import dev.engram.store.Space;
import dev.engram.store.Store;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sound: WAV files as {@link LogMel} spectrograms into a convolutional autoencoder, trained on
 * band-shifted copies too ({@link BandShift}); reconstructions are spectrogram PNGs.
 */
public final class AudioModality implements Modality<AudioInput> {
    public static final String ID = "audio";
    public static final AudioModality INSTANCE = new AudioModality();

    private static final ReconstructionWriter SPECTROGRAM = new ReconstructionWriter(".png",
            (space, values, file) -> SpectrogramPng.write(values, file));

    private AudioModality() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<String> extensions() {
        return List.of(".wav");
    }

    @Override
    public boolean recognises(byte[] head) {
        return Wav.isWav(head);
    }

    @Override
    public Given field(Manifest.Field field) {
        return field.file();
    }

    @Override
    public Inputs<AudioInput> read(Sources sources, Reading reading) {
        // An event stream may hear one recording many times: decode each file once.
        Map<Path, AudioInput> heard = new HashMap<>();
        List<AudioInput> sounds = sources.read(given -> heard.computeIfAbsent(given.requireFile(), AudioInput::read),
                arguments -> AudioSources.resolve(arguments, reading.stdin()).readAll());
        return new Inputs<>(sounds, AudioSources.shape());
    }

    @Override
    public SpaceEncoder<AudioInput> open(Store store, Space space) {
        return PretrainedSpaces.is(space) ? PretrainedSpaces.open(store, space) : AutoencoderSpaces.open(store, space);
    }

    @Override
    public SpaceEncoder<AudioInput> create(Store store, String name, Inputs<AudioInput> inputs, NewSpace settings) {
        if (settings.network() != null) {
            // The network hears the clips as they are: band-shifted copies train only an autoencoder.
            return PretrainedSpaces.create(store, name, this, settings.network(), inputs.shape(), inputs.items(),
                    settings);
        }
        int[] concepts = AutoencoderSpaces.announce(name, this, inputs, settings);
        BandShift.Augmented augmented = BandShift.augment(inputs.items(), concepts);
        settings.listener().note("training on each clip and %d copies with its mel bands shifted (vocal tract"
                + " length perturbation)", BandShift.SHIFTS.length - 1);
        return AutoencoderSpaces.create(store, name, this, Autoencoder.conv2d(AudioSources.SHAPE.channels(),
                        AudioSources.SHAPE.height(), AudioSources.SHAPE.width(), settings.latent()),
                augmented.inputs(), augmented.concepts(), settings);
    }

    @Override
    public boolean takesPretrainedNetworks() {
        return true;
    }

    @Override
    public Optional<ReconstructionWriter> reconstructions() {
        return Optional.of(SPECTROGRAM);
    }
}
