/**
 * Intrinsic dimension of a set of latent vectors (the second paper's question: how small can a
 * latent space be): exact nearest neighbours, and the TwoNN and maximum-likelihood estimators.
 */
package dev.engram.dim;
