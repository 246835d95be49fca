//===- LSTM.h - LSTM dialect ------------------------------------*- C++ -*-===//
//
// Umbrella header for the lstm dialect.
//
//===----------------------------------------------------------------------===//

#ifndef LSTM_DIALECT_LSTM_IR_LSTM_H
#define LSTM_DIALECT_LSTM_IR_LSTM_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "lstm/Dialect/LSTM/IR/LSTMOpsDialect.h.inc"

namespace mlir::lstm {

/// The parameters of one layer in one direction, in `_flat_weights` order.
/// Biases and the projection are null when the model has none.
struct LayerWeights {
  Value weightIH, weightHH, biasIH, biasHH, weightHR;
};

} // namespace mlir::lstm

#define GET_OP_CLASSES
#include "lstm/Dialect/LSTM/IR/LSTMOps.h.inc"

#endif // LSTM_DIALECT_LSTM_IR_LSTM_H
