//===- MLIR.h - Read models written as MLIR ---------------------*- C++ -*-===//
//
// lstm-compile reads .mlir files with MLIR's parser, after refusing the
// inputs on which MLIR 22's parser is known to crash instead of reporting
// an error.
//
//===----------------------------------------------------------------------===//

#ifndef LSTM_IMPORT_MLIR_H
#define LSTM_IMPORT_MLIR_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace llvm {
class SourceMgr;
} // namespace llvm

namespace mlir::lstm {

/// Parses the main buffer of `sourceMgr` (null-terminated, as SourceMgr's
/// buffers from files are). Errors are diagnostics; the result is null
/// after one.
OwningOpRef<ModuleOp> parseMLIRInput(llvm::SourceMgr &sourceMgr,
                                     MLIRContext *context);

} // namespace mlir::lstm

#endif // LSTM_IMPORT_MLIR_H
