"""Writes the ONNX models the lstm-import-onnx tests import into a directory."""

import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

out = sys.argv[1]
rng = np.random.default_rng(0)


def weights(name, *shape):
    return numpy_helper.from_array(
        rng.standard_normal(shape).astype(np.float32), name)


def save(name, nodes, inputs, outputs, initializers=(), opset=14):
    graph = helper.make_graph(nodes, name, inputs, outputs, list(initializers))
    model = helper.make_model(graph,
                              opset_imports=[helper.make_opsetid("", opset)])
    path = os.path.join(out, f"{name}.onnx")
    onnx.save(model, path)
    return path


def info(name, shape, elem=TensorProto.FLOAT):
    return helper.make_tensor_value_info(name, elem, shape)


# A bidirectional, batch-major LSTM with every ONNX-only variant.
H, I = 3, 2
save("variants",
     [helper.make_node(
         "LSTM", ["X", "W", "R", "B", "lens", "", "", "P"], ["Y", "Y_h"],
         name="lstm", hidden_size=H, direction="bidirectional", layout=1,
         clip=2.5, input_forget=1,
         activations=["HardSigmoid", "Affine", "Softsign",
                      "Sigmoid", "ScaledTanh", "Elu"],
         activation_alpha=[0.25, 2.0, 0.75, 1.5],
         activation_beta=[0.5, -1.0, 0.25])],
     [info("X", ["batch", "time", I]), info("lens", ["batch"], TensorProto.INT32)],
     [info("Y", None), info("Y_h", None)],
     [weights("W", 2, 4 * H, I), weights("R", 2, 4 * H, H),
      weights("B", 2, 8 * H), weights("P", 2, 3 * H)])

# ONNX's node tests pass the weights as graph inputs: run-time inputs.
save("weights_as_inputs",
     [helper.make_node("LSTM", ["X", "W", "R"], ["", "Y_h"], hidden_size=H)],
     [info("X", [4, 1, I]), info("W", [1, 4 * H, I]), info("R", [1, 4 * H, H])],
     [info("Y_h", [1, 1, H])])

# A tagger as exporters write it: embedding Gather, LSTM, Squeeze, MatMul,
# Add and Softmax.
E, V, C = 4, 10, 5
save("tagger",
     [helper.make_node("Gather", ["emb", "tokens"], ["x"], name="embed"),
      helper.make_node("LSTM", ["x", "W", "R", "B"], ["y"], name="lstm",
                       hidden_size=H),
      helper.make_node("Squeeze", ["y", "one"], ["ys"], name="squeeze"),
      helper.make_node("MatMul", ["ys", "fc_w"], ["logits0"], name="fc"),
      helper.make_node("Add", ["logits0", "fc_b"], ["logits"], name="bias"),
      helper.make_node("Softmax", ["logits"], ["probs"], name="softmax")],
     [info("tokens", ["T", "N"], TensorProto.INT64)],
     [info("probs", ["T", "N", C])],
     [weights("emb", V, E), weights("W", 1, 4 * H, E),
      weights("R", 1, 4 * H, H), weights("B", 1, 8 * H),
      numpy_helper.from_array(np.array([1], np.int64), "one"),
      weights("fc_w", H, C), weights("fc_b", C)])

# Weights in a separate file.
path = save("external",
            [helper.make_node("LSTM", ["X", "W", "R"], ["Y"], hidden_size=H)],
            [info("X", ["T", "N", I])], [info("Y", None)],
            [weights("W", 1, 4 * H, I), weights("R", 1, 4 * H, H)])
model = onnx.load(path)
onnx.save(model, path, save_as_external_data=True, all_tensors_to_one_file=True,
          location="external.bin", size_threshold=0)

# Models lstm-import-onnx rejects.
x = [info("X", [2, 3])]
y = [info("Y", [2, 3])]
save("unsupported_op", [helper.make_node("Celu", ["X"], ["Y"], name="act")],
     x, y)
save("unsupported_attr",
     [helper.make_node("Softmax", ["X"], ["Y"], name="sm", foo=1)], x, y)
save("bad_perm",
     [helper.make_node("Transpose", ["X"], ["Y"], name="t", perm=[0, 0])],
     x, y)
save("unsupported_activation",
     [helper.make_node("LSTM", ["X", "W", "R"], ["Y"], name="lstm",
                       hidden_size=H, activations=["Sigmoid", "Gelu", "Tanh"])],
     [info("X", [1, 1, I])], [info("Y", None)],
     [weights("W", 1, 4 * H, I), weights("R", 1, 4 * H, H)])
save("bad_weights",
     [helper.make_node("LSTM", ["X", "W", "R"], ["Y"], name="lstm",
                       hidden_size=H)],
     [info("X", [1, 1, I])], [info("Y", None)],
     [weights("W", 1, 4 * H, I + 1), weights("R", 1, 4 * H, H)])
