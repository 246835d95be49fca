#!/usr/bin/python3
"""End-to-end tests of real LSTM architectures (zoo_architectures.py).

Each architecture goes every way PyTorch saves a model: torch.jit.script,
torch.jit.trace and torch.save (pickled), imported with lstm-import-torch,
and torch.onnx.export (opset 17, batch and time dynamic), compiled from the
.onnx file. Each is compiled once with lstm-compile, run with lstm-run at two
batch/time sizes (a case each) and compared with PyTorch (absolute tolerance
1e-5). Traced and exported models are traced at a third size, so that their
batch and time sizes must stay dynamic.

Every case has an expectation: it passes, or lstmc refuses it cleanly with
the message KNOWN_REFUSALS gives. A refusal not in the table or with another
message, a crash (a signal, an exit code other than the tools' error exit
code 1, a traceback or a sanitizer report), a failed lstm-run or a wrong
result fails; so does a case in the table that now passes ("now passes:
remove from KNOWN_REFUSALS"), to keep the table honest.

What each architecture needs that lstmc lacks (recorded 2026-12-02 against
a build of the work in progress on Conv/BatchNorm/LayerNorm/pooling; the
first refusal of each path is KNOWN_REFUSALS, the rest is what follows it in
the graph; `--list-ops` prints every path's operators):

  wordlm       nothing: passes every path.
  wordlm_view  TorchScript: decoded.view(-1, ntoken), a view merging the
               run-time T and N (aten::view); ONNX: the Reshape's output size
               T * N is not named after an input dimension.
  crnn         TorchScript: BidirectionalLSTM's recurrent.view(T * b, h)
               (aten::size, aten::mul, aten::view); before it Conv2d
               (aten::conv2d scripted, aten::_convolution traced),
               BatchNorm2d (aten::batch_norm), ReLU(inplace) (aten::relu_),
               MaxPool2d(2, 2) and MaxPool2d((2, 2), (2, 1), (0, 1))
               (aten::max_pool2d), squeeze of the height-1 dimension, and
               scripted, `assert h == 1` (prim::If, prim::RaiseException).
               Without the view (tried by hand), the next refusal is the
               output's time size W / 4 + 1: computed at run time, and
               outputs may only have inputs' sizes. ONNX: the same view, a
               Reshape to (T * N, H) whose shape is computed (Shape, Gather,
               Mul, Concat); before it Conv (BatchNorm2d folded into it by
               the exporter) and MaxPool (pads [0, 1, 0, 1], strides
               [2, 1]).
  deepspeech2  TorchScript: aten::sum (BatchRNN's sum of the directions);
               also Conv2d stride (2, 2) / (2, 1) with padding, BatchNorm2d,
               Hardtanh(0, 20) inplace (aten::hardtanh_), view (N, C * F, T),
               BatchNorm1d on a (T * N, H) view (SequenceWise: aten::mul of
               run-time sizes, as crnn) and an output whose time size,
               (T - 1) / 2 + 1, is computed at run time. ONNX: the Reshape of
               x.view(N, C * F, T), its shape computed; also Conv
               (BatchNorm2d folded), Clip (min/max as inputs), ReduceSum
               (axes as an input), BatchNormalization (the BatchNorm1d:
               nothing to fold into).
  tacotron2    nothing: passes every path (Conv1d k=5 pad=2: aten::conv1d
               scripted, aten::_convolution traced, ONNX Conv; BatchNorm1d:
               aten::batch_norm, folded into the Conv in ONNX).
  attention    TorchScript: torch.bmm (aten::bmm); traced, the LSTMCell is
               decomposed (aten::linear, unsafe_chunk, sigmoid_, tanh_,
               mul, add_). ONNX: MatMul of two 3-D operands; the LSTMCell
               is Gemm, Split, Sigmoid, Tanh, Mul, Add.
  rnnt         nothing: passes every path (aten::layer_norm; ONNX
               LayerNormalization, opset 17).
  residual     nothing: passes every path (as rnnt).
  conv_kws     nothing: passes every path (Conv1d stride 2, BatchNorm1d,
               aten::leaky_relu; ONNX Conv with the BatchNorm1d folded,
               LeakyRelu).
  autoencoder  TorchScript: nothing (x.repeat(1, T, 1) of a size-1
               dimension is a broadcast). ONNX: Tile of an Expand whose
               shape is computed (ConstantOfShape).
  autoencoder_expand  TorchScript: nothing (expand(-1, T, -1)). ONNX:
               Expand to Where(Equal(shape, -1), ...).
"""

