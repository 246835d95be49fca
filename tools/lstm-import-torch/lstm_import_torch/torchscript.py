"""Module trees from TorchScript graphs.

Walks the graph of a scripted or traced module's `forward`, following calls
into submodules. nn.LSTM and nn.LSTMCell are imported as layers when their
scripted code is reached (it has control flow), or from the `aten::lstm`
and `aten::lstm_cell` calls of traced code; every other module is imported
through its own graph. Graph inputs get their shapes from their first use
(an LSTM's input is (T, N, I) or (N, T, I)), from a trace, or from
`--input-shape`.
"""

import torch

from .errors import UserError
from .layers import (Graph, LSTMParameters, check, flat_weight_names,
                     normalize_dim)
from .mlir import Sym, Tensor, unify

SUPPORTED = ("nn.LSTM, nn.LSTMCell, nn.Linear, nn.Embedding, nn.Dropout, "
             "nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.BatchNorm1d, "
             "nn.BatchNorm2d, nn.BatchNorm3d, nn.LayerNorm, nn.MaxPool1d, "
             "nn.MaxPool2d, nn.MaxPool3d, nn.AvgPool1d, nn.AvgPool2d, "
             "nn.AvgPool3d, nn.ReLU, nn.ReLU6, nn.Tanh, nn.Sigmoid, nn.GELU, "
             "nn.Hardtanh, nn.LeakyReLU, nn.ELU, nn.Softplus, nn.Softmax, "
             "nn.LogSoftmax, nn.Identity, nn.Flatten, nn.Sequential and "
             "modules whose forward combines them")

DTYPES = {torch.float32: "f32", torch.int64: "i64", torch.int32: "i32"}

# The torch.nn modules imported; other torch.nn modules are reported by
# name, user-defined ones are imported through their forward.
SUPPORTED_MODULES = {
    "LSTM", "LSTMCell", "Linear", "Embedding", "Dropout", "Conv1d", "Conv2d",
    "Conv3d", "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "LayerNorm",
    "MaxPool1d", "MaxPool2d", "MaxPool3d", "AvgPool1d", "AvgPool2d",
    "AvgPool3d", "ReLU", "ReLU6", "Tanh", "Sigmoid", "GELU", "Hardtanh",
    "LeakyReLU", "ELU", "Softplus", "Softmax", "LogSoftmax", "Identity",
    "Flatten", "Sequential"}


class Module:
    """A submodule reached by the walk, and its path for messages."""

    def __init__(self, module, path):
        self.module = module
        self.path = path

    @property
    def kind(self):
        return getattr(self.module, "original_name", type(self.module).__name__)

    def describe(self):
        return f"module '{self.path or '<root>'}' ({self.kind})"

    @property
    def is_torch(self):
        """Whether this is one of torch.nn's modules (not a user's module
        that shares its name)."""
        return ".torch.nn.modules." in self.module._c._type().qualified_name()

    def check_supported(self):
        if self.is_torch and self.kind not in SUPPORTED_MODULES:
            raise UserError(f"{self.describe()}: nn.{self.kind} is not "
                            f"supported; supported layers: {SUPPORTED}")


class Param:
    """A parameter or buffer of a module."""

    def __init__(self, tensor, path):
        self.tensor = tensor
        self.path = path


class Function:
    """A TorchScript function called with prim::CallFunction."""

    def __init__(self, name):
        self.name = name


class Pending:
    """A graph input whose shape is not known yet."""

    def __init__(self, name, rank=None, dtype=None, trace_sizes=None):
        self.name = name
        self.rank = rank
        self.dtype = dtype
        self.trace_sizes = trace_sizes
        self.tensor = None
        # Sizes asked for (x.size(d)) before the shape is known.
        self.asked = {}

    def size(self, axis, graph):
        if self.tensor is not None:
            return self.tensor.dims[axis]
        if axis not in self.asked:
            self.asked[axis] = Sym(f"{self.name}.{axis}")
            graph.add_size_source(self.asked[axis], lambda: self.tensor, axis)
        return self.asked[axis]


def input_name(value):
    name = value.debugName().split(".")[0]
    return name if name and not name.isdigit() else "input"


