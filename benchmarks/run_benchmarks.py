#!/usr/bin/python3
"""Benchmarks lstmc against oneDNN's LSTM primitive and torch.nn.LSTM.

For each shape, compiles the model with lstm-compile (dynamic T and N, this
machine's CPU), then times the three side by side, interleaved in rounds
(each engine in its own process so that their thread pools never compete):

  lstmc   lstm-bench-model: the compiled .so run in process via the runtime
  oneDNN  lstm-bench-dnnl: forward-inference primitive, weights reordered once
  torch   bench_torch.py: set_num_threads(2), no_grad, eval()

all with OMP_PROC_BIND=close OMP_PLACES=cores, and prints medians, ratios,
GFLOP/s (2 * 4H * (I + H_out) * B * T per layer
and direction, plus 2 * P * H * B * T for projections) and the percentage of
the sgemm rate measured on this machine at the start.

With --target=cuda, on a machine with an NVIDIA GPU: lstmc compiled with
--target=cuda against torch.nn.LSTM on CUDA (cuDNN), both from host tensors
to host tensors, with the time per step and the percentage of the GPU's
FP32 peak (--peak-tflops).
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

# (H, I, B, T) of the single-layer shapes.
SHAPES = [(256, 256, 1, 150), (512, 512, 1, 25), (1024, 1024, 1, 25),
          (512, 512, 4, 25), (1024, 1024, 4, 25), (256, 256, 16, 150),
          (512, 512, 64, 100), (1024, 1024, 64, 50)]
# The full model: 2 layers, bidirectional, proj_size 256, H = 512, over
# (B, T), against torch only (oneDNN 2.6 rejects this configuration).
FULL_MODEL = dict(hidden=512, input=512, layers=2, bidirectional=True,
                  proj=256)
FULL_SWEEP = [(1, 100), (4, 100), (16, 100), (64, 100)]
# (H, I, B, T) of the GPU shapes.
GPU_SHAPES = [(512, 512, 1, 100), (1024, 1024, 1, 25), (1024, 1024, 4, 25),
              (512, 512, 64, 100), (2048, 2048, 128, 25)]


def run_times(command, env=None):
    result = subprocess.run(command, capture_output=True, text=True, env=env,
                            check=False)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stderr}")
    return [float(line) for line in result.stdout.split()]


def flops(hidden, input, batch, steps, layers=1, bidirectional=False,
          proj=0):
    directions = 2 if bidirectional else 1
    out = proj or hidden
    total = 0
    for layer in range(layers):
        layer_input = input if layer == 0 else directions * out
        per_step = 2 * 4 * hidden * (layer_input + out) + 2 * proj * hidden
        total += directions * per_step * batch * steps
    return total


class Bench:
    def __init__(self, args, workdir):
        self.args = args
        self.bin = args.bin
        self.workdir = workdir
        self.threads = str(args.threads)
        # Every engine runs with its OpenMP threads bound one per core: the
        # scheduler of these small VMs otherwise sometimes stacks two spinning
        # threads on one vCPU, which halves throughput at random.
        self.env = dict(os.environ, OMP_PROC_BIND="close", OMP_PLACES="cores")
        self.omp_env = dict(self.env, OMP_NUM_THREADS=self.threads)

    def tool(self, name):
        return os.path.join(self.bin, name)

    def compile(self, name, hidden, input, layers=1, bidirectional=False,
                proj=0):
        pt = os.path.join(self.workdir, f"{name}.pt")
        mlir = os.path.join(self.workdir, f"{name}.mlir")
        so = os.path.join(self.workdir, f"{name}.so")
        script = (
            "import torch, sys; torch.manual_seed(0); "
            f"torch.save(torch.nn.LSTM({input}, {hidden}, num_layers={layers},"
            f" bidirectional={bidirectional}, proj_size={proj}).eval(), "
            "sys.argv[1])")
        subprocess.run([sys.executable, "-c", script, pt], check=True)
        subprocess.run([self.tool("lstm-import-torch"), "--trust-pickle", pt,
                        "-o", mlir], check=True)
        subprocess.run([self.tool("lstm-compile"), mlir, "-o", so,
                        f"--target={self.args.target}"], check=True)
        return so

    def sgemm_rate(self):
        m, k, n = 6400, 512, 2048
        times = run_times([self.tool("lstm-bench-dnnl"), "sgemm", str(m),
                           str(k), str(n), "20"], env=self.omp_env)
        return 2 * m * k * n / (statistics.median(times) * 1e-3) / 1e9

    def measure(self, so, hidden, input, batch, steps, layers=1,
                bidirectional=False, proj=0, dnnl=True):
        """Median ms of each engine over interleaved rounds."""
        runs = str(self.args.runs)
        extra = []
        if layers > 1:
            extra += ["--layers", str(layers)]
        if bidirectional:
            extra.append("--bidirectional")
        if proj:
            extra += ["--proj", str(proj)]
        shape = [str(hidden), str(input), str(batch), str(steps)]
        commands = {
            "lstmc": ([self.tool("lstm-bench-model"), so, str(steps),
                       str(batch), runs, self.threads], self.env),
            "torch": ([sys.executable, os.path.join(HERE, "bench_torch.py")]
                      + shape + [runs, "--threads", self.threads,
                                 "--device", self.args.target] + extra,
                      self.env),
        }
        if dnnl:
            commands["oneDNN"] = ([self.tool("lstm-bench-dnnl"), "lstm"]
                                  + shape + [runs] + extra, self.omp_env)
        times = {name: [] for name in commands}
        for _ in range(self.args.rounds):
            for name, (command, env) in commands.items():
                times[name] += run_times(command, env)
        return {name: statistics.median(t) for name, t in times.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", default=os.path.join(HERE, "..", "build",
                                                      "bin"))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=4,
                        help="interleaved rounds per shape")
    parser.add_argument("--runs", type=int, default=5,
                        help="timed runs per engine and round")
    parser.add_argument("--only", help="only shapes whose H,I,B,T contain this")
    parser.add_argument("--skip-full-model", action="store_true")
    parser.add_argument("--target", choices=("cpu", "cuda"), default="cpu")
    parser.add_argument("--peak-tflops", type=float, default=67.0,
                        help="the GPU's FP32 peak (H100 SXM: 67)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="lstmc-bench-") as workdir:
        bench = Bench(args, workdir)
        if args.target == "cuda":
            try:
                return gpu_main(args, bench)
            except RuntimeError as e:  # no GPU, no driver: say so
                print(f"run_benchmarks.py: {e}", file=sys.stderr)
                return 1
        sgemm = bench.sgemm_rate()
        print(f"sgemm (oneDNN, 6400x512x2048, {args.threads} threads): "
              f"{sgemm:.1f} GFLOP/s; medians of {args.rounds * args.runs} "
              f"runs per engine, interleaved\n")
        header = ("| H, I, B, T | lstmc ms | oneDNN ms | torch ms | "
                  "vs oneDNN | vs torch | lstmc GFLOP/s | % sgemm |")
        print(header)
        print("|" + "---|" * 8)
        for hidden, input, batch, steps in SHAPES:
            label = f"{hidden}, {input}, {batch}, {steps}"
            if args.only and args.only not in label:
                continue
            so = bench.compile(f"h{hidden}_i{input}", hidden, input)
            ms = bench.measure(so, hidden, input, batch, steps)
            gflops = flops(hidden, input, batch, steps) / ms["lstmc"] / 1e6
            print(f"| {label} | {ms['lstmc']:.3f} | {ms['oneDNN']:.3f} | "
                  f"{ms['torch']:.3f} | {ms['oneDNN'] / ms['lstmc']:.2f}x | "
                  f"{ms['torch'] / ms['lstmc']:.2f}x | {gflops:.1f} | "
                  f"{100 * gflops / sgemm:.0f}% |", flush=True)

        if args.skip_full_model:
            return 0
        m = FULL_MODEL
        print(f"\nFull model: {m['layers']} layers, bidirectional, proj_size "
              f"{m['proj']}, H = {m['hidden']}, I = {m['input']}\n")
        print("| B, T | lstmc ms | torch ms | vs torch | lstmc GFLOP/s |")
        print("|" + "---|" * 5)
        so = bench.compile("full", m["hidden"], m["input"], m["layers"],
                           m["bidirectional"], m["proj"])
        for batch, steps in FULL_SWEEP:
            ms = bench.measure(so, m["hidden"], m["input"], batch, steps,
                               m["layers"], m["bidirectional"], m["proj"],
                               dnnl=False)
            gflops = flops(m["hidden"], m["input"], batch, steps, m["layers"],
                           m["bidirectional"], m["proj"]) / ms["lstmc"] / 1e6
            print(f"| {batch}, {steps} | {ms['lstmc']:.3f} | "
                  f"{ms['torch']:.3f} | {ms['torch'] / ms['lstmc']:.2f}x | "
                  f"{gflops:.1f} |", flush=True)
    return 0


def gpu_main(args, bench):
    print(f"lstmc --target=cuda vs torch.nn.LSTM on CUDA (cuDNN), host to "
          f"host; medians of {args.rounds * args.runs} runs, interleaved\n")
    print("| H, I, B, T | lstmc ms | cuDNN ms | vs cuDNN | lstmc us/step | "
          "% FP32 peak |")
    print("|" + "---|" * 6)
    for hidden, input, batch, steps in GPU_SHAPES:
        label = f"{hidden}, {input}, {batch}, {steps}"
        if args.only and args.only not in label:
            continue
        so = bench.compile(f"h{hidden}_i{input}", hidden, input)
        ms = bench.measure(so, hidden, input, batch, steps, dnnl=False)
        tflops = flops(hidden, input, batch, steps) / ms["lstmc"] / 1e9
        print(f"| {label} | {ms['lstmc']:.3f} | {ms['torch']:.3f} | "
              f"{ms['torch'] / ms['lstmc']:.2f}x | "
              f"{1e3 * ms['lstmc'] / steps:.1f} | "
              f"{100 * tflops / args.peak_tflops:.1f}% |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
