#!/usr/bin/python3
"""Differential tests: lstmc against torch.nn.LSTM.

Every configuration is built in PyTorch, saved (pickled, scripted or traced),
imported with lstm-import-torch, compiled with lstm-compile, run with lstm-run
on several kinds of input (plain, with h0/c0, with lengths as a padded
PackedSequence, unbatched), and compared with PyTorch's results.

The configurations are a deterministic grid that covers every feature on its
own and in combination, plus seeded random ones, long sequences and inputs
large enough to saturate every gate.

The same suite checks the CUDA target: `--compile-arg=--target=cuda` runs the
models on a GPU (with `--torch-device=cuda`, PyTorch's reference runs there
too), `--compile-arg=--gpu-host-loops` runs the kernels' code on the CPU, and
`--ptxas=PATH` only compiles each configuration's kernels to PTX for every
architecture of `--gpu-archs` and assembles them with ptxas.
"""

import argparse
import concurrent.futures
import dataclasses
import itertools
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading

import numpy as np
import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from jobs import script


@dataclasses.dataclass
class Config:
    name: str
    input_size: int
    hidden_size: int
    num_layers: int = 1
    bias: bool = True
    batch_first: bool = False
    bidirectional: bool = False
    proj_size: int = 0
    seq_len: int = 6
    batch: int = 3
    save_format: str = "pickle"  # pickle | script | trace
    input_scale: float = 1.0
    threads: int = 1
    tolerance: float = 1e-5
    seed: int = 0
    modes: tuple = ("plain", "states", "lengths", "unbatched")


def grid_configs():
    """Every combination of the model features, on a small model whose
    hidden size is not a multiple of the vector width."""
    configs = []
    formats = itertools.cycle(["pickle", "script", "trace"])
    for layers, bias, batch_first, bidir, proj in itertools.product(
            (1, 2), (True, False), (False, True), (False, True), (0, 3)):
        name = (f"grid_l{layers}_{'bias' if bias else 'nobias'}_"
                f"{'bf' if batch_first else 'tm'}_"
                f"{'bi' if bidir else 'uni'}_p{proj}")
        configs.append(Config(name, input_size=5, hidden_size=7,
                              num_layers=layers, bias=bias,
                              batch_first=batch_first, bidirectional=bidir,
                              proj_size=proj, save_format=next(formats),
                              threads=1 + len(configs) % 2,
                              seed=len(configs)))
    return configs


def random_configs(count, seed):
    rng = random.Random(seed)
    configs = []
    for i in range(count):
        hidden = rng.choice([1, 2, 3, 8, 15, 16, 17, 20, 31, 32, 33, 48, 64,
                             rng.randint(1, 80)])
        proj = rng.choice([0, 0, rng.randint(0, hidden - 1)]) if hidden > 1 else 0
        configs.append(Config(
            f"random{i}", input_size=rng.randint(1, 40), hidden_size=hidden,
            num_layers=rng.randint(1, 3), bias=rng.random() < 0.8,
            batch_first=rng.random() < 0.5,
            bidirectional=rng.random() < 0.5, proj_size=proj,
            seq_len=rng.randint(1, 40), batch=rng.randint(1, 9),
            save_format=rng.choice(["pickle", "script", "trace"]),
            threads=rng.choice([1, 2, 3]), seed=1000 + i,
            input_scale=rng.choice([1.0, 1.0, 3.0])))
    return configs


def stress_configs():
    return [
        # Long sequences: errors must not grow past 1e-4 over 2000 steps.
        Config("long_sequence", input_size=16, hidden_size=32, seq_len=2000,
               batch=2, tolerance=1e-4, threads=2, seed=7,
               modes=("plain", "lengths")),
        Config("long_sequence_bidirectional_projected", input_size=8,
               hidden_size=24, proj_size=12, bidirectional=True,
               seq_len=2000, batch=3, tolerance=1e-4, seed=8,
               modes=("plain", "lengths")),
        # |x| up to 100 saturates every gate: no NaN or Inf, same results.
        Config("saturating_inputs", input_size=10, hidden_size=20,
               num_layers=2, bidirectional=True, input_scale=100.0,
               seq_len=30, batch=4, seed=9),
        Config("saturating_inputs_projected", input_size=6, hidden_size=17,
               proj_size=5, input_scale=100.0, seq_len=30, batch=5,
               threads=2, seed=10),
    ]


