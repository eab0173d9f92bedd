#!/usr/bin/env python3
"""Events for `bin/bench multimodal`: every Fashion-MNIST training image as a PNG, perceived
together with its class name written and spoken.

  python3 bench/multimodal_events.py DATA SPEECH OUT

DATA holds the Fashion-MNIST .gz files; SPEECH is sample-data/fashion/speech (CLASS/VOICE.wav).
Writes OUT/train/NNNNN.png and OUT/events.jsonl, one event per training image i of class c:

  {"image": "train/00042.png", "text": "<c's name>", "audio": "speech/<c>/<voice>.wav", "concept": c}

where the voice is the (i mod n)-th of c's n bind voices (sample-data/make-events.py's choice:
every third voice in file-name order is held out, never heard in events: the benchmark's unseen
speakers). Standard library only; the PNG writer and IDX readers are make-fashion.py's.
"""
import importlib.util
import json
import os
import sys
from pathlib import Path

here = Path(__file__).resolve().parent


def script(name):
    spec = importlib.util.spec_from_file_location(name.replace("-", "_"), here.parent / "sample-data" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


fashion = script("make-fashion")
events = script("make-events")


def main():
    data, speech, out = (Path(a) for a in sys.argv[1:4])
    rows, cols, images = fashion.images(fashion.load(data, "train-images-idx3-ubyte.gz"))
    labels = fashion.labels(fashion.load(data, "train-labels-idx1-ubyte.gz"))
    (out / "train").mkdir(parents=True, exist_ok=True)
    link = out / "speech"
    if not link.exists():
        os.symlink(speech.resolve(), link)
    voices = {c: events.bind_voices(sorted(p.name for p in (speech / c).glob("*.wav"))) for c in fashion.CLASSES}
    with open(out / "events.jsonl", "w") as manifest:
        for i, (grey, label) in enumerate(zip(images, labels)):
            name = f"train/{i:05d}.png"
            (out / name).write_bytes(fashion.png(rows, cols, grey))
            c = fashion.CLASSES[label]
            event = {"image": name, "text": c.replace("-", " "),
                     "audio": f"speech/{c}/{voices[c][i % len(voices[c])]}", "concept": c}
            manifest.write(json.dumps(event) + "\n")
    print(f"wrote {len(images)} events to {out / 'events.jsonl'}", file=sys.stderr)


if __name__ == "__main__":
    main()
