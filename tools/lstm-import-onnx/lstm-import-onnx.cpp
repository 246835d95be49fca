//===- lstm-import-onnx.cpp - ONNX model to lstm-dialect MLIR ---*- C++ -*-===//
//
// lstm-import-onnx MODEL.onnx -o OUT.mlir
//
// Writes the module lstm-compile compiles for an ONNX model, for reading and
// for lstm-opt. lstm-compile takes .onnx files directly. Each op is located
// at its node; --mlir-print-debuginfo writes the locations, so that
// lstm-compile's errors and a model's failed checks name the node when it
// compiles the .mlir file too.
//
//===----------------------------------------------------------------------===//

#include "lstm/Import/ONNX.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;

static llvm::cl::OptionCategory category("lstm-import-onnx options");
static llvm::cl::opt<std::string> inputFile(llvm::cl::Positional,
                                            llvm::cl::desc("<model.onnx>"),
                                            llvm::cl::Required,
                                            llvm::cl::cat(category));
static llvm::cl::opt<std::string>
    outputFile("o", llvm::cl::desc("Output .mlir file ('-' for stdout)"),
               llvm::cl::value_desc("file"), llvm::cl::init("-"),
               llvm::cl::cat(category));

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  registerAsmPrinterCLOptions();
  llvm::cl::HideUnrelatedOptions(category);
  llvm::cl::ParseCommandLineOptions(argc, argv,
                                    "lstm-import-onnx: ONNX model to MLIR\n");
  DialectRegistry registry;
  lstm::registerONNXImportDialects(registry);
  MLIRContext context(registry);
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  OwningOpRef<ModuleOp> module = lstm::importONNXFile(inputFile, &context);
  if (!module || failed(verify(*module)))
    return 1;
  std::string error;
  std::unique_ptr<llvm::ToolOutputFile> output =
      openOutputFile(outputFile, &error);
  if (!output) {
    llvm::errs() << "lstm-import-onnx: error: " << error << "\n";
    return 1;
  }
  module->print(output->os());
  output->keep();
  return 0;
}
