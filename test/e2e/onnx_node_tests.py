#!/usr/bin/python3
"""ONNX conformance: the LSTM node tests Debian's libonnx-testdata ships.

Each test is a model.onnx with test_data_set_*/input_*.pb and output_*.pb
tensors. The model is compiled with lstm-compile, run with lstm-run on the
inputs (named after the graph's inputs), and its outputs compared with the
expected ones.
"""

import argparse
import glob
import os
import subprocess
import sys
import tempfile

import numpy as np
import onnx
from onnx import numpy_helper

DATA = "/usr/share/libonnx-testdata/data/node"


def load_tensor(path):
    tensor = onnx.TensorProto()
    with open(path, "rb") as f:
        tensor.ParseFromString(f.read())
    return numpy_helper.to_array(tensor)


def run_test(directory, tools, workdir, tolerance):
    name = os.path.basename(directory)
    model = onnx.load(os.path.join(directory, "model.onnx"))
    initializers = {t.name for t in model.graph.initializer}
    inputs = [i.name for i in model.graph.input if i.name not in initializers]
    outputs = [o.name for o in model.graph.output]
    so = os.path.join(workdir, f"{name}.so")
    subprocess.run([tools["lstm-compile"], os.path.join(directory, "model.onnx"),
                    "-o", so], check=True, capture_output=True, text=True)
    worst = 0.0
    for data_set in sorted(glob.glob(os.path.join(directory, "test_data_set_*"))):
        out_dir = os.path.join(workdir, name, os.path.basename(data_set))
        os.makedirs(out_dir, exist_ok=True)
        command = [tools["lstm-run"], so, "--output-dir", out_dir]
        for i, input_name in enumerate(inputs):
            path = os.path.join(out_dir, f"in{i}.npy")
            np.save(path, load_tensor(os.path.join(data_set, f"input_{i}.pb")))
            command += ["--input", f"{input_name}={path}"]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(result.stderr)
        for i, output_name in enumerate(outputs):
            want = load_tensor(os.path.join(data_set, f"output_{i}.pb"))
            got = np.load(os.path.join(out_dir, f"{output_name}.npy"))
            if got.shape != want.shape:
                raise AssertionError(f"{output_name} has shape {got.shape}, "
                                     f"expected {want.shape}")
            error = float(np.max(np.abs(got - want)))
            if error > tolerance:
                raise AssertionError(f"{output_name} differs by {error:.3g}")
            worst = max(worst, error)
    return worst


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True)
    parser.add_argument("--tolerance", type=float, default=1e-5)
    args = parser.parse_args()
    tools = {t: os.path.join(args.bin, t) for t in ("lstm-compile", "lstm-run")}
    tests = sorted(glob.glob(os.path.join(DATA, "test_*lstm*")))
    if not tests:
        print(f"no LSTM node tests under {DATA}: install libonnx-testdata",
              file=sys.stderr)
        return 1
    failures = 0
    with tempfile.TemporaryDirectory(prefix="lstmc-onnx-node-") as work:
        for directory in tests:
            name = os.path.basename(directory)
            try:
                worst = run_test(directory, tools, work, args.tolerance)
                print(f"ok   {name}: max error {worst:.3g}")
            except Exception as e:  # report each test, then fail
                failures += 1
                print(f"FAIL {name}: {e}")
    print(f"\n{len(tests) - failures}/{len(tests)} ONNX LSTM node tests passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
