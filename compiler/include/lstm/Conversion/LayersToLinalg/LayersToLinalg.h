//===- LayersToLinalg.h - The lstm dialect's layers to linalg ---*- C++ -*-===//

#ifndef LSTM_CONVERSION_LAYERSTOLINALG_LAYERSTOLINALG_H
#define LSTM_CONVERSION_LAYERSTOLINALG_LAYERSTOLINALG_H

#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"

namespace mlir::lstm {
#define GEN_PASS_DECL_CONVERTLAYERSTOLINALG
#include "lstm/Conversion/Passes.h.inc"

/// Lowers lstm.activation, lstm.conv, lstm.pool, lstm.batch_norm and
/// lstm.layer_norm to linalg.generic, tensor.pad and tensor.extract.
void populateLayersToLinalgPatterns(RewritePatternSet &patterns);
} // namespace mlir::lstm

#endif // LSTM_CONVERSION_LAYERSTOLINALG_LAYERSTOLINALG_H
