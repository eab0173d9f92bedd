#!/usr/bin/env python3
"""PyTorch reference figures for `bin/bench fashion`: engram's image autoencoder, in PyTorch.

The network is engram's "conv2d" architecture with latent 16 and widths 32, 64:
  encoder: Conv(1->32, 3x3, stride 2, pad 1), ReLU, Conv(32->64, 3x3, stride 2, pad 1), ReLU,
           flatten (64*7*7), Linear(3136->16)
  decoder: Linear(16->3136), ReLU, reshape (64, 7, 7), nearest upsample x2, Conv(64->32, 3x3,
           pad 1), ReLU, nearest upsample x2, Conv(32->1, 3x3, pad 1), sigmoid
trained with Adam (lr 0.001), batch 128, mean squared error over the batch's pixels, the 60,000
training images shuffled each epoch by a generator seeded with 42. Pixels are the raw bytes / 255.

Measured:
- training: images/s over --epochs epochs (only the loop is timed; a few warm-up batches on a
  throw-away model come first), and the last epoch's mean loss.
- forward pass over the 10,000 test images in batches of 256, in eval and inference mode:
  encode + decode + per-image MSE, and encode only; images/s is the best of 3 passes after one
  warm-up pass. The mean per-image test MSE is the quantity engram reports as surprise.

Usage: torch_reference.py [DATA_DIR] [--threads 2] [--epochs 1]
       (DATA_DIR default /usr/share/datasets/fashion-mnist)
--threads sizes torch's OpenMP pool (inter-op pool 1); BLAS gets one thread (see main).
Set ONEDNN_MAX_CPU_ISA in the environment to cap oneDNN's instruction set; it is recorded.
Progress goes to stderr; stdout gets one JSON object.
"""
import argparse
import gzip
import json
import os
import re
import sys
import time

import numpy as np
import torch
from threadpoolctl import threadpool_info, threadpool_limits
from torch import nn

SEED = 42
LATENT = 16
WIDTHS = (32, 64)
TRAIN_BATCH = 128
TEST_BATCH = 256
WARMUP_BATCHES = 5
PASSES = 3


def log(message):
    print("reference: " + message, file=sys.stderr, flush=True)


def read_images(path):
    """A gzipped IDX image file as a float32 tensor N x 1 x H x W with values in [0, 1]."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    magic = int.from_bytes(data[0:4], "big")
    if magic != 0x00000803:
        raise ValueError(f"{path}: not an unsigned-byte 3-d IDX file (magic {magic:#010x})")
    n, h, w = (int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(3))
    pixels = np.frombuffer(data, dtype=np.uint8, offset=16)
    if pixels.size != n * h * w:
        raise ValueError(f"{path}: {pixels.size} values, header says {n}x{h}x{w}")
    return torch.from_numpy(pixels.reshape(n, 1, h, w).astype(np.float32) / 255.0)


class Autoencoder(nn.Module):
    def __init__(self):
        super().__init__()
        w1, w2 = WIDTHS
        self.encoder = nn.Sequential(
            nn.Conv2d(1, w1, 3, stride=2, padding=1), nn.ReLU(),
            nn.Conv2d(w1, w2, 3, stride=2, padding=1), nn.ReLU(),
            nn.Flatten(), nn.Linear(w2 * 7 * 7, LATENT))
        self.decoder = nn.Sequential(
            nn.Linear(LATENT, w2 * 7 * 7), nn.ReLU(), nn.Unflatten(1, (w2, 7, 7)),
            nn.Upsample(scale_factor=2, mode="nearest"),
            nn.Conv2d(w2, w1, 3, padding=1), nn.ReLU(),
            nn.Upsample(scale_factor=2, mode="nearest"),
            nn.Conv2d(w1, 1, 3, padding=1), nn.Sigmoid())

    def forward(self, x):
        return self.decoder(self.encoder(x))


def fresh_model():
    torch.manual_seed(SEED)
    model = Autoencoder()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001, betas=(0.9, 0.999), eps=1e-8)
    return model, optimizer


def train_step(model, optimizer, x):
    optimizer.zero_grad(set_to_none=True)
    loss = torch.mean((model(x) - x) ** 2)
    loss.backward()
    optimizer.step()
    return loss.item()


def train(x_train, epochs):
    """Trains a fresh seeded model; returns it, wall and CPU seconds of the loop, last loss."""
    # Warm-up on a throw-away model, so the timed run starts from the seeded weights but with
    # the allocator and oneDNN's primitive cache already warm.
    model, optimizer = fresh_model()
    for b in range(WARMUP_BATCHES):
        train_step(model, optimizer, x_train[b * TRAIN_BATCH:(b + 1) * TRAIN_BATCH])
    model, optimizer = fresh_model()
    generator = torch.Generator().manual_seed(SEED)
    n = len(x_train)
    start, cpu_start = time.perf_counter(), time.process_time()
    for epoch in range(1, epochs + 1):
        order = torch.randperm(n, generator=generator)
        total = 0.0
        for start_row in range(0, n, TRAIN_BATCH):
            x = x_train[order[start_row:start_row + TRAIN_BATCH]]
            # Weighted by batch size so the short last batch counts as much as its images.
            total += train_step(model, optimizer, x) * len(x)
        epoch_loss = total / n
        log(f"epoch {epoch}/{epochs}: loss {epoch_loss:.5f}, {time.perf_counter() - start:.1f} s")
    return model, time.perf_counter() - start, time.process_time() - cpu_start, epoch_loss


def forward_pass(model, x_test):
    """Encode + decode + per-image MSE over all test images; returns the per-image errors."""
    errors = []
    for start in range(0, len(x_test), TEST_BATCH):
        x = x_test[start:start + TEST_BATCH]
        errors.append(torch.mean((model(x) - x) ** 2, dim=(1, 2, 3)))
    return torch.cat(errors)


def encode_pass(model, x_test):
    return torch.cat([model.encoder(x_test[s:s + TEST_BATCH])
                      for s in range(0, len(x_test), TEST_BATCH)])


def best_rate(run, model, x_test):
    """Images/s of the best of PASSES timed passes, after one untimed warm-up pass."""
    result = run(model, x_test)
    best = float("inf")
    for _ in range(PASSES):
        t = time.perf_counter()
        run(model, x_test)
        best = min(best, time.perf_counter() - t)
    return len(x_test) / best, result


def cpu_capability():
    """ATen's vectorised-kernel level, as torch reports it (torch 1.13 has no API for it)."""
    match = re.search(r"CPU capability usage: (\S+)", torch.__config__.show())
    return match.group(1) if match else None


