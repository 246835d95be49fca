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
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/RuntimeVerifiableOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "lstm/Dialect/LSTM/IR/LSTMOpsDialect.h.inc"

#include "lstm/Dialect/LSTM/IR/LSTMEnums.h.inc"

#define GET_ATTRDEF_CLASSES
#include "lstm/Dialect/LSTM/IR/LSTMAttrs.h.inc"

namespace mlir::lstm {

/// The parameters of one layer in one direction, in `_flat_weights` order.
/// Biases and the projection are null when the model has none.
struct LayerWeights {
  Value weightIH, weightHH, biasIH, biasHH, weightHR;
};

/// The activation functions of an LSTM: f for the input, forget and output
/// gates, g for the cell candidate and h for the cell output.
struct GateActivations {
  ActivationAttr f, g, h;
  /// Whether these are PyTorch's sigmoid, tanh, tanh.
  bool isDefault() const;
};

/// The activations an op's optional `activations` array describes.
GateActivations getGateActivations(MLIRContext *context, ArrayAttr activations);

/// One spatial dimension of a sliding window (lstm.conv, lstm.pool).
struct SlidingWindow {
  int64_t kernel, stride, dilation, padBegin, padEnd;
  bool ceilMode = false;

  /// The kernel's extent with its dilation: dilation * (kernel - 1) + 1.
  int64_t getExtent() const { return dilation * (kernel - 1) + 1; }
  /// The number of window positions over an input of `size`; less than 1
  /// when the input is too small for one.
  int64_t getOutputSize(int64_t size) const;
  /// The same, at run time, for an index value or attribute `size`.
  OpFoldResult getOutputSize(OpBuilder &b, Location loc,
                             OpFoldResult size) const;
};

} // namespace mlir::lstm

#define GET_OP_CLASSES
#include "lstm/Dialect/LSTM/IR/LSTMOps.h.inc"

#endif // LSTM_DIALECT_LSTM_IR_LSTM_H
