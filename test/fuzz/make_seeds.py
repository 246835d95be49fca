"""Writes the seed corpus of a fuzzer from lstmc's test inputs.

    make_seeds.py TARGET DIR

onnx-import: the importer tests' models, the run-time check tests' models
and the ONNX node tests of the operators lstmc imports; npy: the lstm-run
tests' files, good and bad; mlir-pipeline: every case of the lit tests and
the examples; runtime: a few call descriptions."""
import glob
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
NODE_TESTS = "/usr/share/libonnx-testdata/data/node"
# The operators lstmc imports (compiler/lib/Import/ONNXOps.cpp).
OPERATORS = ("lstm", "add", "sub", "mul", "div", "relu", "tanh", "sigmoid",
             "exp", "log", "sqrt", "neg", "identity", "dropout", "cast",
             "concat", "constant", "constantofshape", "expand", "flatten",
             "gather", "gemm", "softmax", "logsoftmax", "matmul", "reshape",
             "shape", "slice", "split", "squeeze", "unsqueeze", "transpose")


def generated(script, suffix):
    """The files `script` writes into a folder, ending with `suffix`."""
    with tempfile.TemporaryDirectory() as work:
        subprocess.run([sys.executable, script, work], check=True,
                       stdout=subprocess.DEVNULL)
        for path in sorted(glob.glob(os.path.join(work, "**", "*" + suffix),
                                     recursive=True)):
            if os.path.isfile(path):
                with open(path, "rb") as f:
                    yield os.path.relpath(path, work), f.read()


def onnx_import():
    for script in ("test/tools/lstm-import-onnx/Inputs/make_models.py",
                   "test/tools/lstm-run/Inputs/make_checked_models.py"):
        yield from generated(os.path.join(ROOT, script), ".onnx")
    for model in sorted(glob.glob(os.path.join(NODE_TESTS, "test_*",
                                               "model.onnx"))):
        name = os.path.basename(os.path.dirname(model))
        if name[len("test_"):].split("_")[0] in OPERATORS:
            with open(model, "rb") as f:
                yield name + ".onnx", f.read()


def npy():
    yield from generated(
        os.path.join(ROOT, "test/tools/lstm-run/Inputs/make_npy.py"), ".npy")


def mlir_pipeline():
    paths = glob.glob(os.path.join(ROOT, "test", "**", "*.mlir"),
                      recursive=True)
    paths += glob.glob(os.path.join(ROOT, "examples", "**", "*.mlir"),
                       recursive=True)
    for path in sorted(paths):
        with open(path) as f:
            text = f.read()
        for i, case in enumerate(text.split("// -----")):
            yield f"{os.path.relpath(path, ROOT)}.{i}", case.encode()


def runtime():
    # Bytes the harness reads as dtypes, ranks and sizes: a valid call of
    # tiny.mlir's model and a few that are not.
    yield "valid", bytes([3, 3, 5, 2, 4] + [0] * 200)
    yield "unbatched", bytes([3, 2, 5, 4] + [1] * 200)
    yield "huge", bytes([3, 3, 255] + [0x7f] * 8 + [2, 4] + [0] * 100)
    yield "negative", bytes([3, 3, 210, 0, 2, 4] + [9] * 100)


TARGETS = {"onnx-import": onnx_import, "npy": npy,
           "mlir-pipeline": mlir_pipeline, "runtime": runtime}


def main():
    target, out = sys.argv[1], sys.argv[2]
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    count = 0
    for name, data in TARGETS[target]():
        with open(os.path.join(out, name.replace("/", "_")), "wb") as f:
            f.write(data)
        count += 1
    print(f"{count} seeds for {target} in {out}")


if __name__ == "__main__":
    main()
