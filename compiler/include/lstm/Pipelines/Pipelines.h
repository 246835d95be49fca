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

struct GPUPipelineOptions : PassPipelineOptions<GPUPipelineOptions> {
  Option<int64_t> blockSize{
      *this, "block-size",
      llvm::cl::desc("Hidden units per block: threads per thread block of "
                     "the step kernel"),
      llvm::cl::init(32)};
  Option<int64_t> hostVectorSize{
      *this, "host-vector-size",
      llvm::cl::desc("f32 lanes of the host's vector registers, for the "
                     "layers around the LSTMs"),
      llvm::cl::init(16)};
  Option<std::string> chip{*this, "chip",
                           llvm::cl::desc("GPU architecture, e.g. sm_90"),
                           llvm::cl::init("sm_90")};
  Option<std::string> features{*this, "features",
                               llvm::cl::desc("PTX features, e.g. +ptx80"),
                               llvm::cl::init("+ptx80")};
  Option<std::string> format{
      *this, "format",
      llvm::cl::desc("What the kernels are serialized to: isa (PTX), bin "
                     "(cubin) or fatbin (both; bin and fatbin need ptxas)"),
      llvm::cl::init("isa")};
  Option<std::string> toolkit{
      *this, "toolkit",
      llvm::cl::desc("The CUDA toolkit, for ptxas (bin, fatbin)"),
      llvm::cl::init("")};
  Option<bool> hostLoops{
      *this, "host-loops",
      llvm::cl::desc("Run the kernels' code as host loops instead (testing "
                     "without a GPU): a CPU model"),
      llvm::cl::init(false)};
};

/// The front half both targets share: run-time checks, decomposition,
/// packing and folding of the weights, the layers around the LSTMs fused
/// and vectorized, bufferization with out-parameters at the entry point,
/// and the checks' error channel. What is left is lstm.recurrence on
/// buffers.
void buildLSTMToBuffersPipeline(OpPassManager &pm,
                                const CPUPipelineOptions &options);

/// Lowers modules of lstm ops on tensors to the LLVM dialect for CPUs:
/// decomposition, hoisting, packing, bufferization, the threaded vector
/// recurrence and the LLVM conversions.
void buildLSTMToLLVMPipeline(OpPassManager &pm,
                             const CPUPipelineOptions &options);

/// Lowers modules of lstm ops on tensors for NVIDIA GPUs: the same front
/// half as for CPUs, then the recurrences as GPU kernels (NVVM, serialized
/// to a gpu.binary) launched by host code in the LLVM dialect.
void buildLSTMToNVVMPipeline(OpPassManager &pm,
                             const GPUPipelineOptions &options);

/// Registers the pipelines with the pass registry (for lstm-opt).
void registerLSTMPipelines();

} // namespace lstm
} // namespace mlir

#endif // LSTM_PIPELINES_PIPELINES_H
