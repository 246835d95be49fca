//===- LSTMToGPU.h - lstm.recurrence to GPU kernels -------------*- C++ -*-===//

#ifndef LSTM_CONVERSION_LSTMTOGPU_LSTMTOGPU_H
#define LSTM_CONVERSION_LSTMTOGPU_LSTMTOGPU_H

#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"

namespace mlir::lstm {

#define GEN_PASS_DECL_CONVERTLSTMTOGPU
#include "lstm/Conversion/Passes.h.inc"

/// Lowers bufferized lstm.recurrence ops to device buffers, copies and
/// gpu.launch kernels on one async token chain; with `hostLoops`, to host
/// buffers and scf.parallel loops running the kernels' code.
void populateLSTMToGPUPatterns(RewritePatternSet &patterns, bool hostLoops);

} // namespace mlir::lstm

#endif // LSTM_CONVERSION_LSTMTOGPU_LSTMTOGPU_H
