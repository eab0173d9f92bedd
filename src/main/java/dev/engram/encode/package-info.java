/**
 * Encoders and decoders: the networks that map a perception to a point of a latent space and
 * back, their training, and the files that keep them with their space.
 */
package dev.engram.encode;
