#!/usr/bin/python3
"""Differential tests of ONNX models.

1. PyTorch models (LSTMs with the layers around them) exported with
   torch.onnx.export, compiled from the .onnx file and compared with PyTorch.
2. ONNX LSTM nodes with the attributes PyTorch has no equivalent for
   (peepholes, clip, activations with alpha/beta, input_forget, reverse,
   layout 1, sequence_lens), built with onnx.helper and compared with a
   numpy implementation of the ONNX specification written here.
"""

import argparse
import os
import random
import sys
import threading

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

from jobs import run, run_cases

TORCH_LOCK = threading.Lock()


def compile_and_run(tools, model_path, inputs, workdir, threads):
    so = model_path[:-5] + ".so"
    run([tools["lstm-compile"], model_path, "-o", so] + tools["compile-args"])
    command = [tools["lstm-run"], so, "--output-dir", workdir,
               "--threads", str(threads)]
    for name, array in inputs.items():
        path = os.path.join(workdir, f"in_{name}.npy")
        np.save(path, array)
        command += ["--input", f"{name}={path}"]
    run(command)


def compare(name, got, want, tolerance):
    """Returns the worst error relative to max(1, |want|): unbounded activation
    functions let states grow far beyond 1, where float32 keeps only ~7
    significant digits."""
    if got.shape != want.shape:
        raise AssertionError(f"{name}: shape {got.shape}, expected {want.shape}")
    if not np.all(np.isfinite(want)):
        raise AssertionError(f"{name}: the reference is not finite")
    if not np.all(np.isfinite(got)):
        raise AssertionError(f"{name}: NaN or Inf")
    scale = np.maximum(1.0, np.abs(want.astype(np.float64)))
    error = float(np.max(np.abs(got - want) / scale)) if want.size else 0.0
    if error > tolerance:
        raise AssertionError(f"{name}: differs by {error:.3g}")
    return error


#===----------------------------------------------------------------------===#
# 1. PyTorch models exported to ONNX
#===----------------------------------------------------------------------===#

class Tagger(torch.nn.Module):
    """Embedding -> (bi)LSTM -> Linear per step -> softmax."""

    def __init__(self, vocab, emb, hidden, layers, bidirectional, classes,
                 batch_first):
        super().__init__()
        self.batch_first = batch_first
        self.emb = torch.nn.Embedding(vocab, emb)
        self.lstm = torch.nn.LSTM(emb, hidden, num_layers=layers,
                                  bidirectional=bidirectional,
                                  batch_first=batch_first)
        self.fc = torch.nn.Linear(hidden * (2 if bidirectional else 1),
                                  classes)

    def forward(self, tokens):
        out, _ = self.lstm(self.emb(tokens))
        return torch.softmax(self.fc(out), dim=-1)


class Spotter(torch.nn.Module):
    """Features -> LSTM -> last h -> Linear -> ReLU -> Linear -> log-softmax."""

    def __init__(self, features, hidden, layers, classes, bias):
        super().__init__()
        self.lstm = torch.nn.LSTM(features, hidden, num_layers=layers,
                                  batch_first=True, bias=bias)
        self.head = torch.nn.Sequential(torch.nn.Linear(hidden, 32),
                                        torch.nn.ReLU(),
                                        torch.nn.Linear(32, classes))

    def forward(self, x, h0, c0):
        _, (h, _) = self.lstm(x, (h0, c0))
        return torch.log_softmax(self.head(h[-1]), dim=-1)


def torch_cases(count, seed):
    rng = random.Random(seed)
    cases = []
    for i in range(count):
        if i % 2 == 0:
            config = dict(vocab=rng.randint(5, 50), emb=rng.randint(2, 24),
                          hidden=rng.randint(1, 40), layers=rng.randint(1, 2),
                          bidirectional=rng.random() < 0.5,
                          classes=rng.randint(2, 9),
                          batch_first=rng.random() < 0.5)
            cases.append((f"tagger{i}", Tagger, config))
        else:
            config = dict(features=rng.randint(1, 30),
                          hidden=rng.randint(1, 40), layers=rng.randint(1, 3),
                          classes=rng.randint(2, 12),
                          bias=rng.random() < 0.8)
            cases.append((f"spotter{i}", Spotter, config))
    return cases


