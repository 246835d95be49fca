//===- ModelABI.cpp - The C entry point of a compiled model -----*- C++ -*-===//
//
// P_run is plain baseline code: it checks that the CPU has the features the
// model was compiled for (once, cached), that the buffers match the
// signature (non-negative sizes that fit in memory, static sizes, sizes
// shared by name, data where there are elements), then calls the lowered
// entry function with a check record and turns a failed check into
// LSTM_ABI_CHECK_FAILED. The entry function, compiled for the model's CPU,
// is never inlined into it.
//
//===----------------------------------------------------------------------===//

#include "lstm/Target/ModelABI.h"
#include "lstm/Runtime/lstm_abi.h"
#include "lstm/Target/CPUFeatures.h"

#include "llvm/IR/Constants.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Intrinsics.h"

using namespace mlir;
using namespace mlir::lstm;

namespace {
/// Builds the constant data of lstm_abi_model_t.
class SignatureEmitter {
public:
  SignatureEmitter(llvm::Module &module, StringRef prefix)
      : module(module), ctx(module.getContext()), prefix(prefix),
        ptr(llvm::PointerType::getUnqual(ctx)),
        i32(llvm::Type::getInt32Ty(ctx)), i64(llvm::Type::getInt64Ty(ctx)),
        tensorInfo(llvm::StructType::get(ctx, {ptr, i32, i32, ptr, i32, i32})) {
  }

  llvm::GlobalVariable *emitModel(const ModelSignature &signature,
                                  const ModelABIInfo &info, llvm::Function *run,
                                  llvm::Function *cpuCheck) {
    SmallVector<llvm::Constant *> symbols, checks, features;
    for (const std::string &symbol : signature.symbols)
      symbols.push_back(string(symbol));
    for (const std::string &check : info.checks)
      checks.push_back(string(check));
    for (const std::string &feature : info.cpuFeatures)
      features.push_back(string(feature));
    auto *model =
        llvm::StructType::get(ctx, {i32, i32, i32, i32, ptr, ptr, ptr, i32, ptr,
                                    i32, ptr, ptr, i32, ptr, ptr});
    llvm::Constant *init = llvm::ConstantStruct::get(
        model, {i32c(LSTM_ABI_VERSION), i32c(signature.inputs.size()),
                i32c(signature.outputs.size()), i32c(signature.symbols.size()),
                tensors(signature.inputs, "inputs"),
                tensors(signature.outputs, "outputs"),
                array(ptr, symbols, "symbols"), i32c(signature.batchSymbol),
                run, i32c(checks.size()), array(ptr, checks, "checks"),
                string(info.targetCPU), i32c(features.size()),
                array(ptr, features, "cpu_features"), cpuCheck});
    return new llvm::GlobalVariable(module, model, /*isConstant=*/true,
                                    llvm::GlobalValue::ExternalLinkage, init,
                                    prefix + "_model");
  }

private:
  llvm::Constant *i32c(int64_t v) { return llvm::ConstantInt::get(i32, v); }

  llvm::Constant *string(StringRef s) {
    llvm::Constant *data = llvm::ConstantDataArray::getString(ctx, s);
    return new llvm::GlobalVariable(module, data->getType(), true,
                                    llvm::GlobalValue::PrivateLinkage, data,
                                    prefix + ".str");
  }

  llvm::Constant *array(llvm::Type *element, ArrayRef<llvm::Constant *> items,
                        const Twine &name) {
    if (items.empty())
      return llvm::ConstantPointerNull::get(ptr);
    auto *type = llvm::ArrayType::get(element, items.size());
    return new llvm::GlobalVariable(
        module, type, true, llvm::GlobalValue::PrivateLinkage,
        llvm::ConstantArray::get(type, items), prefix + "." + name);
  }