import argparse
import inspect
import io
import os
import re
import subprocess
import sys
import threading
import warnings
import zlib

import numpy as np
import torch

import zoo_architectures as zoo
from jobs import NotRun, run, run_cases, script

HERE = os.path.dirname(os.path.abspath(__file__))
TORCH_LOCK = threading.Lock()
PATHS = ("scripted", "traced", "pickled", "onnx")
TOLERANCE = 1e-5

# Case-name pattern (re.search on "ARCH_SIZE (PATH)") -> a substring of the
# first `error:` line of the refusal. The first pattern that matches a case
# applies. What the tools did when this was recorded: when a layer lands,
# delete the patterns of the cases that now pass, or name the next refusal.
KNOWN_REFUSALS = {
    # decoded.view(-1, ntoken) merges the run-time T and N.
    r"^wordlm_view_.*\((scripted|traced|pickled)\)":
        "a view or reshape to [-1, 50] of a tensor<?x?x50xf32> is not "
        "supported",
    r"^wordlm_view_.*\(onnx\)": "the size of output 'output_0' dimension "
                                 "'?0' does not follow from the inputs",
    # BidirectionalLSTM's recurrent.view(T * b, h), DeepSpeech2's
    # SequenceWise view(t * n, -1) (issue 12: computed sizes).
    r"^(crnn|deepspeech2)_.*\((scripted|traced|pickled)\)":
        "arithmetic on sizes known only at run time (aten::mul) is not "
        "supported",
    # The Reshape to (T * N, H) of a shape computed with Mul from Shape.
    r"^(crnn|deepspeech2)_.*\(onnx\)":
        "(Reshape): input 1 must be known when the model is compiled",
    # The exporter's Tile of a run-time repeat count, via Expand.
    r"^autoencoder_(small|large) \(onnx\)":
        "(Expand): the shape must follow from input shapes",
    # The exporter's expand(-1, T, -1): Where(Equal(shape, -1), ...).
    r"^autoencoder_expand_.*\(onnx\)": "(Equal): operator Equal is not "
                                        "supported",
}


class Arch:
    """An architecture: make() builds it; inputs lists forward's arguments
    as (name, dims, dtype, high): dims are numbers or the size names of
    sizes(N, T) (which also name the ONNX dynamic axes), high bounds integer
    inputs' values. shapes are lstm-import-torch --input-shape options (the
    size names as they are), for inputs whose first use does not tell their
    shape. dynamic: whether a model traced at one size runs at another."""

    def __init__(self, name, make, inputs, sizes=None, shapes=(),
                 dynamic=True):
        self.name, self.make, self.inputs = name, make, inputs
        self.sizes = sizes or (lambda n, t: {"N": n, "T": t})
        self.shapes, self.dynamic = list(shapes), dynamic


