#!/usr/bin/env python3
"""scikit-dimension (skdim) reference figures for `engram dim`, on the same .npy files.

Each file (2-D, float32 as `bin/bench dim` writes them) goes through skdim's public API
unchanged, as a user of skdim would call it:

- TwoNN: `skdim.id.TwoNN().fit(X)` with its defaults (discard_fraction=0.1, dist=False).
  skdim finds the neighbours inside fit: with sklearn's NearestNeighbors for at most 25
  features, with a chunked full distance matrix (pairwise_distances_chunked) above that.
- MLE: `skdim.id.MLE().fit(X, n_neighbors=20, comb="mle")`. This is Levina & Bickel's
  estimator with MacKay & Ghahramani's combination: the default MLE() (dnoise=None,
  sigma=0, unbiased=False, neighborhood_based=True) gives each point
  m_k(x) = (k-1) / sum_j log(T_k/T_j) over its k nearest neighbours (the point itself not
  counted), and comb="mle" combines them as 1/mean(1/m_k), the harmonic mean; comb="mean"
  would be the paper's arithmetic mean. k and comb are arguments of fit, not of the
  constructor (MLE._N_NEIGHBORS = 20 is the default k). MLE is one of skdim's local
  estimators, so fit itself computes the per-point values (dimension_pw_) and combines
  them; fit_pw belongs to the global estimators (a global fit in each point's
  neighbourhood) and is not this estimator. The neighbour search is timed on its own
  too: skdim.get_nn(X, k) (the search fit does), then
  fit(X, precomputed_knn_arrays=(dists, indices), ...) for the estimate alone.
- PCA: `skdim.id.lPCA(ver="FO", alphaFO=0.05).fit(X)`: Fukunaga & Olsen's count of the
  covariance eigenvalues (sklearn PCA().explained_variance_) above alphaFO times the
  largest. The parameter is alphaFO (alphaRatio belongs to ver="ratio").

skdim keeps float32 input in float32 (sklearn's check_array), so its distances and PCA
come from float32 arithmetic where sklearn does so; --float64 casts each file to float64
first, to tell that apart from a difference in definition.

Usage: dim_reference.py [--float64] [-k K] [--twonn FILE...] [--mle FILE...] [--pca FILE...]
       dim_reference.py --all FILE...      (all three estimators on each file)
Progress goes to stderr; stdout gets one JSON object. If skdim cannot be imported, the
object says so and the exit status is still 0 (skdim is an optional reference:
PYTHONPATH may point at a source checkout).
"""
import argparse
import json
import sys
import time

try:
    import numpy as np
except ImportError:  # reported as JSON by main(), like a missing skdim
    np = None

K = 20
DISCARD_FRACTION = 0.1
ALPHA_FO = 0.05


def log(message):
    print("dim-reference: " + message, file=sys.stderr, flush=True)


def load(path, float64):
    x = np.load(path)
    if x.ndim != 2:
        raise ValueError(f"{path}: expected a 2-D array, got shape {x.shape}")
    return x.astype(np.float64) if float64 else x


def timed(f):
    t = time.perf_counter()
    value = f()
    return value, time.perf_counter() - t


def neighbour_algorithm(x, k):
    """The algorithm sklearn's NearestNeighbors picks for skdim's get_nn on this data."""
    from sklearn.neighbors import NearestNeighbors
    return NearestNeighbors(n_neighbors=k).fit(x)._fit_method


def run_twonn(skdim, x):
    est, seconds = timed(lambda: skdim.id.TwoNN().fit(x))
    return {
        "call": "skdim.id.TwoNN().fit(X)",
        "estimate": float(est.dimension_),
        "neighbours": "pairwise_distances_chunked" if x.shape[1] > 25
        else "NearestNeighbors/" + neighbour_algorithm(x, 2),
        "points_fitted": int(len(est.x_)),
        "fit_seconds": round(seconds, 3),
    }


