//===- lstm-compile.cpp - Compile a model ahead of time ---------*- C++ -*-===//
//
// lstm-compile IN.{mlir,onnx} -o OUT.{o,so,h,mlir,ll,s,ptx} [--emit=...]
//     [--target=cpu|cuda] [--mcpu=...] [--gpu-arch=sm_90]
//
// In process: parse, run the lstm-to-llvm or lstm-to-nvvm pipeline (the
// same builders lstm-opt registers), translate to LLVM IR, add the C entry
// point and signature, optimize with LLVM's O3 and emit code for the host.
// Outputs are written through temporary files, so a failure never leaves a
// partial one.
//
//===----------------------------------------------------------------------===//

#include "lstm/Dialect/LSTM/IR/RuntimeChecks.h"
#include "lstm/Import/MLIR.h"
#include "lstm/Import/ONNX.h"
#include "lstm/InitAll.h"
#include "lstm/Target/CPUFeatures.h"
#include "lstm/Target/CPUTarget.h"
#include "lstm/Target/Header.h"
#include "lstm/Target/ModelABI.h"
#include "lstm/Target/ModelSignature.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/Verifier.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Support/FileUtilities.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Support/Timer.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
using namespace mlir::lstm;

static llvm::cl::OptionCategory category("lstm-compile options");

static llvm::cl::opt<std::string>
    inputFile(llvm::cl::Positional, llvm::cl::desc("<model.mlir|.onnx>"),
              llvm::cl::Required, llvm::cl::cat(category));
static llvm::cl::opt<std::string> outputFile(
    "o", llvm::cl::desc("Output file: .o, .so, .h, .mlir, .ll, .s or .ptx"),
    llvm::cl::value_desc("file"), llvm::cl::Required, llvm::cl::cat(category));
static llvm::cl::opt<std::string> emitKind(
    "emit",
    llvm::cl::desc("What to write: obj, so, header, mlir (after lowering), "
                   "llvm, asm or ptx (the kernels of a CUDA model) (default: "
                   "from the output's extension)"),
    llvm::cl::cat(category));
static llvm::cl::opt<std::string>
    targetKind("target",
               llvm::cl::desc("Where the LSTMs run: cpu, or cuda (NVIDIA "
                              "GPUs; the rest of the model runs on the CPU)"),
               llvm::cl::init("cpu"), llvm::cl::cat(category));
static llvm::cl::opt<std::string>
    gpuArch("gpu-arch",
            llvm::cl::desc("GPU architecture for --target=cuda, e.g. sm_80, "
                           "sm_90"),
            llvm::cl::init("sm_90"), llvm::cl::cat(category));
static llvm::cl::opt<std::string> cudaToolkit(
    "cuda-toolkit",
    llvm::cl::desc("CUDA toolkit whose ptxas assembles the kernels into the "
                   "model with their PTX; without one the driver compiles the "
                   "PTX at load time"),
    llvm::cl::init("/usr/local/cuda"), llvm::cl::cat(category));
static llvm::cl::opt<bool> gpuHostLoops(
    "gpu-host-loops",
    llvm::cl::desc("With --target=cuda, run the kernels' code as loops on the "
                   "CPU: tests the GPU lowering where there is no GPU (slow)"),
    llvm::cl::cat(category));
static llvm::cl::opt<std::string>
    mcpu("mcpu",
         llvm::cl::desc("CPU to generate code for (default: native, this "
                        "machine's), e.g. x86-64-v3, znver4"),
         llvm::cl::init("native"), llvm::cl::cat(category));
static llvm::cl::opt<std::string> symbolPrefix(
    "name",
    llvm::cl::desc("Prefix of the exported symbols (default: the output "
                   "file's name without extension)"),
    llvm::cl::cat(category));
static llvm::cl::opt<std::string> sanitize(
    "sanitize",
    llvm::cl::desc("Instrument the model's code: address (AddressSanitizer; "
                   "the model then runs only in a program built with "
                   "-fsanitize=address, e.g. lstmc's sanitizer build)"),
    llvm::cl::value_desc("address"), llvm::cl::cat(category));
static llvm::cl::opt<bool>
    verbose("v", llvm::cl::desc("Show the stages and their times"),
            llvm::cl::cat(category));

