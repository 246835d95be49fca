#!/usr/bin/python3
"""Compares the keyword spotter's scores from both import paths with
PyTorch's: compare.py DIR (the directory make_model.py and run.sh wrote)."""
import os
import sys

import numpy as np

out = sys.argv[1]
expected = np.load(os.path.join(out, "expected.npy"))
results = {"PyTorch import": os.path.join(out, "torch", "output.npy"),
           "ONNX import": os.path.join(out, "onnx", "scores.npy")}
failed = False
for name, path in results.items():
    got = np.load(path)
    error = float(np.max(np.abs(got - expected)))
    same = np.array_equal(got.argmax(-1), expected.argmax(-1))
    print(f"{name}: max |lstmc - torch| = {error:.3g}, "
          f"keywords {'agree' if same else 'DIFFER'}")
    failed |= error > 1e-5 or not same
sys.exit(1 if failed else 0)
