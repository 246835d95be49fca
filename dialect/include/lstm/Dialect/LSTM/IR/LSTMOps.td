//===- LSTMOps.td - LSTM dialect operations ----------------*- tablegen -*-===//

#ifndef LSTM_DIALECT_LSTM_IR_LSTMOPS_TD
#define LSTM_DIALECT_LSTM_IR_LSTMOPS_TD

include "lstm/Dialect/LSTM/IR/LSTMBase.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def F32RankedTensor : RankedTensorOf<[F32]>;

//===----------------------------------------------------------------------===//
// LSTMOp
//===----------------------------------------------------------------------===//

def LSTM_LSTMOp : LSTM_Op<"lstm", [Pure, AttrSizedOperandSegments]> {
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

#endif // LSTM_DIALECT_LSTM_IR_LSTMOPS_TD