namespace {
enum class Emit { Object, SharedLibrary, Header, MLIR, LLVM, Assembly, PTX };

/// Prints stage progress when asked for or when stderr is a terminal.
class Progress {
public:
  explicit Progress(bool enabled) : enabled(enabled) {}
  void start(StringRef stage) {
    finish();
    if (!enabled)
      return;
    llvm::errs() << "lstm-compile: " << stage << "...";
    llvm::errs().flush();
    started = llvm::TimeRecord::getCurrentTime(true).getWallTime();
    running = true;
  }
  void finish() {
    if (!running)
      return;
    double wall = llvm::TimeRecord::getCurrentTime(false).getWallTime();
    llvm::errs() << llvm::format(" %.2f s\n", wall - started);
    running = false;
  }

private:
  bool enabled, running = false;
  double started = 0;
};
} // namespace

static int fail(const Twine &message) {
  llvm::errs() << "lstm-compile: error: " << message << "\n";
  return 1;
}

/// The PTX version to target for `arch`: the oldest that LLVM accepts for
/// it; CUDA 13's ptxas assembles them all (it has no sm_70 or sm_72).
static std::optional<StringRef> getPTXFeatures(StringRef arch) {
  return llvm::StringSwitch<std::optional<StringRef>>(arch)
      .Cases({"sm_75", "sm_80", "sm_86", "sm_87", "sm_89", "sm_90", "sm_90a"},
             "+ptx80")
      .Cases({"sm_100", "sm_100a", "sm_101", "sm_101a", "sm_103", "sm_103a",
              "sm_120", "sm_120a", "sm_121", "sm_121a"},
             "+ptx88")
      .Cases({"sm_110", "sm_110a"}, "+ptx90")
      .Default(std::nullopt);
}

static FailureOr<Emit> getEmitKind() {
  StringRef kind = emitKind;
  if (kind.empty()) {
    StringRef ext = llvm::sys::path::extension(outputFile);
    kind = llvm::StringSwitch<StringRef>(ext)
               .Case(".o", "obj")
               .Case(".so", "so")
               .Case(".h", "header")
               .Case(".mlir", "mlir")
               .Case(".ll", "llvm")
               .Case(".s", "asm")
               .Case(".ptx", "ptx")
               .Default("");
    if (kind.empty()) {
      fail("cannot tell what to write from the extension of '" + outputFile +
           "'; use .o, .so, .h, .mlir, .ll, .s or .ptx, or --emit");
      return failure();
    }
  }
  std::optional<Emit> emit = llvm::StringSwitch<std::optional<Emit>>(kind)
                                 .Case("obj", Emit::Object)
                                 .Case("so", Emit::SharedLibrary)
                                 .Case("header", Emit::Header)
                                 .Case("mlir", Emit::MLIR)
                                 .Case("llvm", Emit::LLVM)
                                 .Case("asm", Emit::Assembly)
                                 .Case("ptx", Emit::PTX)
                                 .Default(std::nullopt);
  if (!emit) {
    fail("unknown --emit=" + kind +
         "; expected obj, so, header, mlir, llvm, asm or ptx");
    return failure();
  }
  return *emit;
}

/// Writes `output` through a temporary file in its directory, renamed into
/// place only when `write` succeeds.
static LogicalResult
writeAtomically(StringRef output,
                function_ref<LogicalResult(llvm::raw_pwrite_stream &)> write) {
  llvm::Expected<llvm::sys::fs::TempFile> temp =
      llvm::sys::fs::TempFile::create(output + ".tmp-%%%%%%");
  if (!temp) {
    fail("cannot write '" + output + "': " + toString(temp.takeError()));
    return failure();
  }
  LogicalResult result = success();
  {
    llvm::raw_fd_ostream os(temp->FD, /*shouldClose=*/false);
    result = write(os);
    os.flush();
    if (os.has_error()) {
      fail("cannot write '" + output + "': " + os.error().message());
      os.clear_error();
      result = failure();
    }
  }
  if (failed(result)) {
    llvm::consumeError(temp->discard());
    return failure();
  }
  if (llvm::Error err = temp->keep(output)) {
    fail("cannot write '" + output + "': " + toString(std::move(err)));
    return failure();
  }
  return success();
}

