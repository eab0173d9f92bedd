/**
 * Audio inputs for a convolutional autoencoder: WAV files decoded to mono, resampled to 16 kHz,
 * and turned into fixed-size log-mel spectrograms; spectrogram PNGs for reconstructions.
 */
package dev.engram.encode.audio;