def check_torch_case(case, tools, work):
    name, cls, config = case
    directory = os.path.join(work, name)
    os.makedirs(directory)
    path = os.path.join(directory, "model.onnx")
    rng = np.random.default_rng(abs(hash(name)) % 2**32)
    batch, steps = int(rng.integers(1, 5)), int(rng.integers(1, 12))
    with TORCH_LOCK:
        torch.manual_seed(len(name) * 7 + steps)
        model = cls(**config).eval()
        if cls is Tagger:
            shape = (batch, steps) if config["batch_first"] else (steps, batch)
            tokens = torch.from_numpy(
                rng.integers(0, config["vocab"], shape).astype(np.int64))
            args, names = (tokens,), ["tokens"]
            axes = {"tokens": {0: "a", 1: "b"}}
        else:
            x = torch.from_numpy(rng.standard_normal(
                (batch, steps, config["features"])).astype(np.float32))
            states = (config["layers"], batch, config["hidden"])
            h0 = torch.from_numpy(rng.standard_normal(states).astype(np.float32))
            c0 = torch.from_numpy(rng.standard_normal(states).astype(np.float32))
            args, names = (x, h0, c0), ["x", "h0", "c0"]
            axes = {"x": {0: "batch", 1: "time"}, "h0": {1: "batch"},
                    "c0": {1: "batch"}}
        with torch.no_grad():
            want = model(*args).numpy()
            torch.onnx.export(model, args, path, input_names=names,
                              output_names=["y"], dynamic_axes=axes,
                              opset_version=14)
    inputs = {n: a.numpy() for n, a in zip(names, args)}
    compile_and_run(tools, path, inputs, directory, threads=2)
    return compare(name, np.load(os.path.join(directory, "y.npy")), want, 1e-5)


#===----------------------------------------------------------------------===#
# 2. ONNX LSTM nodes against a numpy reference
#===----------------------------------------------------------------------===#

def activation(name, alpha, beta):
    name = name.lower()
    return {
        "sigmoid": lambda x: 1 / (1 + np.exp(-x)),
        "tanh": np.tanh,
        "relu": lambda x: np.maximum(x, 0),
        "affine": lambda x: alpha * x + beta,
        "leakyrelu": lambda x: np.where(x >= 0, x, alpha * x),
        "thresholdedrelu": lambda x: np.where(x > alpha, x, 0),
        "scaledtanh": lambda x: alpha * np.tanh(beta * x),
        "hardsigmoid": lambda x: np.maximum(0, np.minimum(1, alpha * x + beta)),
        "elu": lambda x: np.where(x >= 0, x, alpha * (np.exp(x) - 1)),
        "softsign": lambda x: x / (1 + np.abs(x)),
        "softplus": lambda x: np.log1p(np.exp(x)),
    }[name]


# (name, alpha, beta) with ONNX's defaults for the parameters a function takes.
PARAMETERS = {"affine": (1, 1), "leakyrelu": (1, 0), "thresholdedrelu": (1, 0),
              "scaledtanh": (1, 1), "hardsigmoid": (1, 1), "elu": (1, 0)}