static LogicalResult emitSharedLibrary(llvm::Module &module,
                                       llvm::TargetMachine &machine,
                                       ModelTarget target) {
  SmallString<128> object;
  int fd;
  if (std::error_code ec =
          llvm::sys::fs::createTemporaryFile("lstm-compile", "o", fd, object)) {
    fail("cannot create a temporary object file: " + ec.message());
    return failure();
  }
  llvm::FileRemover removeObject(object);
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    if (failed(emitMachineCode(module, machine,
                               llvm::CodeGenFileType::ObjectFile, os))) {
      fail("the target cannot emit object files");
      return failure();
    }
  }
  // The linker writes a temporary next to the output, renamed when done.
  SmallString<128> linked;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueFile(outputFile + ".tmp-%%%%%%", linked)) {
    fail("cannot write '" + outputFile + "': " + ec.message());
    return failure();
  }
  llvm::FileRemover removeLinked(linked);
  std::string error;
  SmallVector<StringRef> libraries = {target == ModelTarget::CUDA ? "lstm_cuda"
                                                                  : "omp"};
  if (failed(linkSharedLibrary(object, linked, libraries, error))) {
    fail(error);
    return failure();
  }
  if (std::error_code ec = llvm::sys::fs::rename(linked, outputFile)) {
    fail("cannot write '" + outputFile + "': " + ec.message());
    return failure();
  }
  return success();
}

