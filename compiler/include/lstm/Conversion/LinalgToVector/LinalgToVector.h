//===- LinalgToVector.h - Vectorize the ops around LSTMs --------*- C++ -*-===//

#ifndef LSTM_CONVERSION_LINALGTOVECTOR_LINALGTOVECTOR_H
#define LSTM_CONVERSION_LINALGTOVECTOR_LINALGTOVECTOR_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Pass/Pass.h"

namespace mlir::lstm {
#define GEN_PASS_DECL_CONVERTLINALGTOVECTOR
#define GEN_PASS_DECL_LSTMFUSEELEMENTWISE
#include "lstm/Conversion/Passes.h.inc"

/// Tiles `op` (on tensors) to one vector along its innermost loop and unit
/// tiles along the others, and vectorizes the tile: whole when the loop has
/// at most `maxVectorSize` static iterations, else in vectors of
/// `vectorSize` (masked when they do not divide it). A contraction gets
/// tiles of several rows and its reduction loops innermost. Fails, leaving
/// `op` alone, when the op cannot be tiled or a reduction would need masks.
LogicalResult tileAndVectorize(RewriterBase &rewriter, linalg::LinalgOp op,
                               int64_t vectorSize, int64_t maxVectorSize);
} // namespace mlir::lstm

#endif // LSTM_CONVERSION_LINALGTOVECTOR_LINALGTOVECTOR_H
