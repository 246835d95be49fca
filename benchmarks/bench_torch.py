#!/usr/bin/python3
"""Times torch.nn.LSTM: bench_torch.py H I B T RUNS [--layers L]
[--bidirectional] [--proj P] [--device cuda]. Prints one time in ms per line
after one warm-up run, with 2 threads, no_grad and eval(); on CUDA (cuDNN)
from host tensors to host tensors, as lstmc's CUDA models run."""
import argparse
import time

import torch

parser = argparse.ArgumentParser()
for name in ("hidden", "input", "batch", "steps", "runs"):
    parser.add_argument(name, type=int)
parser.add_argument("--layers", type=int, default=1)
parser.add_argument("--bidirectional", action="store_true")
parser.add_argument("--proj", type=int, default=0)
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--device", default="cpu")
args = parser.parse_args()

torch.set_num_threads(args.threads)
torch.manual_seed(0)
model = torch.nn.LSTM(args.input, args.hidden, num_layers=args.layers,
                      bidirectional=args.bidirectional,
                      proj_size=args.proj).eval().to(args.device)
x = torch.randn(args.steps, args.batch, args.input)


def run():
    output, (h_n, c_n) = model(x.to(args.device))
    return output.cpu(), h_n.cpu(), c_n.cpu()


with torch.no_grad():
    run()
    for _ in range(args.runs):
        start = time.perf_counter()
        run()
        print(f"{(time.perf_counter() - start) * 1e3:.6f}")
