#!/usr/bin/python3
"""Whole-model benchmarks: lstmc against ONNX Runtime and torch.

Real LSTM models with the layers around them (test/e2e/zoo_architectures.py
at their published sizes), each exported once with torch.onnx.export; the
same .onnx file is compiled by lstm-compile and run by ONNX Runtime (npm
onnxruntime-node, intra-op threads = --threads), and the module itself is
run by torch (set_num_threads, no_grad, eval). Each engine runs in its own
process, in interleaved rounds, with OMP_PROC_BIND=close OMP_PLACES=cores;
the table shows medians over the rounds of each round's median and the
ratios of lstmc's time to the others' (above 1: lstmc is faster).

ONNX Runtime comes from npm without its install script (which downloads
the CUDA provider):
  npm install --prefix build/ort --ignore-scripts onnxruntime-node
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "test", "e2e"))
import zoo_architectures as zoo  # noqa: E402


def models():
    """(name, make, input shape, input dtype): the published sizes."""
    return [
        # CRNN (Shi et al.): 32 x 100 grey images, 37 classes, nh = 256.
        ("CRNN 1x1x32x100", lambda: zoo.CRNN(
            nclass=37, nh=256, nm=(64, 128, 256, 256, 512, 512, 512)),
         (1, 1, 32, 100), np.float32),
        ("CRNN 8x1x32x100", lambda: zoo.CRNN(
            nclass=37, nh=256, nm=(64, 128, 256, 256, 512, 512, 512)),
         (8, 1, 32, 100), np.float32),
        # Tacotron2's encoder: 512 channels, a 150-symbol sentence.
        ("Tacotron2 encoder 1x150", lambda: zoo.Tacotron2Encoder(
            n_symbols=148, embedding_dim=512), (1, 150), np.int64),
        # A conv-recurrent keyword spotter over 1 s of 40 log-mel bands.
        ("KWS 1x40x100", lambda: zoo.ConvKeywordSpotter(
            features=40, channels=128, hidden=128, keywords=12),
         (1, 40, 100), np.float32),
    ]


def env():
    e = dict(os.environ, OMP_PROC_BIND="close", OMP_PLACES="cores")
    return e


def make_input(shape, dtype):
    if dtype == np.int64:
        return (np.arange(np.prod(shape)) % 100).reshape(shape).astype(dtype)
    return np.sin(0.1 * np.arange(np.prod(shape))).reshape(shape).astype(
        dtype)


def time_lstmc(args, so, input_path):
    out = subprocess.run(
        [os.path.join(args.bin, "lstm-run"), so, "--input",
         f"input={input_path}", "--bench", str(args.runs), "--threads",
         str(args.threads), "--output-dir", os.path.dirname(so)],
        check=True, capture_output=True, text=True, env=env()).stdout
    return float(out.split("median_ms=")[1].split()[0])


def time_ort(args, onnx_path, shape, dtype):
    if dtype != np.float32:
        return None  # bench_ort.js feeds float32 inputs only
    out = subprocess.run(
        ["node", os.path.join(HERE, "bench_ort.js"), onnx_path, "input",
         ",".join(map(str, shape)), str(args.runs), str(args.threads)],
        check=True, capture_output=True, text=True,
        env=dict(env(), NODE_PATH=os.path.join(args.ort, "node_modules"))
    ).stdout
    return float(out.split("median_ms=")[1])


TORCH_TIMER = """
import statistics, sys, time, numpy as np, torch
torch.set_num_threads(int(sys.argv[3]))
model = torch.jit.load(sys.argv[1]).eval()
x = torch.from_numpy(np.load(sys.argv[2]))
times = []
with torch.no_grad():
    model(x)
    for _ in range(int(sys.argv[4])):
        start = time.perf_counter()
        model(x)
        times.append((time.perf_counter() - start) * 1e3)
print(f"median_ms={statistics.median(times)}")
"""


def time_torch(args, pt_path, input_path):
    out = subprocess.run(
        [sys.executable, "-c", TORCH_TIMER, pt_path, input_path,
         str(args.threads), str(args.runs)],
        check=True, capture_output=True, text=True, env=env()).stdout
    return float(out.split("median_ms=")[1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=os.path.join(HERE, "..", "build",
                                                      "bin"))
    parser.add_argument("--ort", default=os.path.join(HERE, "..", "build",
                                                      "ort"))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", help="models whose name contains this")
    args = parser.parse_args()
    has_ort = os.path.isdir(os.path.join(args.ort, "node_modules",
                                         "onnxruntime-node"))
    if not has_ort:
        print(f"ONNX Runtime not found under {args.ort}; install it with "
              f"npm install --prefix {args.ort} --ignore-scripts "
              f"onnxruntime-node", file=sys.stderr)
    rows = []
    with tempfile.TemporaryDirectory(prefix="lstmc-bench-") as work:
        for i, (name, make, shape, dtype) in enumerate(models()):
            if args.only and args.only not in name:
                continue
            torch.manual_seed(0)
            model = make().eval()
            x = make_input(shape, dtype)
            base = os.path.join(work, f"m{i}")
            os.makedirs(base)
            onnx_path = os.path.join(base, "model.onnx")
            pt_path = os.path.join(base, "model.pt")
            input_path = os.path.join(base, "input.npy")
            np.save(input_path, x)
            with torch.no_grad():
                example = torch.from_numpy(x)
                torch.jit.save(torch.jit.trace(model, example), pt_path)
                torch.onnx.export(model, example, onnx_path,
                                  input_names=["input"], opset_version=17)
            so = os.path.join(base, "model.so")
            subprocess.run([os.path.join(args.bin, "lstm-compile"),
                            onnx_path, "-o", so], check=True)
            times = {"lstmc": [], "ort": [], "torch": []}
            for _ in range(args.rounds):
                times["lstmc"].append(time_lstmc(args, so, input_path))
                if has_ort:
                    t = time_ort(args, onnx_path, shape, dtype)
                    if t is not None:
                        times["ort"].append(t)
                times["torch"].append(time_torch(args, pt_path, input_path))
            medians = {k: statistics.median(v) if v else None
                       for k, v in times.items()}
            rows.append((name, medians))
            print(f"{name}: " + ", ".join(
                f"{k} {v:.3f} ms" for k, v in medians.items() if v),
                flush=True)

    print(f"\n| model | lstmc ms | ONNX Runtime ms | torch ms | vs ORT | "
          f"vs torch |\n|---|---|---|---|---|---|")
    for name, m in rows:
        def cell(v):
            return f"{v:.2f}" if v else "-"

        def ratio(v):
            return f"{v / m['lstmc']:.2f}x" if v else "-"
        print(f"| {name} | {cell(m['lstmc'])} | {cell(m['ort'])} | "
              f"{cell(m['torch'])} | {ratio(m['ort'])} | "
              f"{ratio(m['torch'])} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
