//===- ControlFlow.h - Structured control flow builders ---------*- C++ -*-===//

#ifndef LSTM_CONVERSION_UTILS_CONTROLFLOW_H
#define LSTM_CONVERSION_UTILS_CONTROLFLOW_H

#include "mlir/IR/Builders.h"

namespace mlir::lstm {

/// Emits `scf.if cond { thenBody } else { elseBody }` without results; no
/// else region if `elseBody` is null.
void emitIf(OpBuilder &b, Location loc, Value cond,
            function_ref<void(OpBuilder &)> thenBody,
            function_ref<void(OpBuilder &)> elseBody = nullptr);

} // namespace mlir::lstm

#endif // LSTM_CONVERSION_UTILS_CONTROLFLOW_H