int main(int argc, char **argv) {
  llvm::InitLLVM initLLVM(argc, argv);
  llvm::cl::HideUnrelatedOptions(category);
  llvm::cl::ParseCommandLineOptions(
      argc, argv, "lstm-compile: compile an lstm model ahead of time\n");

  FailureOr<Emit> emit = getEmitKind();
  if (failed(emit))
    return 1;
  if (targetKind != "cpu" && targetKind != "cuda")
    return fail("--target=" + targetKind +
                " is not supported; supported: cpu, cuda");
  bool cuda = targetKind == "cuda";
  if (gpuHostLoops && !cuda)
    return fail("--gpu-host-loops needs --target=cuda");
  // With host loops, the model is a CPU model.
  ModelTarget target =
      cuda && !gpuHostLoops ? ModelTarget::CUDA : ModelTarget::CPU;
  if (*emit == Emit::PTX && target != ModelTarget::CUDA)
    return fail("only --target=cuda models have PTX");
  if (!sanitize.empty() && sanitize != "address")
    return fail("--sanitize=" + sanitize +
                " is not supported; supported: "
                "address");
  if (!sanitize.empty() && target == ModelTarget::CUDA)
    return fail("--sanitize=address instruments CPU code only; compile with "
                "--target=cpu (or --gpu-host-loops)");
  std::optional<StringRef> ptxFeatures = getPTXFeatures(gpuArch);
  if (cuda && !ptxFeatures)
    return fail("--gpu-arch=" + gpuArch +
                " is not supported; supported: sm_75 to sm_90a, sm_100 to "
                "sm_121a");
  std::string prefix =
      symbolPrefix.empty()
          ? sanitizeSymbolPrefix(llvm::sys::path::stem(outputFile))
          : sanitizeSymbolPrefix(symbolPrefix);
  Progress progress(verbose || llvm::sys::Process::StandardErrIsDisplayed());

  DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  lstm::registerAllDialects(registry);
  // Host code, OpenMP, and the kernels (NVVM, and the gpu.binary that
  // embeds them).
  registerAllToLLVMIRTranslations(registry);
  MLIRContext context(registry);

  progress.start("parsing " + inputFile);
  std::string error;
  llvm::SourceMgr sourceMgr;
  SourceMgrDiagnosticHandler diagnostics(sourceMgr, &context);
  OwningOpRef<ModuleOp> module;
  if (llvm::sys::path::extension(inputFile) == ".onnx") {
    module = importONNXFile(inputFile, &context);
  } else {
    std::unique_ptr<llvm::MemoryBuffer> input =
        openInputFile(inputFile, &error);
    if (!input)
      return fail(error);
    sourceMgr.AddNewSourceBuffer(std::move(input), llvm::SMLoc());
    module = parseMLIRInput(sourceMgr, &context);
  }
  if (!module)
    return progress.finish(), 1;
  if (failed(verify(*module)) || failed(verifyResourceSizes(*module)))
    return progress.finish(), 1;

  FailureOr<func::FuncOp> entry = findEntryFunction(*module);
  if (failed(entry))
    return progress.finish(), 1;
  std::string entryName = entry->getName().str();
  FailureOr<ModelSignature> signature = ModelSignature::fromFunction(*entry);
  if (failed(signature))
    return progress.finish(), 1;

  if (*emit == Emit::Header) {
    progress.finish();
    return failed(writeAtomically(outputFile, [&](llvm::raw_pwrite_stream &os) {
      emitHeader(os, *signature, prefix, llvm::sys::path::filename(inputFile),
                 target == ModelTarget::CUDA ? "lstm_cuda" : "omp");
      return success();
    }));
  }

  std::unique_ptr<llvm::TargetMachine> machine =
      createCPUTargetMachine(mcpu, error);
  if (!machine)
    return progress.finish(), fail(error);

  progress.start("lowering to the LLVM dialect");
  PassManager pm(&context);
  CPUPipelineOptions options;
  configurePipeline(*machine, options);
  if (cuda) {
    GPUPipelineOptions gpuOptions;
    gpuOptions.hostLoops = gpuHostLoops;
    gpuOptions.hostVectorSize = options.blockSize;
    gpuOptions.chip = gpuArch;
    gpuOptions.features = ptxFeatures->str();
    // With ptxas, embed cubin and PTX (the driver loads the cubin on this
    // architecture and JIT-compiles the PTX on newer ones); else PTX only.
    SmallString<128> ptxas(cudaToolkit);
    llvm::sys::path::append(ptxas, "bin", "ptxas");
    bool assemble = *emit != Emit::PTX && llvm::sys::fs::can_execute(ptxas);
    gpuOptions.format = assemble ? "fatbin" : "isa";
    gpuOptions.toolkit = cudaToolkit;
    buildLSTMToNVVMPipeline(pm, gpuOptions);
  } else {
    buildLSTMToLLVMPipeline(pm, options);
  }
  if (failed(pm.run(*module)))
    return progress.finish(), 1;
  ModelABIInfo abi;
  abi.prefix = prefix;
  abi.target = target;
  abi.exportRuntimeSymbol = *emit == Emit::SharedLibrary;
  abi.targetCPU = machine->getTargetCPU().str();
  abi.cpuFeatures = getDetectableCPUFeatures(*machine);
  if (auto checks = (*module)->getAttrOfType<ArrayAttr>(kRuntimeChecksAttrName))
    for (auto message : checks.getAsValueRange<StringAttr>())
      abi.checks.push_back(message.str());
  (*module)->removeAttr(kRuntimeChecksAttrName);
  if (*emit == Emit::PTX) {
    progress.finish();
    auto binaries = module->getOps<gpu::BinaryOp>();
    if (binaries.empty())
      return fail("the model has no LSTM, so no kernels and no PTX");
    auto object = cast<gpu::ObjectAttr>((*binaries.begin()).getObjects()[0]);
    return failed(writeAtomically(outputFile, [&](llvm::raw_pwrite_stream &os) {
      os << object.getObject().getValue();
      return success();
    }));
  }
  if (*emit == Emit::MLIR) {
    progress.finish();
    return failed(writeAtomically(outputFile, [&](llvm::raw_pwrite_stream &os) {
      module->print(os);
      return success();
    }));
  }

  progress.start("translating to LLVM IR");
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(*module, llvmContext, prefix);
  if (!llvmModule)
    return progress.finish(), fail("translation to LLVM IR failed");
  module = nullptr; // The weights now live in LLVM constants.
  llvm::Function *entryFunction = llvmModule->getFunction(entryName);
  if (!entryFunction ||
      failed(emitModelABI(*llvmModule, entryFunction, *signature, abi)))
    return progress.finish(),
           fail("the lowered entry function does not match its signature");

  progress.start("optimizing (LLVM O3)");
  if (failed(optimizeModule(*llvmModule, *machine)))
    return progress.finish(), fail("LLVM optimization failed");
  if (sanitize == "address" &&
      failed(instrumentWithAddressSanitizer(*llvmModule, *machine)))
    return progress.finish(), fail("AddressSanitizer instrumentation failed");

  progress.start("emitting " + outputFile);
  LogicalResult written = success();
  switch (*emit) {
  case Emit::LLVM:
    written = writeAtomically(outputFile, [&](llvm::raw_pwrite_stream &os) {
      llvmModule->print(os, nullptr);
      return success();
    });
    break;
  case Emit::Object:
  case Emit::Assembly:
    written = writeAtomically(outputFile, [&](llvm::raw_pwrite_stream &os) {
      auto type = *emit == Emit::Object ? llvm::CodeGenFileType::ObjectFile
                                        : llvm::CodeGenFileType::AssemblyFile;
      if (failed(emitMachineCode(*llvmModule, *machine, type, os)))
        return fail("the target cannot emit this kind of file"), failure();
      return success();
    });
    break;
  case Emit::SharedLibrary:
    written = emitSharedLibrary(*llvmModule, *machine, target);
    break;
  case Emit::Header:
  case Emit::MLIR:
  case Emit::PTX:
    llvm_unreachable("written above");
  }
  progress.finish();
  return failed(written) ? 1 : 0;
}
