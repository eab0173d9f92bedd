/**
 * Perception: the modalities ({@link dev.engram.encode.Modalities}, one {@link dev.engram.encode.Modality}
 * each) with their inputs, and the encoders and decoders that map an input to a point of a latent
 * space and back, their training, and the files that keep them with their space.
 */
package dev.engram.encode;
