//===- Passes.h - lstm conversion passes ------------------------*- C++ -*-===//

#ifndef LSTM_CONVERSION_PASSES_H
#define LSTM_CONVERSION_PASSES_H

#include "lstm/Conversion/LSTMToGPU/LSTMToGPU.h"
#include "lstm/Conversion/LSTMToVector/LSTMToVector.h"
#include "lstm/Conversion/LayersToLinalg/LayersToLinalg.h"
#include "lstm/Conversion/LinalgToVector/LinalgToVector.h"
#include "lstm/Conversion/MathToPolynomial/MathToPolynomial.h"
#include "lstm/Conversion/MemRefCopyToLinalg/MemRefCopyToLinalg.h"

namespace mlir::lstm {

#define GEN_PASS_REGISTRATION
#include "lstm/Conversion/Passes.h.inc"

} // namespace mlir::lstm

#endif // LSTM_CONVERSION_PASSES_H