class Importer:
    """Imports a TorchScript module into a Graph."""

    def __init__(self, input_shapes):
        self.graph = Graph()
        self.input_shapes = input_shapes  # name -> (dims, dtype)
        self.inputs = []
        self.weights = {}  # id(tensor) -> Tensor
        self.batch = None
        self.context = []  # the modules being walked, for messages
        # (node input index, new value) of what the node being run modified
        # in place.
        self.mutations = []
        # (id(env), value's unique) -> the list of those that share its
        # memory, itself included.
        self.aliases = {}

    # Messages.

    def where(self):
        return self.context[-1].describe() if self.context else "the model"

    def fail(self, message):
        raise UserError(f"{self.where()}: {message}")

    # Values.

    def resolve(self, pending, dims, dtype="f32"):
        if pending.tensor is None:
            if pending.rank is not None and pending.rank != len(dims):
                self.fail(f"input '{pending.name}' is traced with rank "
                          f"{pending.rank}, used with rank {len(dims)}")
            for axis, sym in pending.asked.items():
                if axis >= len(dims) or not unify(sym, dims[axis]):
                    self.fail(f"input '{pending.name}' is used with "
                              f"inconsistent shapes")
            ssa = f"%in_{pending.name}"
            pending.tensor = self.graph.tensor(ssa, dims, dtype)
        return pending.tensor

    def tensor(self, value, what):
        """`value` as an MLIR tensor."""
        if isinstance(value, Tensor):
            return value
        if isinstance(value, Param):
            key = id(value.tensor)
            if key not in self.weights:
                self.weights[key] = self.graph.weight(value.path,
                                                      self.array(value))
            return self.weights[key]
        if isinstance(value, Pending):
            if value.tensor is not None:
                return value.tensor
            if value.trace_sizes is None:
                self.fail(f"cannot tell the shape of input '{value.name}' "
                          f"from its use in {what}; give it with "
                          f"--input-shape {value.name}=...")
            # Traced: the feature size is the trace's, the others dynamic.
            dims = [Sym(f"{value.name}.{i}") for i in range(value.rank - 1)]
            dims += [value.trace_sizes[-1]] if value.rank else []
            return self.resolve(value, dims, value.dtype)
        if isinstance(value, torch.Tensor):
            return self.tensor(Param(value, "constant"), what)
        self.fail(f"{what} expects a tensor, got {type(value).__name__}")

    def array(self, param):
        tensor = param.tensor.detach()
        if tensor.dtype not in (torch.float32, torch.int64):
            self.fail(f"'{param.path}' is {tensor.dtype}; only torch.float32 "
                      f"models are supported (call model.float() before "
                      f"saving)")
        return tensor.contiguous().numpy()

    def input_for_layer(self, value, dims_fn, dtype, what):
        """An input resolved by the layer that uses it first: dims_fn(rank)
        gives its dims for the rank it is traced with (None: the usual)."""
        if isinstance(value, Pending) and value.tensor is None:
            dims = dims_fn(value.rank)
            # dims_fn gives None where the rank decides too much to guess.
            if dims is not None:
                return self.resolve(value, dims, dtype)
        return self.tensor(value, what)

    # The walk.

    def run(self, module):
        root = Module(module, "")
        root.check_supported()
        self.context.append(root)
        graph = module.graph
        inputs = list(graph.inputs())
        env = {inputs[0].unique(): self.context[-1]}
        for value in inputs[1:]:
            pending = self.pending(value)
            self.inputs.append(pending)
            env[value.unique()] = pending
        for name in self.input_shapes:
            check(any(p.name == name for p in self.inputs),
                  f"--input-shape {name}=...: forward has no input "
                  f"'{name}'; its inputs: "
                  f"{', '.join(p.name for p in self.inputs)}")
        outputs = self.run_block(graph, env)
        self.context.pop()
        return outputs[0]

    def pending(self, value):
        name = input_name(value)
        check(all(p.name != name for p in self.inputs),
              f"two inputs are named '{name}'")
        ty = value.type()
        if not isinstance(ty, torch._C.TensorType):
            raise UserError(f"forward's argument '{name}' is a {ty}; only "
                            f"tensor arguments are supported (pass the "
                            f"tensors of a tuple, such as (h0, c0), as "
                            f"arguments of their own)")
        pending = Pending(name)
        if isinstance(ty, torch._C.TensorType) and ty.dim() is not None:
            pending.rank = ty.dim()
            pending.trace_sizes = ty.sizes()
            scalar = ty.dtype()
            pending.dtype = DTYPES.get(scalar, "f32")
            if scalar is not None and scalar not in DTYPES:
                raise UserError(f"input '{name}' is {scalar}; supported: "
                                f"float32, int64, int32")
        if name in self.input_shapes:
            dims, dtype = self.input_shapes[name]
            self.resolve(pending, dims, dtype)
        return pending

    def run_block(self, block, env):
        for node in block.nodes():
            self.run_node(node, env)
        return [env[v.unique()] for v in block.outputs()]

    def run_graph(self, graph, target, args):
        inputs = list(graph.inputs())
        check(len(inputs) == len(args) + 1, f"{target.describe()}: called "
              f"with {len(args)} arguments, takes {len(inputs) - 1}")
        env = {inputs[0].unique(): target}
        for value, arg in zip(inputs[1:], args):
            env[value.unique()] = arg
        self.context.append(target)
        outputs = self.run_block(graph, env)
        self.context.pop()
        self.locate(self.context[-1] if self.context else None,
                    "prim::CallMethod")
        # Arguments the callee modified in place (nn.ReLU(inplace=True)):
        # node input i + 1 (input 0 is the module).
        self.mutations = [(i + 1, env[value.unique()]) for i, (value, arg) in
                          enumerate(zip(inputs[1:], args))
                          if env[value.unique()] is not arg]
        return outputs[0] if len(outputs) == 1 else tuple(outputs)

    def check_mutable(self, value, user):
        """Fails unless modifying `value` in place, as node `user` does, is
        the same as rebinding it: no other tensor may share its memory."""
        producer = value.node()
        kind = producer.kind()
        if kind == "prim::ListUnpack" and producer.inputsAt(0).node().kind() \
                in ("aten::chunk", "aten::unsafe_chunk"):
            # Chunks are disjoint views of a tensor used by nothing else.
            base = producer.inputsAt(0).node().inputsAt(0)
            check(len(base.uses()) == 1, f"{self.where()}: in-place "
                  f"{user.kind()} on a chunk of a tensor that is also used "
                  f"elsewhere is not supported")
        elif kind in VIEWS or kind == "prim::ListUnpack":
            self.fail(f"in-place {user.kind()} on a view ({kind}) of another "
                      f"tensor is not supported")
        elif kind == "prim::Param" and len(self.context) == 1:
            self.fail(f"in-place {user.kind()} on forward's argument "
                      f"'{value.debugName()}' is not supported")
        for use in value.uses():
            if use.user is not user and use.user.kind() in VIEWS:
                self.fail(f"in-place {user.kind()} on a tensor that has views "
                          f"({use.user.kind()}) is not supported")

    def locate(self, module, kind):
        """Locates what follows at `module`: torch.nn's layers by their
        class, other operations by their TorchScript kind."""
        if module is None:
            self.graph.locate("<root>", kind)
            return
        self.graph.locate(module.path or "<root>",
                          module.kind if module.is_torch else kind)

    def run_node(self, node, env):
        kind = node.kind()
        self.locate(self.context[-1] if self.context else None, kind)
        args = [env.get(v.unique()) for v in node.inputs()]
        outputs = list(node.outputs())
        if kind == "prim::If":
            cond = args[0]
            if not isinstance(cond, bool):
                self.fail("control flow on values known only at run time "
                          "(prim::If) is not supported")
            blocks = list(node.blocks())
            results = self.run_block(blocks[0 if cond else 1], env)
        elif kind == "prim::Loop":
            results = self.loop(node, args, env)
        else:
            handler = HANDLERS.get(kind)
            in_place = handler is None and kind.endswith("_")
            if in_place:
                handler = HANDLERS.get(kind[:-1])
            if handler is None:
                self.fail(f"unsupported operation {kind}; supported layers: "
                          f"{SUPPORTED}")
            self.mutations = []
            result = handler(self, node, args)
            results = [result] if len(outputs) == 1 else list(result)
            if in_place:
                self.mutations = [(0, result)]
            # A value modified in place is the new value from here on, and
            # so are the values that alias it: the results of earlier
            # in-place ops on it (z = y.relu_()).
            for index, value in self.mutations:
                mutated = node.inputsAt(index)
                self.check_mutable(mutated, node)
                key = (id(env), mutated.unique())
                group = self.aliases.setdefault(key, [key])
                for _, unique in group:
                    env[unique] = value
                if in_place:
                    group.append((id(env), outputs[0].unique()))
                    self.aliases[group[-1]] = group
            self.mutations = []
        for value, result in zip(outputs, results):
            env[value.unique()] = result

    def loop(self, node, args, env):
        trip_count, cond, carried = args[0], args[1], list(args[2:])
        if not isinstance(trip_count, int) or cond is not True:
            self.fail("loops over sizes known only at run time (prim::Loop) "
                      "are not supported; trace the module with "
                      "torch.jit.trace to unroll them")
        check(trip_count <= 100000, "a loop of more than 100000 steps")
        body = next(node.blocks())
        for i in range(trip_count):
            block_inputs = list(body.inputs())
            env[block_inputs[0].unique()] = i
            for value, arg in zip(block_inputs[1:], carried):
                env[value.unique()] = arg
            results = self.run_block(body, env)
            if results[0] is not True:
                if results[0] is False:
                    return results[1:]
                self.fail("loops with a condition known only at run time "
                          "are not supported")
            carried = results[1:]
        return carried

    # Calls.

    def call_method(self, node, args):
        target = args[0]
        target.check_supported()
        name = node.s("name")
        graph = target.module._c._get_method(name).graph
        kinds = {n.kind() for n in graph.nodes()}
        # Scripted LSTMs have control flow: import them as layers. Traced
        # ones are imported through their graphs: aten::lstm, or, for a
        # traced LSTMCell, either aten::lstm_cell or its decomposition into
        # linear layers and gate arithmetic.
        scripted = bool(kinds & {"prim::If", "prim::Loop"})
        if target.is_torch and target.kind == "LSTM" and (
                scripted or "aten::lstm" not in kinds):
            self.context.append(target)
            self.locate(target, target.kind)
            result = self.lstm_module(target, args[1:], name)
            self.context.pop()
            return result
        if target.is_torch and target.kind == "LSTMCell" and scripted:
            self.context.append(target)
            self.locate(target, target.kind)
            result = self.lstm_cell_module(target, args[1:])
            self.context.pop()
            return result
        return self.run_graph(graph, target, args[1:])

    def call_function(self, node, args):
        function, args = args[0], args[1:]
        prefix = "__torch__.torch.nn.functional."
        if not function.name.startswith(prefix):
            self.fail(f"calls of the TorchScript function "
                      f"'{function.name.replace('__torch__.', '')}' are not "
                      f"supported; inline it into forward, or trace the "
                      f"model")
        name = function.name[len(prefix):]
        handler = FUNCTIONS.get(name)
        if handler is None:
            self.fail(f"unsupported function F.{name}; supported layers: "
                      f"{SUPPORTED}")
        return handler(self, args)

    # LSTMs.

    def lstm_input(self, x, params):
        def dims(rank):
            if rank == 2:
                return [Sym("T", True), params.input_size]
            n, t = Sym("N", True), Sym("T", True)
            return [n, t, params.input_size] if params.batch_first else [
                t, n, params.input_size]
        return self.input_for_layer(x, dims, "f32", "an LSTM")

    def state(self, value, x, params, size, what):
        """An initial state (h0 or c0, of `size` features) of the LSTM on
        `x`."""
        if isinstance(value, Pending) and value.tensor is None:
            layers = params.num_layers * params.num_directions
            if x.rank == 3:
                batch = x.dims[0] if params.batch_first else x.dims[1]
                return self.resolve(value, [layers, batch, size])
            return self.resolve(value, [layers, size])
        return self.tensor(value, what)

    def emit_lstm(self, x, hx, params):
        x = self.lstm_input(x, params)
        h0 = c0 = None
        if hx is not None:
            check(len(hx) == 2, f"{self.where()}: hx must be (h0, c0)")
            h0 = self.state(hx[0], x, params, params.hidden_out, "h0")
            c0 = self.state(hx[1], x, params, params.hidden_size, "c0")
        output, h_n, c_n = self.graph.lstm(x, h0, c0, params, self.where())
        if x.rank == 3 and self.batch is None:
            self.batch = x.dims[0] if params.batch_first else x.dims[1]
        return output, h_n, c_n

    def lstm_module(self, target, args, method):
        module = target.module
        check(method in ("forward", "forward__0"), f"{self.where()}: packed "
              f"sequences (nn.utils.rnn.PackedSequence) are not supported")
        x = args[0]
        hx = args[1] if len(args) > 1 else None
        names = flat_weight_names(module.num_layers, module.bidirectional,
                                  module.bias, module.proj_size)
        params = LSTMParameters(
            module.input_size, module.hidden_size, module.num_layers,
            module.bias, module.batch_first, module.dropout,
            module.bidirectional, module.proj_size,
            [(f"{target.path}.{n}", self.array(Param(
                getattr(module, n), f"{target.path}.{n}"))) for n in names])
        output, h_n, c_n = self.emit_lstm(x, hx, params)
        return output, (h_n, c_n)

    def lstm_cell_module(self, target, args):
        module = target.module
        x = args[0]
        hx = args[1] if len(args) > 1 else None

        def get(name):
            value = getattr(module, name)
            return None if value is None else self.array(
                Param(value, f"{target.path}.{name}"))

        return self.emit_lstm_cell(
            x, None if hx is None else hx[0], None if hx is None else hx[1],
            get("weight_ih"), get("weight_hh"), get("bias_ih"), get("bias_hh"),
            target.path)

    def emit_lstm_cell(self, x, h, c, w_ih, w_hh, b_ih, b_hh, name):
        hidden = w_hh.shape[1]
        x = self.input_for_layer(
            x, lambda rank: [w_ih.shape[1]] if rank == 1 else [
                Sym("N", True), w_ih.shape[1]], "f32", "an LSTM cell")
        states = []
        for state in (h, c):
            if isinstance(state, Pending) and state.tensor is None:
                state = self.resolve(state, [hidden] if x.rank == 1 else [
                    x.dims[0], hidden])
            elif state is not None:
                state = self.tensor(state, "an LSTM cell")
            states.append(state)
        if x.rank == 2 and self.batch is None:
            self.batch = x.dims[0]
        return self.graph.lstm_cell(x, states[0], states[1], w_ih, w_hh,
                                    b_ih, b_hh, name, self.where())


