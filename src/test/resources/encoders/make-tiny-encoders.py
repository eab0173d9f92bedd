#!/usr/bin/env python3
"""Makes the tiny pretrained networks the tests of `engram encode --encoder` use.

Run once with Debian's python3-torch (1.13; `apt-get install python3-torch`):

    /usr/bin/python3 src/test/resources/encoders/make-tiny-encoders.py

It writes, beside itself:
  tiny-image.onnx, tiny-image.json  a 3x16x16 image network (ONNX, opset 13, dynamic batch) with two
                                    outputs: "features" (32 values) and "logits" (3); the JSON says
                                    which output to use and how to normalise
  tiny-image.pt                     the same network as TorchScript (its first output is "features")
  tiny-audio.onnx, tiny-audio.json  a network on engram's 1x64x64 log-mel spectrogram, 24 features
  expected.json                     PyTorch's outputs for fixed inputs, which the Java tests compare
                                    engram's feature extraction with

The weights are random (seeded): the networks are small stand-ins for a ResNet or a CLIP image
tower, enough to show that engram runs the user's network, reads the declared output and
normalises its input as declared.
"""
import json
import os

import torch
from torch import nn

HERE = os.path.dirname(os.path.abspath(__file__))


class TinyImage(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(3, 8, 3, stride=2, padding=1), nn.ReLU(),
            nn.Conv2d(8, 32, 3, stride=2, padding=1), nn.ReLU(),
            nn.AvgPool2d(4))  # 16x16 -> 8x8 -> 4x4 -> 1x1 (AdaptiveAvgPool2d does not export here)
        self.head = nn.Linear(32, 3)

    def forward(self, x):
        features = torch.flatten(self.body(x), 1)
        return features, self.head(features)


class TinyAudio(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, 8, 3, stride=2, padding=1), nn.Tanh(),
            nn.Conv2d(8, 24, 3, stride=2, padding=1), nn.Tanh(),
            nn.AvgPool2d(16))  # 64x64 -> 32x32 -> 16x16 -> 1x1

    def forward(self, x):
        return torch.flatten(self.body(x), 1)


def ramp(shape):
    """Values every language can make alike: (i * 37 mod 101) / 100 in row-major order."""
    n = 1
    for s in shape:
        n *= s
    return (torch.arange(n, dtype=torch.float64) * 37 % 101 / 100).float().reshape(shape)


def export_onnx(model, example, path, outputs):
    torch.onnx.export(model, example, path, opset_version=13, input_names=["input"], output_names=outputs,
                      dynamic_axes={name: {0: "batch"} for name in ["input"] + outputs})


def main():
    torch.manual_seed(20261207)
    image = TinyImage().eval()
    audio = TinyAudio().eval()
    image_config = {"input": [3, 16, 16], "mean": [0.485, 0.456, 0.406], "std": [0.229, 0.224, 0.225],
                    "output": "features"}
    audio_config = {"input": [1, 64, 64], "mean": [0.5], "std": [0.25]}
    with torch.no_grad():
        export_onnx(image, torch.zeros(2, 3, 16, 16), os.path.join(HERE, "tiny-image.onnx"), ["features", "logits"])
        torch.jit.trace(image, torch.zeros(2, 3, 16, 16)).save(os.path.join(HERE, "tiny-image.pt"))
        export_onnx(audio, torch.zeros(2, 1, 64, 64), os.path.join(HERE, "tiny-audio.onnx"), ["features"])

        mean = torch.tensor(image_config["mean"]).reshape(1, 3, 1, 1)
        std = torch.tensor(image_config["std"]).reshape(1, 3, 1, 1)
        image_input = ramp([1, 3, 16, 16])
        image_features = image((image_input - mean) / std)[0]
        audio_input = ramp([1, 1, 64, 64])
        audio_features = audio((audio_input - 0.5) / 0.25)
    for name, config in (("tiny-image.json", image_config), ("tiny-audio.json", audio_config)):
        with open(os.path.join(HERE, name), "w") as f:
            json.dump(config, f, indent=2)
            f.write("\n")
    with open(os.path.join(HERE, "expected.json"), "w") as f:
        json.dump({"torch": torch.__version__,
                   "input": "ramp: value i of the row-major C x H x W input is (i * 37 mod 101) / 100",
                   "tiny-image": [round(v, 7) for v in image_features[0].tolist()],
                   "tiny-audio": [round(v, 7) for v in audio_features[0].tolist()]}, f, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
