/**
 * Numeric vectors as perceptions ("internal signals"): rows of CSV or NumPy files, read for a
 * dense autoencoder.
 */
package dev.engram.encode.vector;
