//===- LSTMOps.td - LSTM dialect operations ----------------*- tablegen -*-===//

#ifndef LSTM_DIALECT_LSTM_IR_LSTMOPS_TD
#define LSTM_DIALECT_LSTM_IR_LSTMOPS_TD

include "lstm/Dialect/LSTM/IR/LSTMAttrs.td"
include "lstm/Dialect/LSTM/IR/LSTMBase.td"
include "lstm/Dialect/LSTM/IR/LSTMLayerOps.td"
include "mlir/Interfaces/DestinationStyleOpInterface.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/RuntimeVerifiableOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def F32RankedTensor : RankedTensorOf<[F32]>;

def LSTM_ActivationArrayAttr
    : TypedArrayAttrBase<LSTM_ActivationAttr, "activation array attribute">;

// The gate variants ONNX's LSTM adds to PyTorch's, shared by lstm.layer and
// lstm.recurrence.
defvar LSTM_GateVariantArguments = (ins
  OptionalAttr<LSTM_ActivationArrayAttr>:$activations,
  OptionalAttr<F32Attr>:$clip,
  UnitAttr:$input_forget
);

//===----------------------------------------------------------------------===//
// LSTMOp
//===----------------------------------------------------------------------===//

def LSTM_LSTMOp : LSTM_Op<"lstm", [Pure, AttrSizedOperandSegments,
    DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
        ["reifyResultShapes"]>,
    DeclareOpInterfaceMethods<RuntimeVerifiableOpInterface>]> {
  let summary = "one torch.nn.LSTM forward call";
  let description = [{
    Computes exactly what `torch.nn.LSTM(input_size, hidden_size, num_layers,
    bias, batch_first, dropout, bidirectional, proj_size)` returns in
    inference mode for `input` and the optional initial states `h0` and `c0`
    (zeros when absent). With `lengths` (one int64 per batch element), the
    input is the padded form of a `PackedSequence`: steps past a sequence's
    length leave its state unchanged and give zero output rows, and the
    reverse direction starts at each sequence's last valid step.

    `weights` are `_flat_weights` in PyTorch's order: for each layer, for each
    direction (forward, then reverse), `weight_ih`, `weight_hh`, then
    `bias_ih`, `bias_hh` when `has_biases`, then `weight_hr` when
    `proj_size > 0`.

    With D = 2 if bidirectional else 1 and H_out = proj_size if proj_size > 0
    else hidden_size, the shapes are those of PyTorch:

    | value  | batched (batch_first = false) | unbatched         |
    |--------|-------------------------------|-------------------|
    | input  | (L, N, input_size)            | (L, input_size)   |
    | h0/h_n | (D * num_layers, N, H_out)    | (D * num_layers, H_out) |
    | c0/c_n | (D * num_layers, N, hidden_size) | (D * num_layers, hidden_size) |
    | output | (L, N, D * H_out)             | (L, D * H_out)    |

    `batch_first` swaps L and N in `input` and `output` only. L and N may be
    dynamic. `dropout` is kept for fidelity; inference ignores it.

    What the verifier cannot see in dynamic sizes is checked at run time
    (`RuntimeVerifiableOpInterface`), with PyTorch's messages: L > 0, the
    input's feature size, the states' and the weights' sizes against the
    input's, the size of `lengths`, and, as a value check, every length in
    [1, L].

    Example (`nn.LSTM(10, 20, num_layers=1)` on a dynamic batch):

    ```mlir
    %out, %h_n, %c_n = lstm.lstm %x weights(%w_ih, %w_hh, %b_ih, %b_hh :
        tensor<80x10xf32>, tensor<80x20xf32>, tensor<80xf32>, tensor<80xf32>)
        {hidden_size = 20 : i64, input_size = 10 : i64}
        : tensor<5x?x10xf32>
        -> tensor<5x?x20xf32>, tensor<1x?x20xf32>, tensor<1x?x20xf32>
    ```
  }];

  let arguments = (ins
    F32RankedTensor:$input,
    Optional<F32RankedTensor>:$h0,
    Optional<F32RankedTensor>:$c0,
    Optional<AnyRankedTensor>:$lengths,
    Variadic<F32RankedTensor>:$weights,
    LSTM_I64Attr:$input_size,
    LSTM_I64Attr:$hidden_size,
    DefaultValuedAttr<LSTM_I64Attr, "1">:$num_layers,
    DefaultValuedAttr<BoolAttr, "true">:$has_biases,
    DefaultValuedAttr<BoolAttr, "false">:$batch_first,
    DefaultValuedAttr<BoolAttr, "false">:$bidirectional,
    DefaultValuedAttr<LSTM_I64Attr, "0">:$proj_size,
    DefaultValuedAttr<F64Attr, "0.0">:$dropout
  );
  let results = (outs
    F32RankedTensor:$output,
    F32RankedTensor:$h_n,
    F32RankedTensor:$c_n
  );

  let assemblyFormat = [{
    $input
    (`h0` `(` $h0^ `:` type($h0) `)`)?
    (`c0` `(` $c0^ `:` type($c0) `)`)?
    (`lengths` `(` $lengths^ `:` type($lengths) `)`)?
    `weights` `(` ($weights^ `:` type($weights))? `)`
    attr-dict `:` type($input) `->` type($output) `,` type($h_n) `,` type($c_n)
  }];

  let builders = [
    // Computes the result types from the operands and attributes; the
    // operands must describe a valid op.
    OpBuilder<(ins "Value":$input, "Value":$h0, "Value":$c0,
      "Value":$lengths, "ValueRange":$weights, "int64_t":$inputSize,
      "int64_t":$hiddenSize, "int64_t":$numLayers, "bool":$hasBiases,
      "bool":$batchFirst, "bool":$bidirectional, "int64_t":$projSize,
      "double":$dropout)>
  ];

  let extraClassDeclaration = [{
    /// D in PyTorch's documentation: 2 if bidirectional, else 1.
    int64_t getNumDirections() { return getBidirectional() ? 2 : 1; }
    /// H_out: proj_size if projections are used, else hidden_size.
    int64_t getOutputHiddenSize() {
      return getProjSize() > 0 ? getProjSize() : getHiddenSize();
    }
    /// Whether `input` has a batch dimension (3-D) or not (2-D).
    bool isBatched() { return getInput().getType().getRank() == 3; }
    /// The weights of one layer and direction, in `_flat_weights` order.
    LayerWeights getLayerWeights(int64_t layer, int64_t direction);
  }];

  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// LayerOp
//===----------------------------------------------------------------------===//

def LSTM_LayerOp : LSTM_Op<"layer", [Pure, AttrSizedOperandSegments,
    DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
        ["reifyResultShapes"]>,
    DeclareOpInterfaceMethods<RuntimeVerifiableOpInterface>]> {
  let summary = "one LSTM layer in one direction, time-major";
  let description = [{
    One layer of `lstm.lstm` in one direction: `input` is (T, N, I), `h0`
    (N, H_out) and `c0` (N, H) are this layer's and direction's initial
    states, and the weights have PyTorch's shapes: `weight_ih` (4H, I),
    `weight_hh` (4H, H_out), the optional biases (4H) and the optional
    projection `weight_hr` (P, H), with H_out = P when it is present. With
    `reverse`, the layer runs from each sequence's last valid step to its
    first; `lengths` masks steps past each sequence's end as `lstm.lstm`
    does. Results are `output` (T, N, H_out), `h_n` (N, H_out) and
    `c_n` (N, H).

    The variants of ONNX's LSTM are optional: `peephole` (3H) holds the
    peephole weights p_i, p_f, p_o (added as p_i * c_{t-1}, p_f * c_{t-1}
    and p_o * c_t to the gates' pre-activations); `activations` are f (for
    the i, f, o gates), g (cell candidate) and h (cell output), default
    sigmoid, tanh, tanh; `clip` clamps every pre-activation to
    [-clip, clip]; with `input_forget`, f = 1 - i.

    Example:

    ```mlir
    %out, %h_n, %c_n = lstm.layer %x, %h0, %c0 weights(%w_ih, %w_hh)
        biases(%b_ih, %b_hh) {reverse}
        : (tensor<?x?x10xf32>, tensor<?x20xf32>, tensor<?x20xf32>,
           tensor<80x10xf32>, tensor<80x20xf32>, tensor<80xf32>,
           tensor<80xf32>)
        -> (tensor<?x?x20xf32>, tensor<?x20xf32>, tensor<?x20xf32>)
    ```
  }];

  let arguments = !con((ins
    F32RankedTensor:$input,
    F32RankedTensor:$h0,
    F32RankedTensor:$c0,
    Optional<RankedTensorOf<[I64]>>:$lengths,
    F32RankedTensor:$weight_ih,
    F32RankedTensor:$weight_hh,
    Optional<F32RankedTensor>:$bias_ih,
    Optional<F32RankedTensor>:$bias_hh,
    Optional<F32RankedTensor>:$weight_hr,
    Optional<F32RankedTensor>:$peephole,
    UnitAttr:$reverse
  ), LSTM_GateVariantArguments);
  let results = (outs
    F32RankedTensor:$output,
    F32RankedTensor:$h_n,
    F32RankedTensor:$c_n
  );

  let assemblyFormat = [{
    $input `,` $h0 `,` $c0 (`lengths` `(` $lengths^ `)`)?
    `weights` `(` $weight_ih `,` $weight_hh `)`
    (`biases` `(` $bias_ih^ `,` $bias_hh `)`)?
    (`projection` `(` $weight_hr^ `)`)?
    (`peephole` `(` $peephole^ `)`)?
    attr-dict `:` functional-type(operands, results)
  }];

  let extraClassDeclaration = [{
    /// H: the number of hidden (and cell) units.
    int64_t getHiddenSize() {
      return getWeightHh().getType().getDimSize(0) / 4;
    }
    /// f, g and h, with PyTorch's sigmoid, tanh, tanh by default.
    GateActivations getGateActivations() {
      return lstm::getGateActivations(getContext(), getActivationsAttr());
    }
  }];

  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// GatherOp
//===----------------------------------------------------------------------===//

def LSTM_GatherOp : LSTM_Op<"gather", [Pure,
    DeclareOpInterfaceMethods<ReifyRankedShapedTypeOpInterface,
        ["reifyResultShapes"]>,
    DeclareOpInterfaceMethods<RuntimeVerifiableOpInterface>]> {
  let summary = "slices of a tensor at run-time indices (Embedding, Gather)";
  let description = [{
    Takes, for every element of `indices`, the slice of `source` at that
    index along `axis`: with `source` of shape (s_0, ..., s_{r-1}) and
    `indices` of shape (i_0, ..., i_{q-1}), the result has shape
    (s_0, ..., s_{axis-1}, i_0, ..., i_{q-1}, s_{axis+1}, ..., s_{r-1}) and

        result[a..., j..., b...] = source[a..., indices[j...], b...]

    This is `torch.nn.Embedding` (axis 0) and ONNX's `Gather`. An index must
    lie in [0, s_axis), or with `wrap_negative` (ONNX) in [-s_axis, s_axis),
    negative ones counting from the end. An index out of range fails the
    model's call at run time (a value check); the op itself never reads
    outside `source`.

    Example (an embedding of 10 rows of 4 features):

    ```mlir
    %rows = lstm.gather %table[%tokens] axis = 0
        : tensor<10x4xf32>, tensor<?x?xi64> -> tensor<?x?x4xf32>
    ```
  }];

  let arguments = (ins
    AnyRankedTensor:$source,
    RankedTensorOf<[I32, I64]>:$indices,
    LSTM_I64Attr:$axis,
    UnitAttr:$wrap_negative
  );
  let results = (outs AnyRankedTensor:$result);

  let assemblyFormat = [{
    $source `[` $indices `]` `axis` `=` $axis (`wrap_negative` $wrap_negative^)?
    attr-dict `:` type($source) `,` type($indices) `->` type($result)
  }];

  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// RecurrenceOp
//===----------------------------------------------------------------------===//

def LSTM_RecurrenceOp : LSTM_Op<"recurrence", [
    AttrSizedOperandSegments,
    DeclareOpInterfaceMethods<MemoryEffectsOpInterface>,
    DestinationStyleOpInterface]> {
  let summary = "one LSTM layer and direction on packed weights";
  let description = [{
    `lstm.layer` with its weights in the layout the kernels want. Its
    semantics are those of `lstm.layer`; its contract with the lowering is
    that the input projection W_ih x_t + b of all time steps is computed
    outside the time loop (hoisted, as a few large matrix products), and
    each step computes only the recurrent product, the gates, the cell
    update and the optional projection.

    Hidden units are grouped in blocks of B units, padded to nb = ceil(H / B)
    blocks, and every per-gate operand is gate-interleaved by block: column
    `(4 * j + q) * B + u` holds gate q (PyTorch's order i, f, g, o) of hidden
    unit `j * B + u`. Weights are panels: `w[j, k, c]` is column c of block
    j for input feature k, so that one block's columns for one k are
    contiguous.

    - `input` (T, N, I).
    - `weight_ih` (nb, I, 4B) and `weight_hh` (nb, H_out, 4B): W_ih and W_hh
      as panels.
    - `bias` (nb, 4B), optional: b_ih + b_hh.
    - `weight_hr` (np, H, B), optional: W_hr as panels over its P outputs.
    - `peephole` (nb, 4B), optional: p_i, p_f, p_o and zeros, interleaved
      like the gates.
    - `h0` (N, H_out), `c0` (N, H), optional `lengths` (N) of int64.
    - `outs`: `output` (T, N, H_out), `h_n` (N, H_out), `c_n` (N, H); their
      initial contents are not read.

    With `lengths`, sequence n runs for `lengths[n]` steps; its later output
    rows are zero, and with `reverse` it starts at step `lengths[n] - 1`.
    Padded units never reach the results.

    The op has tensor semantics (with results tied to `outs`) before
    bufferization and buffer semantics after.

    ```mlir
    %out, %h_n, %c_n = lstm.recurrence input(%x : tensor<?x?x10xf32>)
        weights(%wih, %whh : tensor<2x10x64xf32>, tensor<2x20x64xf32>)
        bias(%b : tensor<2x64xf32>)
        init(%h0, %c0 : tensor<?x20xf32>, tensor<?x20xf32>)
        outs(%o, %h, %c : tensor<?x?x20xf32>, tensor<?x20xf32>, tensor<?x20xf32>)
        -> tensor<?x?x20xf32>, tensor<?x20xf32>, tensor<?x20xf32>
    ```
  }];

  let arguments = !con((ins
    AnyShaped:$input,
    AnyShaped:$weight_ih,
    AnyShaped:$weight_hh,
    Optional<AnyShaped>:$bias,
    Optional<AnyShaped>:$weight_hr,
    Optional<AnyShaped>:$peephole,
    AnyShaped:$h0,
    AnyShaped:$c0,
    Optional<AnyShaped>:$lengths,
    Variadic<AnyShaped>:$outs,
    UnitAttr:$reverse
  ), LSTM_GateVariantArguments);
  let results = (outs Variadic<AnyRankedTensor>:$results);

  let assemblyFormat = [{
    `input` `(` $input `:` type($input) `)`
    `weights` `(` $weight_ih `,` $weight_hh `:` type($weight_ih) `,`
      type($weight_hh) `)`
    (`bias` `(` $bias^ `:` type($bias) `)`)?
    (`projection` `(` $weight_hr^ `:` type($weight_hr) `)`)?
    (`peephole` `(` $peephole^ `:` type($peephole) `)`)?
    `init` `(` $h0 `,` $c0 `:` type($h0) `,` type($c0) `)`
    (`lengths` `(` $lengths^ `:` type($lengths) `)`)?
    `outs` `(` $outs `:` type($outs) `)`
    attr-dict (`->` type($results)^)?
  }];

  let extraClassDeclaration = [{
    MutableOperandRange getDpsInitsMutable() { return getOutsMutable(); }

    Value getOutputInit() { return getOuts()[0]; }
    Value getHNInit() { return getOuts()[1]; }
    Value getCNInit() { return getOuts()[2]; }

    /// B: the number of hidden units in a block.
    int64_t getBlockSize() {
      return cast<ShapedType>(getWeightHh().getType()).getDimSize(2) / 4;
    }
    /// H: the number of hidden (and cell) units, without padding.
    int64_t getHiddenSize() {
      return cast<ShapedType>(getC0().getType()).getDimSize(1);
    }
    /// f, g and h, with PyTorch's sigmoid, tanh, tanh by default.
    GateActivations getGateActivations() {
      return lstm::getGateActivations(getContext(), getActivationsAttr());
    }
  }];

  let hasVerifier = 1;
}

#endif // LSTM_DIALECT_LSTM_IR_LSTMOPS_TD
