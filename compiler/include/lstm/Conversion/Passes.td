//===- Passes.td - lstm conversion passes ------------------*- tablegen -*-===//

#ifndef LSTM_CONVERSION_PASSES_TD
#define LSTM_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertLSTMToVector : Pass<"convert-lstm-to-vector", "ModuleOp"> {
  let summary = "Lower lstm.recurrence on buffers to threaded, vectorized loops";
  let description = [{
    Lowers every bufferized `lstm.recurrence` to CPU code: one
    `omp.parallel` region whose threads each own a range of hidden-unit
    blocks (and so a slice of W_ih and W_hh that stays in their cache) for
    the whole sequence. Time steps are taken in chunks of about
    `rows-per-chunk` batch rows: each thread first computes the input
    projection of the chunk for its blocks, as one register-tiled product
    with W_ih (hoisted out of the time loop; no synchronization, since only
    the owner reads those gates), then runs the chunk's steps. A step is the
    recurrent product of the thread's blocks in register tiles of
    `vector.fma`, the gates, the cell update and the output computed on the
    accumulators, and one `omp.barrier` (two with a projection) on
    double-buffered hidden states.

    Tiles cover `rows-per-tile` batch rows and one block; the rows left
    over go in shorter tiles over several blocks, up to `accumulators`
    vector registers, so that batch 1 still hides the FMA latency.
  }];
  let options = [
    Option<"rowsPerTile", "rows-per-tile", "int64_t", /*default=*/"4",
           "Batch rows per register tile">,
    Option<"accumulators", "accumulators", "int64_t", /*default=*/"16",
           "Vector registers a tile may accumulate in">,
    Option<"rowsPerChunk", "rows-per-chunk", "int64_t", /*default=*/"256",
           "Rows (steps times batch) of input projection per chunk of steps">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::func::FuncDialect",
    "::mlir::linalg::LinalgDialect", "::mlir::LLVM::LLVMDialect",
    "::mlir::math::MathDialect", "::mlir::memref::MemRefDialect",
    "::mlir::omp::OpenMPDialect",
    "::mlir::scf::SCFDialect", "::mlir::vector::VectorDialect"
  ];
}

def ConvertLayersToLinalg : Pass<"lstm-lower-layers"> {
  let summary = "Lower the lstm dialect's layers around LSTMs to linalg";
  let description = [{
    Gives every layer op (`lstm.activation`, `lstm.conv`, `lstm.pool`,
    `lstm.batch_norm`, `lstm.layer_norm`) its one lowering, shared by the
    CPU and GPU pipelines: `linalg.generic` ops whose innermost loop runs
    along the last dimension of the result, so that
    `lstm-vectorize-linalg` vectorizes them. Convolutions and pooling read
    their (padded) input with `tensor.extract` in the body (vector gathers
    once vectorized). Activations use the functions of the LSTM gates
    (`Conversion/Utils/GateMath`).
  }];
  let dependentDialects = [
    "::mlir::linalg::LinalgDialect", "::mlir::math::MathDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def LSTMFuseElementwise : Pass<"lstm-fuse-elementwise"> {
  let summary = "Fuse elementwise linalg ops, keeping gathers out of products";
  let description = [{
    Upstream's `linalg-fuse-elementwise-ops` (the same patterns) with one
    rule added: a producer that gathers with `tensor.extract` (a
    convolution's im2col columns, an embedding) is not fused into a
    consumer that reads each of its elements several times (through an
    indexing map that is not a permutation), which would redo the gather
    for every read.
  }];
  let dependentDialects = [
    "::mlir::affine::AffineDialect", "::mlir::linalg::LinalgDialect",
    "::mlir::tensor::TensorDialect"
  ];
}

def ConvertLinalgToVector : Pass<"lstm-vectorize-linalg"> {
  let summary = "Tile and vectorize the linalg ops around LSTMs";
  let description = [{
    Vectorizes what surrounds the LSTMs of a model graph (linear layers,
    embeddings, activations, softmax, layout changes) on tensors, after
    elementwise fusion: each linalg op is tiled to unit tiles along its
    outer loops and one vector along its innermost loop, which holds the
    contiguous features (classes, embedding or hidden units), and the tile
    is vectorized by upstream linalg vectorization, masked where the
    vector does not divide the loop. Unit dimensions are then dropped so
    that only 1-D vectors remain. Ops that cannot be vectorized stay as
    they are, for convert-linalg-to-loops.

    Contractions (Linear, convolutions over im2col columns) get register
    tiles of several rows sharing each loaded vector, their reduction loops
    innermost, the tile loop of the vector dimension outside the rows', and
    the partial last vector peeled off so that whole tiles need no masks.
    A vector multiply whose only use is an add becomes one `math.fma` (as
    the FMA kernels of PyTorch and oneDNN compute it).
  }];
  let options = [
    Option<"vectorSize", "vector-size", "int64_t", /*default=*/"16",
           "Elements per vector (f32 lanes of a register)">,
    Option<"maxVectorSize", "max-vector-size", "int64_t", /*default=*/"64",
           "Innermost loops up to this many static iterations are "
           "vectorized whole">
  ];
  let dependentDialects = [
    "::mlir::affine::AffineDialect", "::mlir::arith::ArithDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect", "::mlir::tensor::TensorDialect",
    "::mlir::vector::VectorDialect"
  ];
}

def ConvertMathToPolynomial : Pass<"lstm-approximate-math"> {
  let summary = "Replace math functions with polynomial approximations";
  let description = [{
    Applies upstream MLIR's polynomial approximations of `math.tanh`,
    `math.exp` and friends, so that generated code needs no libm calls and
    vectorizes. Upstream has the patterns but no pass that applies them.
    The divisions of the rational approximations, whose denominators are
    finite and bounded away from zero, are marked `arcp ninf` so that LLVM
    may use a reciprocal estimate refined by a Newton step.
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

def ConvertLSTMToGPU : Pass<"convert-lstm-to-gpu", "ModuleOp"> {
  let summary = "Lower lstm.recurrence on buffers to GPU kernels";
  let description = [{
    Lowers every bufferized `lstm.recurrence` to host code that copies its
    operands to device buffers, launches the kernels and copies the results
    back, all on one chain of `!gpu.async.token`s (one stream, no
    synchronization until the results are read):

    - the input projection W_ih x_t + b of all steps at once, hoisted out of
      the time loop: one thread per gate column, blocks over the
      (step, batch row) pairs and the hidden-unit blocks;
    - per step, one kernel with a thread per (batch row, hidden unit) that
      computes its four gates' recurrent products, reading the packed W_hh
      with coalesced loads, then the gates, the cell update and the outputs
      in registers (one kernel per step, not one per elementwise op);
    - per step with a projection, one kernel for h W_hr^T.

    Hidden states are double-buffered across steps. The weights keep the
    gate-interleaved, blocked layout of `lstm-pack-weights`; its block size
    is the number of threads per block of the step kernel.

    With `host-loops`, the same kernel code runs on the host instead: each
    launch becomes an `scf.parallel` over its blocks and threads, device
    buffers host buffers and copies `memref.copy`. This tests the kernels'
    semantics where there is no GPU.
  }];
  let options = [
    Option<"hostLoops", "host-loops", "bool", /*default=*/"false",
           "Run the kernels' code as host loops on host buffers">
  ];
  let dependentDialects = [
    "::mlir::arith::ArithDialect", "::mlir::gpu::GPUDialect",
    "::mlir::math::MathDialect", "::mlir::memref::MemRefDialect",
    "::mlir::scf::SCFDialect"
  ];
}

#endif // LSTM_CONVERSION_PASSES_TD
