"""A bare nn.LSTM: one lstm.lstm with PyTorch's whole call interface.

The inputs are `input` and the optional `h0`, `c0` (zeros when omitted)
and `lengths` (full length when omitted; the padded form of a
PackedSequence); the outputs `output`, `h_n` and `c_n`.
"""

import torch

from .errors import UserError
from .layers import LSTMParameters, flat_weight_names
from .mlir import tensor_type, write_resources


def is_lstm(module):
    """Whether `module` is torch.nn.LSTM itself: not a subclass with its own
    forward, nor a user's module that is also called LSTM."""
    if isinstance(module, torch.jit.ScriptModule):
        return module._c._type().qualified_name().startswith(
            "__torch__.torch.nn.modules.rnn.") and getattr(
                module, "original_name", None) == "LSTM"
    return type(module) is torch.nn.LSTM


def lstm_parameters(module):
    params = dict(module.named_parameters())
    names = ("input_size", "hidden_size", "num_layers", "bias", "batch_first",
             "dropout", "bidirectional", "proj_size")
    if isinstance(module, torch.nn.LSTM) or hasattr(module, "hidden_size"):
        # Eager modules, and scripted ones, which keep their constants.
        attrs = {name: getattr(module, name) for name in names}
    else:
        attrs = traced_attributes(module, params)
    weights = []
    for name in flat_weight_names(attrs["num_layers"], attrs["bidirectional"],
                                  attrs["bias"], attrs["proj_size"]):
        if name not in params:
            raise UserError(f"the model has no parameter '{name}'")
        tensor = params[name].detach()
        if tensor.dtype != torch.float32:
            raise UserError(
                f"parameter '{name}' is {tensor.dtype}; only torch.float32 "
                f"models are supported (call model.float() before saving)")
        weights.append((name, tensor.contiguous().numpy()))
    return LSTMParameters(weights=weights, **attrs)


def traced_attributes(module, params):
    """The configuration of a traced nn.LSTM, from its aten::lstm call."""
    nodes = [n for n in module.inlined_graph.nodes()
             if n.kind() == "aten::lstm"]
    if len(nodes) != 1:
        raise UserError(f"the traced LSTM has {len(nodes)} aten::lstm calls; "
                        f"expected one")
    # aten::lstm(input, hx, params, has_biases, num_layers, dropout, train,
    #            bidirectional, batch_first)
    consts = [i.toIValue() if i.node().kind() == "prim::Constant" else None
              for i in nodes[0].inputs()]
    bias, num_layers, dropout = consts[3], consts[4], consts[5]
    bidirectional, batch_first = consts[7], consts[8]
    if None in (bias, num_layers, dropout, bidirectional, batch_first):
        raise UserError("the traced aten::lstm call has non-constant "
                        "configuration arguments")
    w_ih = params["weight_ih_l0"]
    proj_size = params["weight_hr_l0"].shape[0] if "weight_hr_l0" in params \
        else 0
    return dict(input_size=w_ih.shape[1], hidden_size=w_ih.shape[0] // 4,
                num_layers=num_layers, bias=bias, batch_first=batch_first,
                dropout=dropout, bidirectional=bidirectional,
                proj_size=proj_size)


def string_array(items):
    return "[" + ", ".join(f'"{i}"' for i in items) + "]"


def import_lstm(module, out):
    """Writes the MLIR of the nn.LSTM `module` to the stream `out`."""
    config = lstm_parameters(module)
    D, L = config.num_directions, config.num_layers
    H, Hout = config.hidden_size, config.hidden_out
    seq_dims = ["N", "T"] if config.batch_first else ["T", "N"]
    seq_in = [None, None, config.input_size]
    seq_out = [None, None, D * Hout]
    h_shape, c_shape = [D * L, None, Hout], [D * L, None, H]

    def ty(shape, element="f32"):
        return tensor_type(["?" if d is None else d for d in shape], element)

    args = [
        ("input", ty(seq_in),
         f'lstm.name = "input", lstm.dynamic_dims = {string_array(seq_dims)}'),
        ("h0", ty(h_shape),
         'lstm.name = "h0", lstm.dynamic_dims = ["N"], lstm.optional'),
        ("c0", ty(c_shape),
         'lstm.name = "c0", lstm.dynamic_dims = ["N"], lstm.optional'),
        ("lengths", ty([None], "i64"),
         'lstm.name = "lengths", lstm.dynamic_dims = ["N"], '
         'lstm.lengths_of = "T"'),
    ]
    results = [
        (ty(seq_out),
         f'lstm.name = "output", lstm.dynamic_dims = {string_array(seq_dims)}'),
        (ty(h_shape), 'lstm.name = "h_n", lstm.dynamic_dims = ["N"]'),
        (ty(c_shape), 'lstm.name = "c_n", lstm.dynamic_dims = ["N"]'),
    ]

    w = out.write
    w("// Imported by lstm-import-torch from torch.nn.LSTM("
      f"input_size={config.input_size}, hidden_size={H}, num_layers={L}, "
      f"bias={config.bias}, batch_first={config.batch_first}, "
      f"dropout={config.dropout}, bidirectional={config.bidirectional}, "
      f"proj_size={config.proj_size}).\n")
    w("module {\n")
    w("  func.func @forward(")
    w(", ".join(f"%{name}: {t} {{{attrs}}}" for name, t, attrs in args))
    w(") -> (")
    w(", ".join(f"{t} {{{attrs}}}" for t, attrs in results))
    w(') attributes {lstm.batch_dim = "N"} {\n')
    for name, array in config.weights:
        w(f"    %{name} = arith.constant dense_resource<{name}> : "
          f"{ty(list(array.shape))}\n")
    weight_names = ", ".join(f"%{name}" for name, _ in config.weights)
    weight_types = ", ".join(ty(list(a.shape)) for _, a in config.weights)
    w(f"    %output, %h_n, %c_n = lstm.lstm %input h0(%h0 : {ty(h_shape)}) "
      f"c0(%c0 : {ty(c_shape)}) lengths(%lengths : {ty([None], 'i64')}) "
      f"weights({weight_names} : {weight_types}) {{{config.attributes()}}} : "
      f"{ty(seq_in)} -> {ty(seq_out)}, {ty(h_shape)}, {ty(c_shape)}\n")
    w("    return %output, %h_n, %c_n : "
      + ", ".join(t for t, _ in results) + "\n")
    w("  }\n}\n")
    write_resources(out, dict(config.weights))
