//===- Passes.td - lstm conversion passes ------------------*- tablegen -*-===//

#ifndef LSTM_CONVERSION_PASSES_TD
#define LSTM_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertLSTMToVector : Pass<"convert-lstm-to-vector", "ModuleOp"> {
  let summary = "Lower lstm.recurrence on buffers to threaded, vectorized loops";
  let description = [{
    Lowers every bufferized `lstm.recurrence` to CPU code: an `omp.parallel`
    region whose threads each own a range of hidden-unit blocks (and so a
    slice of W_hh that stays in their cache) for the whole sequence, and an
    `scf.for` over time in which each thread computes the recurrent product
    of its blocks with register-tiled `vector.fma`s and applies the gates,
    the cell update and the output in the same tile, followed by one
    `omp.barrier` (two with a projection). The hidden state is
    double-buffered so that one barrier per step suffices.

    Tiles cover `rows-per-tile` batch rows and one block, or, for the rows
    left over, one row and up to `blocks-per-row` blocks, so that batch 1
    still has enough independent accumulators.
  }];
  let options = [
    Option<"rowsPerTile", "rows-per-tile", "int64_t", /*default=*/"4",
           "Batch rows per register tile">,
    Option<"blocksPerRow", "blocks-per-row", "int64_t", /*default=*/"4",
           "Blocks per register tile for single rows">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::func::FuncDialect",
    "::mlir::linalg::LinalgDialect", "::mlir::math::MathDialect",
    "::mlir::memref::MemRefDialect", "::mlir::omp::OpenMPDialect",
    "::mlir::scf::SCFDialect", "::mlir::vector::VectorDialect"
  ];
}

def ConvertMathToPolynomial : Pass<"lstm-approximate-math"> {
  let summary = "Replace math functions with polynomial approximations";
  let description = [{
    Applies upstream MLIR's polynomial approximations of `math.tanh`,
    `math.exp` and friends, so that generated code needs no libm calls and
    vectorizes. Upstream has the patterns but no pass that applies them.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::math::MathDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def ConvertMemRefCopyToLinalg : Pass<"lstm-lower-memref-copy"> {
  let summary = "Turn memref.copy between non-contiguous buffers into linalg.copy";
  let description = [{
    MLIR's LLVM lowering turns a `memref.copy` that is not between
    contiguous buffers into a call to `memrefCopy` from MLIR's C runner
    utilities, a library compiled models must not depend on. This pass
    rewrites such copies into `linalg.copy`, which lowers to loops.
  }];
  let dependentDialects = ["::mlir::linalg::LinalgDialect"];
}

#endif // LSTM_CONVERSION_PASSES_TD