def build_model(config):
    torch.manual_seed(config.seed)
    return torch.nn.LSTM(config.input_size, config.hidden_size,
                         num_layers=config.num_layers, bias=config.bias,
                         batch_first=config.batch_first,
                         bidirectional=config.bidirectional,
                         proj_size=config.proj_size).eval()


def save_model(model, config, path):
    if config.save_format == "pickle":
        torch.save(model, path)
        return
    if config.save_format == "script":
        torch.jit.save(script(model), path)
        return
    shape = ((config.batch, config.seq_len, config.input_size)
             if config.batch_first
             else (config.seq_len, config.batch, config.input_size))
    with torch.no_grad():
        traced = torch.jit.trace(model, torch.randn(*shape), check_trace=False)
    torch.jit.save(traced, path)


def make_inputs(config, mode, rng):
    """The inputs of one run, as torch tensors, and the reference outputs."""
    D = 2 if config.bidirectional else 1
    hidden_out = config.proj_size or config.hidden_size
    T, N, I = config.seq_len, config.batch, config.input_size
    scale = config.input_scale
    unbatched = mode == "unbatched"
    if unbatched:
        x = torch.from_numpy(rng.uniform(-scale, scale, (T, I)).astype(np.float32))
    elif config.batch_first:
        x = torch.from_numpy(rng.uniform(-scale, scale, (N, T, I)).astype(np.float32))
    else:
        x = torch.from_numpy(rng.uniform(-scale, scale, (T, N, I)).astype(np.float32))
    inputs = {"input": x}
    hx = None
    if mode in ("states", "lengths", "unbatched"):
        states = (D * config.num_layers,) + (() if unbatched else (N,))
        h0 = torch.from_numpy(rng.standard_normal(states + (hidden_out,)).astype(np.float32))
        c0 = torch.from_numpy(rng.standard_normal(states + (config.hidden_size,)).astype(np.float32))
        inputs.update(h0=h0, c0=c0)
        hx = (h0, c0)
    lengths = None
    if mode == "lengths":
        lengths = torch.from_numpy(rng.integers(1, T + 1, size=N).astype(np.int64))
        lengths[rng.integers(0, N)] = T  # pad_packed_sequence needs one full
        inputs["lengths"] = lengths
    return inputs, hx, lengths


def reference(model, config, inputs, hx, lengths, device):
    with torch.no_grad():
        model = model.to(device)
        x = inputs["input"].to(device)
        hx = None if hx is None else tuple(h.to(device) for h in hx)
        if lengths is None:
            output, (h_n, c_n) = model(x, hx)
        else:
            packed = pack_padded_sequence(x, lengths,
                                          batch_first=config.batch_first,
                                          enforce_sorted=False)
            packed_out, (h_n, c_n) = model(packed, hx)
            output, _ = pad_packed_sequence(packed_out,
                                            batch_first=config.batch_first,
                                            total_length=config.seq_len)
    return {"output": output.cpu().numpy(), "h_n": h_n.cpu().numpy(),
            "c_n": c_n.cpu().numpy()}


# TorchScript's frontend is not thread-safe: configurations run on worker
# threads, so every call into torch holds this lock.
TORCH_LOCK = threading.Lock()


def run(command, env=None):
    result = subprocess.run(command, capture_output=True, text=True, env=env)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed "
                           f"({result.returncode}):\n{result.stderr}")
    return result


def assemble_config(config, tools, workdir, options):
    """Compiles one configuration's kernels to PTX for each GPU architecture
    and assembles them with ptxas; returns (assembled, 0)."""
    directory = os.path.join(workdir, config.name)
    os.makedirs(directory, exist_ok=True)
    model_pt = os.path.join(directory, "model.pt")
    model_mlir = os.path.join(directory, "model.mlir")
    with TORCH_LOCK:
        save_model(build_model(config), config, model_pt)
    # The pickles are this script's own.
    run([tools["lstm-import-torch"], "--trust-pickle", model_pt, "-o",
         model_mlir])
    for arch in options.gpu_archs.split(","):
        ptx = os.path.join(directory, f"{arch}.ptx")
        run([tools["lstm-compile"], model_mlir, "--target=cuda",
             f"--gpu-arch={arch}", "-o", ptx])
        run([options.ptxas, f"-arch={arch}", ptx, "-o",
             os.path.join(directory, f"{arch}.cubin")])
    shutil.rmtree(directory)
    return len(options.gpu_archs.split(",")), 0.0


