"""Writes the models and inputs checks.test runs: graphs whose sizes or
values can disagree at run time, each with inputs that do and do not fit.

ONNX models come from onnx's helpers; PyTorch ones are TorchScript."""
import os
import sys

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
rng = np.random.default_rng(0)


def save_onnx(name, nodes, inputs, outputs, initializers=()):
    graph = helper.make_graph(nodes, name, inputs, outputs, list(initializers))
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", 14)])
    onnx.save(model, os.path.join(out, f"{name}.onnx"))


def info(name, shape, elem=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, elem, shape)


def weights(name, *shape):
    return numpy_helper.from_array(
        rng.standard_normal(shape).astype(np.float32), name)


def ints(name, values, dtype=np.int64):
    return numpy_helper.from_array(np.array(values, dtype), name)


def npy(name, shape=None, values=None, dtype=np.float32):
    array = (np.array(values, dtype) if values is not None else
             rng.standard_normal(shape).astype(dtype))
    np.save(os.path.join(out, f"{name}.npy"), array)


# Reshape X[T, N, 4] to [0, 0, 8]: only an empty X has the elements.
save_onnx("reshape", [helper.make_node("Reshape", ["X", "s"], ["Y"], name="r")],
          [info("X", ["T", "N", 4])], [info("Y", None)], [ints("s", [0, 0, 8])])
npy("x_3x4x4", (3, 4, 4))
npy("x_0x4x4", (0, 4, 4))

# Split T into [3, 3].
save_onnx("split",
          [helper.make_node("Split", ["X", "sp"], ["A", "B"], name="sp")],
          [info("X", ["T", 4])], [info("A", None), info("B", None)],
          [ints("sp", [3, 3])])
npy("x_2x4", (2, 4))
npy("x_6x4", (6, 4))
npy("x_7x4", (7, 4))

# X[7] along a dynamic T.
save_onnx("gather_constant",
          [helper.make_node("Gather", ["X", "i"], ["Y"], name="g")],
          [info("X", ["T", 4])], [info("Y", None)], [ints("i", 7)])
npy("x_8x4", (8, 4))

# A[N] + B[M]: sizes that must agree without sharing a name.
save_onnx("add", [helper.make_node("Add", ["A", "B"], ["C"], name="a")],
          [info("A", ["N"]), info("B", ["M"])], [info("C", None)])
npy("a_8", (8,))
npy("b_2", (2,))
npy("a_2", (2,))

# A[N, K] x W(4, 3).
save_onnx("matmul", [helper.make_node("MatMul", ["A", "W"], ["C"], name="m")],
          [info("A", ["N", "K"])], [info("C", None)], [weights("W", 4, 3)])
npy("a_4x1", (4, 1))
npy("a_4x4", (4, 4))

# An LSTM whose W reads 4 features, on input with F dynamic.
save_onnx("lstm",
          [helper.make_node("LSTM", ["X", "W", "R"], ["Y"], name="l",
                            hidden_size=3)],
          [info("X", ["T", "N", "F"])], [info("Y", None)],
          [weights("W", 1, 12, 4), weights("R", 1, 12, 3)])
npy("x_5x2x1", (5, 2, 1))
npy("x_5x2x4", (5, 2, 4))
npy("x_5x0x4", (5, 0, 4))

# An embedding: ONNX's Gather with run-time indices.
save_onnx("embedding",
          [helper.make_node("Gather", ["E", "ids"], ["Y"], name="embed")],
          [info("ids", ["N"], TensorProto.INT64)], [info("Y", None)],
          [weights("E", 10, 4)])
for name, value in [("12", 12), ("minus11", -11), ("huge", 10**9),
                    ("3", 3), ("minus1", -1)]:
    npy(f"ids_{name}", values=[value, 0], dtype=np.int64)

# A reverse LSTM with sequence_lens.
save_onnx("sequence_lens",
          [helper.make_node("LSTM", ["X", "W", "R", "", "L"], ["Y"], name="l",
                            hidden_size=3, direction="reverse")],
          [info("X", ["T", "N", 4]), info("L", ["N"], TensorProto.INT32)],
          [info("Y", None)], [weights("W", 1, 12, 4), weights("R", 1, 12, 3)])
for name, values in [("1000", [1000, 2]), ("minus5", [-5, 2]),
                     ("huge", [10**9, 2]), ("3", [3, 2])]:
    npy(f"lens_{name}", values=values, dtype=np.int32)

# Slice X[0:5] along a dynamic T, then contracted with B[S, 3]: the slice
# has min(5, T) rows, as ONNX's Slice clamps its bounds.
save_onnx("slice",
          [helper.make_node("Slice", ["X", "st", "en"], ["Y"], name="s"),
           helper.make_node("Transpose", ["Y"], ["Yt"], name="t"),
           helper.make_node("MatMul", ["Yt", "B"], ["Z"], name="m")],
          [info("X", ["T", 4]), info("B", ["S", 3])], [info("Z", None)],
          [ints("st", [0]), ints("en", [5])])
npy("b_2x3", (2, 3))
npy("b_5x3", (5, 3))
npy("x_7x4", (7, 4))

# An output whose name would leave the output directory.
save_onnx("escape",
          [helper.make_node("Relu", ["X"], ["../escaped"], name="relu")],
          [info("X", ["T", 4])], [info("../escaped", None)])

# An input whose name would inject code into the generated header.
evil = "x */ int lstmc_injected(void) { return 42; } /*"
save_onnx("injection",
          [helper.make_node("Relu", [evil], ["Y"], name="relu")],
          [info(evil, ["T", 4])], [info("Y", None)])
with open(os.path.join(out, "call_injected.c"), "w") as f:
    f.write('#include "injection.h"\n'
            "int main(void) { return lstmc_injected(); }\n")


# PyTorch: y[:, 5] of a dynamic batch, and an embedding.
class Select(torch.nn.Module):
    def forward(self, y):
        return y[:, 5]


class Embed(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = torch.nn.Embedding(10, 4)

    def forward(self, ids):
        return self.embed(ids)


torch.jit.save(torch.jit.script(Select()), os.path.join(out, "select.pt"))
torch.jit.save(torch.jit.script(Embed().eval()), os.path.join(out, "embed.pt"))
npy("y_3x2x4", (3, 2, 4))
npy("y_3x6x4", (3, 6, 4))
