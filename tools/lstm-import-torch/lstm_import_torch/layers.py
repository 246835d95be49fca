"""The layers of a PyTorch model as MLIR ops on tensors.

LSTMs become `lstm.lstm` (nn.LSTM) or a one-step `lstm.layer`
(nn.LSTMCell); everything else becomes linalg, tensor, arith and math ops,
which the compiler fuses and vectorizes.
"""

import math

import numpy as np

from .errors import UserError
from .mlir import (Function, Sym, affine_map, float_text, same_dim,
                   tensor_type, unify)


def check(condition, message):
    if not condition:
        raise UserError(message)


def normalize_dim(dim, rank, what):
    check(-rank <= dim < max(rank, 1), f"{what}: dimension {dim} is out of "
          f"range for a tensor of rank {rank}")
    return dim + rank if dim < 0 else dim


class LSTMParameters:
    """The configuration and `_flat_weights` of an nn.LSTM."""

    def __init__(self, input_size, hidden_size, num_layers, bias,
                 batch_first, dropout, bidirectional, proj_size, weights):
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.num_layers = num_layers
        self.bias = bias
        self.batch_first = batch_first
        self.dropout = dropout
        self.bidirectional = bidirectional
        self.proj_size = proj_size
        self.weights = weights  # [(name, float32 numpy array)]

    @property
    def num_directions(self):
        return 2 if self.bidirectional else 1

    @property
    def hidden_out(self):
        return self.proj_size if self.proj_size > 0 else self.hidden_size

    def attributes(self):
        """The lstm.lstm attributes, as MLIR text."""
        return ", ".join([
            f"input_size = {self.input_size} : i64",
            f"hidden_size = {self.hidden_size} : i64",
            f"num_layers = {self.num_layers} : i64",
            f"has_biases = {str(self.bias).lower()}",
            f"batch_first = {str(self.batch_first).lower()}",
            f"bidirectional = {str(self.bidirectional).lower()}",
            f"proj_size = {self.proj_size} : i64",
            f"dropout = {float(self.dropout)!r} : f64"])


def flat_weight_names(num_layers, bidirectional, bias, proj_size):
    names = []
    for layer in range(num_layers):
        for suffix in ("", "_reverse") if bidirectional else ("",):
            kinds = ["weight_ih", "weight_hh"]
            if bias:
                kinds += ["bias_ih", "bias_hh"]
            if proj_size > 0:
                kinds.append("weight_hr")
            names += [f"{kind}_l{layer}{suffix}" for kind in kinds]
    return names


