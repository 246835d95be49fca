//===- MathToPolynomial.h - Polynomial math approximations ------*- C++ -*-===//

#ifndef LSTM_CONVERSION_MATHTOPOLYNOMIAL_MATHTOPOLYNOMIAL_H
#define LSTM_CONVERSION_MATHTOPOLYNOMIAL_MATHTOPOLYNOMIAL_H

#include "mlir/Pass/Pass.h"

namespace mlir::lstm {
#define GEN_PASS_DECL_CONVERTMATHTOPOLYNOMIAL
#include "lstm/Conversion/Passes.h.inc"
} // namespace mlir::lstm

#endif // LSTM_CONVERSION_MATHTOPOLYNOMIAL_MATHTOPOLYNOMIAL_H
