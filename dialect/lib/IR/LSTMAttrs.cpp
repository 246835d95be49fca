//===- LSTMAttrs.cpp - LSTM dialect attributes ------------------*- C++ -*-===//

#include "lstm/Dialect/LSTM/IR/LSTM.h"

#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace mlir::lstm;

#include "lstm/Dialect/LSTM/IR/LSTMEnums.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "lstm/Dialect/LSTM/IR/LSTMAttrs.cpp.inc"

int ActivationAttr::getNumParameters(ActivationKind kind) {
  switch (kind) {
  case ActivationKind::sigmoid:
  case ActivationKind::tanh:
  case ActivationKind::relu:
  case ActivationKind::softsign:
  case ActivationKind::softplus:
    return 0;
  case ActivationKind::leaky_relu:
  case ActivationKind::thresholded_relu:
  case ActivationKind::elu:
    return 1;
  case ActivationKind::affine:
  case ActivationKind::scaled_tanh:
  case ActivationKind::hard_sigmoid:
  case ActivationKind::hardtanh:
    return 2;
  }
  llvm_unreachable("unknown activation kind");
}

LogicalResult
ActivationAttr::verify(function_ref<InFlightDiagnostic()> emitError,
                       ActivationKind kind, FloatAttr alpha, FloatAttr beta) {
  int expected = getNumParameters(kind);
  int given = (alpha ? 1 : 0) + (beta ? 1 : 0);
  if (beta && !alpha)
    return emitError() << "activation beta needs an alpha";
  if (given != expected)
    return emitError() << "activation " << stringifyActivationKind(kind)
                       << " takes " << expected << " parameters, got " << given;
  for (FloatAttr p : {alpha, beta})
    if (p && !p.getType().isF32())
      return emitError() << "activation parameters must be f32";
  return success();
}

void LSTMDialect::registerAttributes() {
  addAttributes<
#define GET_ATTRDEF_LIST
#include "lstm/Dialect/LSTM/IR/LSTMAttrs.cpp.inc"
      >();
}

bool GateActivations::isDefault() const {
  return f.getKind() == ActivationKind::sigmoid &&
         g.getKind() == ActivationKind::tanh &&
         h.getKind() == ActivationKind::tanh;
}

GateActivations mlir::lstm::getGateActivations(MLIRContext *context,
                                               ArrayAttr activations) {
  if (activations && activations.size() == 3)
    return {cast<ActivationAttr>(activations[0]),
            cast<ActivationAttr>(activations[1]),
            cast<ActivationAttr>(activations[2])};
  auto make = [&](ActivationKind kind) {
    return ActivationAttr::get(context, kind, FloatAttr(), FloatAttr());
  };
  return {make(ActivationKind::sigmoid), make(ActivationKind::tanh),
          make(ActivationKind::tanh)};
}