def run_mle(skdim, x, k):
    est, seconds = timed(lambda: skdim.id.MLE().fit(x, n_neighbors=k, comb="mle"))
    (dists, indices), search_seconds = timed(lambda: skdim.get_nn(x, k=k))
    est2, estimate_seconds = timed(lambda: skdim.id.MLE().fit(
        x, precomputed_knn_arrays=(dists, indices), n_neighbors=k, comb="mle"))
    pointwise = est.dimension_pw_
    return {
        "call": f'skdim.id.MLE().fit(X, n_neighbors={k}, comb="mle")',
        "estimate": float(est.dimension_),
        "estimate_arithmetic_mean": float(np.mean(pointwise)),
        "k": k,
        "points_with_zero_first_distance": int(np.sum(dists[:, 0] == 0)),
        "neighbours": "NearestNeighbors/" + neighbour_algorithm(x, k),
        "fit_seconds": round(seconds, 3),
        "neighbour_search_seconds": round(search_seconds, 3),
        "estimate_only_seconds": round(estimate_seconds, 3),
        "estimate_from_precomputed_neighbours": float(est2.dimension_),
    }


def run_pca(skdim, x):
    est, seconds = timed(lambda: skdim.id.lPCA(ver="FO", alphaFO=ALPHA_FO).fit(x))
    ev = np.asarray(est.explained_var_, dtype=np.float64)
    # How close the nearest eigenvalue is to the threshold, relative to it: a count that
    # float32 rounding could flip has a margin near 1e-7 or below.
    margin = float(np.min(np.abs(ev / (ALPHA_FO * ev[0]) - 1)))
    return {
        "call": f'skdim.id.lPCA(ver="FO", alphaFO={ALPHA_FO}).fit(X)',
        "estimate": int(est.dimension_),
        "eigenvalue_dtype": str(est.explained_var_.dtype),
        "threshold_margin": margin,
        "fit_seconds": round(seconds, 3),
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--twonn", nargs="+", action="extend", default=[], metavar="FILE")
    parser.add_argument("--mle", nargs="+", action="extend", default=[], metavar="FILE")
    parser.add_argument("--pca", nargs="+", action="extend", default=[], metavar="FILE")
    parser.add_argument("--all", nargs="+", action="extend", default=[], metavar="FILE")
    parser.add_argument("-k", type=int, default=K, help=f"neighbours for MLE (default {K})")
    parser.add_argument("--float64", action="store_true", help="cast each file to float64 first")
    args = parser.parse_args()
    jobs = ([("twonn", f) for f in args.twonn + args.all] + [("mle", f) for f in args.mle + args.all]
            + [("pca", f) for f in args.pca + args.all])
    if not jobs:
        parser.error("no files: give --twonn, --mle, --pca or --all with .npy files")

    try:
        if np is None:
            raise ImportError("numpy is missing")
        import skdim
        import skdim.id
    except ImportError as e:
        print(json.dumps({"skdim": None, "note": f"scikit-dimension not importable ({e}); reference skipped"}))
        return
    import scipy
    import sklearn

    start = time.perf_counter()
    results = []
    cache = {}
    for estimator, path in jobs:
        if path not in cache:
            cache[path] = load(path, args.float64)
        x = cache[path]
        log(f"{estimator} on {path} ({x.shape[0]} x {x.shape[1]}, {x.dtype})")
        if estimator == "twonn":
            r = run_twonn(skdim, x)
        elif estimator == "mle":
            r = run_mle(skdim, x, args.k)
        else:
            r = run_pca(skdim, x)
        log(f"{estimator}: {r['estimate']!r}, fit {r['fit_seconds']} s")
        results.append({"file": path, "shape": list(x.shape), "dtype": str(x.dtype),
                        "estimator": estimator, **r})

    print(json.dumps({
        "skdim": skdim.__version__,
        "skdim_path": skdim.__file__,
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "sklearn": sklearn.__version__,
        "float64_cast": args.float64,
        "results": results,
        "seconds": round(time.perf_counter() - start, 1),
    }))


if __name__ == "__main__":
    main()