  llvm::Constant *tensors(ArrayRef<TensorSignature> list, StringRef kind) {
    SmallVector<llvm::Constant *> infos;
    for (const TensorSignature &t : list) {
      SmallVector<llvm::Constant *> dims;
      for (int64_t d : t.dims)
        dims.push_back(llvm::ConstantInt::get(i64, d));
      infos.push_back(llvm::ConstantStruct::get(
          tensorInfo,
          {string(t.name), i32c(t.dtype), i32c(t.dims.size()),
           array(i64, dims, kind + ".dims"),
           i32c(t.optional ? LSTM_ABI_OPTIONAL : 0), i32c(t.lengthsOf)}));
    }
    return array(tensorInfo, infos, kind);
  }

  llvm::Module &module;
  llvm::LLVMContext &ctx;
  std::string prefix;
  llvm::PointerType *ptr;
  llvm::IntegerType *i32, *i64;
  llvm::StructType *tensorInfo;
};

/// The size in bytes of one element of an ABI element type.
int64_t getElementSize(int32_t dtype) {
  return dtype == LSTM_ABI_INT64 ? 8 : 4;
}

/// Emits P_run's checks, its call of the entry function and its returns.
class RunEmitter {
public:
  RunEmitter(llvm::Function *run, const ModelSignature &signature,
             SmallVectorImpl<std::string> &checks)
      : run(run), ctx(run->getContext()), b(ctx), signature(signature),
        checks(checks), ptr(llvm::PointerType::getUnqual(ctx)),
        i32(llvm::Type::getInt32Ty(ctx)), i64(llvm::Type::getInt64Ty(ctx)),
        buffer(llvm::StructType::get(ctx, {ptr, ptr})),
        error(llvm::StructType::get(ctx, {i32, i32, i64})) {
    b.SetInsertPoint(llvm::BasicBlock::Create(ctx, "entry", run));
  }

  llvm::IRBuilder<> &builder() { return b; }
  llvm::Value *getErrorArg() { return run->getArg(3); }

  /// Returns LSTM_ABI_UNSUPPORTED_CPU, with the missing features in the
  /// error record, unless `cpuCheck` found none; its result is cached in
  /// `state` (0: not checked yet, 1: supported, 2: not).
  void checkCPU(llvm::Function *cpuCheck, llvm::GlobalVariable *state) {
    auto *load = b.CreateLoad(i32, state);
    load->setAtomic(llvm::AtomicOrdering::Monotonic);
    load->setAlignment(llvm::Align(4));
    emitIf(b.CreateICmpNE(load, b.getInt32(1)), "cpu_probe", [&] {
      llvm::Value *missing = b.CreateCall(cpuCheck);
      llvm::Value *none = b.CreateICmpEQ(missing, b.getInt64(0));
      auto *store = b.CreateStore(
          b.CreateSelect(none, b.getInt32(1), b.getInt32(2)), state);
      store->setAtomic(llvm::AtomicOrdering::Monotonic);
      store->setAlignment(llvm::Align(4));
      failUnless(none, "cpu", b.getInt32(LSTM_ABI_UNSUPPORTED_CPU),
                 b.getInt32(-1), missing);
    });
  }

  /// Checks that num_threads is at most LSTM_ABI_MAX_THREADS: OpenMP
  /// aborts the process when it cannot start the threads asked for.
  void checkThreadCount() {
    require(b.CreateICmpSLE(run->getArg(2), b.getInt32(LSTM_ABI_MAX_THREADS)),
            "num_threads is more than " + std::to_string(LSTM_ABI_MAX_THREADS));
  }

