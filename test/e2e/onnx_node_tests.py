#!/usr/bin/python3
"""ONNX conformance: the backend node tests Debian's libonnx-testdata ships.

Each test is a model.onnx with test_data_set_*/input_*.pb and output_*.pb
tensors. The model is compiled with lstm-compile; a model it refuses must be
refused cleanly (exit 1 with an error), and a model it accepts must run every
data set with lstm-run (inputs named after the graph's inputs) and give the
expected outputs within ONNX's own tolerances (rtol 1e-3, atol 1e-7, as
onnx.backend.test compares). A wrong result, a crash or a failed run of an
accepted model fails the suite.

--report writes the per-operator table of the README.
"""

import argparse
import collections
import glob
import os
import subprocess
import sys
import threading

import numpy as np
import onnx
from onnx import numpy_helper

from jobs import NotRun, run_cases

DATA = "/usr/share/libonnx-testdata/data/node"
RTOL, ATOL = 1e-3, 1e-7


def load_tensor(path):
    tensor = onnx.TensorProto()
    with open(path, "rb") as f:
        tensor.ParseFromString(f.read())
    return numpy_helper.to_array(tensor)


SCHEMAS = sorted({schema.name for schema in onnx.defs.get_all_schemas()},
                 key=len, reverse=True)


def operator_of(name, model):
    """The operator a test is about: its node's, or, for a test of several
    nodes (a function's expansion), the longest operator its name starts
    with."""
    ops = {node.op_type for node in model.graph.node}
    if len(ops) == 1:
        return ops.pop()
    words = name[len("test_"):].replace("_", "").lower()
    for op in SCHEMAS:
        if words.startswith(op.lower()):
            return op
    return "(several)"


def run_test(directory, tools, workdir):
    """Returns the worst error, raises NotRun if lstm-compile refuses the
    model cleanly, or raises on a failure."""
    name = os.path.basename(directory)
    model = onnx.load(os.path.join(directory, "model.onnx"),
                      load_external_data=False)
    initializers = {t.name for t in model.graph.initializer}
    inputs = [i.name for i in model.graph.input if i.name not in initializers]
    outputs = [o.name for o in model.graph.output]
    case_dir = os.path.join(workdir, name)
    os.makedirs(case_dir)
    so = os.path.join(case_dir, "model.so")
    result = subprocess.run(
        [tools["lstm-compile"], os.path.join(directory, "model.onnx"), "-o",
         so], capture_output=True, text=True)
    if result.returncode == 1 and "error:" in result.stderr:
        raise NotRun(result.stderr.strip().splitlines()[0])
    if result.returncode != 0:
        raise RuntimeError(f"lstm-compile exited {result.returncode}:\n"
                           f"{result.stderr[-2000:]}")
    worst = 0.0
    for data_set in sorted(glob.glob(os.path.join(directory,
                                                  "test_data_set_*"))):
        out_dir = os.path.join(case_dir, os.path.basename(data_set))
        os.makedirs(out_dir)
        command = [tools["lstm-run"], so, "--output-dir", out_dir]
        for i, input_name in enumerate(inputs):
            path = os.path.join(data_set, f"input_{i}.pb")
            if not os.path.exists(path):  # an omitted optional input
                continue
            npy = os.path.join(out_dir, f"in{i}.npy")
            np.save(npy, load_tensor(path))
            command += ["--input", f"{input_name}={npy}"]
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode != 0:
            raise RuntimeError(f"lstm-run exited {result.returncode}:\n"
                               f"{result.stderr[-2000:]}")
        for i, output_name in enumerate(outputs):
            want = load_tensor(os.path.join(data_set, f"output_{i}.pb"))
            got = np.load(os.path.join(out_dir, f"{output_name}.npy"))
            if got.shape != want.shape or got.dtype != want.dtype:
                raise AssertionError(
                    f"{output_name} is {got.dtype} {got.shape}, expected "
                    f"{want.dtype} {want.shape}")
            if want.dtype.kind == "f":
                np.testing.assert_allclose(got, want, rtol=RTOL, atol=ATOL,
                                           err_msg=output_name)
                if want.size:
                    worst = max(worst, float(np.max(np.abs(
                        got.astype(np.float64) - want))))
            elif not np.array_equal(got, want):
                raise AssertionError(f"{output_name} differs")
    return worst


def write_report(path, operators):
    """A markdown table: per operator that has a passing case, its passed
    cases out of its total; then the count of operators refused whole."""
    rows = sorted((op, counts) for op, counts in operators.items()
                  if counts["passed"])
    refused = sorted(op for op, counts in operators.items()
                     if not counts["passed"] and op != "(several)")
    several = operators.get("(several)", collections.Counter())
    with open(path, "w") as f:
        f.write("| Operator | Node tests passed | Refused (attributes or "
                "types not supported) |\n|---|---|---|\n")
        for op, counts in rows:
            f.write(f"| {op} | {counts['passed']} | {counts['refused']} |\n")
        f.write(f"\nRefused whole ({len(refused)} operators): "
                + ", ".join(refused) + ".")
        if sum(several.values()):
            f.write(f" Tests of several operators: {several['passed']} "
                    f"passed, {several['refused']} refused.")
        f.write("\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin", required=True)
    parser.add_argument("--only", default="",
                        help="run the tests whose name contains this")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--report", help="write the per-operator table here")
    args = parser.parse_args()
    tools = {t: os.path.join(args.bin, t) for t in ("lstm-compile", "lstm-run")}
    tests = [d for d in sorted(glob.glob(os.path.join(DATA, "test_*")))
             if args.only in os.path.basename(d)]
    if not tests:
        print(f"no node tests under {DATA}: install libonnx-testdata",
              file=sys.stderr)
        return 1

    operators = collections.defaultdict(collections.Counter)
    lock = threading.Lock()

    def check(directory):
        name = os.path.basename(directory)
        op = operator_of(name, onnx.load(os.path.join(directory,
                                                      "model.onnx"),
                                         load_external_data=False))

        def case(work):
            outcome = "failed"
            try:
                error = run_test(directory, tools, work)
                outcome = "passed"
                return error
            except NotRun:
                outcome = "refused"
                raise
            finally:
                with lock:
                    operators[op][outcome] += 1
        return name, case

    status = run_cases([check(d) for d in tests], args.workers,
                       "lstmc-onnx-node-", "ONNX node tests lstmc compiles")
    print(", ".join(f"{sum(c[k] for c in operators.values())} {k}"
                   for k in ("passed", "refused", "failed"))
          + f", of {len(tests)} ONNX node tests")
    if args.report:
        write_report(args.report, operators)
    return status


if __name__ == "__main__":
    sys.exit(main())
