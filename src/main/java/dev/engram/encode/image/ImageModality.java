package dev.engram.encode.image;

import dev.engram.EngramException;
import dev.engram.encode.Autoencoder;
import dev.engram.encode.AutoencoderSpaces;
import dev.engram.encode.Given;
import dev.engram.encode.ImageSpaces;
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
import java.util.List;
import java.util.Optional;

/**
 * Images: PNG, JPEG and IDX files (told by their first bytes, since IDX files have no fixed
 * name), read at one C×H×W shape into a convolutional autoencoder; reconstructions are PNGs.
 */
public final class ImageModality implements Modality<ImageInput> {
    public static final String ID = "image";
    public static final ImageModality INSTANCE = new ImageModality();

    private static final ReconstructionWriter PNG = new ReconstructionWriter(".png",
            (space, values, file) -> PngWriter.write(values, ImageSpaces.shape(space), file));

    private ImageModality() {
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public List<String> extensions() {
        return List.of(".png", ".jpg", ".jpeg");
    }

    @Override
    public boolean recognises(byte[] head) {
        return ImageSources.recognises(head);
    }

    @Override
    public Given field(Manifest.Field field) {
        return field.file();
    }

    /**
     * Arguments may name many images (directories, IDX files, paths on stdin); each given image
     * is one PNG or JPEG file. All are brought to the space's shape, or for a new space to
     * {@code reading.shape()}, else the first image's with its sides rounded to a multiple of 4.
     */
    @Override
    public Inputs<ImageInput> read(Sources sources, Reading reading) {
        ImageSources listed = sources.arguments().isEmpty() ? null
                : ImageSources.resolve(sources.arguments(), reading.stdin());
        Space space = reading.space();
        ImageShape shape = space != null ? ImageSpaces.shape(space) : newShape(reading.shape(), listed != null
                ? listed : ImageSources.resolve(List.of(sources.given().getFirst().requireFile().toString())));
        // A pretrained network's declared input size is part of its preprocessing: cues are resized to it.
        if (reading.refuseOtherSizes() && space != null && listed != null && !PretrainedSpaces.is(space)) {
            requireSize(listed, shape, space);
        }
        List<ImageInput> images = sources.read(given -> one(given, shape), arguments -> listed.readAll(shape));
        return new Inputs<>(images, new int[] {shape.channels(), shape.height(), shape.width()});
    }

    private static ImageShape newShape(String shape, ImageSources sources) {
        if (shape != null) {
            return ImageShape.parse(shape);
        }
        ImageShape first = sources.inferShape();
        return new ImageShape(first.channels(), roundTo4(first.height()), roundTo4(first.width()));
    }

    private static int roundTo4(int side) {
        return Math.max(4, Math.round(side / 4f) * 4);
    }

    private static void requireSize(ImageSources sources, ImageShape shape, Space space) {
        for (Path file : sources.files()) {
            ImageShape found = ImageSources.resolve(List.of(file.toString())).inferShape();
            if (found.height() != shape.height() || found.width() != shape.width()) {
                throw EngramException.wrongShape("cue " + file + " is " + found.height() + "x" + found.width()
                        + " but space " + space.name() + " holds " + shape.height() + "x" + shape.width()
                        + " images; pass --resize to scale it");
            }
        }
    }

    /** A given image: exactly one, so that the events stay aligned with their inputs. */
    private static ImageInput one(Given given, ImageShape shape) {
        List<ImageInput> images = ImageSources.resolve(List.of(given.requireFile().toString())).readAll(shape);
        if (images.size() != 1) {
            throw EngramException.invalidInput(given.file() + ": an event's image must be one PNG or JPEG file,"
                    + " not an IDX file of several images");
        }
        return images.getFirst();
    }

    @Override
    public SpaceEncoder<ImageInput> open(Store store, Space space) {
        return PretrainedSpaces.is(space) ? PretrainedSpaces.open(store, space) : AutoencoderSpaces.open(store, space);
    }

    @Override
    public SpaceEncoder<ImageInput> create(Store store, String name, Inputs<ImageInput> inputs, NewSpace settings) {
        int[] shape = inputs.shape();
        if (settings.network() != null) {
            return PretrainedSpaces.create(store, name, this, settings.network(), shape, inputs.items(), settings);
        }
        int[] concepts = AutoencoderSpaces.announce(name, this, inputs, settings);
        return AutoencoderSpaces.create(store, name, this,
                Autoencoder.conv2d(shape[0], shape[1], shape[2], settings.latent()), inputs.items(), concepts,
                settings);
    }

    @Override
    public boolean takesPretrainedNetworks() {
        return true;
    }

    @Override
    public Optional<ReconstructionWriter> reconstructions() {
        return Optional.of(PNG);
    }
}
