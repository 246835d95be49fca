//===- GateMath.cpp - An LSTM cell's gates and state update -----*- C++ -*-===//

#include "lstm/Conversion/Utils/GateMath.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;
using namespace mlir::lstm;

/// `value` splat to `type`: f32 or a vector of f32.
static Value createSplat(OpBuilder &b, Location loc, Type type, float value) {
  TypedAttr attr = b.getF32FloatAttr(value);
  if (auto vector = dyn_cast<VectorType>(type))
    attr = DenseElementsAttr::get(vector, attr);
  return arith::ConstantOp::create(b, loc, attr);
}

Value GateMath::splat(OpBuilder &b, float value) const {
  return createSplat(b, loc, type, value);
}

Value lstm::createActivation(OpBuilder &b, Location loc,
                             ActivationAttr activation, Value x) {
  Type type = x.getType();
  auto splat = [&](OpBuilder &b, float value) {
    return createSplat(b, loc, type, value);
  };
  auto param = [&](FloatAttr value) {
    return splat(b, static_cast<float>(value.getValueAsDouble()));
  };
  auto mul = [&](Value l, Value r) -> Value {
    return arith::MulFOp::create(b, loc, l, r);
  };
  auto fma = [&](Value l, Value r, Value addend) -> Value {
    return math::FmaOp::create(b, loc, l, r, addend);
  };
  auto select = [&](arith::CmpFPredicate predicate, Value l, Value r,
                    Value ifTrue, Value ifFalse) -> Value {
    Value cond = arith::CmpFOp::create(b, loc, predicate, l, r);
    return arith::SelectOp::create(b, loc, cond, ifTrue, ifFalse);
  };
  Value zero = splat(b, 0.0f), one = splat(b, 1.0f);
  switch (activation.getKind()) {
  case ActivationKind::sigmoid: {
    // 0.5 * tanh(0.5 * x) + 0.5: one tanh approximation for both
    // nonlinearities, exact at saturation.
    Value half = splat(b, 0.5f);
    return fma(half, math::TanhOp::create(b, loc, mul(half, x)), half);
  }
  case ActivationKind::tanh:
    return math::TanhOp::create(b, loc, x);
  case ActivationKind::relu:
    return arith::MaximumFOp::create(b, loc, x, zero);
  case ActivationKind::affine:
    return fma(param(activation.getAlpha()), x, param(activation.getBeta()));
  case ActivationKind::leaky_relu:
    return select(arith::CmpFPredicate::OGE, x, zero, x,
                  mul(param(activation.getAlpha()), x));
  case ActivationKind::thresholded_relu:
    return select(arith::CmpFPredicate::OGT, x, param(activation.getAlpha()), x,
                  zero);
  case ActivationKind::scaled_tanh:
    return mul(
        param(activation.getAlpha()),
        math::TanhOp::create(b, loc, mul(param(activation.getBeta()), x)));
  case ActivationKind::hard_sigmoid: {
    Value y = fma(param(activation.getAlpha()), x, param(activation.getBeta()));
    return arith::MaximumFOp::create(b, loc, zero,
                                     arith::MinimumFOp::create(b, loc, one, y));
  }
  case ActivationKind::elu: {
    Value expm1 =
        arith::SubFOp::create(b, loc, math::ExpOp::create(b, loc, x), one);
    return select(arith::CmpFPredicate::OGE, x, zero, x,
                  mul(param(activation.getAlpha()), expm1));
  }
  case ActivationKind::softsign:
    return arith::DivFOp::create(
        b, loc, x,
        arith::AddFOp::create(b, loc, one, math::AbsFOp::create(b, loc, x)));
  case ActivationKind::softplus: {
    // max(x, 0) + log1p(exp(-|x|)) never overflows.
    Value negAbs =
        arith::NegFOp::create(b, loc, math::AbsFOp::create(b, loc, x));
    return arith::AddFOp::create(
        b, loc, arith::MaximumFOp::create(b, loc, x, zero),
        math::Log1pOp::create(b, loc, math::ExpOp::create(b, loc, negAbs)));
  }
  case ActivationKind::hardtanh: {
    Value low =
        arith::MaximumFOp::create(b, loc, x, param(activation.getAlpha()));
    return arith::MinimumFOp::create(b, loc, low, param(activation.getBeta()));
  }
  }
  llvm_unreachable("unknown activation kind");
}

Value GateMath::activate(OpBuilder &b, ActivationAttr activation,
                         Value x) const {
  return createActivation(b, loc, activation, x);
}

Value GateMath::clamp(OpBuilder &b, Value x) const {
  if (!clip)
    return x;
  float bound = static_cast<float>(clip.getValueAsDouble());
  Value clamped = arith::MinimumFOp::create(b, loc, x, splat(b, bound));
  return arith::MaximumFOp::create(b, loc, clamped, splat(b, -bound));
}

Value GateMath::cellUpdate(OpBuilder &b, Value pre[4], Value previous,
                           function_ref<Value(int64_t slot)> peephole) const {
  auto peep = [&](Value preActivation, int64_t slot, Value cell) -> Value {
    Value p = peephole(slot);
    if (!p)
      return preActivation;
    return math::FmaOp::create(b, loc, p, cell, preActivation);
  };
  Value in = activate(b, activations.f, clamp(b, peep(pre[0], 0, previous)));
  Value forget =
      inputForget
          ? arith::SubFOp::create(b, loc, splat(b, 1.0f), in).getResult()
          : activate(b, activations.f, clamp(b, peep(pre[1], 1, previous)));
  Value cand = activate(b, activations.g, clamp(b, pre[2]));
  Value c = math::FmaOp::create(b, loc, forget, previous,
                                arith::MulFOp::create(b, loc, in, cand));
  pre[3] = activate(b, activations.f, clamp(b, peep(pre[3], 2, c)));
  return c;
}

Value GateMath::hidden(OpBuilder &b, Value outputGate, Value cell) const {
  return arith::MulFOp::create(b, loc, outputGate,
                               activate(b, activations.h, cell));
}

Value mlir::lstm::clampSequenceLength(OpBuilder &b, Location loc, Value length,
                                      Value seqLen) {
  return arith::MinUIOp::create(b, loc, length, seqLen);
}