# aten and prim operations: handler(importer, node, args) -> result (a
# tuple for several outputs).

def identity(im, node, args):
    return args[0]


def constant(im, node, args):
    output = node.output()
    if output.type().kind() == "FunctionType":
        return Function(str(output.type()))
    value = output.toIValue()
    # Tracing turns Python numbers (y * 2.0) into 0-d float64 tensors.
    if isinstance(value, torch.Tensor) and value.dim() == 0:
        return value.item()
    return value


def get_attr(im, node, args):
    owner, name = args[0], node.s("name")
    check(isinstance(owner, Module), f"{im.where()}: attribute '{name}' of a "
          f"value that is not a module")
    value = getattr(owner.module, name)
    path = f"{owner.path}.{name}" if owner.path else name
    if isinstance(value, torch.jit.ScriptModule):
        return Module(value, path)
    if isinstance(value, torch.Tensor):
        return Param(value, path)
    return value


def unpack(im, node, args):
    values = list(args[0])
    check(len(values) == len(list(node.outputs())),
          f"{im.where()}: unpacking {len(values)} values")
    return tuple(values)


def getitem(im, node, args):
    return args[0][args[1]]


def length(im, node, args):
    if isinstance(args[0], (list, tuple)):
        return len(args[0])
    x = im.tensor(args[0], node.kind())
    check(x.rank > 0, f"{im.where()}: len() of a 0-d tensor")
    return x.dims[0]