class Graph(Function):
    """A function under construction, with one method per layer kind."""

    # Elementwise operations with numpy/PyTorch broadcasting.

    def broadcast_dims(self, operands, what):
        rank = max(t.rank for t in operands)
        dims = [1] * rank
        for t in operands:
            for i, dim in enumerate(t.dims):
                j = rank - t.rank + i
                if dim == 1:
                    continue
                if dims[j] == 1:
                    dims[j] = dim
                elif isinstance(dims[j], Sym) and not isinstance(dim, Sym):
                    dims[j] = dim
                elif not unify(dims[j], dim):
                    raise UserError(f"{what}: cannot broadcast sizes "
                                    f"{dims[j]} and {dim}")
        return dims

    def elementwise(self, operands, body, what, dtype=None):
        """`body(block, args)` computes one element from the operands'."""
        dims = self.broadcast_dims(operands, what)
        rank = len(dims)
        maps = []
        for t in operands:
            exprs = []
            for i, dim in enumerate(t.dims):
                j = rank - t.rank + i
                exprs.append("0" if dim == 1 and dims[j] != 1 else f"d{j}")
            maps.append(affine_map(rank, exprs))
        maps.append(affine_map(rank, [f"d{j}" for j in range(rank)]))
        init = self.empty(dims, dtype or operands[0].dtype)
        return self.generic(operands, maps, init, ["parallel"] * rank, body)

    def activation(self, x, kind, what, alpha=None, beta=None):
        """lstm.activation: `kind` is one of #lstm.activation's functions,
        `alpha` and `beta` its parameters."""
        check(x.dtype == "f32", f"{what}: expects a float32 tensor")
        params = "".join(f", {name} = {float_text(value)} : f32"
                         for name, value in (("alpha", alpha), ("beta", beta))
                         if value is not None)
        ssa = self.fresh()
        self.emit(f"{ssa} = lstm.activation <{kind}{params}> {x.ssa} : "
                  f"{x.type}")
        return self.tensor(ssa, x.dims)

    def gelu(self, x, what, approximate="none"):
        check(x.dtype == "f32", f"{what}: expects a float32 tensor")

        def body(b, a):
            v = a[0]
            half = b.op(f"arith.mulf {v}, {b.const(0.5)}", "f32")
            if approximate == "tanh":
                # 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3)))
                cube = b.op(f"arith.mulf {v}, "
                            f"{b.op(f'arith.mulf {v}, {v}', 'f32')}", "f32")
                inner = b.op(f"math.fma {cube}, {b.const(0.044715)}, {v}",
                             "f32")
                t = b.op("math.tanh " + b.op(
                    f"arith.mulf {inner}, "
                    f"{b.const(math.sqrt(2 / math.pi))}", "f32"), "f32")
            else:
                # 0.5 x (1 + erf(x / sqrt(2)))
                t = b.op("math.erf " + b.op(
                    f"arith.mulf {v}, {b.const(math.sqrt(0.5))}", "f32"),
                    "f32")
            return b.op(f"math.fma {half}, {t}, {half}", "f32")

        return self.elementwise([x], body, what)

    def binary(self, kind, lhs, rhs, what):
        """lhs <kind> rhs, either a tensor or a Python number."""
        tensors = [t for t in (lhs, rhs) if not isinstance(t, (int, float))]
        check(all(t.dtype == "f32" for t in tensors),
              f"{what}: expects float32 tensors")
        op = {"add": "arith.addf", "sub": "arith.subf", "mul": "arith.mulf",
              "div": "arith.divf"}[kind]

        def body(b, a):
            args = iter(a)
            values = [b.const(v) if isinstance(v, (int, float)) else next(args)
                      for v in (lhs, rhs)]
            return b.op(f"{op} {values[0]}, {values[1]}", "f32")

        return self.elementwise(tensors, body, what)

    # Layers.

    def linear(self, x, weight, bias, what):
        """x @ weight.T + bias; weight is a numpy (out, in) array."""
        out_features, in_features = weight.shape
        check(x.dtype == "f32" and x.rank >= 1,
              f"{what}: expects a float32 input")
        check(same_dim(x.dims[-1], in_features) or isinstance(
            x.dims[-1], Sym), f"{what}: the input has {x.dims[-1]} features, "
              f"the layer {in_features}")
        # The weight transposed at import time: the loop over outputs is
        # the innermost, contiguous one.
        w = self.weight(f"{what}.weight", np.ascontiguousarray(weight.T))
        dims = x.dims[:-1] + [out_features]
        rank = len(dims)
        if bias is not None:
            b = self.weight(f"{what}.bias", bias)
            init = self.generic(
                [b], [affine_map(rank, [f"d{rank - 1}"]),
                      affine_map(rank, [f"d{i}" for i in range(rank)])],
                self.empty(dims), ["parallel"] * rank, lambda blk, a: a[0])
        else:
            init = self.full(dims, 0.0)
        # Loops (m..., k, n).
        loops = rank + 1
        outer = [f"d{i}" for i in range(rank - 1)]
        k, n = f"d{rank - 1}", f"d{rank}"
        maps = [affine_map(loops, outer + [k]), affine_map(loops, [k, n]),
                affine_map(loops, outer + [n])]
        iterators = ["parallel"] * (rank - 1) + ["reduction", "parallel"]

        def body(b, a):
            product = b.op(f"arith.mulf {a[0]}, {a[1]}", "f32")
            return b.op(f"arith.addf {a[2]}, {product}", "f32")

        return self.generic([x, w], maps, init, iterators, body)

    def window_dims(self, x, windows, what):
        """The output sizes of sliding `windows` (kernel extent, stride,
        pad_begin, pad_end, ceil_mode) over x's spatial dimensions."""
        dims = []
        for i, (extent, stride, begin, end, ceil) in enumerate(windows):
            size = x.dims[2 + i]
            if isinstance(size, int):
                span = size + begin + end - extent
                out = (span + (stride - 1 if ceil else 0)) // stride + 1
                if ceil and out > 1 and (out - 1) * stride >= size + begin:
                    out -= 1
                check(out >= 1, f"{what}: the input's spatial size {size} "
                      f"(padded by {begin + end}) is smaller than the "
                      f"kernel's extent {extent}")
                dims.append(out)
            elif stride == 1 and begin + end == extent - 1:
                dims.append(size)  # A "same" window keeps the size.
            else:
                dims.append(Sym(f"{what}.size({2 + i})"))
        return dims

    def conv(self, x, weight, bias, strides, padding, dilations, groups,
             what):
        """A grouped convolution; `weight` (F, C / groups, K...) and `bias`
        (F) are numpy arrays, `padding` the begin pads then the end pads."""
        d = weight.ndim - 2
        check(x.dtype == "f32" and x.rank == d + 2, f"{what}: expects a "
              f"float32 input (N, C, ...) of rank {d + 2}, got rank "
              f"{x.rank}; unbatched inputs are not supported")
        check(groups >= 1 and weight.shape[0] % groups == 0,
              f"{what}: groups {groups} must divide the "
              f"{weight.shape[0]} output channels")
        channels = weight.shape[1] * groups
        check(isinstance(x.dims[1], Sym) or x.dims[1] == channels,
              f"{what}: expected input to have {channels} channels, but "
              f"got {x.dims[1]} channels instead")
        unify(x.dims[1], channels)
        w = self.weight(f"{what}.weight", weight)
        operands, types = [x.ssa, w.ssa], [x.type, w.type]
        if bias is not None:
            b = self.weight(f"{what}.bias", bias)
            operands.append(b.ssa)
            types.append(b.type)
        windows = [(dilations[i] * (weight.shape[2 + i] - 1) + 1, strides[i],
                    padding[i], padding[d + i], False) for i in range(d)]
        dims = [x.dims[0], weight.shape[0]] + self.window_dims(x, windows,
                                                                what)
        ssa = self.fresh()
        result = self.tensor(ssa, dims)
        self.emit(f"{ssa} = lstm.conv {', '.join(operands)} strides = "
                  f"{list(strides)} dilations = {list(dilations)} padding = "
                  f"{list(padding)} groups = {groups} : {', '.join(types)} "
                  f"-> {result.type}")
        return result

    def pool(self, x, kind, kernel, strides, padding, dilations, ceil_mode,
             count_include_pad, what):
        d = len(kernel)
        check(x.dtype == "f32" and x.rank == d + 2, f"{what}: expects a "
              f"float32 input (N, C, ...) of rank {d + 2}, got rank "
              f"{x.rank}; unbatched inputs are not supported")
        windows = [(dilations[i] * (kernel[i] - 1) + 1, strides[i],
                    padding[i], padding[d + i], ceil_mode) for i in range(d)]
        dims = x.dims[:2] + self.window_dims(x, windows, what)
        ssa = self.fresh()
        result = self.tensor(ssa, dims)
        flags = (" ceil_mode" if ceil_mode else "") + (
            " count_include_pad" if count_include_pad else "")
        self.emit(f"{ssa} = lstm.pool {kind} {x.ssa} kernel = {list(kernel)} "
                  f"strides = {list(strides)} dilations = {list(dilations)} "
                  f"padding = {list(padding)}{flags} : {x.type} -> "
                  f"{result.type}")
        return result

    def batch_norm(self, x, scale, bias, mean, variance, epsilon, what):
        """Inference batch normalization over dimension 1; the parameters
        are numpy arrays (C)."""
        channels = mean.shape[0]
        check(x.dtype == "f32" and x.rank >= 2, f"{what}: expects a float32 "
              f"input (N, C, ...)")
        check(unify(x.dims[1], channels), f"{what}: running_mean should "
              f"contain {x.dims[1]} elements not {channels}")
        if scale is None:
            scale = np.ones(channels, np.float32)
        if bias is None:
            bias = np.zeros(channels, np.float32)
        params = [self.weight(f"{what}.{name}", array) for name, array in (
            ("weight", scale), ("bias", bias), ("running_mean", mean),
            ("running_var", variance))]
        ssa = self.fresh()
        self.emit(f"{ssa} = lstm.batch_norm {x.ssa}, "
                  f"{', '.join(p.ssa for p in params)} epsilon = "
                  f"{float_text(epsilon)} : {x.type}, {params[0].type}")
        return self.tensor(ssa, x.dims)

    def layer_norm(self, x, shape, scale, bias, epsilon, what):
        k = len(shape)
        check(x.dtype == "f32" and 1 <= k <= x.rank, f"{what}: expects a "
              f"float32 input of rank {k} or more")
        for dim, size in zip(x.dims[x.rank - k:], shape):
            check(unify(dim, size), f"{what}: Given normalized_shape="
                  f"{list(shape)}, expected input with shape [*, "
                  f"{', '.join(map(str, shape))}], but got input of size "
                  f"{x.dims}")
        operands = ""
        for name, array in (("scale", scale), ("bias", bias)):
            if array is not None:
                p = self.weight(f"{what}.{'weight' if name == 'scale' else name}",
                                array)
                operands += f" {name}({p.ssa} : {p.type})"
        ssa = self.fresh()
        self.emit(f"{ssa} = lstm.layer_norm {x.ssa}{operands} normalized_rank "
                  f"= {k} epsilon = {float_text(epsilon)} : {x.type}")
        return self.tensor(ssa, x.dims)

    def embedding(self, indices, weight, what):
        """Rows of the numpy array `weight` at `indices`. An index out of
        range fails the call at run time (lstm.gather's check), as PyTorch
        raises IndexError; negative ones are out of range, as in PyTorch."""
        check(indices.dtype in ("i64", "i32"),
              f"{what}: expects integer indices")
        num, features = weight.shape
        w = self.weight(f"{what}.weight", weight)
        ssa = self.fresh()
        result = self.tensor(ssa, indices.dims + [features], w.dtype)
        self.emit(f"{ssa} = lstm.gather {w.ssa}[{indices.ssa}] axis = 0 : "
                  f"{w.type}, {indices.type} -> {result.type}")
        return result

    def reduce(self, x, dims, initial, combine):
        """Reduces x over `dims`, keeping them as size 1."""
        rank = x.rank
        out_dims = [1 if i in dims else d for i, d in enumerate(x.dims)]
        init = self.full(out_dims, initial)
        maps = [affine_map(rank, [f"d{i}" for i in range(rank)]),
                affine_map(rank, ["0" if i in dims else f"d{i}"
                                  for i in range(rank)])]
        iterators = ["reduction" if i in dims else "parallel"
                     for i in range(rank)]
        return self.generic([x], maps, init, iterators,
                            lambda b, a: b.op(combine(a[0], a[1]), "f32"))

    def softmax(self, x, dim, log, what):
        check(x.dtype == "f32", f"{what}: expects a float32 tensor")
        dim = normalize_dim(dim, x.rank, what)
        maximum = self.reduce(x, [dim], -math.inf,
                              lambda a, b: f"arith.maximumf {a}, {b}")
        shifted = self.elementwise(
            [x, maximum], lambda b, a: b.op(f"arith.subf {a[0]}, {a[1]}",
                                            "f32"), what)
        exps = self.elementwise(
            [shifted], lambda b, a: b.op(f"math.exp {a[0]}", "f32"), what)
        total = self.reduce(exps, [dim], 0.0,
                            lambda a, b: f"arith.addf {a}, {b}")
        if log:
            return self.elementwise(
                [shifted, total], lambda b, a: b.op(
                    f"arith.subf {a[0]}, "
                    f"{b.op(f'math.log {a[1]}', 'f32')}", "f32"), what)
        return self.elementwise(
            [exps, total], lambda b, a: b.op(f"arith.divf {a[0]}, {a[1]}",
                                             "f32"), what)

    def sum(self, x, dims, keepdim, what):
        check(x.dtype == "f32", f"{what}: expects a float32 tensor")
        dims = sorted({normalize_dim(d, x.rank, what) for d in dims})
        total = self.reduce(x, dims, 0.0, lambda a, b: f"arith.addf {a}, {b}")
        return total if keepdim else self.squeeze(total, dims, what)

    def bmm(self, a, b, what):
        """(B, M, K) x (B, K, N) -> (B, M, N), as linalg.batch_matmul."""
        check(a.dtype == "f32" and b.dtype == "f32" and a.rank == 3 and
              b.rank == 3, f"{what}: expects two 3-D float32 tensors")
        for x, y, name in ((a.dims[0], b.dims[0], "batch"),
                           (a.dims[2], b.dims[1], "contracted")):
            check(unify(x, y), f"{what}: the {name} sizes {x} and {y} "
                  f"differ")
        init = self.full([a.dims[0], a.dims[1], b.dims[2]], 0.0)
        ssa = self.fresh()
        self.emit(f"{ssa} = linalg.batch_matmul ins({a.ssa}, {b.ssa} : "
                  f"{a.type}, {b.type}) outs({init.ssa} : {init.type}) -> "
                  f"{init.type}")
        return self.tensor(ssa, init.dims)

    def mean(self, x, dims, keepdim, what):
        check(x.dtype == "f32", f"{what}: expects a float32 tensor")
        dims = sorted({normalize_dim(d, x.rank, what) for d in dims})
        total = self.reduce(x, dims, 0.0, lambda a, b: f"arith.addf {a}, {b}")
        count = None
        static = 1
        for d in dims:
            if isinstance(x.dims[d], Sym):
                size = self.size(x.dims[d])
                count = size if count is None else self.muli(count, size)
            else:
                static *= x.dims[d]
        divisor = self.fresh()
        if count is None:
            self.emit(f"{divisor} = arith.constant {float(static)!r} : f32")
        else:
            count = self.muli(count, self.index(static))
            as_int = self.fresh()
            self.emit(f"{as_int} = arith.index_cast {count} : index to i64")
            self.emit(f"{divisor} = arith.sitofp {as_int} : i64 to f32")
        result = self.elementwise(
            [total], lambda b, a: b.op(f"arith.divf {a[0]}, {divisor}", "f32"),
            what)
        return result if keepdim else self.squeeze(result, dims, what)

    def muli(self, a, b):
        ssa = self.fresh()
        self.emit(f"{ssa} = arith.muli {a}, {b} : index")
        return ssa

    # Shapes.

    def slice(self, x, offsets, sizes, out_dims):
        """tensor.extract_slice with unit strides; `offsets` and `sizes` are
        ints or index SSA values, `out_dims` the result's (rank-reduced)."""
        def text(values):
            return "[" + ", ".join(str(v) for v in values) + "]"

        ssa = self.fresh()
        result = self.tensor(ssa, out_dims, x.dtype)
        self.emit(f"{ssa} = tensor.extract_slice {x.ssa}{text(offsets)} "
                  f"{text(sizes)} [{', '.join(['1'] * x.rank)}] : {x.type} "
                  f"to {result.type}")
        return result

    def full_sizes(self, x):
        return [d if isinstance(d, int) else self.size(d) for d in x.dims]

    def select(self, x, dim, index, what):
        """x[..., index, ...] along `dim`, without that dimension."""
        dim = normalize_dim(dim, x.rank, what)
        size = x.dims[dim]
        sizes = self.full_sizes(x)
        offsets = [0] * x.rank
        if isinstance(size, int):
            check(-size <= index < size, f"{what}: index {index} is out of "
                  f"range for a dimension of size {size}")
            offsets[dim] = index % size
        elif index >= 0:
            offsets[dim] = index
        else:
            offset = self.fresh()
            self.emit(f"{offset} = arith.subi {sizes[dim]}, "
                      f"{self.index(-index)} : index")
            offsets[dim] = offset
        sizes[dim] = 1
        return self.slice(x, offsets, sizes, x.dims[:dim] + x.dims[dim + 1:])

    def narrow(self, x, dim, start, end, what):
        """x[start:end] along `dim` (None: from the start, to the end)."""
        dim = normalize_dim(dim, x.rank, what)
        size = x.dims[dim]
        big = 1 << 62
        if start is None:
            start = 0
        if isinstance(end, Sym) and same_dim(end, size):
            end = None
        check(isinstance(start, int) and (end is None or isinstance(end, int)),
              f"{what}: slice bounds computed from sizes known only at run "
              f"time are not supported")
        if end is not None and end >= big:
            end = None
        if start == 0 and end is None:
            return x
        sizes = self.full_sizes(x)
        offsets = [0] * x.rank
        dims = list(x.dims)
        if isinstance(size, int):
            s = min(max(start + size if start < 0 else start, 0), size)
            e = size if end is None else min(
                max(end + size if end < 0 else end, 0), size)
            offsets[dim], sizes[dim], dims[dim] = s, max(e - s, 0), max(
                e - s, 0)
            return self.slice(x, offsets, sizes, dims)
        check(start >= 0 and end is None, f"{what}: slices of a dimension "
              f"known only at run time must run from a fixed start to its "
              f"end (x[k:]); its end or a fixed length may not exist")
        # x[k:] of a sequence shorter than k is empty.
        offset, remaining = self.fresh(), self.fresh()
        self.emit(f"{offset} = arith.minsi {self.index(start)}, {sizes[dim]} "
                  f": index")
        self.emit(f"{remaining} = arith.subi {sizes[dim]}, {offset} : index")
        offsets[dim], sizes[dim] = offset, remaining
        dims[dim] = Sym(f"{size.root().hint}-{start}")
        result = self.slice(x, offsets, sizes, dims)
        return result

    def reassociate(self, groups):
        return "[" + ", ".join(
            "[" + ", ".join(str(d) for d in g) + "]" for g in groups) + "]"

    def collapse_shape(self, x, groups, out_dims):
        """x with each group of its dimensions merged into one of
        `out_dims`."""
        ssa = self.fresh()
        result = self.tensor(ssa, out_dims, x.dtype)
        self.emit(f"{ssa} = tensor.collapse_shape {x.ssa} "
                  f"{self.reassociate(groups)} : {x.type} into {result.type}")
        return result

    def squeeze(self, x, dims, what):
        """Drops the size-1 dimensions `dims`."""
        dims = sorted({normalize_dim(d, x.rank, what) for d in dims})
        check(all(isinstance(x.dims[d], int) for d in dims),
              f"{what}: squeezing a dimension known only at run time is not "
              f"supported (PyTorch drops it only if it is 1)")
        dims = [d for d in dims if x.dims[d] == 1]
        if not dims:
            return x
        kept = [d for d in range(x.rank) if d not in dims]
        out_dims = [x.dims[d] for d in kept]
        groups, group = [], []
        for d in range(x.rank):
            group.append(d)
            if d not in dims:
                groups.append(group)
                group = []
        if group and groups:
            groups[-1] += group
        return self.collapse_shape(x, groups if out_dims else [], out_dims)

    def unsqueeze(self, x, dim, what):
        dim = normalize_dim(dim, x.rank + 1, what)
        out_dims = x.dims[:dim] + [1] + x.dims[dim:]
        groups = []
        for d in range(x.rank):
            groups.append([d + (1 if d >= dim else 0)])
        if x.rank == 0:
            groups = []
        elif dim < x.rank:
            groups[dim] = [dim] + groups[dim]
        else:
            groups[-1].append(dim)
        sizes = ", ".join(self.size(d) if isinstance(d, Sym) else str(d)
                          for d in out_dims)
        ssa = self.fresh()
        result = self.tensor(ssa, out_dims, x.dtype)
        self.emit(f"{ssa} = tensor.expand_shape {x.ssa} "
                  f"{self.reassociate(groups)} output_shape [{sizes}] : "
                  f"{x.type} into {result.type}")
        return result

    def flatten(self, x, start, end, what):
        if x.rank == 0:
            return self.unsqueeze(x, 0, what)
        start = normalize_dim(start, x.rank, what)
        end = normalize_dim(end, x.rank, what)
        if start >= end:
            return x
        merged = x.dims[start:end + 1]
        dynamic = [d for d in merged if isinstance(d, Sym)]
        static = math.prod(d for d in merged if isinstance(d, int))
        if not dynamic:
            dim = static
        elif len(dynamic) == 1 and static == 1:
            dim = dynamic[0]
        else:
            dim = Sym("*".join(d.root().hint for d in dynamic))
        groups = [[d] for d in range(start)] + [list(range(start, end + 1))] \
            + [[d] for d in range(end + 1, x.rank)]
        return self.collapse_shape(x, groups,
                                   x.dims[:start] + [dim] + x.dims[end + 1:])

    def reshape(self, x, shape, what):
        """x.view(shape) for a `shape` (ints, at most one -1, and sizes of
        x's own run-time dimensions) that moves no run-time size into
        another: each of x's run-time dimensions appears in it once."""
        def roots(dims):
            return sorted(id(d.root()) for d in dims if isinstance(d, Sym))

        check(roots(shape) == roots(x.dims) and all(
            isinstance(d, Sym) or d >= -1 for d in shape) and
            sum(d == -1 for d in shape if isinstance(d, int)) <= 1,
            f"{what}: a view or reshape to {shape} of a {x.type} is not "
            f"supported; the run-time sizes must stay whole (like "
            f"x.view(x.size(0), ..., -1) or h.view(layers, 2, batch, "
            f"hidden))")
        total = math.prod(d for d in x.dims if isinstance(d, int))
        known = math.prod(d for d in shape if isinstance(d, int) and d != -1)
        if -1 in [d for d in shape if isinstance(d, int)]:
            check(known > 0 and total % known == 0, f"{what}: cannot view a "
                  f"{x.type} as {shape}")
            shape = [total // known if isinstance(d, int) and d == -1 else d
                     for d in shape]
        check(math.prod(d for d in shape if isinstance(d, int)) == total,
              f"{what}: cannot view a {x.type} as {shape}")
        sizes = [self.index(d) if isinstance(d, int) else self.size(d)
                 for d in shape]
        target, result = self.fresh(), self.fresh()
        self.emit(f"{target} = tensor.from_elements {', '.join(sizes)} : "
                  f"tensor<{len(shape)}xindex>")
        out = self.tensor(result, shape, x.dtype)
        self.emit(f"{result} = tensor.reshape {x.ssa}({target}) : ({x.type}, "
                  f"tensor<{len(shape)}xindex>) -> {out.type}")
        return out

    def permute(self, x, perm, what):
        perm = [normalize_dim(p, x.rank, what) for p in perm]
        check(sorted(perm) == list(range(x.rank)),
              f"{what}: {perm} is not a permutation")
        if perm == list(range(x.rank)):
            return x
        init = self.empty([x.dims[p] for p in perm], x.dtype)
        ssa = self.fresh()
        self.emit(f"{ssa} = linalg.transpose ins({x.ssa} : {x.type}) outs("
                  f"{init.ssa} : {init.type}) permutation = "
                  f"[{', '.join(str(p) for p in perm)}]")
        return self.tensor(ssa, init.dims, x.dtype)

    def concat(self, tensors, dim, what):
        check(tensors, f"{what}: nothing to concatenate")
        rank = tensors[0].rank
        check(all(t.rank == rank and t.dtype == tensors[0].dtype
                  for t in tensors), f"{what}: the tensors differ in rank or "
              f"type")
        dim = normalize_dim(dim, rank, what)
        if len(tensors) == 1:
            return tensors[0]
        dims = list(tensors[0].dims)
        for t in tensors[1:]:
            for i, d in enumerate(t.dims):
                if i != dim:
                    check(unify(dims[i], d), f"{what}: sizes {dims[i]} and "
                          f"{d} differ")
                    if isinstance(dims[i], Sym) and isinstance(d, int):
                        dims[i] = d
        along = [t.dims[dim] for t in tensors]
        dims[dim] = sum(along) if all(isinstance(d, int) for d in along) \
            else Sym("concat")
        ssa = self.fresh()
        result = self.tensor(ssa, dims, tensors[0].dtype)
        self.emit(f"{ssa} = tensor.concat dim({dim}) "
                  f"{', '.join(t.ssa for t in tensors)} : ("
                  f"{', '.join(t.type for t in tensors)}) -> {result.type}")
        return result

    def broadcast(self, x, dims, input_exprs, what):
        """x read at `input_exprs` (affine expressions of the result's
        dimensions) for every element of a new tensor of `dims`."""
        rank = len(dims)
        if input_exprs == [f"d{i}" for i in range(rank)]:
            return x  # Nothing is broadcast.
        maps = [affine_map(rank, input_exprs),
                affine_map(rank, [f"d{i}" for i in range(rank)])]
        return self.generic([x], maps, self.empty(dims, x.dtype),
                            ["parallel"] * rank, lambda b, a: a[0])

    def expand(self, x, sizes, what):
        """x.expand(sizes): new leading dimensions and x's size-1 ones
        broadcast to `sizes` (ints, run-time sizes, -1 for x's own)."""
        lead = len(sizes) - x.rank
        check(lead >= 0, f"{what}: the number of sizes provided "
              f"({len(sizes)}) must be greater or equal to the number of "
              f"dimensions in the tensor ({x.rank})")
        dims, exprs = [], []
        for i, size in enumerate(sizes):
            own = x.dims[i - lead] if i >= lead else None
            if isinstance(size, int) and size == -1:
                check(own is not None, f"{what}: -1 is not allowed for a new "
                      f"leading dimension")
                size = own
            check(isinstance(size, Sym) or size >= 0, f"{what}: invalid size "
                  f"{size}")
            if own is not None and not (isinstance(own, int) and own == 1):
                check(unify(own, size), f"{what}: the expanded size {size} "
                      f"must match the existing size {own} at dimension {i}")
                size = size if isinstance(size, int) else own
            dims.append(size)
            if own is not None:
                exprs.append("0" if own == 1 and size != 1 else f"d{i}")
        return self.broadcast(x, dims, exprs, what)

    def repeat(self, x, repeats, what):
        """x.repeat(repeats): x tiled `repeats[i]` times along dimension i
        (new leading dimensions first). A size-1 dimension is broadcast
        (to a count known at run time too); a larger one is tiled through a
        (count, size) pair of dimensions that are then merged."""
        lead = len(repeats) - x.rank
        check(lead >= 0, f"{what}: number of dimensions of repeat dims "
              f"({len(repeats)}) can not be smaller than number of dimensions "
              f"of tensor ({x.rank})")
        dims, exprs, groups, out_dims = [], [], [], []
        for i, count in enumerate(repeats):
            own = x.dims[i - lead] if i >= lead else 1
            check(isinstance(count, Sym) or count >= 0, f"{what}: repeats "
                  f"can not be negative ({count})")
            if isinstance(count, int) and count == 1:
                pair = [own]
            elif isinstance(own, int) and own == 1:
                pair = [count]
            elif isinstance(count, int) and isinstance(own, int):
                pair = [count, own]
            else:
                raise UserError(f"{what}: repeating a dimension of size "
                                f"{own} {count} times is not supported (a "
                                f"size or count known only at run time; "
                                f"expand a size-1 dimension instead)")
            first = len(dims)
            groups.append(list(range(first, first + len(pair))))
            dims += pair
            if i >= lead:
                exprs.append("0" if own == 1 and pair[-1] != 1
                             else f"d{len(dims) - 1}")
            out_dims.append(pair[0] if len(pair) == 1 else count * own)
        result = self.broadcast(x, dims, exprs, what)
        if len(dims) == len(out_dims):
            return result
        return self.collapse_shape(result, groups, out_dims)

    def stack(self, tensors, dim, what):
        """torch.stack: the tensors along a new dimension `dim`."""
        check(tensors, f"{what}: stack expects a non-empty list of tensors")
        dim = normalize_dim(dim, tensors[0].rank + 1, what)
        return self.concat([self.unsqueeze(t, dim, what) for t in tensors],
                           dim, what)

    def compare(self, kind, lhs, rhs, what):
        """lhs <kind> rhs elementwise (eq, ne, lt, gt, le, ge), with
        PyTorch's answers for NaN (only ne holds): a boolean tensor, stored
        as PyTorch stores them, one byte (i8, 0 or 1) per element (an i1
        tensor in memory would be packed by vector stores and not by scalar
        ones)."""
        tensors = [t for t in (lhs, rhs) if not isinstance(t, (int, float))]
        check(all(t.dtype == "f32" for t in tensors),
              f"{what}: comparisons of tensors other than float32 are not "
              f"supported")
        predicate = {"eq": "oeq", "ne": "une", "lt": "olt", "gt": "ogt",
                     "le": "ole", "ge": "oge"}[kind]

        def body(b, a):
            args = iter(a)
            values = [b.const(v) if isinstance(v, (int, float)) else next(args)
                      for v in (lhs, rhs)]
            bit = b.op(f"arith.cmpf {predicate}, {values[0]}, {values[1]}",
                       "f32")
            return b.op(f"arith.extui {bit}", "i1 to i8")

        return self.elementwise(tensors, body, what, dtype="i8")

    def to_float(self, x, what):
        """x as float32: booleans (i8) as 0 and 1, integers rounded."""
        if x.dtype == "f32":
            return x
        check(x.dtype in ("i8", "i64"), f"{what}: a conversion of {x.dtype} "
              f"to float32 is not supported")
        op = "arith.uitofp" if x.dtype == "i8" else "arith.sitofp"
        return self.elementwise(
            [x], lambda b, a: b.op(f"{op} {a[0]}", f"{x.dtype} to f32"), what,
            dtype="f32")

    def masked_fill(self, x, mask, value, what):
        """x.masked_fill(mask, value): `value` where the boolean `mask`
        (broadcast to x) holds, x elsewhere."""
        check(x.dtype == "f32" and mask.dtype == "i8", f"{what}: expects a "
              f"float32 tensor and a boolean mask")
        dims = self.broadcast_dims([x, mask], what)
        check(len(dims) == x.rank and all(
            same_dim(a, b) for a, b in zip(dims, x.dims)),
            f"{what}: the mask's shape must broadcast to the tensor's")

        def body(b, a):
            bit = b.op(f"arith.trunci {a[1]}", "i8 to i1")
            return b.op(f"arith.select {bit}, {b.const(value)}, {a[0]}",
                        "f32")

        return self.elementwise([x, mask], body, what)

    # LSTMs.

    def lstm(self, x, h0, c0, params, what):
        """One nn.LSTM call: (output, h_n, c_n)."""
        check(x.dtype == "f32" and x.rank in (2, 3),
              f"{what}: expects a float32 input of rank 2 or 3, got "
              f"{x.type}")
        check(same_dim(x.dims[-1], params.input_size),
              f"{what}: the input has {x.dims[-1]} features, the LSTM "
              f"{params.input_size}")
        batched = x.rank == 3
        D, L = params.num_directions, params.num_layers
        if batched:
            seq, batch = (x.dims[1], x.dims[0]) if params.batch_first else (
                x.dims[0], x.dims[1])
            if isinstance(batch, Sym):
                batch.suggest("N")
            if isinstance(seq, Sym):
                seq.suggest("T")
            h_dims = [D * L, batch, params.hidden_out]
            c_dims = [D * L, batch, params.hidden_size]
            out_dims = list(x.dims[:2]) + [D * params.hidden_out]
        else:
            h_dims = [D * L, params.hidden_out]
            c_dims = [D * L, params.hidden_size]
            out_dims = [x.dims[0], D * params.hidden_out]
        for state, dims, name in ((h0, h_dims, "h0"), (c0, c_dims, "c0")):
            if state is None:
                continue
            check(state.rank == len(dims) and all(
                unify(a, b) for a, b in zip(state.dims, dims)),
                f"{what}: {name} must be {tensor_type(dims)}, got "
                f"{state.type}")
        weights = [self.weight(name, array) for name, array in params.weights]
        out, h_n, c_n = self.fresh(), self.fresh(), self.fresh()
        results = [self.tensor(out, out_dims), self.tensor(h_n, h_dims),
                   self.tensor(c_n, c_dims)]
        # Default states (zeros) are left to the op.
        states = ""
        if h0 is not None and not (h0.is_zeros and c0.is_zeros):
            states = (f" h0({h0.ssa} : {h0.type}) c0({c0.ssa} : "
                      f"{c0.type})")
        self.emit(f"{out}, {h_n}, {c_n} = lstm.lstm {x.ssa}{states} weights("
                  f"{', '.join(w.ssa for w in weights)} : "
                  f"{', '.join(w.type for w in weights)}) "
                  f"{{{params.attributes()}}} : {x.type} -> "
                  f"{', '.join(r.type for r in results)}")
        return results

    def lstm_cell(self, x, h, c, w_ih, w_hh, b_ih, b_hh, prefix, what):
        """One nn.LSTMCell step: (h', c'); the weights are numpy arrays.

        A one-step lstm.layer on (1, N, I)."""
        hidden = w_hh.shape[1]
        check(x.dtype == "f32" and x.rank in (1, 2),
              f"{what}: expects a float32 input of rank 1 or 2, got {x.type}")
        check(same_dim(x.dims[-1], w_ih.shape[1]),
              f"{what}: the input has {x.dims[-1]} features, the cell "
              f"{w_ih.shape[1]}")
        batched = x.rank == 2
        if not batched:
            x = self.unsqueeze(x, 0, what)
        batch = x.dims[0]
        if isinstance(batch, Sym):
            batch.suggest("N")
        states = []
        for state, name in ((h, "h"), (c, "c")):
            if state is None:
                state = self.full([batch, hidden], 0.0)
            elif not batched:
                state = self.unsqueeze(state, 0, what)
            check(state.rank == 2 and unify(state.dims[0], batch) and
                  state.dims[1] == hidden, f"{what}: {name} must be "
                  f"{tensor_type([batch, hidden])}, got {state.type}")
            states.append(state)
        steps = self.unsqueeze(x, 0, what)
        weights = [self.weight(f"{prefix}.weight_ih", w_ih),
                   self.weight(f"{prefix}.weight_hh", w_hh)]
        biases = ""
        if b_ih is not None:
            b = [self.weight(f"{prefix}.bias_ih", b_ih),
                 self.weight(f"{prefix}.bias_hh", b_hh)]
            weights += b
            biases = f" biases({b[0].ssa}, {b[1].ssa})"
        out, h_n, c_n = self.fresh(), self.fresh(), self.fresh()
        results = [self.tensor(out, [1, batch, hidden]),
                   self.tensor(h_n, [batch, hidden]),
                   self.tensor(c_n, [batch, hidden])]
        operands = [steps] + states
        self.emit(f"{out}, {h_n}, {c_n} = lstm.layer "
                  f"{', '.join(t.ssa for t in operands)} weights("
                  f"{weights[0].ssa}, {weights[1].ssa}){biases} : ("
                  f"{', '.join(t.type for t in operands + weights)}) -> ("
                  f"{', '.join(r.type for r in results)})")
        h_n, c_n = results[1], results[2]
        if not batched:
            h_n = self.squeeze(h_n, [0], what)
            c_n = self.squeeze(c_n, [0], what)
        return h_n, c_n
