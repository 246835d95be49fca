//===- CPUTarget.cpp - Native code for the CPU ------------------*- C++ -*-===//

#include "lstm/Target/CPUTarget.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/TargetSelect.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/Transforms/Instrumentation/AddressSanitizer.h"

using namespace mlir;
using namespace mlir::lstm;

std::unique_ptr<llvm::TargetMachine>
mlir::lstm::createCPUTargetMachine(StringRef cpu, std::string &error) {
  llvm::InitializeNativeTarget();
  llvm::InitializeNativeTargetAsmPrinter();
  // The CPU feature check is inline assembly (CPUFeatures.cpp).
  llvm::InitializeNativeTargetAsmParser();
  llvm::Triple triple(llvm::sys::getDefaultTargetTriple());
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(triple, error);
  if (!target)
    return nullptr;
  std::string cpuName = cpu.str(), features;
  if (cpu == "native") {
    cpuName = llvm::sys::getHostCPUName().str();
    for (const auto &feature : llvm::sys::getHostCPUFeatures())
      features += (feature.second ? "+" : "-") + feature.first().str() + ",";
  }
  std::unique_ptr<llvm::TargetMachine> machine(target->createTargetMachine(
      triple, cpuName, features, llvm::TargetOptions(), llvm::Reloc::PIC_,
      std::nullopt, llvm::CodeGenOptLevel::Aggressive));
  if (!machine->getMCSubtargetInfo()->isCPUStringValid(cpuName)) {
    error = "unknown CPU '" + cpuName + "' for " + triple.str();
    return nullptr;
  }
  return machine;
}

void mlir::lstm::configurePipeline(const llvm::TargetMachine &machine,
                                   CPUPipelineOptions &options) {
  // One block of hidden units per gate fills one vector register. Tiles
  // of 4 gates x `rowsPerTile` rows leave registers for the weights and the
  // broadcast: AVX-512 has 32 of them, AVX2 16.
  bool avx512 = machine.getMCSubtargetInfo()->checkFeatures("+avx512f");
  options.blockSize = avx512 ? 16 : 8;
  options.rowsPerTile = avx512 ? 6 : 3;
  options.accumulators = avx512 ? 24 : 12;
}

LogicalResult mlir::lstm::optimizeModule(llvm::Module &module,
                                         llvm::TargetMachine &machine) {
  module.setDataLayout(machine.createDataLayout());
  module.setTargetTriple(machine.getTargetTriple());
  auto transformer = makeOptimizingTransformer(/*optLevel=*/3,
                                               /*sizeLevel=*/0, &machine);
  if (llvm::Error err = transformer(&module)) {
    llvm::consumeError(std::move(err));
    return failure();
  }
  return success();
}

LogicalResult
mlir::lstm::instrumentWithAddressSanitizer(llvm::Module &module,
                                           llvm::TargetMachine &machine) {
  for (llvm::Function &function : module)
    if (!function.isDeclaration())
      function.addFnAttr(llvm::Attribute::SanitizeAddress);
  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::CGSCCAnalysisManager sccs;
  llvm::ModuleAnalysisManager modules;
  llvm::PassBuilder builder(&machine);
  builder.registerModuleAnalyses(modules);
  builder.registerCGSCCAnalyses(sccs);
  builder.registerFunctionAnalyses(functions);
  builder.registerLoopAnalyses(loops);
  builder.crossRegisterProxies(loops, functions, sccs, modules);
  llvm::ModulePassManager passes;
  // After optimization, as clang runs it: what is checked is the code that
  // runs.
  passes.addPass(llvm::AddressSanitizerPass(llvm::AddressSanitizerOptions()));
  passes.run(module, modules);
  return success();
}

LogicalResult mlir::lstm::emitMachineCode(llvm::Module &module,
                                          llvm::TargetMachine &machine,
                                          llvm::CodeGenFileType type,
                                          llvm::raw_pwrite_stream &os) {
  llvm::legacy::PassManager passes;
  if (machine.addPassesToEmitFile(passes, os, nullptr, type))
    return failure();
  passes.run(module);
  return success();
}

LogicalResult mlir::lstm::linkSharedLibrary(StringRef object, StringRef output,
                                            ArrayRef<StringRef> libraries,
                                            std::string &error) {
  std::string linker = LSTMC_LLVM_TOOLS_DIR "/ld.lld";
  if (!llvm::sys::fs::can_execute(linker)) {
    llvm::ErrorOr<std::string> found = llvm::sys::findProgramByName("ld.lld");
    if (!found) {
      error = "cannot find ld.lld to link a shared library (install lld-22)";
      return failure();
    }
    linker = *found;
  }
  SmallVector<std::string> args = {linker,
                                   "-shared",
                                   "--as-needed",
                                   "-o",
                                   output.str(),
                                   object.str(),
                                   "-L" LSTMC_LLVM_LIBRARY_DIR,
                                   "-rpath",
                                   LSTMC_LLVM_LIBRARY_DIR};
  // ld.lld knows no system paths; Debian keeps libc and libm here.
  for (StringRef dir : {"/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu"})
    if (llvm::sys::fs::is_directory(dir))
      args.push_back(("-L" + dir).str());
  args.append(
      {"-L" LSTMC_RUNTIME_LIBRARY_DIR, "-rpath", LSTMC_RUNTIME_LIBRARY_DIR});
  for (StringRef library : libraries)
    args.push_back(("-l" + library).str());
  args.append({"-lm", "-lc"});
  SmallVector<StringRef> argRefs(args.begin(), args.end());
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(linker, argRefs, std::nullopt, {}, 0, 0,
                                     &message);
  if (rc != 0) {
    error = "linking " + output.str() + " failed" +
            (message.empty() ? "" : ": " + message);
    return failure();
  }
  return success();
}