def reference_lstm(x, w, r, b, lengths, h0, c0, p, clip, input_forget,
                   direction, layout, functions):
    """The ONNX LSTM, with onnxruntime's semantics for clip, input_forget and
    sequence_lens (zero outputs past each sequence's end)."""
    if layout == 1:
        x = x.transpose(1, 0, 2)
        h0 = None if h0 is None else h0.transpose(1, 0, 2)
        c0 = None if c0 is None else c0.transpose(1, 0, 2)
    steps, batch, _ = x.shape
    directions = w.shape[0]
    hidden = r.shape[2]
    lengths = np.full(batch, steps) if lengths is None else lengths
    y = np.zeros((steps, directions, batch, hidden), np.float64)
    y_h = np.zeros((directions, batch, hidden))
    y_c = np.zeros((directions, batch, hidden))
    clamp = (lambda v: np.clip(v, -clip, clip)) if clip else (lambda v: v)
    for d in range(directions):
        f, g, h = functions[3 * d:3 * d + 3]
        wi, wo, wf, wc = np.split(w[d].astype(np.float64), 4)
        ri, ro, rf, rc = np.split(r[d].astype(np.float64), 4)
        bias = np.zeros(8 * hidden) if b is None else b[d].astype(np.float64)
        bw, br = np.split(bias, 2)
        bi, bo, bf, bc = np.split(bw + br, 4)
        pi, po, pf = (np.zeros(hidden),) * 3 if p is None else np.split(
            p[d].astype(np.float64), 3)
        reverse = direction == "reverse" or d == 1
        for n in range(batch):
            ht = np.zeros(hidden) if h0 is None else h0[d, n].astype(np.float64)
            ct = np.zeros(hidden) if c0 is None else c0[d, n].astype(np.float64)
            length = int(lengths[n])
            for s in range(length):
                t = length - 1 - s if reverse else s
                xt = x[t, n].astype(np.float64)
                i = f(clamp(wi @ xt + ri @ ht + bi + pi * ct))
                if input_forget:
                    fo = 1 - i
                else:
                    fo = f(clamp(wf @ xt + rf @ ht + bf + pf * ct))
                cand = g(clamp(wc @ xt + rc @ ht + bc))
                ct = fo * ct + i * cand
                o = f(clamp(wo @ xt + ro @ ht + bo + po * ct))
                ht = o * h(ct)
                y[t, d, n] = ht
            y_h[d, n], y_c[d, n] = ht, ct
    if layout == 1:
        return (y.transpose(2, 0, 1, 3), y_h.transpose(1, 0, 2),
                y_c.transpose(1, 0, 2))
    return y, y_h, y_c


def node_cases(count, seed):
    rng = random.Random(seed)
    bounded = ["Sigmoid", "Tanh", "ScaledTanh", "HardSigmoid", "Softsign"]
    names = bounded + ["Relu", "Affine", "LeakyRelu", "ThresholdedRelu", "Elu",
                       "Softplus"]
    cases = []
    for i in range(count):
        direction = rng.choice(["forward", "reverse", "bidirectional"])
        directions = 2 if direction == "bidirectional" else 1
        functions = []
        for _ in range(directions):
            # Keep f a squashing function half the time, as real models do.
            # An unbounded f with an unbounded g or h makes the cell state
            # grow doubly exponentially, past float32's range.
            f = rng.choice(names if rng.random() < 0.5 else ["Sigmoid",
                                                             "HardSigmoid"])
            rest = names if f in ("Sigmoid", "HardSigmoid") else bounded
            functions += [f, rng.choice(rest), rng.choice(rest)]
        clip = rng.choice([None, None, 0.5, 3.0])
        if any(f not in bounded for f in functions[::3]):
            # Peepholes feed c back into an unbounded f: c' ~ c^2.
            clip = clip or 3.0
        cases.append(dict(
            name=f"node{i}", direction=direction,
            hidden=rng.choice([1, 3, 7, 16, 17, 33]),
            input=rng.randint(1, 20), steps=rng.randint(1, 10),
            batch=rng.randint(1, 5), layout=rng.randint(0, 1),
            bias=rng.random() < 0.7, peephole=rng.random() < 0.5,
            states=rng.random() < 0.5, lengths=rng.random() < 0.5,
            clip=clip, input_forget=rng.random() < 0.25, functions=functions,
            weights_as_inputs=rng.random() < 0.3, seed=seed + i))
    # Every activation function at least once in each slot.
    for slot in range(3):
        for j, name in enumerate(names):
            functions = ["Sigmoid", "Tanh", "Tanh"]
            functions[slot] = name
            cases.append(dict(
                name=f"activation_{'fgh'[slot]}_{name}", direction="forward",
                hidden=5, input=4, steps=6, batch=3, layout=0, bias=True,
                peephole=slot == 0, states=True, lengths=False,
                clip=3.0 if slot == 0 and name not in bounded else None,
                input_forget=False, functions=functions,
                weights_as_inputs=False, seed=seed + 1000 * (slot + 1) + j))
    return cases