  /// Checks every buffer against the signature.
  void checkBuffers() {
    SmallVector<llvm::Value *> symbolValues(signature.symbols.size());
    SmallVector<std::string> symbolSources(signature.symbols.size());
    auto checkList = [&](llvm::Value *buffers, ArrayRef<TensorSignature> list,
                         StringRef kind) {
      for (auto [i, tensor] : llvm::enumerate(list)) {
        std::string what = (kind + " '" + tensor.name + "'").str();
        llvm::Value *slot = b.CreateConstGEP1_64(buffer, buffers, i);
        llvm::Value *data =
            b.CreateLoad(ptr, b.CreateStructGEP(buffer, slot, 0));
        llvm::Value *shape =
            b.CreateLoad(ptr, b.CreateStructGEP(buffer, slot, 1));
        if (!tensor.dims.empty())
          require(b.CreateIsNotNull(shape), what + ": the shape is NULL");
        llvm::Value *bytes = b.getInt64(getElementSize(tensor.dtype));
        for (auto [d, dim] : llvm::enumerate(tensor.dims)) {
          llvm::Value *size =
              b.CreateLoad(i64, b.CreateConstGEP1_64(i64, shape, d));
          std::string at = what + ": dimension " + std::to_string(d);
          if (dim >= 0) {
            require(b.CreateICmpEQ(size, b.getInt64(dim)),
                    at + " must be " + std::to_string(dim));
          } else {
            int64_t symbol = -dim - 1;
            const std::string &name = signature.symbols[symbol];
            require(b.CreateICmpSGE(size, b.getInt64(0)),
                    at + " (" + name + ") is negative");
            if (symbolValues[symbol])
              require(b.CreateICmpEQ(size, symbolValues[symbol]),
                      at + " (" + name + ") differs from " +
                          symbolSources[symbol] + "'s " + name);
            else
              symbolValues[symbol] = size, symbolSources[symbol] = what;
          }
          llvm::Value *product = b.CreateBinaryIntrinsic(
              llvm::Intrinsic::umul_with_overflow, bytes, size);
          require(b.CreateNot(b.CreateExtractValue(product, 1)),
                  what + " has more elements than fit in memory");
          bytes = b.CreateExtractValue(product, 0);
        }
        require(b.CreateOr(b.CreateIsNotNull(data),
                           b.CreateICmpEQ(bytes, b.getInt64(0))),
                what + ": the data is NULL");
      }
    };
    checkList(run->getArg(0), signature.inputs, "input");
    checkList(run->getArg(1), signature.outputs, "output");
  }

  /// Calls `entry` with the buffers unpacked into memref descriptors and a
  /// check record, then emits `afterCall`, then returns
  /// LSTM_ABI_CHECK_FAILED if a check failed.
  void callEntry(llvm::Function *entry, function_ref<void()> afterCall) {
    llvm::IRBuilder<> entryBuilder(&run->getEntryBlock(),
                                   run->getEntryBlock().begin());
    llvm::Value *record = entryBuilder.CreateAlloca(i32);
    b.CreateStore(b.getInt32(0), record);
    SmallVector<llvm::Value *> args;
    unpackBuffers(run->getArg(0), signature.inputs, args);
    unpackBuffers(run->getArg(1), signature.outputs, args);
    args.append({record, record, b.getInt64(0)});
    b.CreateCall(entry, args);
    afterCall();
    llvm::Value *failedCheck = b.CreateLoad(i32, record);
    llvm::Value *passed = b.CreateICmpEQ(failedCheck, b.getInt32(0));
    llvm::Value *check = b.CreateSub(failedCheck, b.getInt32(1));
    failUnless(passed, "checks", b.getInt32(LSTM_ABI_CHECK_FAILED), check,
               b.getInt64(0));
  }

  /// Emits `body` where `condition` holds, then goes on where both paths
  /// meet.
  void emitIf(llvm::Value *condition, const Twine &name,
              function_ref<void()> body) {
    auto *then = newBlock(name);
    auto *next = newBlock(name + "_done");
    b.CreateCondBr(condition, then, next);
    b.SetInsertPoint(then);
    body();
    b.CreateBr(next);
    b.SetInsertPoint(next);
  }

  /// Goes on where `condition` holds; elsewhere fails (see `fail`).
  void failUnless(llvm::Value *condition, const Twine &name,
                  llvm::Value *status, llvm::Value *check,
                  llvm::Value *missing) {
    auto *failure = newBlock(name + "_failed");
    auto *next = newBlock(name + "_ok");
    b.CreateCondBr(condition, next, failure);
    b.SetInsertPoint(failure);
    fail(status, check, missing);
    b.SetInsertPoint(next);
  }

private:
  /// Fails with LSTM_ABI_CHECK_FAILED and a new check `message` unless
  /// `condition` holds.
  void require(llvm::Value *condition, const std::string &message) {
    if (auto *c = dyn_cast<llvm::ConstantInt>(condition); c && c->isOne())
      return;
    int32_t index = checks.size();
    checks.push_back(message);
    failUnless(condition, "argument", b.getInt32(LSTM_ABI_CHECK_FAILED),
               b.getInt32(index), b.getInt64(0));
  }

