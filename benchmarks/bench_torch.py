#!/usr/bin/python3
"""Times torch.nn.LSTM: bench_torch.py H I B T RUNS [--layers L]
[--bidirectional] [--proj P]. Prints one time in ms per line after one
warm-up run, with 2 threads, no_grad and eval()."""
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
args = parser.parse_args()

torch.set_num_threads(args.threads)
torch.manual_seed(0)
model = torch.nn.LSTM(args.input, args.hidden, num_layers=args.layers,
                      bidirectional=args.bidirectional,
                      proj_size=args.proj).eval()
x = torch.randn(args.steps, args.batch, args.input)
with torch.no_grad():
    model(x)
    for _ in range(args.runs):
        start = time.perf_counter()
        model(x)
        print(f"{(time.perf_counter() - start) * 1e3:.6f}")
