/**
 * Readers of the input files that several parts of engram share, and nothing of engram's model:
 * IDX images and labels, CSV and NumPy {@code .npy} points, and command-line file arguments.
 */
package dev.engram.io;
