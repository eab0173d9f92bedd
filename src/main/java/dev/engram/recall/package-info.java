/**
 * Recall: from a cue (a point of a latent space, a stored trace, or a concept) to the concepts it
 * evokes and the traces bound to them, with the cue's surprise.
 */
package dev.engram.recall;
