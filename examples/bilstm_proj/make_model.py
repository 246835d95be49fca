#!/usr/bin/python3
"""Regenerates the bundled example: a seeded 2-layer bidirectional nn.LSTM
with projections, saved with torch.save. Import it with

    tools/lstm-import-torch/lstm-import-torch model.pt -o model.mlir
"""
import sys

import torch

torch.manual_seed(0)
model = torch.nn.LSTM(input_size=8, hidden_size=16, num_layers=2,
                      bidirectional=True, proj_size=8).eval()
torch.save(model, sys.argv[1] if len(sys.argv) > 1 else "model.pt")
