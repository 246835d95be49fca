//===- LSTMToVector.h - lstm.recurrence to CPU loops ------------*- C++ -*-===//

#ifndef LSTM_CONVERSION_LSTMTOVECTOR_LSTMTOVECTOR_H
#define LSTM_CONVERSION_LSTMTOVECTOR_LSTMTOVECTOR_H

#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"

namespace mlir::lstm {

#define GEN_PASS_DECL_CONVERTLSTMTOVECTOR
#include "lstm/Conversion/Passes.h.inc"

/// Lowers bufferized lstm.recurrence ops to omp.parallel + scf + vector.
void populateLSTMToVectorPatterns(RewritePatternSet &patterns,
                                  const ConvertLSTMToVectorOptions &options);

} // namespace mlir::lstm

#endif // LSTM_CONVERSION_LSTMTOVECTOR_LSTMTOVECTOR_H