F32, I64 = np.float32, np.int64
ARCHS = [
    Arch("wordlm", lambda: zoo.WordLanguageModel(flatten=False),
         [("input", ("T", "N"), I64, 50), ("h0", (2, "N", 16), F32, None),
          ("c0", (2, "N", 16), F32, None)]),
    Arch("wordlm_view", lambda: zoo.WordLanguageModel(flatten=True),
         [("input", ("T", "N"), I64, 50), ("h0", (2, "N", 16), F32, None),
          ("c0", (2, "N", 16), F32, None)]),
    # A 32-pixel-high line of text, 4 pixels of width per output step.
    Arch("crnn", zoo.CRNN, [("input", ("N", 1, 32, "W"), F32, None)],
         sizes=lambda n, t: {"N": n, "W": 4 * t},
         shapes=["input=N,1,32,W"]),
    Arch("deepspeech2", zoo.DeepSpeech2,
         [("x", ("N", 1, 32, "T"), F32, None)], shapes=["x=N,1,32,T"]),
    Arch("tacotron2", zoo.Tacotron2Encoder,
         [("text_inputs", ("N", "T"), I64, 40)]),
    Arch("attention", zoo.LuongAttentionDecoderStep,
         [("input_step", ("N",), I64, 30), ("h", ("N", 16), F32, None),
          ("c", ("N", 16), F32, None),
          ("encoder_outputs", ("N", "T", 16), F32, None)],
         # An Embedding's indices may have any rank: one token per
         # sequence. Traced, the LSTMCell's c is first used by aten::mul.
         shapes=["input_step=N:i64", "c=N,16"]),
    Arch("rnnt", zoo.RNNTPredictor, [("targets", ("N", "T"), I64, 32)]),
    # LayerNorm and an LSTM take 2-D (unbatched) inputs too.
    Arch("residual", zoo.ResidualLSTMStack, [("x", ("T", "N", 16), F32, None)],
         shapes=["x=T,N,16"]),
    Arch("conv_kws", zoo.ConvKeywordSpotter,
         [("x", ("N", 20, "T"), F32, None)]),
    Arch("autoencoder", zoo.LSTMAutoencoder,
         [("x", ("N", "T", 6), F32, None)]),
    Arch("autoencoder_expand", lambda: zoo.LSTMAutoencoder(use_expand=True),
         [("x", ("N", "T", 6), F32, None)]),
]
# (size name, N, T): every architecture runs at both.
SIZES = [("small", 2, 5), ("large", 3, 9)]
# (N, T) of the example models are traced and exported with, where they may
# run at other sizes: each path is compiled once and run at both SIZES.
TRACE_SIZE = (4, 7)


# Markers of a crash that still exits with status 1: a Python traceback
# (lstm-import-torch), LLVM's fatal errors (report_fatal_error exits with 1)
# and crash handler, failed assertions, sanitizer reports (ASan and UBSan
# exit with 1 too).
CRASH_MARKERS = ("Traceback (most recent call last)", "LLVM ERROR:",
                 "Stack dump", "PLEASE submit a bug report", "Assertion `",
                 "ERROR: AddressSanitizer", "ERROR: LeakSanitizer",
                 "runtime error:", "Segmentation fault")


class Refused(Exception):
    """A tool's clean refusal: exit code 1 with an `error:` message."""

    def __init__(self, tool, message):
        super().__init__(message if message.startswith(tool)
                         else f"{tool}: {message}")
        self.tool, self.message = tool, message


def run_tool(command, cwd=None):
    """Runs an importer or compiler: raises Refused on a clean error and
    RuntimeError on a crash."""
    result = subprocess.run(command, capture_output=True, text=True, cwd=cwd)
    if result.returncode == 0:
        return
    tool, stderr = os.path.basename(command[0]), result.stderr
    errors = [line.strip() for line in stderr.splitlines()
              if "error:" in line]
    if result.returncode == 1 and errors and not any(
            marker in stderr for marker in CRASH_MARKERS):
        raise Refused(tool, errors[0])
    how = (f"signal {-result.returncode}" if result.returncode < 0
           else f"exit code {result.returncode}")
    raise RuntimeError(f"CRASH ({how}): {' '.join(command)}:\n{stderr}")


def expected_refusal(name):
    for pattern, message in KNOWN_REFUSALS.items():
        if re.search(pattern, name):
            return message
    return None


