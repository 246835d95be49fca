#!/usr/bin/python3
"""The README's worked example: a keyword spotter (40 log-mel features per
10 ms frame -> 2-layer LSTM -> the last frame's state -> MLP -> log-softmax
over 12 keywords), seeded, saved both ways lstmc imports it:

  OUT/kws.pt        TorchScript (torch.jit.script, then save)
  OUT/kws.onnx      torch.onnx.export, batch and time dynamic
  OUT/features.npy  a batch of 4 one-second utterances (100 frames)
  OUT/expected.npy  what PyTorch computes on them

Usage: make_model.py OUT
"""
import os
import sys
import warnings

import numpy as np
import torch
from torch import nn


class KeywordSpotter(nn.Module):
    def __init__(self, features=40, hidden=64, keywords=12):
        super().__init__()
        self.lstm = nn.LSTM(features, hidden, num_layers=2, batch_first=True,
                            dropout=0.1)
        self.classifier = nn.Sequential(
            nn.Dropout(0.2), nn.Linear(hidden, 32), nn.ReLU(),
            nn.Linear(32, keywords), nn.LogSoftmax(dim=-1))

    def forward(self, features):
        _, (h_n, _) = self.lstm(features)
        return self.classifier(h_n[-1])


def main(out):
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    model = KeywordSpotter().eval()
    features = torch.randn(4, 100, 40)
    torch.jit.save(torch.jit.script(model), os.path.join(out, "kws.pt"))
    with torch.no_grad(), warnings.catch_warnings():
        # The exporter warns about its own shape inference; nothing to act on.
        warnings.simplefilter("ignore", UserWarning)
        torch.onnx.export(
            model, (features,), os.path.join(out, "kws.onnx"),
            input_names=["features"], output_names=["scores"],
            dynamic_axes={"features": {0: "batch", 1: "time"},
                          "scores": {0: "batch"}},
            opset_version=14)
        expected = model(features)

    np.save(os.path.join(out, "features.npy"), features.numpy())
    np.save(os.path.join(out, "expected.npy"), expected.numpy())


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