with open(os.path.join(out, "unsupported_op.onnx"), "rb") as f:
    data = f.read()
with open(os.path.join(out, "truncated.onnx"), "wb") as f:
    f.write(data[:len(data) // 2])
with open(os.path.join(out, "not_onnx.onnx"), "wb") as f:
    f.write(b"this is not a model")
# External data whose file is gone.
model = onnx.load(os.path.join(out, "external.onnx"), load_external_data=False)
for tensor in model.graph.initializer:
    for entry in tensor.external_data:
        if entry.key == "location":
            entry.value = "gone.bin"
onnx.save(model, os.path.join(out, "lost.onnx"))


def relocated(name, location):
    """external.onnx with its weights' external data at `location`."""
    model = onnx.load(os.path.join(out, "external.onnx"),
                      load_external_data=False)
    for tensor in model.graph.initializer:
        for entry in tensor.external_data:
            if entry.key == "location":
                entry.value = location
    onnx.save(model, os.path.join(out, name + ".onnx"))


# External data outside the model's folder, or not a regular file: what
# onnx.checker and ONNX Runtime refuse.
os.makedirs(os.path.join(out, "outside"), exist_ok=True)
with open(os.path.join(out, "outside", "weights.bin"), "wb") as f:
    f.write(open(os.path.join(out, "external.bin"), "rb").read())
os.makedirs(os.path.join(out, "folder"), exist_ok=True)
relocated("folder/parent", "../outside/weights.bin")
relocated("folder/absolute", os.path.join(out, "outside", "weights.bin"))
relocated("passwd", "../../../../../../../../etc/passwd")
os.symlink("/dev/zero", os.path.join(out, "zero.bin"))
relocated("device", "zero.bin")
os.symlink(os.path.join(out, "outside"), os.path.join(out, "folder", "link"))
relocated("folder/symlink", "link/weights.bin")
# Initializers of the wrong size.
model = onnx.load(os.path.join(out, "external.onnx"), load_external_data=False)
for entry in model.graph.initializer[0].external_data:
    if entry.key == "length":
        entry.value = "8"
onnx.save(model, os.path.join(out, "short_external.onnx"))

# Constant folding of shape arithmetic: checked, naming the node.
shape_of = helper.make_node("Shape", ["X"], ["s"], name="shape")
for name, op, b in [("div_zero", "Div", [0]), ("div_overflow", "Div", [-1]),
                    ("mul_overflow", "Mul", [2**62])]:
    a = [-2**63] if name == "div_overflow" else [4]
    save(name,
         [helper.make_node(op, ["a", "b"], ["c"], name=name),
          helper.make_node("ConstantOfShape", ["c"], ["Y"], name="fill")],
         [info("X", [2, 3])], [info("Y", None)],
         [numpy_helper.from_array(np.array(a, np.int64), "a"),
          numpy_helper.from_array(np.array(b, np.int64), "b")])
save("huge_constant",
     [helper.make_node("ConstantOfShape", ["s"], ["Y"], name="fill")],
     [info("X", [2, 3])], [info("Y", None)],
     [numpy_helper.from_array(np.array([2**40, 2**40], np.int64), "s")])
save("static_reshape",
     [helper.make_node("Reshape", ["X", "s"], ["Y"], name="r")],
     [info("X", [3, 4, 4])], [info("Y", None)],
     [numpy_helper.from_array(np.array([3, 4, 8], np.int64), "s")])
os.mkfifo(os.path.join(out, "pipe.bin"))
relocated("pipe", "pipe.bin")
# A Transpose of a 0-d tensor (found by fuzzing): the identity.
save("transpose_0d", [helper.make_node("Transpose", ["X"], ["Y"], name="t")],
     [info("X", [])], [info("Y", None)])
# Concat of inputs whose other dimensions differ (found by fuzzing).
save("concat_mismatch",
     [helper.make_node("Concat", ["A", "B"], ["C"], name="cat", axis=1)],
     [info("A", [42, "n"]), info("B", [2, 2])], [info("C", None)])
# Gemm whose C has another element type (found by fuzzing).
save("gemm_bool_c",
     [helper.make_node("Gemm", ["a", "b", "c"], ["y"], name="gemm", transA=1)],
     [info("a", [6, 3]), info("b", [6, 4]), info("c", [1, 4], TensorProto.BOOL)],
     [info("y", None)])
# Integer division of inputs and a Reshape that infers a size: checked at
# run time, by cf.assert (lstm-import-onnx alone once crashed on both).
save("int_div", [helper.make_node("Div", ["A", "B"], ["C"], name="div")],
     [info("A", ["n"], TensorProto.INT64), info("B", ["n"], TensorProto.INT64)],
     [info("C", None)])
save("reshape_infer",
     [helper.make_node("Reshape", ["X", "s"], ["Y"], name="r")],
     [info("X", ["t", "n", 4])], [info("Y", None)],
     [numpy_helper.from_array(np.array([0, -1, 8], np.int64), "s")])
# Flatten with an axis in [-r, r]: a negative one counts from the end.
for axis in [-4, -1, 0, 4]:
    save(f"flatten_{axis}".replace("-", "neg"),
         [helper.make_node("Flatten", ["X"], ["Y"], name="f", axis=axis)],
         [info("X", [2, 3, 4, 5])], [info("Y", None)])
save("flatten_neg5",
     [helper.make_node("Flatten", ["X"], ["Y"], name="f", axis=-5)],
     [info("X", [2, 3, 4, 5])], [info("Y", None)])

# A convolutional front end: the layers become the lstm dialect's layer ops.
C = 4
save("conv_front",
     [helper.make_node("Conv", ["X", "W", "B"], ["c"], name="conv",
                       auto_pad="SAME_UPPER", kernel_shape=[4]),
      helper.make_node("BatchNormalization", ["c", "s", "b", "m", "v"], ["n"],
                       name="bn", epsilon=1e-3),
      helper.make_node("LeakyRelu", ["n"], ["r"], name="act", alpha=0.2),
      helper.make_node("MaxPool", ["r"], ["p"], name="pool", kernel_shape=[2],
                       strides=[2], ceil_mode=1),
      helper.make_node("Clip", ["p", "lo", "hi"], ["Y"], name="clip")],
     [info("X", ["n", 2, "t"])], [info("Y", None)],
     [weights("W", C, 2, 4), weights("B", C), weights("s", C),
      weights("b", C), weights("m", C),
      numpy_helper.from_array(np.full(C, 2.0, np.float32), "v"),
      numpy_helper.from_array(np.array(0.0, np.float32), "lo"),
      numpy_helper.from_array(np.array(6.0, np.float32), "hi")])
save("layer_norm",
     [helper.make_node("LayerNormalization", ["X", "g", "b"], ["Y"],
                       name="ln", axis=-1, epsilon=1e-5)],
     [info("X", ["t", "n", 6])], [info("Y", None)],
     [weights("g", 6), weights("b", 6)], opset=17)
save("layer_norm_mean",
     [helper.make_node("LayerNormalization", ["X", "g"], ["Y", "Mean"],
                       name="ln")],
     [info("X", ["t", 6])], [info("Y", None), info("Mean", None)],
     [weights("g", 6)], opset=17)
save("strided_same",
     [helper.make_node("Conv", ["X", "W"], ["Y"], name="conv",
                       auto_pad="SAME_UPPER", strides=[2])],
     [info("X", ["n", 2, "t"])], [info("Y", None)], [weights("W", C, 2, 3)])
save("pool_indices",
     [helper.make_node("MaxPool", ["X"], ["Y", "I"], name="pool",
                       kernel_shape=[2])],
     [info("X", ["n", 2, 8])], [info("Y", None), info("I", None)])
# Opsets outside an operator's supported range: opset 1's Cast (`to` was a
# string), and an opset newer than the importers know.
save("cast_opset1",
     [helper.make_node("Cast", ["X"], ["Y"], name="cast", to="FLOAT")],
     [info("X", [2])], [info("Y", None)], opset=1)
save("relu_opset23",
     [helper.make_node("Relu", ["X"], ["Y"], name="relu")],
     [info("X", [2])], [info("Y", None)], opset=23)
# Pads a whole window wide: the first window covers only padding.
save("pool_all_padding",
     [helper.make_node("MaxPool", ["X"], ["Y"], name="pool",
                       kernel_shape=[2], pads=[2, 0])],
     [info("X", ["n", 2, 8])], [info("Y", None)])
# Tile: the dynamic batch kept, a size-1 dimension broadcast, a static one
# tiled; repeating the dynamic one is refused.
save("tile",
     [helper.make_node("Tile", ["X", "repeats"], ["Y"], name="tile")],
     [info("X", ["n", 1, 3])], [info("Y", None)],
     [numpy_helper.from_array(np.array([1, 4, 2], np.int64), "repeats")])
save("tile_overflow",
     [helper.make_node("Tile", ["X", "repeats"], ["Y"], name="tile")],
     [info("X", [2, 65])], [info("Y", None)],
     [numpy_helper.from_array(np.array([1, 1 << 62], np.int64), "repeats")])
save("tile_dynamic",
     [helper.make_node("Tile", ["X", "repeats"], ["Y"], name="tile")],
     [info("X", ["n", 3])], [info("Y", None)],
     [numpy_helper.from_array(np.array([2, 1], np.int64), "repeats")])
# ReduceSum (opset 13: axes as an input, here a constant), without keepdims.
save("reduce_sum",
     [helper.make_node("ReduceSum", ["X", "axes"], ["Y"], name="sum",
                       keepdims=0)],
     [info("X", ["t", "n", 2, 3])], [info("Y", None)],
     [numpy_helper.from_array(np.array([-2], np.int64), "axes")])