def size(im, node, args):
    x = args[0]
    if isinstance(x, Pending) and len(args) == 2 and args[1] >= 0:
        return x.size(args[1], im.graph)
    x = im.tensor(x, "aten::size")
    if len(args) == 1:
        return list(x.dims)
    return x.dims[normalize_dim(args[1], x.rank, im.where())]


def int_binary(op):
    def handler(im, node, args):
        a, b = args[0], args[1]
        if isinstance(a, (int, float)) and isinstance(b, (int, float)) \
                and not isinstance(a, bool):
            return op(a, b)
        im.fail(f"arithmetic on sizes known only at run time "
                f"({node.kind()}) is not supported")
    return handler


def tensor_binary(kind):
    def handler(im, node, args):
        lhs, rhs = args[0], args[1]
        if isinstance(lhs, Sym) or isinstance(rhs, Sym):
            im.fail(f"arithmetic on sizes known only at run time "
                    f"({node.kind()}) is not supported")
        if kind == "div" and len(args) > 2 and args[2] is not None:
            im.fail(f"division with rounding_mode='{args[2]}' is not "
                    f"supported")
        if all(isinstance(v, (int, float)) for v in (lhs, rhs)):
            return {"add": lambda: lhs + rhs, "sub": lambda: lhs - rhs,
                    "mul": lambda: lhs * rhs,
                    "div": lambda: lhs / rhs}[kind]()
        # aten::add and aten::sub take other * alpha.
        alpha = args[2] if kind in ("add", "sub") and len(args) > 2 else 1
        if alpha != 1:
            rhs = rhs * alpha if isinstance(rhs, (int, float)) else \
                im.graph.binary("mul", im.tensor(rhs, node.kind()), alpha,
                                im.where())
        operands = [v if isinstance(v, (int, float)) else im.tensor(
            v, node.kind()) for v in (lhs, rhs)]
        return im.graph.binary(kind, operands[0], operands[1], im.where())
    return handler


def comparison(kind, op):
    """A comparison of Python values (sizes, flags) evaluated at import
    time, or of tensors (a boolean tensor, for masked_fill)."""
    def handler(im, node, args):
        a, b = args[0], args[1]
        if any(isinstance(v, (Tensor, Param, Pending)) for v in (a, b)):
            operands = [v if isinstance(v, (int, float)) and not isinstance(
                v, bool) else im.tensor(v, node.kind()) for v in (a, b)]
            return im.graph.compare(kind, operands[0], operands[1],
                                    im.where())
        if isinstance(a, Sym) or isinstance(b, Sym):
            im.fail(f"comparisons of values known only at run time "
                    f"({node.kind()}) are not supported")
        return op(a, b)
    return handler


def activation(kind, params=lambda args: ()):
    """An lstm.activation handler; `params(args)` gives (alpha, beta) from
    the op's arguments after the input."""
    def handler(im, node, args):
        return im.graph.activation(im.tensor(args[0], node.kind()), kind,
                                   im.where(), *params(args[1:]))
    return handler


def gelu(im, node, args):
    approximate = args[1] if len(args) > 1 else "none"
    return im.graph.gelu(im.tensor(args[0], node.kind()), im.where(),
                         approximate)


def elu_params(im, alpha, scale=1.0, input_scale=1.0):
    check(scale == 1 and input_scale == 1, f"{im.where()}: ELU with a scale "
          f"(SELU) is not supported")
    return (alpha,)


def softplus(im, node, args):
    # aten::softplus(input, beta, threshold)
    check(args[1] == 1 and args[2] == 20, f"{im.where()}: Softplus with "
          f"beta {args[1]} and threshold {args[2]} is not supported (only "
          f"the defaults 1 and 20)")
    return im.graph.activation(im.tensor(args[0], node.kind()), "softplus",
                               im.where())


def spatial(values, d, what, im):
    """An int or a list of 1 or d ints (PyTorch's _single/_pair), as d ints."""
    values = [values] if isinstance(values, int) else list(values)
    if len(values) == 1:
        values = values * d
    check(len(values) == d and all(isinstance(v, int) for v in values),
          f"{im.where()}: {what} must be {d} integers, got {values}")
    return values


def batched_input(im, value, channels, d, what):
    """The input of a layer over (N, C, d spatial dimensions)."""
    return im.input_for_layer(
        value, lambda rank: [Sym("N", True), channels] + [
            Sym(f"{input_name_of(value)}.{2 + i}") for i in range(d)],
        "f32", what)


def input_name_of(value):
    return getattr(value, "name", "x")