def check_config(config, tools, workdir, options):
    """Compiles and runs one configuration; returns (comparisons, worst)."""
    directory = os.path.join(workdir, config.name)
    os.makedirs(directory, exist_ok=True)
    model_pt = os.path.join(directory, "model.pt")
    model_mlir = os.path.join(directory, "model.mlir")
    model_so = os.path.join(directory, "model.so")
    with TORCH_LOCK:
        model = build_model(config)
        save_model(model, config, model_pt)
    # The pickles are this script's own.
    run([tools["lstm-import-torch"], "--trust-pickle", model_pt, "-o",
         model_mlir])
    run([tools["lstm-compile"], model_mlir, "-o", model_so]
        + options.compile_arg)

    rng = np.random.default_rng(config.seed)
    env = dict(os.environ, KMP_BLOCKTIME="0")
    comparisons, worst = 0, 0.0
    for mode in config.modes:
        with TORCH_LOCK:
            inputs, hx, lengths = make_inputs(config, mode, rng)
            expected = reference(model, config, inputs, hx, lengths,
                                 options.torch_device)
        out_dir = os.path.join(directory, mode)
        os.makedirs(out_dir, exist_ok=True)
        command = [tools["lstm-run"], model_so, "--output-dir", out_dir,
                   "--threads", str(config.threads)]
        for name, tensor in inputs.items():
            path = os.path.join(out_dir, f"in_{name}.npy")
            np.save(path, tensor.numpy())
            command += ["--input", f"{name}={path}"]
        run(command, env=env)
        for name, want in expected.items():
            got = np.load(os.path.join(out_dir, f"{name}.npy"))
            if got.shape != want.shape:
                raise AssertionError(f"{config.name}/{mode}: {name} has shape "
                                     f"{got.shape}, PyTorch {want.shape}")
            if not np.all(np.isfinite(got)):
                raise AssertionError(f"{config.name}/{mode}: {name} has "
                                     f"NaN or Inf")
            error = float(np.max(np.abs(got - want))) if want.size else 0.0
            if error > config.tolerance:
                raise AssertionError(f"{config.name}/{mode}: {name} differs "
                                     f"by {error:.3g} > {config.tolerance}")
            worst = max(worst, error)
            comparisons += 1
    shutil.rmtree(directory)
    return comparisons, worst


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True, help="folder with the tools")
    parser.add_argument("--random", type=int, default=100,
                        help="number of random configurations")
    parser.add_argument("--seed", type=int, default=20261122)
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--only", help="run only configurations whose name "
                        "matches this regular expression")
    parser.add_argument("--no-stress", action="store_true",
                        help="leave out the long and saturating "
                        "configurations")
    parser.add_argument("--compile-arg", action="append", default=[],
                        help="an extra lstm-compile argument, e.g. "
                        "--target=cuda")
    parser.add_argument("--torch-device", default="cpu",
                        help="where PyTorch's reference runs (cpu, cuda)")
    parser.add_argument("--ptxas", help="only compile the kernels to PTX and "
                        "assemble them with this ptxas")
    parser.add_argument("--gpu-archs", default="sm_80,sm_90",
                        help="architectures for --ptxas")
    args = parser.parse_args()
    tools = {t: os.path.join(args.bin, t)
             for t in ("lstm-import-torch", "lstm-compile", "lstm-run")}
    configs = (grid_configs() + random_configs(args.random, args.seed)
               + ([] if args.no_stress else stress_configs()))
    if args.only:
        configs = [c for c in configs if re.search(args.only, c.name)]
    torch.set_num_threads(1)

    failures, total, worst = [], 0, (0.0, "")
    with tempfile.TemporaryDirectory(prefix="lstmc-differential-") as work:
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            check = assemble_config if args.ptxas else check_config
            futures = {pool.submit(check, c, tools, work, args): c
                       for c in configs}
            for future in concurrent.futures.as_completed(futures):
                config = futures[future]
                try:
                    comparisons, error = future.result()
                except Exception as e:  # report every failure, then fail
                    failures.append(f"{config.name}: {e}\n  {config}")
                    print(f"FAIL {config.name}", flush=True)
                    continue
                total += comparisons
                worst = max(worst, (error, config.name))
                print(f"ok   {config.name}: max error {error:.3g}", flush=True)
    what = "PTX files assembled" if args.ptxas else "comparisons passed"
    print(f"\n{len(configs) - len(failures)}/{len(configs)} configurations, "
          f"{total} {what}; worst error {worst[0]:.3g} ({worst[1]})")
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