  /// Fills the caller's error record, if any, and returns `status`.
  void fail(llvm::Value *status, llvm::Value *check, llvm::Value *missing) {
    llvm::Value *record = getErrorArg();
    emitIf(b.CreateIsNotNull(record), "fill_error", [&] {
      b.CreateStore(check, b.CreateStructGEP(error, record, 0));
      b.CreateStore(b.getInt32(0), b.CreateStructGEP(error, record, 1));
      b.CreateStore(missing, b.CreateStructGEP(error, record, 2));
    });
    b.CreateRet(status);
  }

  llvm::BasicBlock *newBlock(const Twine &name) {
    return llvm::BasicBlock::Create(ctx, name, run);
  }

  /// Appends to `args` the memref descriptor arguments, (allocated, aligned,
  /// offset, sizes..., strides...), of each contiguous buffer in `buffers`.
  void unpackBuffers(llvm::Value *buffers, ArrayRef<TensorSignature> tensors,
                     SmallVectorImpl<llvm::Value *> &args) {
    for (auto [i, tensor] : llvm::enumerate(tensors)) {
      llvm::Value *slot = b.CreateConstGEP1_64(buffer, buffers, i);
      llvm::Value *data = b.CreateLoad(ptr, b.CreateStructGEP(buffer, slot, 0));
      llvm::Value *shape =
          b.CreateLoad(ptr, b.CreateStructGEP(buffer, slot, 1));
      int64_t rank = tensor.dims.size();
      SmallVector<llvm::Value *> sizes, strides(rank);
      for (int64_t d = 0; d < rank; ++d)
        sizes.push_back(b.CreateLoad(i64, b.CreateConstGEP1_64(i64, shape, d)));
      llvm::Value *stride = b.getInt64(1);
      for (int64_t d = rank - 1; d >= 0; --d) {
        strides[d] = stride;
        stride = b.CreateMul(stride, sizes[d]);
      }
      args.append({data, data, b.getInt64(0)});
      args.append(sizes);
      args.append(strides);
    }
  }

  llvm::Function *run;
  llvm::LLVMContext &ctx;
  llvm::IRBuilder<> b;
  const ModelSignature &signature;
  SmallVectorImpl<std::string> &checks;
  llvm::PointerType *ptr;
  llvm::IntegerType *i32, *i64;
  llvm::StructType *buffer, *error;
};
} // namespace

/// The body of a CPU model's P_run: `entry` runs with the OpenMP thread
/// count set for the call only.
static void emitCPUCall(RunEmitter &emitter, llvm::Function *run,
                        llvm::Function *entry) {
  llvm::Module &module = *run->getParent();
  llvm::LLVMContext &ctx = module.getContext();
  llvm::IRBuilder<> &b = emitter.builder();
  auto *i32 = llvm::Type::getInt32Ty(ctx);
  llvm::FunctionCallee getMax = module.getOrInsertFunction(
      "omp_get_max_threads", llvm::FunctionType::get(i32, {}, false));
  llvm::FunctionCallee setNum = module.getOrInsertFunction(
      "omp_set_num_threads",
      llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {i32}, false));

  emitter.checkThreadCount();
  llvm::Value *threads = run->getArg(2);
  llvm::Value *saved = b.CreateCall(getMax);
  llvm::Value *setThreads = b.CreateICmpSGT(threads, b.getInt32(0));
  emitter.emitIf(setThreads, "set_threads",
                 [&] { b.CreateCall(setNum, {threads}); });
  emitter.callEntry(entry, [&] {
    emitter.emitIf(setThreads, "restore_threads",
                   [&] { b.CreateCall(setNum, {saved}); });
  });
  b.CreateRet(b.getInt32(LSTM_ABI_OK));
}