def make_inputs(arch, n, t, rng):
    sizes = arch.sizes(n, t)
    arrays = []
    for _, dims, dtype, high in arch.inputs:
        shape = tuple(sizes[d] if isinstance(d, str) else d for d in dims)
        if dtype == I64:
            arrays.append(rng.integers(0, high, shape).astype(dtype))
        else:
            arrays.append(rng.standard_normal(shape).astype(dtype))
    return arrays


def seed(name):
    return zlib.crc32(name.encode())


def flat(value):
    if isinstance(value, (tuple, list)):
        return [t for v in value for t in flat(v)]
    return [value]


def output_names(count):
    return ["output"] if count == 1 else [f"output_{i}" for i in range(count)]


def save(arch, model, path, example, filename):
    """Saves `model` (under TORCH_LOCK) the way `path` names."""
    example = tuple(torch.from_numpy(a) for a in example)
    with warnings.catch_warnings():
        # The tracer warns at nn.LSTM's own shape checks (and CRNN's assert)
        # that their Python booleans become constants; the exporter about
        # its shape inference. Both are the point of tracing at one size
        # and running at another, which the comparison checks.
        warnings.simplefilter("ignore")
        if path == "scripted":
            torch.jit.save(script(model), filename)
        elif path == "traced":
            torch.jit.save(torch.jit.trace(model, example), filename)
        elif path == "pickled":
            torch.save(model, filename)
        else:
            names = [name for name, _, _, _ in arch.inputs]
            with torch.no_grad():
                count = len(flat(model(*example)))
            axes = {name: {i: d for i, d in enumerate(dims)
                           if isinstance(d, str)}
                    for name, dims, _, _ in arch.inputs}
            with torch.no_grad():
                torch.onnx.export(model, example, filename,
                                  input_names=names,
                                  output_names=output_names(count),
                                  dynamic_axes=axes, opset_version=17)


class Build:
    """A model saved one way and compiled, shared by the cases that run it
    at each size: the first to need it builds it, the others wait."""

    def __init__(self):
        self.lock = threading.Lock()
        self.done = False
        self.model = self.so = self.error = None


BUILDS = {}
BUILDS_LOCK = threading.Lock()


def build(arch, path, size, tools, work):
    """The compiled model of `arch` saved the `path` way, and the PyTorch
    module it was saved from; raises what building it raised, Refused for a
    clean refusal. Traced and exported at TRACE_SIZE, which no case runs
    at, unless `arch` is not dynamic: then at the size it runs at."""
    key = (arch.name, path, None if arch.dynamic else size)
    with BUILDS_LOCK:
        entry = BUILDS.setdefault(key, Build())
    with entry.lock:
        if not entry.done:
            entry.done = True
            try:
                entry.model, entry.so = compile_model(
                    arch, path, size, tools, work)
            except Exception as e:
                entry.error = e
        if entry.error is not None:
            raise entry.error
        return entry.model, entry.so


def compile_model(arch, path, size, tools, work):
    directory = os.path.join(work, f"{arch.name}-{path}" + (
        "" if arch.dynamic else f"-{size}"))
    os.makedirs(directory)
    n, t = TRACE_SIZE if arch.dynamic else next(
        (n, t) for s, n, t in SIZES if s == size)
    example = make_inputs(arch, n, t, np.random.default_rng(seed(arch.name)))
    model_path = os.path.join(
        directory, "model.onnx" if path == "onnx" else "model.pt")
    with TORCH_LOCK:
        torch.manual_seed(seed(arch.name))
        model = arch.make().eval()
        save(arch, model, path, example, model_path)

    so = os.path.join(directory, "model.so")
    if path == "onnx":
        source = model_path
    else:
        source = os.path.join(directory, "model.mlir")
        # The pickles are this script's own.
        command = [tools["lstm-import-torch"], "--trust-pickle", model_path,
                   "-o", source]
        for shape in arch.shapes:
            command += ["--input-shape", shape]
        # Pickles name their classes' module, zoo_architectures: import from
        # here.
        run_tool(command, cwd=HERE)
    run_tool([tools["lstm-compile"], source, "-o", so] + tools["compile-args"])
    return model, so


