/**
 * Image inputs for the image encoder: PNG, JPEG and IDX (MNIST) files read into channel-major
 * float pixels at one shape, and PNG output for reconstructions.
 */
package dev.engram.encode.image;
