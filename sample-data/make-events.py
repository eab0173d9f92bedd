#!/usr/bin/env python3
"""Write sample-data/fashion/events.jsonl and fashion/captions.csv: the multimodal events of the
sample data, one per training image (see README.md beside this script).

Each event is what engram perceives at once: a training image, a short caption of it, and its
class name spoken by one of the bind voices (every third voice is kept back as cues never
bound), under the concept named by the image's folder:

  {"image": "train/sandal/0007.png", "text": "a small dark strappy sandal",
   "audio": "speech/sandal/<voice>.wav", "concept": "sandal"}

The caption names the class in one of three wordings and describes what the pixels show: how
bright the garment is (mean ink of its pixels) and how much of the frame it fills. Nothing is
random: running again gives identical files. Standard library only; the PNGs are the 8-bit
grey, filter-0 files that make-fashion.py writes.

Usage: python3 sample-data/make-events.py [--data DIR]   (DIR defaults to sample-data/fashion)
"""
import argparse
import json
import struct
import zlib
from pathlib import Path

# Three wordings per class: the caption of image i uses wording i % 3.
NOUNS = {
    "t-shirt": ["t-shirt", "short-sleeved top", "tee"],
    "trouser": ["pair of trousers", "pair of long pants", "pair of slacks"],
    "pullover": ["pullover", "knitted sweater", "jumper"],
    "dress": ["dress", "one-piece dress", "frock"],
    "coat": ["coat", "warm jacket", "winter coat"],
    "sandal": ["sandal", "open summer shoe", "strappy sandal"],
    "shirt": ["shirt", "buttoned shirt", "collared shirt"],
    "sneaker": ["sneaker", "trainer", "running shoe"],
    "bag": ["bag", "handbag", "tote bag"],
    "ankle-boot": ["ankle boot", "short boot", "chunky boot"],
}


def bind_voices(voices):
    """The voices heard in events: of the voices in file-name order, all but every third (the
    3rd, 6th, ...), which are kept back as cues in voices never bound. Holding out every third
    rather than the last few keeps the held-out voices as mixed as the others."""
    return [v for i, v in enumerate(voices) if i % 3 != 2]
INK = 30         # pixel values above this are garment, below it background


def grey_pixels(path):
    """The pixel bytes of an 8-bit greyscale, non-interlaced PNG whose rows all use filter 0."""
    data = path.read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit(f"{path}: not a PNG")
    pos, width, height, idat = 8, 0, 0, b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or colour != 0 or interlace != 0:
                raise SystemExit(f"{path}: expected an 8-bit grey, non-interlaced PNG")
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    pixels = []
    for r in range(height):
        row = raw[r * (width + 1):(r + 1) * (width + 1)]
        if row[0] != 0:
            raise SystemExit(f"{path}: row {r} uses PNG filter {row[0]}; regenerate with make-fashion.py")
        pixels.extend(row[1:])
    return pixels


def caption(cls, number, pixels):
    ink = [p for p in pixels if p > INK]
    mean = sum(ink) / len(ink) if ink else 0
    tone = "dark" if mean < 100 else "grey" if mean < 150 else "light" if mean < 200 else "bright white"
    cover = len(ink) / len(pixels)
    size = "small" if cover < 0.3 else "large" if cover > 0.55 else "medium-sized"
    return f"a {size} {tone} {NOUNS[cls][number % 3]}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path(__file__).resolve().parent / "fashion")
    data = parser.parse_args().data
    lines, rows = [], ["file,caption"]
    for cls_dir in sorted((data / "train").iterdir()):
        cls = cls_dir.name
        voices = bind_voices(sorted((data / "speech" / cls).glob("*.wav")))
        if len(voices) < 2:
            raise SystemExit(f"{data / 'speech' / cls}: need at least 3 voices; run make-speech.sh")
        for number, image in enumerate(sorted(cls_dir.glob("*.png"))):
            text = caption(cls, number, grey_pixels(image))
            event = {"image": image.relative_to(data).as_posix(), "text": text,
                     "audio": voices[number % len(voices)].relative_to(data).as_posix(), "concept": cls}
            lines.append(json.dumps(event))
            rows.append(f"{image.relative_to(data).as_posix()},{text}")
    (data / "events.jsonl").write_text("\n".join(lines) + "\n")
    (data / "captions.csv").write_text("\n".join(rows) + "\n")
    print(f"wrote {len(lines)} events to {data / 'events.jsonl'}")


if __name__ == "__main__":
    main()