def build_and_compare(arch, size, path, tools, work):
    model, so = build(arch, path, size, tools, work)
    _, n, t = next(s for s in SIZES if s[0] == size)
    inputs = make_inputs(arch, n, t,
                         np.random.default_rng(seed(f"{arch.name}_{size}")))
    with TORCH_LOCK, torch.no_grad():
        want = [w.numpy() for w in flat(
            model(*(torch.from_numpy(a) for a in inputs)))]

    directory = os.path.join(work, f"{arch.name}-{path}-{size}-run")
    os.makedirs(directory)
    command = [tools["lstm-run"], so, "--output-dir", directory,
               "--threads", "2"]
    for (name, _, _, _), array in zip(arch.inputs, inputs):
        npy = os.path.join(directory, f"in_{name}.npy")
        np.save(npy, array)
        command += ["--input", f"{name}={npy}"]
    # A model that compiled must run: any lstm-run failure fails the case.
    run(command)

    worst = 0.0
    for name, expected in zip(output_names(len(want)), want):
        got = np.load(os.path.join(directory, f"{name}.npy"))
        if got.shape != expected.shape:
            raise AssertionError(f"WRONG RESULT: {name}: shape {got.shape}, "
                                 f"expected {expected.shape}")
        if not np.all(np.isfinite(got)):
            raise AssertionError(f"WRONG RESULT: {name}: NaN or Inf")
        error = float(np.max(np.abs(got - expected))) if got.size else 0.0
        if not error <= TOLERANCE:
            raise AssertionError(f"WRONG RESULT: {name}: differs by "
                                 f"{error:.3g}")
        worst = max(worst, error)
    return worst


RESULTS = {}
RESULTS_LOCK = threading.Lock()


def check(arch, size, path, tools, work):
    """One case against its expectation; records its row of the summary."""
    name = f"{arch.name}_{size} ({path})"
    expected = expected_refusal(name)

    def record(result, error=None):
        with RESULTS_LOCK:
            RESULTS[name] = (result, error)

    try:
        error = build_and_compare(arch, size, path, tools, work)
    except Refused as refusal:
        if expected is None:
            record("FAIL: refused, not in KNOWN_REFUSALS")
            raise AssertionError(f"refused, and not in KNOWN_REFUSALS: "
                                 f"{refusal}")
        if expected not in refusal.message:
            record("FAIL: refused with another message")
            raise AssertionError(f"refused with a message without "
                                 f"{expected!r}: {refusal}")
        record(f"refused (expected): {refusal.tool}")
        raise NotRun(f"refused (expected): {refusal}")
    except Exception as e:
        text = str(e)
        record("FAIL: crash" if text.startswith("CRASH")
               else "FAIL: wrong result" if text.startswith("WRONG RESULT")
               else "FAIL: lstm-run failed" if "lstm-run" in text.split(
                   "\n", 1)[0]
               else f"FAIL: {type(e).__name__}")
        raise
    if expected is not None:
        record("FAIL: now passes", error)
        print(f"now passes: remove from KNOWN_REFUSALS: {name} "
              f"(max error {error:.3g})", flush=True)
        raise AssertionError(f"now passes (max error {error:.3g}): remove "
                             f"from KNOWN_REFUSALS the pattern that matches "
                             f"it")
    record("pass", error)
    return error


def print_table(names):
    rows = [("case", "path", "result", "max error")]
    for name in names:
        if name not in RESULTS:
            continue
        result, error = RESULTS[name]
        case, path = name[:-1].split(" (")
        rows.append((case, path, result,
                     "" if error is None else f"{error:.3g}"))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    print()
    for i, row in enumerate(rows):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths))
              .rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))


# `--list-ops`: the operators each path's graph holds.