def convolution(im, x, weight, bias, stride, padding, dilation, groups):
    check(isinstance(weight, Param) and (bias is None or isinstance(
        bias, Param)), f"{im.where()}: a convolution's weights must be "
          f"parameters")
    w = im.array(weight)
    d = w.ndim - 2
    check(d >= 1, f"{im.where()}: a convolution's weight must have rank 3 or "
          f"more")
    stride = spatial(stride, d, "stride", im)
    dilation = spatial(dilation, d, "dilation", im)
    if isinstance(padding, str):
        check(padding in ("same", "valid"), f"{im.where()}: padding "
              f"'{padding}' is not supported")
        total = [0] * d if padding == "valid" else [
            dilation[i] * (w.shape[2 + i] - 1) for i in range(d)]
        check(padding == "valid" or stride == [1] * d, f"{im.where()}: "
              f"padding='same' is not supported for strided convolutions")
        # PyTorch puts the odd element of 'same' padding at the end.
        pads = [t // 2 for t in total] + [t - t // 2 for t in total]
    else:
        pads = spatial(padding, d, "padding", im) * 2
    x = batched_input(im, x, w.shape[1] * groups, d, "a convolution")
    return im.graph.conv(x, w, None if bias is None else im.array(bias),
                         stride, pads, dilation, groups,
                         weight.path.rsplit(".", 1)[0])


def conv(im, node, args):
    # aten::conv{1,2,3}d(input, weight, bias, stride, padding, dilation,
    #                    groups)
    return convolution(im, *args[:7])


def aten_convolution(im, node, args):
    # aten::_convolution(input, weight, bias, stride, padding, dilation,
    #                    transposed, output_padding, groups, ...)
    check(not args[6], f"{im.where()}: transposed convolutions are not "
          f"supported")
    return convolution(im, *args[:6], args[8])


def batch_norm(im, x, weight, bias, mean, var, training, eps):
    check(not training, f"{im.where()}: batch normalization in training "
          f"mode (batch statistics); call model.eval() first")
    check(isinstance(mean, Param) and isinstance(var, Param),
          f"{im.where()}: batch normalization without running statistics "
          f"(track_running_stats=False) is not supported")
    for p in (weight, bias):
        check(p is None or isinstance(p, Param), f"{im.where()}: batch "
              f"normalization's weights must be parameters")
    arrays = [None if p is None else im.array(p)
              for p in (weight, bias, mean, var)]
    channels = arrays[2].shape[0]
    x = im.input_for_layer(x, lambda rank: [Sym("N", True), channels] + [
        Sym(f"{input_name_of(x)}.{i}") for i in range(2, rank)]
        if rank else None, "f32", "batch normalization")
    return im.graph.batch_norm(x, *arrays, eps, mean.path.rsplit(".", 1)[0])


def aten_batch_norm(im, node, args):
    # aten::batch_norm(input, weight, bias, running_mean, running_var,
    #                  training, momentum, eps, cudnn_enabled)
    return batch_norm(im, args[0], args[1], args[2], args[3], args[4],
                      args[5], args[7])


def f_batch_norm(im, args):
    # F.batch_norm(input, running_mean, running_var, weight, bias, training,
    #              momentum, eps)
    return batch_norm(im, args[0], args[3], args[4], args[1], args[2],
                      args[5], args[7])


def layer_norm(im, x, shape, weight, bias, eps):
    shape = [shape] if isinstance(shape, int) else list(shape)
    for p in (weight, bias):
        check(p is None or isinstance(p, Param), f"{im.where()}: layer "
              f"normalization's weights must be parameters")
    x = im.input_for_layer(x, lambda rank: [
        Sym(f"{input_name_of(x)}.{i}") for i in range(rank - len(shape))
    ] + shape if rank else None, "f32", "layer normalization")
    return im.graph.layer_norm(
        x, shape, None if weight is None else im.array(weight),
        None if bias is None else im.array(bias), eps,
        (weight or bias).path.rsplit(".", 1)[0] if (weight or bias)
        else im.where())


def pool(im, kind, d, x, kernel, stride, padding, dilation, ceil_mode,
         count_include_pad):
    kernel = spatial(kernel, d, "kernel_size", im)
    stride = spatial(stride, d, "stride", im) if stride not in (
        None, []) else kernel
    padding = spatial(padding, d, "padding", im)
    dilation = spatial(dilation, d, "dilation", im)
    for p, k, dil in zip(padding, kernel, dilation):
        check(p <= (dil * (k - 1) + 1) // 2, f"{im.where()}: pad should be "
              f"at most half of effective kernel size")
    x = im.tensor(x, "pooling")
    return im.graph.pool(x, kind, kernel, stride, padding * 2, dilation,
                         bool(ceil_mode), bool(count_include_pad),
                         im.where())


def max_pool(d):
    # aten::max_pool{1,2,3}d(input, kernel_size, stride, padding, dilation,
    #                        ceil_mode)
    def handler(im, node, args):
        return pool(im, "max", d, *args[:6], False)
    return handler


def f_max_pool(d):
    # F._max_pool{1,2,3}d(input, kernel_size, stride, padding, dilation,
    #                     ceil_mode, return_indices)
    def handler(im, args):
        check(not args[6], f"{im.where()}: max pooling with return_indices "
              f"is not supported")
        return pool(im, "max", d, *args[:6], False)
    return handler


def avg_pool(d):
    # aten::avg_pool{1,2,3}d(input, kernel_size, stride, padding, ceil_mode,
    #                        count_include_pad[, divisor_override])
    def handler(im, node, args):
        check(len(args) < 7 or args[6] is None, f"{im.where()}: average "
              f"pooling with divisor_override is not supported")
        return pool(im, "avg", d, args[0], args[1], args[2], args[3], 1,
                    args[4], args[5])
    return handler


def dropout(im, node, args):
    if args[2]:
        im.fail("the model was traced or saved in training mode (dropout is "
                "active); call model.eval() first")
    return args[0]


def softmax(log, dtype_arg):
    def handler(im, node, args):
        check(args[1] is not None, f"{im.where()}: softmax needs a dim")
        check(args[dtype_arg] in (None, 6), f"{im.where()}: softmax to a "
              f"type other than float32 is not supported")
        return im.graph.softmax(im.tensor(args[0], "softmax"), args[1], log,
                                im.where())
    return handler


def zeros(im, node, args):
    dims = args[0]
    dtype = args[1]
    check(dtype is None or dtype == 6, f"{im.where()}: only float32 zeros "
          f"are supported")
    return im.graph.full(list(dims), 0.0)


def zeros_like(im, node, args):
    x = im.tensor(args[0], node.kind())
    return im.graph.full(x.dims, 0.0, x.dtype)


def linear(im, node, args):
    x, weight, bias = args[0], args[1], args[2]
    check(isinstance(weight, Param) and (bias is None or isinstance(
        bias, Param)), f"{im.where()}: a linear layer's weights must be "
          f"parameters")
    w = im.array(weight)
    x = im.input_for_layer(x, lambda rank: [Sym("N", True)] * (
        (rank or 2) - 1) + [w.shape[1]], "f32", "a linear layer")
    return im.graph.linear(x, w, None if bias is None else im.array(bias),
                           weight.path.rsplit(".", 1)[0])


def embedding(im, node, args):
    weight, indices = args[0], args[1]
    check(isinstance(weight, Param), f"{im.where()}: an embedding's table "
          f"must be a parameter")
    name = weight.path.rsplit(".", 1)[0]
    indices = im.input_for_layer(
        indices, lambda rank: [Sym(f"{indices.name}.{i}")
                               for i in range(rank or 2)], "i64",
        "an embedding")
    return im.graph.embedding(indices, im.array(weight), name)


def f_embedding(im, args):
    # F.embedding(input, weight, padding_idx, max_norm, norm_type,
    #             scale_grad_by_freq, sparse)
    check(args[3] is None, f"{im.where()}: max_norm (which changes the "
          f"weights) is not supported")
    return embedding(im, None, [args[1], args[0]])


def aten_lstm(im, node, args):
    # aten::lstm(input, hx, params, has_biases, num_layers, dropout, train,
    #            bidirectional, batch_first)
    if len(args) != 9 or not isinstance(args[1], (list, tuple)):
        im.fail("packed sequences (nn.utils.rnn.PackedSequence) are not "
                "supported")
    x, hx, params, bias, layers, drop, train, bidirectional, batch_first = args
    if train:
        im.fail("the model was traced in training mode; call model.eval() "
                "first")
    directions = 2 if bidirectional else 1
    per = len(params) // (layers * directions)
    proj = per - (4 if bias else 2)
    check(proj in (0, 1) and per * layers * directions == len(params),
          f"{im.where()}: unexpected LSTM parameters")
    arrays = [im.array(p) for p in params]
    config = LSTMParameters(
        arrays[0].shape[1], arrays[0].shape[0] // 4, layers, bias,
        batch_first, drop, bidirectional,
        arrays[per - 1].shape[0] if proj else 0,
        [(p.path, a) for p, a in zip(params, arrays)])
    return im.emit_lstm(x, list(hx) if hx else None, config)


def aten_lstm_cell(im, node, args):
    # aten::lstm_cell(input, hx, w_ih, w_hh, b_ih, b_hh)
    x, hx, w_ih, w_hh, b_ih, b_hh = args
    arrays = [None if p is None else im.array(p)
              for p in (w_ih, w_hh, b_ih, b_hh)]
    return im.emit_lstm_cell(x, hx[0], hx[1], *arrays,
                             w_ih.path.rsplit(".", 1)[0])


def select(im, node, args):
    return im.graph.select(im.tensor(args[0], node.kind()), args[1], args[2],
                           im.where())


def slice_(im, node, args):
    x = im.tensor(args[0], node.kind())
    check(len(args) < 5 or args[4] == 1, f"{im.where()}: slices with a step "
          f"are not supported")
    return im.graph.narrow(x, args[1], args[2], args[3], im.where())


def fixed_dim(im, node, x, dim):
    """Dimension `dim` of x and its size, which must be static: pieces of
    it are separate values."""
    d = normalize_dim(dim, x.rank, im.where())
    check(isinstance(x.dims[d], int), f"{im.where()}: {node.kind()} of a "
          f"dimension known only at run time is not supported")
    return d, x.dims[d]


def pieces(im, x, d, sizes):
    """x cut along `d` into consecutive pieces of `sizes`."""
    result, start = [], 0
    for n in sizes:
        result.append(im.graph.narrow(x, d, start, start + n, im.where()))
        start += n
    return result


def chunk(im, node, args):
    x, chunks = im.tensor(args[0], node.kind()), args[1]
    d, size = fixed_dim(im, node, x, args[2])
    check(isinstance(chunks, int) and chunks > 0, f"{im.where()}: chunk "
          f"expects `chunks` to be greater than 0, got: {chunks}")
    if size == 0:  # As PyTorch: `chunks` empty pieces.
        return pieces(im, x, d, [0] * chunks)
    step = -(-size // chunks)
    return pieces(im, x, d, [min(step, size - start)
                             for start in range(0, size, step)])


def squeeze(im, node, args):
    x = im.tensor(args[0], node.kind())
    if len(args) == 1:
        check(all(isinstance(d, int) for d in x.dims), f"{im.where()}: "
              f"squeeze() of a tensor with sizes known only at run time is "
              f"not supported (PyTorch drops them only if they are 1); name "
              f"the dimensions: squeeze(d)")
        dims = [i for i, d in enumerate(x.dims) if d == 1]
    else:
        dims = args[1] if isinstance(args[1], list) else [args[1]]
    return im.graph.squeeze(x, dims, im.where())


def unsqueeze(im, node, args):
    return im.graph.unsqueeze(im.tensor(args[0], node.kind()), args[1],
                              im.where())


def flatten(im, node, args):
    return im.graph.flatten(im.tensor(args[0], node.kind()), args[1], args[2],
                            im.where())


def transpose(im, node, args):
    x = im.tensor(args[0], node.kind())
    perm = list(range(x.rank))
    a = args[1] % max(x.rank, 1)
    b = args[2] % max(x.rank, 1)
    perm[a], perm[b] = perm[b], perm[a]
    return im.graph.permute(x, perm, im.where())


def permute(im, node, args):
    return im.graph.permute(im.tensor(args[0], node.kind()), list(args[1]),
                            im.where())


def split(im, node, args):
    # aten::split(x, split_size or sizes, dim); split_with_sizes(x, sizes,
    # dim).
    x, sizes = im.tensor(args[0], node.kind()), args[1]
    d, size = fixed_dim(im, node, x, args[2])
    if isinstance(sizes, int):
        check(sizes > 0 or (sizes == 0 and size == 0), f"{im.where()}: "
              f"split expects split_size be non-negative, but got "
              f"split_size={sizes}")
        sizes = [min(sizes, size - start)
                 for start in range(0, size, max(sizes, 1))] or [0]
    check(all(isinstance(n, int) and n >= 0 for n in sizes) and
          sum(sizes) == size, f"{im.where()}: split_with_sizes expects "
          f"split_sizes to sum exactly to {size} (input tensor's size at "
          f"dimension {d}), but got split_sizes={list(sizes)}")
    return pieces(im, x, d, sizes)


def unbind(im, node, args):
    x = im.tensor(args[0], node.kind())
    d, size = fixed_dim(im, node, x, args[1] if len(args) > 1 else 0)
    return [im.graph.select(x, d, i, im.where()) for i in range(size)]


def expand(im, node, args):
    # aten::expand(x, size, implicit)
    return im.graph.expand(im.tensor(args[0], node.kind()), list(args[1]),
                           im.where())


def expand_as(im, node, args):
    other = im.tensor(args[1], node.kind())
    return im.graph.expand(im.tensor(args[0], node.kind()), list(other.dims),
                           im.where())


def repeat(im, node, args):
    return im.graph.repeat(im.tensor(args[0], node.kind()), list(args[1]),
                           im.where())


def stack(im, node, args):
    return im.graph.stack([im.tensor(t, node.kind()) for t in args[0]],
                          args[1], im.where())


def masked_fill(im, node, args):
    # aten::masked_fill(x, mask, value)
    x, mask, value = args
    check(isinstance(value, (int, float)) and not isinstance(value, bool),
          f"{im.where()}: masked_fill with a tensor value is not supported; "
          f"pass a number")
    return im.graph.masked_fill(im.tensor(x, node.kind()),
                                im.tensor(mask, node.kind()), value,
                                im.where())


def to_bool(im, node, args):
    # bool(tensor): a Python value from one known only at run time.
    if isinstance(args[0], (Tensor, Param, Pending, Sym)):
        im.fail("control flow on values known only at run time (bool() of "
                "a tensor) is not supported")
    return bool(args[0])


def requires_grad(im, node, args):
    # x.requires_grad_(flag): autograd bookkeeping, nothing in inference.
    return args[0]


def cat(im, node, args):
    return im.graph.concat([im.tensor(t, node.kind()) for t in args[0]],
                           args[1], im.where())


def mean(im, node, args):
    x = im.tensor(args[0], node.kind())
    if len(args) == 2:  # x.mean(dtype=None): over everything
        return im.graph.mean(x, list(range(x.rank)), False, im.where())
    dims = list(args[1]) if args[1] is not None else list(range(x.rank))
    return im.graph.mean(x, dims, bool(args[2]), im.where())


def sum_(im, node, args):
    x = im.tensor(args[0], node.kind())
    if len(args) == 2:  # x.sum(dtype=None): over everything
        check(args[1] in (None, 6), f"{im.where()}: a sum to a type other "
              f"than float32 is not supported")
        return im.graph.sum(x, list(range(x.rank)), False, im.where())
    check(len(args) < 4 or args[3] in (None, 6), f"{im.where()}: a sum to "
          f"a type other than float32 is not supported")
    dims = args[1] if args[1] is not None else list(range(x.rank))
    dims = [dims] if isinstance(dims, int) else list(dims)
    return im.graph.sum(x, dims, bool(args[2]), im.where())


def bmm(im, node, args):
    # An input first used here takes the other operand's batch and
    # contracted sizes: (B, M, K) x (B, K, N).
    a, b = args[0], args[1]
    if isinstance(b, (Tensor, Param)) or (
            isinstance(b, Pending) and b.tensor is not None):
        b = im.tensor(b, node.kind())
        a = im.input_for_layer(a, lambda rank: [
            b.dims[0], Sym(f"{input_name_of(a)}.1"), b.dims[1]]
            if rank in (None, 3) else None, "f32", node.kind())
    else:
        a = im.tensor(a, node.kind())
        b = im.input_for_layer(b, lambda rank: [
            a.dims[0], a.dims[2], Sym(f"{input_name_of(b)}.2")]
            if rank in (None, 3) else None, "f32", node.kind())
    return im.graph.bmm(a, b, im.where())


def reshape(im, node, args):
    x = im.tensor(args[0], node.kind())
    shape = list(args[1])
    # x.view(x.size(0), ..., -1): a flatten of the trailing dimensions.
    keep = len(shape) - 1
    if shape and shape[-1] == -1 and keep <= x.rank and all(
            isinstance(s, (int, Sym)) and (s == d or (
                isinstance(s, Sym) and isinstance(d, Sym)
                and s.root() is d.root()))
            for s, d in zip(shape[:-1], x.dims)):
        if keep == x.rank:
            return im.graph.unsqueeze(x, keep, im.where())
        return im.graph.flatten(x, keep, x.rank - 1, im.where())
    if list(x.dims) == shape:
        return x
    return im.graph.reshape(x, shape, im.where())


def to(im, node, args):
    x = args[0]
    dtypes = [a for a in args[1:] if isinstance(a, int) and not isinstance(
        a, bool)]
    if dtypes and dtypes[0] != 6:
        im.fail(f"{node.kind()} to a type other than float32 is not "
                f"supported")
    if isinstance(x, Tensor) and dtypes:
        return im.graph.to_float(x, im.where())
    return x


# Ops whose result shares its input's memory.
VIEWS = {
    "aten::select", "aten::slice", "aten::narrow", "aten::transpose",
    "aten::permute", "aten::t", "aten::view", "aten::view_as",
    "aten::reshape", "aten::reshape_as", "aten::squeeze", "aten::unsqueeze",
    "aten::flatten", "aten::unflatten", "aten::expand", "aten::expand_as",
    "aten::chunk", "aten::unsafe_chunk", "aten::split", "aten::unbind",
    "aten::detach", "aten::contiguous", "aten::to", "aten::alias",
    "aten::as_strided", "aten::diagonal", "aten::__getitem__",
}

HANDLERS = {
    "prim::Constant": constant,
    "prim::GetAttr": get_attr,
    "prim::CallMethod": Importer.call_method,
    "prim::CallFunction": Importer.call_function,
    "prim::TupleConstruct": lambda im, node, args: tuple(args),
    "prim::ListConstruct": lambda im, node, args: list(args),
    "prim::TupleUnpack": unpack,
    "prim::ListUnpack": unpack,
    "prim::TupleIndex": getitem,
    "aten::__getitem__": getitem,
    "prim::NumToTensor": identity,
    "aten::Int": identity,
    "aten::Float": identity,
    "aten::ScalarImplicit": identity,
    "prim::unchecked_cast": identity,
    "aten::contiguous": identity,
    "aten::detach": identity,
    "aten::clone": identity,
    "aten::to": to,
    "prim::Uninitialized": lambda im, node, args: None,
    "aten::__is__": lambda im, node, args: args[0] is args[1],
    "aten::__isnot__": lambda im, node, args: args[0] is not args[1],
    "aten::__not__": lambda im, node, args: not args[0],
    "aten::eq": comparison("eq", lambda a, b: a == b),
    "aten::ne": comparison("ne", lambda a, b: a != b),
    "aten::lt": comparison("lt", lambda a, b: a < b),
    "aten::gt": comparison("gt", lambda a, b: a > b),
    "aten::le": comparison("le", lambda a, b: a <= b),
    "aten::ge": comparison("ge", lambda a, b: a >= b),
    "aten::len": length,
    "aten::dim": lambda im, node, args: im.tensor(args[0], "aten::dim").rank,
    "aten::size": size,
    "aten::floordiv": int_binary(lambda a, b: a // b),
    "aten::add": tensor_binary("add"),
    "aten::sub": tensor_binary("sub"),
    "aten::mul": tensor_binary("mul"),
    "aten::div": tensor_binary("div"),
    "aten::zeros": zeros,
    "aten::zeros_like": zeros_like,
    "aten::relu": activation("relu"),
    "aten::tanh": activation("tanh"),
    "aten::sigmoid": activation("sigmoid"),
    "aten::gelu": gelu,
    "aten::hardtanh": activation("hardtanh", lambda a: (a[0], a[1])),
    "aten::relu6": activation("hardtanh", lambda a: (0.0, 6.0)),
    "aten::leaky_relu": activation("leaky_relu", lambda a: (a[0],)),
    "aten::elu": lambda im, node, args: activation(
        "elu", lambda a: elu_params(im, *a[:3]))(im, node, args),
    "aten::softplus": softplus,
    "aten::conv1d": conv,
    "aten::conv2d": conv,
    "aten::conv3d": conv,
    "aten::_convolution": aten_convolution,
    # aten::_convolution_mode(input, weight, bias, stride, padding: str,
    #                         dilation, groups)
    "aten::_convolution_mode": conv,
    "aten::convolution": aten_convolution,
    "aten::batch_norm": aten_batch_norm,
    "aten::layer_norm": lambda im, node, args: layer_norm(im, *args[:5]),
    "aten::max_pool1d": max_pool(1),
    "aten::max_pool2d": max_pool(2),
    "aten::max_pool3d": max_pool(3),
    "aten::avg_pool1d": avg_pool(1),
    "aten::avg_pool2d": avg_pool(2),
    "aten::avg_pool3d": avg_pool(3),
    "aten::dropout": dropout,
    "aten::feature_dropout": dropout,
    "aten::softmax": softmax(False, dtype_arg=2),
    "aten::log_softmax": softmax(True, dtype_arg=2),
    "aten::linear": linear,
    "aten::embedding": embedding,
    "aten::lstm": aten_lstm,
    "aten::lstm_cell": aten_lstm_cell,
    "aten::select": select,
    "aten::slice": slice_,
    "aten::chunk": chunk,
    "aten::unsafe_chunk": chunk,
    "aten::squeeze": squeeze,
    "aten::unsqueeze": unsqueeze,
    "aten::flatten": flatten,
    "aten::transpose": transpose,
    "aten::permute": permute,
    "aten::cat": cat,
    "aten::stack": stack,
    "aten::split": split,
    "aten::split_with_sizes": split,
    "aten::unbind": unbind,
    "aten::expand": expand,
    "aten::expand_as": expand_as,
    "aten::repeat": repeat,
    "aten::masked_fill": masked_fill,
    "aten::requires_grad_": requires_grad,
    "aten::Bool": to_bool,
    "aten::mean": mean,
    "aten::sum": sum_,
    "aten::bmm": bmm,
    "aten::view": reshape,
    "aten::reshape": reshape,
}

# TorchScript functions of torch.nn.functional that scripted modules call.
def f_activation(kind, params=lambda args: ()):
    """F.relu(input, inplace), F.hardtanh(input, min_val, max_val,
    inplace), ...: `params(args)` gives (alpha, beta) from the arguments
    after the input, the last of which is `inplace`."""
    def handler(im, args):
        result = im.graph.activation(im.tensor(args[0], f"F.{kind}"), kind,
                                     im.where(), *params(args[1:-1]))
        if len(args) > 1 and args[-1] is True:
            im.mutations = [(1, result)]  # node input 0 is the function
        return result
    return handler


FUNCTIONS = {
    "relu": f_activation("relu"),
    "hardtanh": f_activation("hardtanh", lambda a: (a[0], a[1])),
    "relu6": f_activation("hardtanh", lambda a: (0.0, 6.0)),
    "leaky_relu": f_activation("leaky_relu", lambda a: (a[0],)),
    "elu": f_activation("elu", lambda a: (a[0],)),
    "batch_norm": f_batch_norm,
    # F.layer_norm(input, normalized_shape, weight, bias, eps)
    "layer_norm": lambda im, args: layer_norm(im, *args[:5]),
    "_max_pool1d": f_max_pool(1),
    "_max_pool2d": f_max_pool(2),
    "_max_pool3d": f_max_pool(3),
    "dropout": lambda im, args: dropout(im, None, [args[0], args[1],
                                                   args[2]]),
    # F.softmax(input, dim, _stacklevel, dtype)
    "softmax": lambda im, args: softmax(False, dtype_arg=3)(im, None, args),
    "log_softmax": lambda im, args: softmax(True, dtype_arg=3)(im, None,
                                                               args),
    "embedding": f_embedding,
}


def flatten_outputs(value):
    if isinstance(value, (tuple, list)):
        return [t for v in value for t in flatten_outputs(v)]
    return [value]


def import_module(module, input_shapes, out):
    """Writes the MLIR of the TorchScript `module` to the stream `out`."""
    im = Importer(input_shapes)
    results = [im.tensor(v, "the model's outputs")
               for v in flatten_outputs(im.run(module))]
    for i, result in enumerate(results):
        check(result.dtype in ("f32", "i64"), f"output {i} is a tensor of "
              f"{'booleans' if result.dtype == 'i8' else result.dtype}; "
              f"outputs may be float32 or int64 (return mask.float())")
    for pending in im.inputs:
        if pending.tensor is None:
            raise UserError(f"input '{pending.name}' is not used; remove it "
                            f"from forward")
    # A compiled model's output sizes are its inputs' sizes or constants.
    known = {d.root() for p in im.inputs for d in p.tensor.dims
             if isinstance(d, Sym)}
    for i, result in enumerate(results):
        for dim in result.dims:
            check(not isinstance(dim, Sym) or dim.root() in known,
                  f"output {i} has a size computed at run time ({dim}); "
                  f"outputs may only have the sizes of inputs' dimensions "
                  f"or fixed sizes: fix the input sizes it follows from "
                  f"with --input-shape")
    tensors = [p.tensor for p in im.inputs] + results
    names = {}
    for tensor in tensors:
        for dim in tensor.dims:
            if isinstance(dim, Sym) and dim.root() not in names:
                base = dim.root().hint
                name, n = base, 1
                while name in names.values():
                    n += 1
                    name = f"{base}{n}"
                names[dim.root()] = name

    def attributes(name, tensor):
        attrs = [f'lstm.name = "{name}"']
        symbols = [names[d.root()] for d in tensor.dims if isinstance(d, Sym)]
        if symbols:
            attrs.append("lstm.dynamic_dims = [" + ", ".join(
                f'"{s}"' for s in symbols) + "]")
        return ", ".join(attrs)

    args = [(p.tensor, attributes(p.name, p.tensor)) for p in im.inputs]
    output_names = ["output"] if len(results) == 1 else [
        f"output_{i}" for i in range(len(results))]
    outs = [(t, attributes(n, t)) for n, t in zip(output_names, results)]
    batch = ""
    if im.batch is not None and any(
            isinstance(d, Sym) and d.root() is im.batch.root()
            for p in im.inputs for d in p.tensor.dims):
        batch = f'lstm.batch_dim = "{names[im.batch.root()]}"'
    im.graph.write(out, args, outs, batch)
