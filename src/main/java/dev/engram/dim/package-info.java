/**
 * Intrinsic dimension of a set of latent vectors (the second paper's question: how small can a
 * latent space be): exact nearest neighbours, and the estimators TwoNN, maximum likelihood,
 * Gride (ID by scale), DANCo, the correlation dimension and PCA (global and local), each matching
 * the reference definitions of scikit-dimension or DADApy; {@link dev.engram.dim.Estimators}, the
 * registry through which {@code engram dim} runs them; and the benchmark manifolds of known
 * dimension they are checked on.
 */
package dev.engram.dim;
