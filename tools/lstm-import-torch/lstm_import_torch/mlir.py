"""MLIR text for an imported model: one function on tensors.

Values carry symbolic shapes: static sizes are ints, dynamic ones `Sym`s,
which ops unify when they must be equal and which name the function's
dynamic dimensions (`lstm.dynamic_dims`) once the whole graph is known.
Weights become `dense_resource` blobs.
"""

import hashlib
import math
import re

import numpy as np

from .errors import UserError


class Sym:
    """A dynamic size. Unified sizes share a root, whose hint names them."""

    def __init__(self, hint, strong=False):
        self.parent = None
        self.hint = hint
        # A strong hint (a role such as "N", or a user's name) beats a weak
        # one (derived from an input's name).
        self.strong = strong
        # The static size this one turned out to be, if any.
        self.value = None

    def root(self):
        node = self
        while node.parent is not None:
            node = node.parent
        return node

    def __str__(self):
        # How messages show a size known only at run time.
        return self.root().hint

    __repr__ = __str__

    def suggest(self, hint):
        root = self.root()
        if not root.strong:
            root.hint, root.strong = hint, True


def same_dim(a, b):
    if isinstance(a, Sym) and isinstance(b, Sym):
        return a.root() is b.root()
    return a == b


def unify(a, b):
    """Records that dims a and b are equal; false if they cannot be."""
    if isinstance(a, Sym) and isinstance(b, Sym):
        ra, rb = a.root(), b.root()
        if ra is not rb:
            if rb.strong and not ra.strong:
                ra, rb = rb, ra
            rb.parent = ra
        return True
    if isinstance(a, Sym) or isinstance(b, Sym):
        sym, size = (a, b) if isinstance(a, Sym) else (b, a)
        root = sym.root()
        if root.value is None:
            root.value = size
        return root.value == size
    return a == b


class Tensor:
    """An SSA value of tensor type."""

    def __init__(self, ssa, dims, dtype="f32"):
        self.ssa = ssa
        self.dims = list(dims)
        self.dtype = dtype
        # Set on tensors known to be all zeros (default LSTM states).
        self.is_zeros = False

    @property
    def rank(self):
        return len(self.dims)

    @property
    def type(self):
        return tensor_type(self.dims, self.dtype)


def dim_text(dim):
    return "?" if isinstance(dim, Sym) else str(dim)


def tensor_type(dims, dtype="f32"):
    if not dims:
        return f"tensor<{dtype}>"
    return f"tensor<{'x'.join(dim_text(d) for d in dims)}x{dtype}>"


def string_literal(text):
    """`text` as an MLIR string literal."""
    escaped = "".join(
        c if 0x20 <= ord(c) < 0x7f and c not in '"\\' else
        "".join(f"\\{b:02X}" for b in c.encode())
        for c in text)
    return f'"{escaped}"'


def affine_map(num_dims, exprs):
    dims = ", ".join(f"d{i}" for i in range(num_dims))
    return f"affine_map<({dims}) -> ({', '.join(exprs)})>"


def float_text(value):
    """An f32 literal; infinities and NaN as bit patterns."""
    value = float(value)
    if math.isnan(value):
        return "0x7FC00000"
    if math.isinf(value):
        return "0x7F800000" if value > 0 else "0xFF800000"
    return f"{value:.9e}"


