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

#include <string>

namespace mlir::lstm {

/// Where a model's recurrences run.
enum class ModelTarget { CPU, CUDA };

/// What the ABI records beside the signature.
struct ModelABIInfo {
  /// The prefix P of the exported symbols.
  std::string prefix;
  ModelTarget target = ModelTarget::CPU;
  /// Whether to export P_model as `lstm_abi_model` too, the name the runtime
  /// looks up in shared libraries.
  bool exportRuntimeSymbol = false;
  /// The messages of the entry function's run-time checks, by index.
  SmallVector<std::string> checks;
  /// The CPU and the detectable features the code was compiled for.
  std::string targetCPU;
  SmallVector<std::string> cpuFeatures;
};

/// Adds P_run and P_model around `entry`, the lowered entry function with
/// its check record (lstm-lower-runtime-checks) as last argument, which
/// becomes internal. P_run checks the CPU and the buffers against
/// `signature` (adding those checks' messages after `info.checks`) before
/// calling it.
LogicalResult emitModelABI(llvm::Module &module, llvm::Function *entry,
                           const ModelSignature &signature,
                           const ModelABIInfo &info);

} // namespace mlir::lstm

#endif // LSTM_TARGET_MODELABI_H
