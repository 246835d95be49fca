//===- MemRefCopyToLinalg.h - memref.copy to linalg.copy --------*- C++ -*-===//

#ifndef LSTM_CONVERSION_MEMREFCOPYTOLINALG_MEMREFCOPYTOLINALG_H
#define LSTM_CONVERSION_MEMREFCOPYTOLINALG_MEMREFCOPYTOLINALG_H

#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"

namespace mlir::lstm {
#define GEN_PASS_DECL_CONVERTMEMREFCOPYTOLINALG
#include "lstm/Conversion/Passes.h.inc"

/// Rewrites memref.copy ops that the LLVM lowering would turn into calls to
/// `memrefCopy` into linalg.copy.
void populateMemRefCopyToLinalgPatterns(RewritePatternSet &patterns);
} // namespace mlir::lstm

#endif // LSTM_CONVERSION_MEMREFCOPYTOLINALG_MEMREFCOPYTOLINALG_H
