//===- FuzzMLIRPipeline.cpp - libFuzzer harness of MLIR input -------------===//
//
// Any bytes, as the .mlir text lstm-compile reads: parse, verify, check the
// weights' blobs, and run the front half of the CPU pipeline (run-time
// checks, decomposition, weight packing and folding, bufferization) on what
// verifies. Every failure must be a diagnostic.
//
//===----------------------------------------------------------------------===//

#include "lstm/Import/MLIR.h"
#include "lstm/InitAll.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/SourceMgr.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static mlir::DialectRegistry *registry = [] {
    auto *registry = new mlir::DialectRegistry;
    mlir::registerAllDialects(*registry);
    mlir::registerAllExtensions(*registry);
    mlir::lstm::registerAllDialects(*registry);
    return registry;
  }();
  mlir::MLIRContext context(*registry, mlir::MLIRContext::Threading::DISABLED);
  context.printOpOnDiagnostic(false);
  mlir::ScopedDiagnosticHandler quiet(
      &context, [](mlir::Diagnostic &) { return mlir::success(); });
  // As lstm-compile reads a file: a null-terminated buffer, which MLIR's
  // lexer needs.
  llvm::SourceMgr sourceMgr;
  sourceMgr.AddNewSourceBuffer(
      llvm::MemoryBuffer::getMemBufferCopy(
          llvm::StringRef(reinterpret_cast<const char *>(data), size),
          "fuzz.mlir"),
      llvm::SMLoc());
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mlir::lstm::parseMLIRInput(sourceMgr, &context);
  if (!module || mlir::failed(mlir::verify(*module)) ||
      mlir::failed(mlir::lstm::verifyResourceSizes(*module)))
    return 0;
  mlir::PassManager pm(&context);
  mlir::lstm::buildLSTMToBuffersPipeline(pm, mlir::lstm::CPUPipelineOptions());
  (void)pm.run(*module);
  return 0;
}
