#!/usr/bin/env python3
"""Events for `bin/bench multimodal`: every Fashion-MNIST training image as a PNG, perceived
together with its class name written and spoken.

  python3 bench/multimodal_events.py DATA SPEECH OUT

DATA holds the Fashion-MNIST .gz files; SPEECH is sample-data/fashion/speech (CLASS/VOICE.wav).
Writes OUT/train/NNNNN.png and OUT/events.jsonl, one event per training image i of class c:

  {"image": "train/00042.png", "text": "<c's name>", "audio": "speech/<c>/<voice>.wav", "concept": c}

where the voice is the (i mod BIND_VOICES)-th of c's voices in file-name order; the voices after
the first BIND_VOICES are never heard in events (the benchmark's held-out speakers). Standard
library only; the PNG writer and IDX readers are make-fashion.py's.
"""
import importlib.util
import json
import os
import sys
from pathlib import Path

BIND_VOICES = 5

here = Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("make_fashion", here.parent / "sample-data" / "make-fashion.py")
fashion = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fashion)


def main():
    data, speech, out = (Path(a) for a in sys.argv[1:4])
    rows, cols, images = fashion.images(fashion.load(data, "train-images-idx3-ubyte.gz"))
    labels = fashion.labels(fashion.load(data, "train-labels-idx1-ubyte.gz"))
    (out / "train").mkdir(parents=True, exist_ok=True)
    link = out / "speech"
    if not link.exists():
        os.symlink(speech.resolve(), link)
    voices = {c: sorted(p.name for p in (speech / c).glob("*.wav")) for c in fashion.CLASSES}
    with open(out / "events.jsonl", "w") as manifest:
        for i, (grey, label) in enumerate(zip(images, labels)):
            name = f"train/{i:05d}.png"
            (out / name).write_bytes(fashion.png(rows, cols, grey))
            c = fashion.CLASSES[label]
            event = {"image": name, "text": c.replace("-", " "),
                     "audio": f"speech/{c}/{voices[c][i % BIND_VOICES]}", "concept": c}
            manifest.write(json.dumps(event) + "\n")
    print(f"wrote {len(images)} events to {out / 'events.jsonl'}", file=sys.stderr)


if __name__ == "__main__":
    main()