class Function:
    """The body of `func.func @forward` under construction."""

    def __init__(self):
        self.lines = []
        self.count = 0
        self.resources = {}  # name -> numpy array
        self.constants = {}  # (dtype, shape, hash of the data) -> Tensor
        self.index_constants = {}
        # For each dynamic size, a tensor dimension that holds it.
        self.size_sources = {}
        # The location of the ops emitted next (`loc(...)` text), which
        # names the layer they come from in run-time check messages.
        self.location = None

    # SSA values.

    def fresh(self, prefix="v"):
        self.count += 1
        return f"%{prefix}{self.count}"

    def locate(self, name, kind):
        """Locates the ops emitted from now on at layer `name` of type
        `kind`: fused<"kind">["name"], which run-time check messages read
        as 'name' (kind)."""
        self.location = (f"loc(fused<{string_literal(kind)}>"
                         f"[{string_literal(name)}])")

    def emit(self, text):
        # Lines that open a region (a linalg.generic's) are located where
        # they close.
        if self.location and not text.endswith("{"):
            text += " " + self.location
        self.lines.append("    " + text)

    def tensor(self, ssa, dims, dtype="f32"):
        """A new tensor value; its dynamic sizes can be read from it."""
        tensor = Tensor(ssa, dims, dtype)
        for axis, dim in enumerate(tensor.dims):
            if isinstance(dim, Sym):
                self.size_sources.setdefault(dim.root(), (tensor, axis))
        return tensor

    def index(self, value):
        if value not in self.index_constants:
            ssa = self.fresh("c")
            self.emit(f"{ssa} = arith.constant {value} : index")
            self.index_constants[value] = ssa
        return self.index_constants[value]

    def size(self, dim):
        """An index value holding `dim`."""
        if not isinstance(dim, Sym):
            return self.index(dim)
        if dim.root().value is not None:
            return self.index(dim.root().value)
        for root, (source, axis) in self.size_sources.items():
            if root.root() is dim.root():
                ssa = self.fresh("dim")
                index = self.index(axis)
                # A function argument's type may be decided later.
                tensor = source if isinstance(source, Tensor) else None
                self.lines.append(lambda: (
                    f"    {ssa} = tensor.dim {(tensor or source()).ssa}, "
                    f"{index} : {(tensor or source()).type}"))
                return ssa
        raise AssertionError("a dynamic size without a source")

    def add_size_source(self, dim, tensor_fn, axis):
        """Makes `dim` readable from axis `axis` of the tensor `tensor_fn()`
        returns, a function argument known later."""
        self.size_sources.setdefault(dim.root(), (tensor_fn, axis))

    def scalar(self, value, dtype="f32"):
        ssa = self.fresh("cst")
        text = float_text(value) if dtype.startswith("f") else str(int(value))
        self.emit(f"{ssa} = arith.constant {text} : {dtype}")
        return ssa

    # Tensors.

    def weight(self, name, array):
        """A constant tensor holding `array` (float32 or int64)."""
        array = np.ascontiguousarray(array)
        dtype = {np.dtype("float32"): "f32", np.dtype("int64"): "i64"}[
            array.dtype]
        # One resource per distinct constant: an unrolled LSTMCell loop or a
        # layer called twice reads the same weights.
        digest = (dtype, array.shape,
                  hashlib.blake2b(array.data, digest_size=16).digest())
        if digest in self.constants:
            return self.constants[digest]
        key = re.sub(r"[^A-Za-z0-9_.]", "_", name) or "weight"
        # Resource keys are identifiers: nn.Sequential names layers 0, 1, ...
        if not re.match(r"[A-Za-z_]", key):
            key = "_" + key
        base, n = key, 1
        while key in self.resources:
            n += 1
            key = f"{base}_{n}"
        self.resources[key] = array
        ssa = self.fresh("w")
        result = self.tensor(ssa, list(array.shape), dtype)
        self.emit(f"{ssa} = arith.constant dense_resource<{key}> : "
                  f"{result.type}")
        self.constants[digest] = result
        return result

    def empty(self, dims, dtype="f32"):
        sizes = [self.size(d) for d in dims if isinstance(d, Sym)]
        ssa = self.fresh()
        result = self.tensor(ssa, dims, dtype)
        self.emit(f"{ssa} = tensor.empty({', '.join(sizes)}) : {result.type}")
        return result

    def full(self, dims, value, dtype="f32"):
        init = self.empty(dims, dtype)
        scalar = self.scalar(value, dtype)
        ssa = self.fresh()
        self.emit(f"{ssa} = linalg.fill ins({scalar} : {dtype}) outs("
                  f"{init.ssa} : {init.type}) -> {init.type}")
        result = self.tensor(ssa, dims, dtype)
        result.is_zeros = value == 0
        return result

    def generic(self, inputs, maps, init, iterators, body):
        """A linalg.generic; `body(block, args)` returns the yielded value
        from the block arguments (inputs, then the output's)."""
        block = Block(self)
        args = [self.fresh("a") for _ in inputs + [init]]
        value = body(block, args)
        ssa = self.fresh()
        ins = ""
        if inputs:
            ins = (f" ins({', '.join(t.ssa for t in inputs)} : "
                   f"{', '.join(t.type for t in inputs)})")
        iterator_text = ", ".join(f'"{i}"' for i in iterators)
        self.emit(f"{ssa} = linalg.generic {{indexing_maps = "
                  f"[{', '.join(maps)}], iterator_types = [{iterator_text}]}}"
                  f"{ins} outs({init.ssa} : {init.type}) {{")
        self.lines.append("    ^bb0(" + ", ".join(
            f"{a}: {t.dtype}" for a, t in zip(args, inputs + [init])) + "):")
        for line in block.lines:
            self.emit("  " + line)
        self.emit(f"  linalg.yield {value} : {init.dtype}")
        self.emit(f"}} -> {init.type}")
        return self.tensor(ssa, init.dims, init.dtype)

    def write(self, out, args, results, attributes):
        """Writes the module to the text stream `out`: `args` and `results`
        are (Tensor, attributes as MLIR text)."""
        arg_text = ", ".join(f"{t.ssa}: {t.type} {{{a}}}" for t, a in args)
        result_text = ", ".join(f"{t.type} {{{a}}}" for t, a in results)
        attr_text = f" attributes {{{attributes}}}" if attributes else ""
        out.write("module {\n")
        out.write(f"  func.func @forward({arg_text}) -> ({result_text})"
                  f"{attr_text} {{\n")
        for line in self.lines:
            out.write((line() if callable(line) else line) + "\n")
        out.write("    return " + ", ".join(t.ssa for t, _ in results)
                  + " : " + ", ".join(t.type for t, _ in results) + "\n")
        out.write("  }\n}\n")
        write_resources(out, self.resources)


class Block:
    """The body of a linalg.generic."""

    def __init__(self, function):
        self.function = function
        self.lines = []

    def op(self, text, type_text):
        """Emits `%x = <text> : <type_text>` and returns %x."""
        ssa = self.function.fresh("s")
        self.lines.append(f"{ssa} = {text} : {type_text}")
        return ssa

    def const(self, value, dtype="f32"):
        text = float_text(value) if dtype.startswith("f") else str(int(value))
        return self.op(f"arith.constant {text}", dtype)


def write_resources(out, resources):
    """Writes `resources` (name -> numpy array) as the module's blobs."""
    if not resources:
        return
    out.write("\n{-#\n  dialect_resources: {\n    builtin: {\n")
    for i, (name, array) in enumerate(resources.items()):
        data = np.ascontiguousarray(array).astype(
            array.dtype.newbyteorder("<"), copy=False).tobytes()
        # A blob is its alignment as a little-endian u32, then the data.
        out.write(f'      {name}: "0x08000000')
        chunk = 1 << 22
        for start in range(0, len(data), chunk):
            out.write(data[start:start + chunk].hex().upper())
        out.write('",\n' if i + 1 < len(resources) else '"\n')
    out.write("    }\n  }\n#-}\n")


def check(condition, message):
    if not condition:
        raise UserError(message)
