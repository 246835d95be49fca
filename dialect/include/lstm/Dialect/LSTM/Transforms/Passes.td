//===- Passes.td - LSTM dialect transformations ------------*- tablegen -*-===//

#ifndef LSTM_DIALECT_LSTM_TRANSFORMS_PASSES_TD
#define LSTM_DIALECT_LSTM_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def LSTMDecompose : Pass<"lstm-decompose"> {
  let summary = "Decompose lstm.lstm into one lstm.layer per layer and direction";
  let description = [{
    Rewrites every `lstm.lstm` into time-major, batched `lstm.layer` ops, one
    per layer and direction, plus the tensor glue PyTorch's semantics need:
    a transpose for `batch_first`, a unit batch dimension for unbatched
    input, zero initial states when `h0`/`c0` are absent, per-layer slices
    of the states, the concatenation of bidirectional outputs and the
    stacking of `h_n`/`c_n` in [l0 fwd, l0 rev, l1 fwd, ...] order.
  }];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect",
    "::mlir::arith::ArithDialect"
  ];
}

def LSTMPackWeights : Pass<"lstm-pack-weights"> {
  let summary = "Rewrite lstm.layer into lstm.recurrence on packed weights";
  let description = [{
    Rewrites every `lstm.layer` into an `lstm.recurrence` whose weights are
    in the kernels' layout: hidden units in blocks of `block-size` (one
    vector register per gate), each block's i/f/g/o rows interleaved, W_ih
    and W_hh as panels of contiguous rows, W_hr as panels over its outputs,
    and the two biases summed. The repacking is built from `tensor.pad`,
    `tensor.expand_shape`, `linalg.transpose` and `tensor.collapse_shape`,
    which `lstm-fold-constant-layouts` evaluates at compile time for
    constant weights.
  }];
  let options = [
    Option<"blockSize", "block-size", "int64_t", /*default=*/"16",
           "Hidden units per block: one vector register of f32 per gate">
  ];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect", "::mlir::tensor::TensorDialect",
    "::mlir::arith::ArithDialect"
  ];
}

def LSTMFoldConstantLayouts : Pass<"lstm-fold-constant-layouts"> {
  let summary = "Evaluate layout changes of constant tensors at compile time";
  let description = [{
    Folds `tensor.expand_shape`, `tensor.collapse_shape`, `tensor.pad` (with
    static padding and a constant value), `tensor.extract_slice` (static),
    `tensor.concat` and `linalg.transpose` whose sources are constants,
    `dense` or `dense_resource`, into a new constant of the same kind. This
    is how weights reach the layouts the kernels want without any work at
    run time; reshapes of `dense_resource` blobs share the blob instead of
    copying it.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
}

def LSTMDistinctResults : Pass<"lstm-distinct-results", "func::FuncOp"> {
  let summary = "Give each tensor a function returns more than once a copy";
  let description = [{
    A model may return one tensor as two outputs (`return o, o`). Each
    output is a buffer of its own once bufferized and turned into
    out-parameters, but MLIR's buffer-results-to-out-params crashes when it
    hoists one allocation into two out-parameters. This pass returns a
    `bufferization.alloc_tensor ... copy(...)` of every repeated operand of
    `func.return` instead. Run it just before bufferization.
  }];
  let dependentDialects = ["::mlir::bufferization::BufferizationDialect"];
}

#endif // LSTM_DIALECT_LSTM_TRANSFORMS_PASSES_TD
