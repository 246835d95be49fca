//===- CPUFeatures.h - The CPU features a model's code needs ----*- C++ -*-===//
//
// A model compiled for one CPU runs on another only if that CPU has every
// instruction-set feature the code may use. The model records them (by
// LLVM's names) and carries a function that tells which of them the CPU it
// runs on lacks, so that the runtime and the model's own entry point refuse
// to run instead of dying of SIGILL. This file is the one place that knows
// how each feature is detected.
//
//===----------------------------------------------------------------------===//

#ifndef LSTM_TARGET_CPUFEATURES_H
#define LSTM_TARGET_CPUFEATURES_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/SmallVector.h"

#include <string>

namespace llvm {
class Function;
class Module;
class TargetMachine;
} // namespace llvm

namespace mlir::lstm {

/// The features `machine` generates code for that lstmc can detect at run
/// time, in a fixed order; at most 64.
SmallVector<std::string>
getDetectableCPUFeatures(const llvm::TargetMachine &machine);

/// Adds `uint64_t name(void)` to `module`: bit i of its result is set when
/// the CPU running it lacks `features[i]`. The function is compiled for the
/// architecture's baseline, so any CPU of the architecture can run it.
llvm::Function *emitCPUFeatureCheck(llvm::Module &module, StringRef name,
                                    ArrayRef<std::string> features);

/// Marks `function` to be compiled for the baseline of `module`'s
/// architecture, whatever CPU the rest of the module targets.
void setBaselineTarget(llvm::Function &function);

} // namespace mlir::lstm

#endif // LSTM_TARGET_CPUFEATURES_H
