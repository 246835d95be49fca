//===- CPUTarget.h - Native code for the CPU --------------------*- C++ -*-===//

#ifndef LSTM_TARGET_CPUTARGET_H
#define LSTM_TARGET_CPUTARGET_H

#include "lstm/Pipelines/Pipelines.h"

#include "mlir/Support/LLVM.h"
#include "llvm/Support/CodeGen.h"
#include "llvm/Target/TargetMachine.h"

#include <memory>

namespace llvm {
class Module;
class raw_pwrite_stream;
} // namespace llvm

namespace mlir::lstm {

/// A target machine for the host's architecture and `cpu` ("native": this
/// machine's CPU and features). Returns null and sets `error` for an unknown
/// CPU.
std::unique_ptr<llvm::TargetMachine> createCPUTargetMachine(StringRef cpu,
                                                            std::string &error);

/// Sets the pipeline options that fit the target's vector registers.
void configurePipeline(const llvm::TargetMachine &machine,
                       CPUPipelineOptions &options);

/// Runs LLVM's O3 pipeline for `machine` on `module`.
LogicalResult optimizeModule(llvm::Module &module,
                             llvm::TargetMachine &machine);

/// Instruments every function of `module` with AddressSanitizer, so that an
/// out-of-bounds access in the model's code is reported, as a program
/// built with -fsanitize=address reports its own. The model then runs only
/// in a process that has the AddressSanitizer runtime.
LogicalResult instrumentWithAddressSanitizer(llvm::Module &module,
                                             llvm::TargetMachine &machine);

/// Writes `module` as an object file or assembly.
LogicalResult emitMachineCode(llvm::Module &module,
                              llvm::TargetMachine &machine,
                              llvm::CodeGenFileType type,
                              llvm::raw_pwrite_stream &os);

/// Links the object file `object` into the shared library `output` with
/// ld.lld, against `libraries` (e.g. omp, lstm_cuda), found in LLVM's and
/// lstmc's library directories.
LogicalResult linkSharedLibrary(StringRef object, StringRef output,
                                ArrayRef<StringRef> libraries,
                                std::string &error);

} // namespace mlir::lstm

#endif // LSTM_TARGET_CPUTARGET_H
