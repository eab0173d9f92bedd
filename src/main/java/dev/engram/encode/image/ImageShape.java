package dev.engram.encode.image;

import dev.engram.EngramException;

/**
 * The shape every image of a space is brought to: channels (1 grey, 3 RGB) × height × width.
 * Written and parsed as {@code CxHxW}, e.g. {@code 1x28x28}.
 */
public record ImageShape(int channels, int height, int width) {

    public ImageShape {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 (grey) or 3 (RGB), not " + channels);
        }
        if (height < 1 || width < 1) {
            throw new IllegalArgumentException("height and width must be positive, not " + height + "x" + width);
        }
    }

    /** Number of floats in one image of this shape: channels × height × width. */
    public int size() {
        return Math.multiplyExact(channels, Math.multiplyExact(height, width));
    }

    /** Parses {@code CxHxW} (as written by {@link #toString()}), e.g. {@code 3x64x64}. */
    public static ImageShape parse(String text) {
        String[] parts = text.trim().split("[xX×]");
        if (parts.length != 3) {
            throw EngramException.invalidInput(
                    "image shape '" + text + "' is not CxHxW (channels x height x width), e.g. 1x28x28");
        }
        try {
            return new ImageShape(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()),
                    Integer.parseInt(parts[2].trim()));
        } catch (NumberFormatException e) {
            throw EngramException.invalidInput(
                    "image shape '" + text + "' is not CxHxW (channels x height x width), e.g. 1x28x28", e);
        } catch (IllegalArgumentException e) {
            throw EngramException.invalidInput("image shape '" + text + "': " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return channels + "x" + height + "x" + width;
    }
}
