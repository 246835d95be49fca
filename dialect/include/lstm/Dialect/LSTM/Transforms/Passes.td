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

def LSTMFoldBatchNorm : Pass<"lstm-fold-batch-norm"> {
  let summary = "Fold inference batch normalization into convolutions";
  let description = [{
    Replaces `lstm.batch_norm(lstm.conv(x, W, b))`, when the convolution has
    no other user and every parameter and statistic is a constant (`dense`
    or `dense_resource`), by one `lstm.conv(x, W', b')` with

        a = scale / sqrt(variance + epsilon)
        W'[f, ...] = a[f] * W[f, ...],  b'[f] = a[f] * (b[f] - mean[f]) + bias[f]

    computed at compile time. Other batch normalizations stay, and lower to
    one elementwise op.
  }];
  let dependentDialects = ["::mlir::arith::ArithDialect"];
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

def LSTMInsertRuntimeChecks
    : Pass<"lstm-insert-runtime-checks", "func::FuncOp"> {
  let summary = "Check at run time what the graph's sizes only promise";
  let description = [{
    Asks every op of the function that implements
    `RuntimeVerifiableOpInterface` (upstream's linalg and tensor models, the
    lstm dialect's ops, and lstmc's models for the tensor ops upstream does
    not check) for the `cf.assert` checks of its run-time sizes and values,
    and simplifies them: on static shapes most fold away. Each message names
    the layer the op comes from, by its location.

    Size checks then move, with the scalar arithmetic on sizes they need, to
    the start of the function, so that they run before the model touches
    memory. A size check that depends on a value the model computes cannot
    move and is an error; so is a check that fails on every input. Value
    checks (marked `lstm.value_check`) stay where they are.

    Run on tensors, before anything that lowers the layers.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::cf::ControlFlowDialect",
    "::mlir::index::IndexDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::scf::SCFDialect", "::mlir::tensor::TensorDialect",
    "::mlir::affine::AffineDialect"
  ];
}

def LSTMLowerRuntimeChecks : Pass<"lstm-lower-runtime-checks", "ModuleOp"> {
  let summary = "Turn run-time checks into the model's error channel";
  let description = [{
    Gives every public function a last argument `memref<i32>` that receives
    1 + the index of the first `cf.assert` that failed (0 if none), and
    lists the checks' messages by index in the module's
    `lstm.runtime_checks` attribute. The size checks at the start of the
    function guard the rest of its body, which runs only when all of them
    hold; value checks elsewhere record their failure and the call goes on.

    Run on buffers, once results are out-parameters, after
    `lstm-insert-runtime-checks` and before buffer deallocation.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect"
  ];
}

def LSTMLowerGather : Pass<"lstm-lower-gather"> {
  let summary = "Lower lstm.gather to linalg.generic";
  let description = [{
    Rewrites every `lstm.gather` into a `linalg.generic` that reads each
    element of the source with `tensor.extract` at its index, negative ones
    wrapped when the op allows them, clamped into the source: an index out
    of range has already failed the call's value check, and the read stays
    in bounds. Run after `lstm-insert-runtime-checks`.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

#endif // LSTM_DIALECT_LSTM_TRANSFORMS_PASSES_TD