/// The body of a CUDA model's P_run: `entry` runs between lstm_cuda_begin
/// and lstm_cuda_end (lstm_cuda.h), whose failures it returns; num_threads
/// does not apply.
static void emitCUDACall(RunEmitter &emitter, llvm::Function *run,
                         llvm::Function *entry) {
  llvm::Module &module = *run->getParent();
  llvm::LLVMContext &ctx = module.getContext();
  llvm::IRBuilder<> &b = emitter.builder();
  auto *statusType =
      llvm::FunctionType::get(llvm::Type::getInt32Ty(ctx), {}, false);
  llvm::FunctionCallee begin =
      module.getOrInsertFunction("lstm_cuda_begin", statusType);
  llvm::FunctionCallee end =
      module.getOrInsertFunction("lstm_cuda_end", statusType);
  auto failUnlessZero = [&](llvm::Value *status, int32_t code, StringRef name) {
    emitter.failUnless(b.CreateICmpEQ(status, b.getInt32(0)), name,
                       b.getInt32(code), b.getInt32(-1), b.getInt64(0));
  };
  failUnlessZero(b.CreateCall(begin), LSTM_ABI_UNAVAILABLE, "device");
  emitter.callEntry(entry, [&] {
    failUnlessZero(b.CreateCall(end), LSTM_ABI_DEVICE_FAILED, "device_end");
  });
  b.CreateRet(b.getInt32(LSTM_ABI_OK));
}

LogicalResult mlir::lstm::emitModelABI(llvm::Module &module,
                                       llvm::Function *entry,
                                       const ModelSignature &signature,
                                       const ModelABIInfo &info) {
  // Every tensor is one memref (allocated and aligned pointers, offset,
  // sizes and strides), and the check record a memref<i32>.
  size_t expectedArgs = 3;
  for (const auto *list : {&signature.inputs, &signature.outputs})
    for (const TensorSignature &tensor : *list)
      expectedArgs += 3 + 2 * tensor.dims.size();
  if (entry->arg_size() != expectedArgs)
    return failure();
  llvm::LLVMContext &ctx = module.getContext();
  auto *ptr = llvm::PointerType::getUnqual(ctx);
  auto *i32 = llvm::Type::getInt32Ty(ctx);
  auto *runType = llvm::FunctionType::get(i32, {ptr, ptr, i32, ptr}, false);
  auto *run =
      llvm::Function::Create(runType, llvm::GlobalValue::ExternalLinkage,
                             info.prefix + "_run", module);
  setBaselineTarget(*run);
  entry->setLinkage(llvm::GlobalValue::InternalLinkage);
  entry->addFnAttr(llvm::Attribute::NoInline);

  llvm::Function *cpuCheck = emitCPUFeatureCheck(
      module, info.prefix + "_missing_cpu_features", info.cpuFeatures);
  auto *cpuState = new llvm::GlobalVariable(
      module, i32, /*isConstant=*/false, llvm::GlobalValue::InternalLinkage,
      llvm::ConstantInt::get(i32, 0), info.prefix + ".cpu_state");
  SmallVector<std::string> checks(info.checks.begin(), info.checks.end());
  RunEmitter emitter(run, signature, checks);
  emitter.checkCPU(cpuCheck, cpuState);
  emitter.checkBuffers();
  if (info.target == ModelTarget::CUDA)
    emitCUDACall(emitter, run, entry);
  else
    emitCPUCall(emitter, run, entry);

  ModelABIInfo complete = info;
  complete.checks = checks;
  llvm::GlobalVariable *model =
      SignatureEmitter(module, info.prefix)
          .emitModel(signature, complete, run, cpuCheck);
  if (info.exportRuntimeSymbol)
    llvm::GlobalAlias::create(llvm::GlobalValue::ExternalLinkage,
                              "lstm_abi_model", model);
  return success();
}
