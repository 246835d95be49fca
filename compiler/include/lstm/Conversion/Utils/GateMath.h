//===- GateMath.h - An LSTM cell's gates and state update -------*- C++ -*-===//
//
// The arithmetic of one LSTM cell after its matrix products, shared by the
// CPU lowering (on vectors of hidden units) and the GPU lowering (on one
// unit per thread): the gate activations with ONNX's variants (any
// activation function, clip, peepholes, coupled input and forget gates) and
// the cell update
//
//   i = f(clip(x_i + p_i * c')), f = f(clip(x_f + p_f * c')) or 1 - i,
//   g = g(clip(x_g)), c = f * c' + i * g, o = f(clip(x_o + p_o * c)).
//
//===----------------------------------------------------------------------===//

#ifndef LSTM_CONVERSION_UTILS_GATEMATH_H
#define LSTM_CONVERSION_UTILS_GATEMATH_H

#include "lstm/Dialect/LSTM/IR/LSTM.h"

#include "mlir/IR/Builders.h"

namespace mlir::lstm {

/// `activation` applied to `x`, f32 or a vector of f32: the one
/// implementation of the activation functions, for LSTM gates and for
/// lstm.activation layers.
Value createActivation(OpBuilder &b, Location loc, ActivationAttr activation,
                       Value x);

class GateMath {
public:
  /// Emits f32 arithmetic on values of `type`: f32 or a vector of f32.
  GateMath(Location loc, Type type, GateActivations activations, FloatAttr clip,
           bool inputForget)
      : loc(loc), type(type), activations(activations), clip(clip),
        inputForget(inputForget) {}

  /// The constant `value` of this type.
  Value splat(OpBuilder &b, float value) const;

  /// `activation` applied to `x`.
  Value activate(OpBuilder &b, ActivationAttr activation, Value x) const;

  /// The new cell state from the pre-activations `pre` (i, f, g, o) and the
  /// cell state `previous`; on return, pre[3] holds the activated output
  /// gate. `peephole(slot)` gives p_i, p_f or p_o (slots 0, 1, 2), or null
  /// without peepholes.
  Value cellUpdate(OpBuilder &b, Value pre[4], Value previous,
                   function_ref<Value(int64_t slot)> peephole) const;

  /// The hidden state o * h(c).
  Value hidden(OpBuilder &b, Value outputGate, Value cell) const;

private:
  Value clamp(OpBuilder &b, Value x) const;

  Location loc;
  Type type;
  GateActivations activations;
  FloatAttr clip;
  bool inputForget;
};

/// A row's sequence length as the kernels use it: `length` (index), read
/// from `lengths`, limited to `seqLen`. A length outside [1, seqLen] has
/// already failed the call's value check; limited, it keeps the kernel's
/// reads and writes inside the time dimension all the same (a negative one,
/// taken as unsigned, becomes seqLen).
Value clampSequenceLength(OpBuilder &b, Location loc, Value length,
                          Value seqLen);

} // namespace mlir::lstm

#endif // LSTM_CONVERSION_UTILS_GATEMATH_H