def blas_libraries():
    return [f"{i['internal_api']} {i.get('version')} ({i['num_threads']} threads)"
            for i in threadpool_info() if i["user_api"] == "blas"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=1)
    args = parser.parse_args()
    # Inter-op threads must be set before any parallel work starts.
    torch.set_num_interop_threads(1)
    torch.set_num_threads(args.threads)
    # Debian's torch does the Linear layers' products in OpenBLAS, whose own thread pool ignores
    # set_num_threads and, spinning between calls, competes with the convolutions' OpenMP
    # threads (on 2 cores, a third of the training rate). The products are small: one thread.
    threadpool_limits(limits=1, user_api="blas")

    x_train = read_images(os.path.join(args.data, "train-images-idx3-ubyte.gz"))
    x_test = read_images(os.path.join(args.data, "t10k-images-idx3-ubyte.gz"))
    log(f"read {len(x_train)} training and {len(x_test)} test images; torch {torch.__version__}, "
        f"{torch.get_num_threads()} threads, {', '.join(blas_libraries())}, "
        f"ONEDNN_MAX_CPU_ISA={os.environ.get('ONEDNN_MAX_CPU_ISA')}")

    model, train_seconds, train_cpu_seconds, train_loss = train(x_train, args.epochs)
    train_rate = args.epochs * len(x_train) / train_seconds
    log(f"training: {train_rate:.0f} images/s, {train_seconds:.1f} s "
        f"({train_cpu_seconds:.1f} s CPU), last epoch loss {train_loss:.5f}")

    model.eval()
    with torch.inference_mode():
        forward_rate, errors = best_rate(forward_pass, model, x_test)
        encode_rate, _ = best_rate(encode_pass, model, x_test)
    test_mse = float(errors.mean())
    log(f"test forward (encode+decode+MSE): {forward_rate:.0f} images/s, mean MSE {test_mse:.5f}; "
        f"encode only: {encode_rate:.0f} images/s")

    print(json.dumps({
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "mkldnn_available": torch.backends.mkldnn.is_available(),
        "aten_cpu_capability": cpu_capability(),
        "blas": blas_libraries(),
        "onednn_max_cpu_isa": os.environ.get("ONEDNN_MAX_CPU_ISA"),
        "epochs": args.epochs,
        "train_batch": TRAIN_BATCH,
        "train_images_per_s": round(train_rate, 1),
        "train_seconds": round(train_seconds, 2),
        # user + system time of all threads, spin-waiting included
        "train_cpu_seconds": round(train_cpu_seconds, 2),
        "train_last_epoch_loss": round(train_loss, 6),
        "test_batch": TEST_BATCH,
        "test_forward_images_per_s": round(forward_rate, 1),
        "test_encode_images_per_s": round(encode_rate, 1),
        "test_mse": round(test_mse, 6),
    }))


if __name__ == "__main__":
    main()
