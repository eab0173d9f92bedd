/**
 * Binding: forming concept nodes and their associations with traces, by explicit labels, by
 * locality in a latent space, and by synchrony (traces perceived in one event).
 */
package dev.engram.bind;
