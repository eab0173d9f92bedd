#!/usr/bin/env python3
"""hnswlib reference figures for `bin/bench fashion`: approximate k-NN over the stored latents.

BASE.npy holds the latents of the stored traces (float32, n x d, about 60,000 x 16) and
QUERIES.npy new points (float32, q x d, about 1,000). Measured:

- the exact top k of each query by brute force in numpy (squared Euclidean, float64), as the
  ground truth;
- the build of an hnswlib 'l2' index (M and ef_construction default to 16 and 100, Lucene's
  HNSW defaults maxConn 16 and beamWidth 100, so the comparison is like for like; seeded with
  42), in seconds with --threads threads;
- for each ef in a rising list, single-threaded search: queries/s of one batch knn_query over
  all queries (the throughput figure), queries/s of knn_query called once per query from a
  Python loop (includes the interpreter's per-call overhead, for comparison), and recall@k;
- "at_target": the smallest ef whose recall@k reaches --target-recall, with its queries/s.

A returned neighbour counts as a hit if it is in the exact top k or its distance is no farther
than the exact k-th distance times (1 + 1e-6), so that ties at the k-th place are not misses.

Usage: hnsw_reference.py BASE.npy QUERIES.npy --k 10 --target-recall R [--threads 1]
                         [--m 16] [--ef-construction 100]
Progress goes to stderr; stdout gets one JSON object.
"""
import argparse
import importlib.metadata
import json
import sys
import time

import hnswlib
import numpy as np

SEED = 42
EFS = (10, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512)
TIE_TOLERANCE = 1e-6
PASSES = 5   # a batch of 1,000 queries takes milliseconds, so take the best of several
QUERY_CHUNK = 100   # queries per brute-force block: 100 x 60,000 float64 distances is 48 MB


def log(message):
    print("reference: " + message, file=sys.stderr, flush=True)


def load(path):
    array = np.load(path)
    if array.ndim != 2:
        raise ValueError(f"{path}: expected a 2-d array, got shape {array.shape}")
    return np.ascontiguousarray(array, dtype=np.float32)


def squared_distances(queries, base):
    """Squared Euclidean distances, q x n, in float64 so that ties are judged on exact values."""
    q = queries.astype(np.float64)
    b = base.astype(np.float64)
    d = (q * q).sum(1)[:, None] - 2.0 * q @ b.T + (b * b).sum(1)[None, :]
    return np.maximum(d, 0.0)


def exact_neighbours(base, queries, k):
    """Indices (q x k, nearest first) and the k-th squared distance of each query."""
    indices = np.empty((len(queries), k), dtype=np.int64)
    kth = np.empty(len(queries))
    for start in range(0, len(queries), QUERY_CHUNK):
        d = squared_distances(queries[start:start + QUERY_CHUNK], base)
        top = np.argpartition(d, k - 1, axis=1)[:, :k]
        rows = np.arange(len(d))[:, None]
        order = np.argsort(d[rows, top], axis=1)
        indices[start:start + len(d)] = top[rows, order]
        kth[start:start + len(d)] = d[rows[:, 0], indices[start:start + len(d), -1]]
    return indices, kth


def recall(found, exact, kth, base, queries):
    """Mean over queries of the fraction of returned neighbours that are hits (ties allowed)."""
    k = exact.shape[1]
    hits = 0
    for i in range(len(queries)):
        diff = base[found[i]].astype(np.float64) - queries[i].astype(np.float64)
        near_enough = (diff * diff).sum(1) <= kth[i] * (1.0 + TIE_TOLERANCE)
        hits += int(np.sum(np.isin(found[i], exact[i]) | near_enough))
    return hits / (len(queries) * k)


def build(base, m, ef_construction, threads):
    index = hnswlib.Index(space="l2", dim=base.shape[1])
    index.init_index(max_elements=len(base), M=m, ef_construction=ef_construction, random_seed=SEED)
    index.set_num_threads(threads)
    t = time.perf_counter()
    index.add_items(base, np.arange(len(base)))
    return index, time.perf_counter() - t


def batch_rate(index, queries, k):
    """Queries/s of one single-threaded batch knn_query, best of PASSES after a warm-up."""
    found, _ = index.knn_query(queries, k=k, num_threads=1)
    best = float("inf")
    for _ in range(PASSES):
        t = time.perf_counter()
        index.knn_query(queries, k=k, num_threads=1)
        best = min(best, time.perf_counter() - t)
    return len(queries) / best, found


def loop_rate(index, queries, k):
    """Queries/s of knn_query called once per query from Python, best of PASSES (index warm)."""
    best = float("inf")
    for _ in range(PASSES):
        t = time.perf_counter()
        for i in range(len(queries)):
            index.knn_query(queries[i:i + 1], k=k, num_threads=1)
        best = min(best, time.perf_counter() - t)
    return len(queries) / best


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base")
    parser.add_argument("queries")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--target-recall", type=float, required=True)
    parser.add_argument("--threads", type=int, default=1, help="threads for the build only")
    parser.add_argument("--m", type=int, default=16)
    parser.add_argument("--ef-construction", type=int, default=100)
    args = parser.parse_args()

    base = load(args.base)
    queries = load(args.queries)
    if base.shape[1] != queries.shape[1]:
        raise ValueError(f"base has {base.shape[1]} columns, queries {queries.shape[1]}")
    log(f"{len(base)} x {base.shape[1]} base, {len(queries)} queries, k {args.k}")

    t = time.perf_counter()
    exact, kth = exact_neighbours(base, queries, args.k)
    exact_seconds = time.perf_counter() - t
    log(f"exact top {args.k} by brute force: {exact_seconds:.2f} s")

    index, build_seconds = build(base, args.m, args.ef_construction, args.threads)
    log(f"build: M {args.m}, ef_construction {args.ef_construction}, {args.threads} threads, "
        f"{build_seconds:.2f} s")

    index.set_num_threads(1)
    curve = []
    # hnswlib searches with max(ef, k), so an ef below k would repeat ef = k.
    for ef in sorted({max(ef, args.k) for ef in EFS}):
        index.set_ef(ef)
        qps, found = batch_rate(index, queries, args.k)
        point = {"ef": ef, "recall": round(recall(found, exact, kth, base, queries), 4),
                 "queries_per_s": round(qps, 1),
                 "queries_per_s_python_loop": round(loop_rate(index, queries, args.k), 1)}
        log(f"ef {ef}: recall@{args.k} {point['recall']:.4f}, {point['queries_per_s']:.0f} "
            f"queries/s batch, {point['queries_per_s_python_loop']:.0f} in a Python loop")
        curve.append(point)
    at_target = next((p for p in curve if p["recall"] >= args.target_recall), None)
    log("target recall " + (f"{args.target_recall} first reached at ef {at_target['ef']}"
                            if at_target else f"{args.target_recall} not reached"))

    print(json.dumps({
        "hnswlib": importlib.metadata.version("hnswlib"),
        "base": list(base.shape),
        "queries": len(queries),
        "k": args.k,
        "m": args.m,
        "ef_construction": args.ef_construction,
        "build_threads": args.threads,
        "build_seconds": round(build_seconds, 3),
        "search_threads": 1,
        "exact_seconds": round(exact_seconds, 3),
        "target_recall": args.target_recall,
        "at_target": at_target,
        "curve": curve,
    }))


if __name__ == "__main__":
    main()
