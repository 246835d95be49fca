//===- Pipelines.h - lstmc compilation pipelines ----------------*- C++ -*-===//
//
// One builder per target. lstm-compile and lstm-opt both call these, so
// there is exactly one list of passes per target.
//
//===----------------------------------------------------------------------===//

#ifndef LSTM_PIPELINES_PIPELINES_H
#define LSTM_PIPELINES_PIPELINES_H

#include "mlir/Pass/PassOptions.h"

namespace mlir {
class OpPassManager;
namespace lstm {

struct CPUPipelineOptions : PassPipelineOptions<CPUPipelineOptions> {
  Option<int64_t> blockSize{
      *this, "block-size",
      llvm::cl::desc("Hidden units per block: f32 lanes of a vector register "
                     "(16 with AVX-512, 8 with AVX2)"),
      llvm::cl::init(16)};
  Option<int64_t> rowsPerTile{
      *this, "rows-per-tile",
      llvm::cl::desc("Batch rows per register tile of the recurrence"),
      llvm::cl::init(4)};
  Option<int64_t> accumulators{
      *this, "accumulators",
      llvm::cl::desc("Vector registers a register tile may accumulate in"),
      llvm::cl::init(16)};
  Option<int64_t> rowsPerChunk{
      *this, "rows-per-chunk",
      llvm::cl::desc("Rows (steps times batch) of input projection computed "
                     "per chunk of time steps"),
      llvm::cl::init(256)};
};

/// Lowers modules of lstm ops on tensors to the LLVM dialect for CPUs:
/// decomposition, hoisting, packing, bufferization, the threaded vector
/// recurrence and the LLVM conversions.
void buildLSTMToLLVMPipeline(OpPassManager &pm,
                             const CPUPipelineOptions &options);

/// Registers the pipelines with the pass registry (for lstm-opt).
void registerLSTMPipelines();

} // namespace lstm
} // namespace mlir

#endif // LSTM_PIPELINES_PIPELINES_H
