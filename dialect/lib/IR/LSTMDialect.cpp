//===- LSTMDialect.cpp - LSTM dialect ---------------------------*- C++ -*-===//

#include "lstm/Dialect/LSTM/IR/LSTM.h"

using namespace mlir;
using namespace mlir::lstm;

#include "lstm/Dialect/LSTM/IR/LSTMOpsDialect.cpp.inc"

void LSTMDialect::initialize() {
  registerAttributes();
  addOperations<
#define GET_OP_LIST
#include "lstm/Dialect/LSTM/IR/LSTMOps.cpp.inc"
      >();
}
