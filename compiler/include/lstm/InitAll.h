//===- InitAll.h - Register everything lstmc provides -----------*- C++ -*-===//

#ifndef LSTM_INITALL_H
#define LSTM_INITALL_H

#include "lstm/Conversion/Passes.h"
#include "lstm/Dialect/LSTM/IR/LSTM.h"
#include "lstm/Dialect/LSTM/Transforms/Passes.h"
#include "lstm/Pipelines/Pipelines.h"

#include "mlir/IR/DialectRegistry.h"

namespace mlir::lstm {

/// Adds the lstm dialect and its external interface models to `registry`.
inline void registerAllDialects(DialectRegistry &registry) {
  registry.insert<LSTMDialect>();
  registerBufferizableOpInterfaceExternalModels(registry);
  registerRuntimeVerifiableOpInterfaceExternalModels(registry);
}

/// Registers every lstm pass and pipeline for command-line use.
inline void registerAllPasses() {
  registerLSTMPasses();
  registerLSTMConversionPasses();
  registerLSTMPipelines();
}

} // namespace mlir::lstm

#endif // LSTM_INITALL_H