IGNORED_KINDS = {
    "prim::Constant", "prim::GetAttr", "prim::ListConstruct",
    "prim::TupleConstruct", "prim::TupleUnpack", "prim::ListUnpack",
    "prim::TupleIndex", "prim::NumToTensor", "aten::Int", "prim::device",
    "prim::dtype", "prim::Uninitialized", "prim::unchecked_cast",
    "aten::format", "aten::warn", "aten::list", "aten::__is__",
    "aten::__isnot__", "aten::__not__", "aten::__contains__", "aten::dim",
    "aten::len", "aten::eq", "aten::ne", "aten::lt", "aten::gt",
    "aten::__getitem__", "prim::RaiseException",
}


def graph_kinds(block, kinds):
    for node in block.nodes():
        kinds.add(node.kind())
        for inner in node.blocks():
            graph_kinds(inner, kinds)


def torchscript_ops(module):
    graph = module.graph.copy()
    torch._C._jit_pass_inline(graph)
    kinds = set()
    graph_kinds(graph, kinds)
    return sorted(kinds - IGNORED_KINDS)


def list_ops(archs):
    import onnx
    warnings.simplefilter("ignore")
    for arch in archs:
        rng = np.random.default_rng(0)
        example = tuple(torch.from_numpy(a)
                        for a in make_inputs(arch, *SIZES[0][1:], rng))
        torch.manual_seed(seed(arch.name))
        model = arch.make().eval()
        print(f"{arch.name}:")
        print("  scripted/pickled: " + " ".join(torchscript_ops(
            script(model))))
        print("  traced: " + " ".join(torchscript_ops(
            torch.jit.trace(model, example))))
        buffer = io.BytesIO()
        names = list(inspect.signature(model.forward).parameters)
        axes = {name: {i: d for i, d in enumerate(dims) if isinstance(d, str)}
                for name, dims, _, _ in arch.inputs}
        with torch.no_grad():
            torch.onnx.export(model, example, buffer, input_names=names,
                              dynamic_axes=axes, opset_version=17)
        graph = onnx.load_from_string(buffer.getvalue()).graph
        print("  onnx: " + " ".join(sorted({n.op_type for n in graph.node})))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--only", help="run only cases whose name, "
                                       "'ARCH_SIZE (PATH)', matches this "
                                       "regular expression")
    parser.add_argument("--compile-arg", action="append", default=[],
                        help="an extra lstm-compile argument, e.g. "
                             "--compile-arg=--sanitize=address")
    parser.add_argument("--list-ops", action="store_true",
                        help="print the operators of each architecture's "
                             "TorchScript and ONNX graphs, and run nothing")
    args = parser.parse_args()
    torch.set_num_threads(1)
    for arch in ARCHS:
        names = [name for name, _, _, _ in arch.inputs]
        signature = list(inspect.signature(arch.make().forward).parameters)
        assert names == signature, f"{arch.name}: inputs {names} are not " \
                                   f"forward's arguments {signature}"
    if args.list_ops:
        list_ops([a for a in ARCHS
                  if not args.only or re.search(args.only, a.name)])
        return 0
    tools = {t: os.path.join(os.path.abspath(args.bin), t) for t in (
        "lstm-import-torch", "lstm-compile", "lstm-run")}
    tools["compile-args"] = args.compile_arg
    jobs = [(arch, size, path) for arch in ARCHS for size, _, _ in SIZES
            for path in PATHS
            if not args.only
            or re.search(args.only, f"{arch.name}_{size} ({path})")]
    names = [f"{arch.name}_{size} ({path})" for arch, size, path in jobs]
    status = run_cases([(name, lambda work, a=arch, s=size, p=path:
                         check(a, s, p, tools, work))
                        for name, (arch, size, path) in zip(names, jobs)],
                       args.jobs, "lstmc-zoo-", "model zoo cases")
    print_table(names)
    return status


if __name__ == "__main__":
    sys.exit(main())