def check_node_case(case, tools, work):
    rng = np.random.default_rng(case["seed"])
    directions = 2 if case["direction"] == "bidirectional" else 1
    H, I, T, N = case["hidden"], case["input"], case["steps"], case["batch"]
    alphas, betas, functions = [], [], []
    for name in case["functions"]:
        takes = PARAMETERS.get(name.lower(), (0, 0))
        alpha = float(rng.uniform(0.1, 1.5)) if takes[0] else 0.0
        beta = float(rng.uniform(-0.5, 0.5)) if takes[1] else 0.0
        if takes[0]:
            alphas.append(alpha)
        if takes[1]:
            betas.append(beta)
        functions.append(activation(name, alpha, beta))
    f32 = lambda *shape: rng.uniform(-0.6, 0.6, shape).astype(np.float32)
    x = f32(*((N, T, I) if case["layout"] else (T, N, I)))
    w, r = f32(directions, 4 * H, I), f32(directions, 4 * H, H)
    b = f32(directions, 8 * H) if case["bias"] else None
    p = f32(directions, 3 * H) if case["peephole"] else None
    state = (N, directions, H) if case["layout"] else (directions, N, H)
    h0 = f32(*state) if case["states"] else None
    c0 = f32(*state) if case["states"] else None
    lengths = (rng.integers(1, T + 1, N).astype(np.int32)
               if case["lengths"] else None)

    inputs, initializers = {"X": x}, []
    def add(name, array, as_input):
        if array is None:
            return ""
        if as_input:
            inputs[name] = array
        else:
            initializers.append(numpy_helper.from_array(array, name))
        return name
    weights = case["weights_as_inputs"]
    node_inputs = [
        "X", add("W", w, weights), add("R", r, weights), add("B", b, weights),
        add("sequence_lens", lengths, True), add("initial_h", h0, True),
        add("initial_c", c0, True), add("P", p, weights)]
    while node_inputs[-1] == "":
        node_inputs.pop()
    attrs = dict(hidden_size=H, direction=case["direction"],
                 layout=case["layout"], activations=case["functions"])
    if alphas:
        attrs["activation_alpha"] = alphas
    if betas:
        attrs["activation_beta"] = betas
    if case["clip"]:
        attrs["clip"] = case["clip"]
    if case["input_forget"]:
        attrs["input_forget"] = 1
    node = helper.make_node("LSTM", node_inputs, ["Y", "Y_h", "Y_c"], **attrs)
    def info(name, array):
        elem = TensorProto.INT32 if array.dtype == np.int32 else TensorProto.FLOAT
        return helper.make_tensor_value_info(name, elem, array.shape)
    y, y_h, y_c = reference_lstm(x, w, r, b, lengths, h0, c0, p, case["clip"],
                                 case["input_forget"], case["direction"],
                                 case["layout"], functions)
    graph = helper.make_graph(
        [node], case["name"], [info(n, a) for n, a in inputs.items()],
        [info("Y", y), info("Y_h", y_h), info("Y_c", y_c)], initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 14)])
    directory = os.path.join(work, case["name"])
    os.makedirs(directory)
    path = os.path.join(directory, "model.onnx")
    onnx.save(model, path)
    compile_and_run(tools, path, inputs, directory, threads=1 + case["seed"] % 2)
    worst = 0.0
    for name, want in (("Y", y), ("Y_h", y_h), ("Y_c", y_c)):
        got = np.load(os.path.join(directory, f"{name}.npy"))
        worst = max(worst, compare(f"{case['name']} {name}", got,
                                   want.astype(np.float32), 1e-5))
    return worst


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True)
    parser.add_argument("--torch-cases", type=int, default=20)
    parser.add_argument("--node-cases", type=int, default=60)
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--compile-arg", action="append", default=[],
                        help="an extra lstm-compile argument, e.g. "
                        "--target=cuda")
    args = parser.parse_args()
    tools = {t: os.path.join(args.bin, t) for t in ("lstm-compile", "lstm-run")}
    tools["compile-args"] = args.compile_arg
    torch.set_num_threads(1)
    jobs = [(c[0], check_torch_case, c) for c in torch_cases(args.torch_cases,
                                                            args.seed)]
    jobs += [(c["name"], check_node_case, c) for c in node_cases(
        args.node_cases, args.seed)]
    return run_cases([(name, lambda work, fn=fn, case=case:
                       fn(case, tools, work)) for name, fn, case in jobs],
                     args.jobs, "lstmc-onnx-", "ONNX cases")

if __name__ == "__main__":
    sys.exit(main())
