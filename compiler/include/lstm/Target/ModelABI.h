//===- ModelABI.h - The C entry point of a compiled model -------*- C++ -*-===//
//
// Adds to a translated model the plain C symbols of lstm_abi.h: P_run, which
// unpacks contiguous buffers into the memref descriptors of the lowered entry
// function, and P_model, the signature with a pointer to P_run.
//
//===----------------------------------------------------------------------===//

#ifndef LSTM_TARGET_MODELABI_H
#define LSTM_TARGET_MODELABI_H

#include "lstm/Target/ModelSignature.h"

#include "llvm/IR/Module.h"

namespace mlir::lstm {

/// Where a model's recurrences run.
enum class ModelTarget { CPU, CUDA };

/// Adds `prefix`_run and `prefix`_model around `entry`, which becomes
/// internal. With `exportRuntimeSymbol`, also exports `lstm_abi_model`, the
/// name the runtime looks up in shared libraries.
LogicalResult emitModelABI(llvm::Module &module, llvm::Function *entry,
                           const ModelSignature &signature, StringRef prefix,
                           ModelTarget target, bool exportRuntimeSymbol);

} // namespace mlir::lstm

#endif // LSTM_TARGET_MODELABI_H
