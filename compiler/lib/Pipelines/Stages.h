//===- Stages.h - Pipeline stages shared by the targets ---------*- C++ -*-===//
//
// Both targets compile the same front half (tensors to buffers) and lower
// their host code the same way; they differ in how lstm.recurrence becomes
// code. Each stage appends its passes to `pm`.
//
//===----------------------------------------------------------------------===//

#ifndef LSTM_LIB_PIPELINES_STAGES_H
#define LSTM_LIB_PIPELINES_STAGES_H

#include <cstdint>

namespace mlir {
class OpPassManager;
namespace lstm {

/// Tensors to buffers: one recurrence per layer and direction with weights
/// packed in blocks of `blockSize` units at compile time, the layers around
/// the LSTMs fused and vectorized with `vectorSize` lanes, then one-shot
/// bufferization with identity layouts and out-parameters at the entry
/// point, so that callers pass plain contiguous arrays.
void buildBufferStage(OpPassManager &pm, int64_t blockSize, int64_t vectorSize);

/// What is left of the host code after the recurrences are lowered, to
/// scf and cf loops.
void buildLoopStage(OpPassManager &pm);

/// The upstream conversions of loops, vectors and memrefs to the LLVM
/// dialect.
void buildLLVMStage(OpPassManager &pm);

} // namespace lstm
} // namespace mlir

#endif // LSTM_LIB_PIPELINES_STAGES_H
