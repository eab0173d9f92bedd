#!/usr/bin/env python3
"""Regenerate sample-data/fashion/ from the Fashion-MNIST IDX files of Debian's
dataset-fashion-mnist package (apt-get install dataset-fashion-mnist).

  train/<class>/NNNN.png  the first 40 images of each class in the TRAINING set, in file order;
                          NNNN counts 0000..0039 within the class
  recall/<class>-N.png    the first 3 images of each class in the TEST set (N = 1..3): cues
                          that no training image duplicates, named after their true class
  sources.csv             for every PNG: split, index in that split's IDX file, label

Only the standard library is used (gzip, struct, zlib). The PNGs are 28x28 8-bit grey with the
IDX bytes stored unchanged (0 = background, 255 = ink), so engram reads them with exactly the
pixel values of the IDX file. The input files are checked against the SHA-256 of their
decompressed contents, so a different copy of the data set cannot silently change the choice.

Usage: python3 sample-data/make-fashion.py [--source DIR] [--out DIR]
"""
import argparse
import csv
import gzip
import hashlib
import shutil
import struct
import sys
import zlib
from pathlib import Path

CLASSES = ["t-shirt", "trouser", "pullover", "dress", "coat",
           "sandal", "shirt", "sneaker", "bag", "ankle-boot"]  # labels 0..9
TRAIN_PER_CLASS = 40
RECALL_PER_CLASS = 3

# SHA-256 of the decompressed files of dataset-fashion-mnist 0.0~git20200523.55506a9-1.
EXPECTED = {
    "train-images-idx3-ubyte.gz": "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
    "train-labels-idx1-ubyte.gz": "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
    "t10k-images-idx3-ubyte.gz": "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
    "t10k-labels-idx1-ubyte.gz": "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
}


def load(source, name):
    path = source / name
    try:
        data = gzip.decompress(path.read_bytes())
    except FileNotFoundError:
        sys.exit(f"{path}: not found; install it with: apt-get install dataset-fashion-mnist")
    digest = hashlib.sha256(data).hexdigest()
    if digest != EXPECTED[name]:
        sys.exit(f"{path}: SHA-256 of its contents is {digest}, expected {EXPECTED[name]}")
    return data


def images(data):
    magic, count, rows, cols = struct.unpack(">IIII", data[:16])
    assert magic == 0x00000803 and len(data) == 16 + count * rows * cols, "not an IDX3 image file"
    size = rows * cols
    return rows, cols, [data[16 + i * size:16 + (i + 1) * size] for i in range(count)]


def labels(data):
    magic, count = struct.unpack(">II", data[:8])
    assert magic == 0x00000801 and len(data) == 8 + count, "not an IDX1 label file"
    return list(data[8:])


def png(rows, cols, grey):
    """An 8-bit greyscale PNG: filter type 0 on every row, one IDAT, no other chunks."""
    def chunk(kind, body):
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    raw = b"".join(b"\x00" + grey[r * cols:(r + 1) * cols] for r in range(rows))
    ihdr = struct.pack(">IIBBBBB", cols, rows, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr)
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


def first_per_class(label_list, per_class):
    """Indexes of the first per_class items of each label, in file order."""
    chosen = {c: [] for c in range(len(CLASSES))}
    for index, label in enumerate(label_list):
        if len(chosen[label]) < per_class:
            chosen[label].append(index)
    return chosen


def main():
    here = Path(__file__).resolve().parent
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", type=Path, default=Path("/usr/share/datasets/fashion-mnist"))
    parser.add_argument("--out", type=Path, default=here / "fashion")
    args = parser.parse_args()

    rows, cols, train_images = images(load(args.source, "train-images-idx3-ubyte.gz"))
    train_labels = labels(load(args.source, "train-labels-idx1-ubyte.gz"))
    _, _, test_images = images(load(args.source, "t10k-images-idx3-ubyte.gz"))
    test_labels = labels(load(args.source, "t10k-labels-idx1-ubyte.gz"))

    out = args.out
    for generated in ("train", "recall"):
        shutil.rmtree(out / generated, ignore_errors=True)
    rows_csv = []
    for label, indexes in first_per_class(train_labels, TRAIN_PER_CLASS).items():
        folder = out / "train" / CLASSES[label]
        folder.mkdir(parents=True)
        for n, index in enumerate(indexes):
            name = folder / f"{n:04d}.png"
            name.write_bytes(png(rows, cols, train_images[index]))
            rows_csv.append((name.relative_to(out).as_posix(), "train", index, label, CLASSES[label]))
    (out / "recall").mkdir(parents=True)
    for label, indexes in first_per_class(test_labels, RECALL_PER_CLASS).items():
        for n, index in enumerate(indexes, start=1):
            name = out / "recall" / f"{CLASSES[label]}-{n}.png"
            name.write_bytes(png(rows, cols, test_images[index]))
            rows_csv.append((name.relative_to(out).as_posix(), "test", index, label, CLASSES[label]))
    with open(out / "sources.csv", "w", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["file", "split", "index", "label", "class"])
        writer.writerows(rows_csv)
    print(f"wrote {len(rows_csv)} images under {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
