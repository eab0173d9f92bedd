#!/usr/bin/env python3
"""scikit-learn reference figures for `bin/bench fashion`, on the same Fashion-MNIST files.

- PCA with 16 components (the same width as engram's latent space), fitted on the 60,000
  training images: mean squared reconstruction error per pixel of the test images, pixels in
  [0, 1], the same quantity engram reports as a cue's surprise.
- 10-nearest-neighbour classification of the 10,000 test images among the training images,
  in that 16-d PCA space and on raw pixels (784-d), each with uniform votes (scikit-learn's
  default) and with 1/distance votes (the weighting engram's recall uses).

Usage: fashion_reference.py [DATA_DIR]   (default /usr/share/datasets/fashion-mnist)
Progress goes to stderr; stdout gets one JSON object.
"""
import gzip
import json
import os
import sys
import time

import numpy as np
import sklearn
from sklearn.decomposition import PCA
from sklearn.neighbors import NearestNeighbors

K = 10
COMPONENTS = 16


def log(message):
    print("reference: " + message, file=sys.stderr, flush=True)


def read_idx(path):
    """An IDX file (gzipped or not) as a numpy array; images as float32 rows in [0, 1]."""
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    if magic >> 8 != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file (magic {magic:#010x})")
    dims = magic & 0xFF
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    array = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims)
    if array.size != int(np.prod(shape)):
        raise ValueError(f"{path}: {array.size} values, header says {shape}")
    if dims == 1:
        return array.astype(np.int64)
    return array.reshape(shape[0], -1).astype(np.float32) / 255.0


def knn_accuracy(train, train_labels, test, test_labels):
    """Accuracy of uniform and 1/distance 10-NN votes, from one exact neighbour search."""
    nn = NearestNeighbors(n_neighbors=K, algorithm="brute").fit(train)
    distances, indices = nn.kneighbors(test)
    votes = train_labels[indices]                      # (n_test, K)
    classes = int(max(train_labels.max(), test_labels.max())) + 1
    uniform = np.zeros((len(test), classes))
    weighted = np.zeros((len(test), classes))
    rows = np.arange(len(test))[:, None]
    np.add.at(uniform, (rows, votes), 1.0)
    np.add.at(weighted, (rows, votes), 1.0 / (distances + 1e-9))
    return (float(np.mean(uniform.argmax(1) == test_labels)),
            float(np.mean(weighted.argmax(1) == test_labels)))


def main():
    data = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/datasets/fashion-mnist"
    start = time.perf_counter()
    x_train = read_idx(os.path.join(data, "train-images-idx3-ubyte.gz"))
    y_train = read_idx(os.path.join(data, "train-labels-idx1-ubyte.gz"))
    x_test = read_idx(os.path.join(data, "t10k-images-idx3-ubyte.gz"))
    y_test = read_idx(os.path.join(data, "t10k-labels-idx1-ubyte.gz"))
    log(f"read {len(x_train)} training and {len(x_test)} test images")

    t = time.perf_counter()
    pca = PCA(n_components=COMPONENTS, svd_solver="randomized", random_state=42).fit(x_train)
    z_train = pca.transform(x_train)
    z_test = pca.transform(x_test)
    pca_seconds = time.perf_counter() - t
    train_mse = float(np.mean((x_train - pca.inverse_transform(z_train)) ** 2))
    test_mse = float(np.mean((x_test - pca.inverse_transform(z_test)) ** 2))
    log(f"PCA-{COMPONENTS}: test MSE {test_mse:.5f} (train {train_mse:.5f}), {pca_seconds:.1f} s")

    t = time.perf_counter()
    pca_uniform, pca_weighted = knn_accuracy(z_train, y_train, z_test, y_test)
    pca_knn_seconds = time.perf_counter() - t
    log(f"{K}-NN in PCA-{COMPONENTS} space: accuracy {pca_uniform:.4f} uniform, "
        f"{pca_weighted:.4f} 1/distance, {pca_knn_seconds:.1f} s")

    t = time.perf_counter()
    raw_uniform, raw_weighted = knn_accuracy(x_train, y_train, x_test, y_test)
    raw_knn_seconds = time.perf_counter() - t
    log(f"{K}-NN on raw pixels: accuracy {raw_uniform:.4f} uniform, {raw_weighted:.4f} 1/distance, "
        f"{raw_knn_seconds:.1f} s")

    print(json.dumps({
        "sklearn": sklearn.__version__,
        "pca_components": COMPONENTS,
        "pca_test_mse": round(test_mse, 6),
        "pca_train_mse": round(train_mse, 6),
        "pca_explained_variance": round(float(pca.explained_variance_ratio_.sum()), 4),
        "knn_k": K,
        "pca_knn_accuracy": round(pca_uniform, 4),
        "pca_knn_accuracy_distance_weighted": round(pca_weighted, 4),
        "raw_knn_accuracy": round(raw_uniform, 4),
        "raw_knn_accuracy_distance_weighted": round(raw_weighted, 4),
        "seconds": round(time.perf_counter() - start, 1),
    }))


if __name__ == "__main__":
    main()
