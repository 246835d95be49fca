#!/usr/bin/python3
"""Differential tests of PyTorch module trees.

Each model of torch_zoo.py is saved three ways (scripted, traced, pickled),
imported with lstm-import-torch, compiled with lstm-compile, run with lstm-run
on inputs of other sizes than the traced example where the model allows it,
and compared with the same model run by PyTorch.
"""

import argparse
import os
import re
import sys
import threading

import numpy as np
import torch

import torch_zoo
from jobs import run, run_cases, script

HERE = os.path.dirname(os.path.abspath(__file__))
TORCH_LOCK = threading.Lock()
MODES = ("scripted", "traced", "pickled")


class Case:
    """A model, the example it is traced with, the inputs it is run on (name,
    shape, dtype) and the --input-shape options it needs, if any."""

    def __init__(self, name, make, example, inputs, shapes=(), modes=MODES):
        self.name, self.make, self.example = name, make, example
        self.inputs, self.shapes, self.modes = inputs, list(shapes), modes


def cases():
    f32, i64 = np.float32, np.int64
    return [
        Case("spotter", lambda: torch_zoo.Spotter(10, 24, 2, 5),
             [("x", (2, 5, 10), f32)], [("x", (3, 9, 10), f32)]),
        Case("tagger", lambda: torch_zoo.Tagger(30, 6, 8, 4),
             [("tokens", (4, 2), i64)], [("tokens", (11, 3), i64)]),
        Case("biclassifier", lambda: torch_zoo.BiClassifier(7, 12, 3),
             [("x", (2, 4, 7), f32)], [("x", (5, 6, 7), f32)]),
        Case("layerview", lambda: torch_zoo.LayerView(4, 6, 3),
             [("x", (5, 3, 4), f32)], [("x", (7, 2, 4), f32)]),
        Case("meanpool", lambda: torch_zoo.MeanPool(9, 20, 6, 4),
             [("x", (5, 2, 9), f32)], [("x", (8, 3, 9), f32)]),
        Case("laststep", lambda: torch_zoo.LastStep(6, 8, 3),
             [("x", (3, 5, 6), f32)], [("x", (4, 7, 6), f32)]),
        Case("ends", lambda: torch_zoo.Ends(6, 8, 3),
             [("x", (3, 5, 6), f32)], [("x", (4, 7, 6), f32)]),
        Case("inplace", lambda: torch_zoo.InPlaceHead(5, 7, 3),
             [("x", (3, 2, 5), f32)], [("x", (6, 4, 5), f32)]),
        Case("streaming", lambda: torch_zoo.Streaming(5, 9, 3),
             [("x", (3, 2, 5), f32), ("h0", (2, 2, 9), f32),
              ("c0", (2, 2, 9), f32)],
             [("x", (6, 4, 5), f32), ("h0", (2, 4, 9), f32),
              ("c0", (2, 4, 9), f32)]),
        # The loop runs x.size(0) times: tracing unrolls it, and scripted
        # models need that size fixed with --input-shape.
        Case("cellloop", lambda: torch_zoo.CellLoop(5, 7, 3),
             [("x", (6, 2, 5), f32)], [("x", (6, 4, 5), f32)],
             shapes=["x=6,N,5"]),
        Case("tensorops", lambda: torch_zoo.TensorOps(5, 6),
             [("x", (2, 4, 5), f32)], [("x", (3, 7, 5), f32)]),
        Case("mlp", lambda: torch_zoo.mlp(8, 3),
             [("input", (2, 8), f32)], [("input", (5, 8), f32)]),
        Case("stacked", lambda: torch_zoo.stacked(4, 6),
             [("input", (3, 2, 4), f32)], [("input", (7, 3, 4), f32)]),
    ]


def random_inputs(specs, rng):
    arrays = []
    for _, shape, dtype in specs:
        if dtype == np.int64:
            arrays.append(rng.integers(0, 30, shape).astype(dtype))
        else:
            arrays.append(rng.standard_normal(shape).astype(dtype))
    return arrays


def check(case, mode, tools, work):
    directory = os.path.join(work, f"{case.name}-{mode}")
    os.makedirs(directory)
    model_path = os.path.join(directory, "model.pt")
    rng = np.random.default_rng(len(case.name))
    example = random_inputs(case.example, rng)
    inputs = random_inputs(case.inputs, rng)
    with TORCH_LOCK:
        torch.manual_seed(len(case.name))
        model = case.make().eval()
        if mode == "scripted":
            torch.jit.save(script(model), model_path)
        elif mode == "traced":
            traced = torch.jit.trace(
                model, tuple(torch.from_numpy(a) for a in example))
            torch.jit.save(traced, model_path)
        else:
            torch.save(model, model_path)
        with torch.no_grad():
            want = model(*(torch.from_numpy(a) for a in inputs))
    want = [w.numpy() for w in (want if isinstance(want, tuple) else (want,))
            for w in (w if isinstance(w, tuple) else (w,))]

    mlir, so = model_path[:-3] + ".mlir", model_path[:-3] + ".so"
    # The pickles are this script's own.
    command = [tools["lstm-import-torch"], "--trust-pickle", model_path, "-o",
               mlir]
    for shape in case.shapes:
        command += ["--input-shape", shape]
    # Pickles name their classes' module, torch_zoo: import from here.
    run(command, cwd=HERE)
    run([tools["lstm-compile"], mlir, "-o", so] + tools["compile-args"])
    command = [tools["lstm-run"], so, "--output-dir", directory,
               "--threads", "2"]
    for (name, _, _), array in zip(case.inputs, inputs):
        path = os.path.join(directory, f"in_{name}.npy")
        np.save(path, array)
        command += ["--input", f"{name}={path}"]
    run(command)

    names = ["output"] if len(want) == 1 else [
        f"output_{i}" for i in range(len(want))]
    worst = 0.0
    for name, expected in zip(names, want):
        got = np.load(os.path.join(directory, f"{name}.npy"))
        if got.shape != expected.shape:
            raise AssertionError(f"{name}: shape {got.shape}, expected "
                                 f"{expected.shape}")
        error = float(np.max(np.abs(got - expected))) if got.size else 0.0
        if not error <= 1e-5:
            raise AssertionError(f"{name}: differs by {error:.3g}")
        worst = max(worst, error)
    return worst


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--only", help="run only cases whose name matches "
                                       "this regular expression")
    parser.add_argument("--compile-arg", action="append", default=[],
                        help="an extra lstm-compile argument, e.g. "
                             "--compile-arg=--sanitize=address")
    args = parser.parse_args()
    tools = {t: os.path.join(os.path.abspath(args.bin), t) for t in (
        "lstm-import-torch", "lstm-compile", "lstm-run")}
    tools["compile-args"] = args.compile_arg
    torch.set_num_threads(1)
    jobs = [(case, mode) for case in cases() for mode in case.modes
            if not args.only or re.search(args.only, f"{case.name} ({mode})")]
    return run_cases([(f"{case.name} ({mode})",
                       lambda work, case=case, mode=mode:
                       check(case, mode, tools, work)) for case, mode in jobs],
                     args.jobs, "lstmc-torch-", "PyTorch model cases")

if __name__ == "__main__":
    sys.exit(main())
