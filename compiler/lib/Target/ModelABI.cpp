//===- ModelABI.cpp - The C entry point of a compiled model -----*- C++ -*-===//

#include "lstm/Target/ModelABI.h"
#include "lstm/Runtime/lstm_abi.h"

#include "llvm/IR/Constants.h"
#include "llvm/IR/IRBuilder.h"

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
                                  llvm::Function *run) {
    SmallVector<llvm::Constant *> symbols;
    for (const std::string &symbol : signature.symbols)
      symbols.push_back(string(symbol));
    auto *model = llvm::StructType::get(
        ctx, {i32, i32, i32, i32, ptr, ptr, ptr, i32, ptr});
    llvm::Constant *init = llvm::ConstantStruct::get(
        model,
        {i32c(LSTM_ABI_VERSION), i32c(signature.inputs.size()),
         i32c(signature.outputs.size()), i32c(signature.symbols.size()),
         tensors(signature.inputs, "inputs"),
         tensors(signature.outputs, "outputs"), array(ptr, symbols, "symbols"),
         i32c(signature.batchSymbol), run});
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
} // namespace

/// Appends to `args` the memref descriptor arguments, (allocated, aligned,
/// offset, sizes..., strides...), of each contiguous lstm_abi_buffer_t of
/// the array `buffers`.
static void unpackBuffers(llvm::IRBuilder<> &b, llvm::Value *buffers,
                          ArrayRef<TensorSignature> tensors,
                          SmallVectorImpl<llvm::Value *> &args) {
  llvm::LLVMContext &ctx = b.getContext();
  auto *ptr = llvm::PointerType::getUnqual(ctx);
  auto *i64 = llvm::Type::getInt64Ty(ctx);
  auto *buffer = llvm::StructType::get(ctx, {ptr, ptr});
  for (auto [i, tensor] : llvm::enumerate(tensors)) {
    llvm::Value *slot = b.CreateConstGEP1_64(buffer, buffers, i);
    llvm::Value *data = b.CreateLoad(ptr, b.CreateStructGEP(buffer, slot, 0));
    llvm::Value *shape = b.CreateLoad(ptr, b.CreateStructGEP(buffer, slot, 1));
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

/// Emits P_run for a CPU model: calls `entry` with the OpenMP thread count
/// set for the call only.
static void emitCPURun(llvm::Function *run, llvm::Function *entry,
                       const ModelSignature &signature) {
  llvm::Module &module = *run->getParent();
  llvm::LLVMContext &ctx = module.getContext();
  auto *i32 = llvm::Type::getInt32Ty(ctx);
  llvm::FunctionCallee getMax = module.getOrInsertFunction(
      "omp_get_max_threads", llvm::FunctionType::get(i32, {}, false));
  llvm::FunctionCallee setNum = module.getOrInsertFunction(
      "omp_set_num_threads",
      llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {i32}, false));

  auto *entryBlock = llvm::BasicBlock::Create(ctx, "entry", run);
  auto *setBlock = llvm::BasicBlock::Create(ctx, "set_threads", run);
  auto *callBlock = llvm::BasicBlock::Create(ctx, "call", run);
  auto *restoreBlock = llvm::BasicBlock::Create(ctx, "restore_threads", run);
  auto *doneBlock = llvm::BasicBlock::Create(ctx, "done", run);
  llvm::IRBuilder<> b(entryBlock);
  llvm::Value *threads = run->getArg(2);
  llvm::Value *saved = b.CreateCall(getMax);
  llvm::Value *setThreads = b.CreateICmpSGT(threads, b.getInt32(0));
  b.CreateCondBr(setThreads, setBlock, callBlock);
  b.SetInsertPoint(setBlock);
  b.CreateCall(setNum, {threads});
  b.CreateBr(callBlock);

  b.SetInsertPoint(callBlock);
  SmallVector<llvm::Value *> args;
  unpackBuffers(b, run->getArg(0), signature.inputs, args);
  unpackBuffers(b, run->getArg(1), signature.outputs, args);
  b.CreateCall(entry, args);
  b.CreateCondBr(setThreads, restoreBlock, doneBlock);
  b.SetInsertPoint(restoreBlock);
  b.CreateCall(setNum, {saved});
  b.CreateBr(doneBlock);
  b.SetInsertPoint(doneBlock);
  b.CreateRet(b.getInt32(0));
}

/// Emits P_run for a CUDA model: calls `entry` between lstm_cuda_begin and
/// lstm_cuda_end (lstm_cuda.h), whose status it returns; num_threads does
/// not apply.
static void emitCUDARun(llvm::Function *run, llvm::Function *entry,
                        const ModelSignature &signature) {
  llvm::Module &module = *run->getParent();
  llvm::LLVMContext &ctx = module.getContext();
  auto *statusType =
      llvm::FunctionType::get(llvm::Type::getInt32Ty(ctx), {}, false);
  llvm::FunctionCallee begin =
      module.getOrInsertFunction("lstm_cuda_begin", statusType);
  llvm::FunctionCallee end =
      module.getOrInsertFunction("lstm_cuda_end", statusType);

  auto *entryBlock = llvm::BasicBlock::Create(ctx, "entry", run);
  auto *callBlock = llvm::BasicBlock::Create(ctx, "call", run);
  auto *failBlock = llvm::BasicBlock::Create(ctx, "unavailable", run);
  llvm::IRBuilder<> b(entryBlock);
  llvm::Value *status = b.CreateCall(begin);
  b.CreateCondBr(b.CreateICmpEQ(status, b.getInt32(0)), callBlock, failBlock);
  b.SetInsertPoint(failBlock);
  b.CreateRet(status);

  b.SetInsertPoint(callBlock);
  SmallVector<llvm::Value *> args;
  unpackBuffers(b, run->getArg(0), signature.inputs, args);
  unpackBuffers(b, run->getArg(1), signature.outputs, args);
  b.CreateCall(entry, args);
  b.CreateRet(b.CreateCall(end));
}

LogicalResult mlir::lstm::emitModelABI(llvm::Module &module,
                                       llvm::Function *entry,
                                       const ModelSignature &signature,
                                       StringRef prefix, ModelTarget target,
                                       bool exportRuntimeSymbol) {
  // Every tensor is one memref: allocated and aligned pointers, offset,
  // sizes and strides.
  size_t expectedArgs = 0;
  for (const auto *list : {&signature.inputs, &signature.outputs})
    for (const TensorSignature &tensor : *list)
      expectedArgs += 3 + 2 * tensor.dims.size();
  if (entry->arg_size() != expectedArgs)
    return failure();
  llvm::LLVMContext &ctx = module.getContext();
  auto *ptr = llvm::PointerType::getUnqual(ctx);
  auto *runType =
      llvm::FunctionType::get(llvm::Type::getInt32Ty(ctx),
                              {ptr, ptr, llvm::Type::getInt32Ty(ctx)}, false);
  auto *run = llvm::Function::Create(
      runType, llvm::GlobalValue::ExternalLinkage, prefix + "_run", module);
  if (target == ModelTarget::CUDA)
    emitCUDARun(run, entry, signature);
  else
    emitCPURun(run, entry, signature);
  entry->setLinkage(llvm::GlobalValue::InternalLinkage);
  llvm::GlobalVariable *model =
      SignatureEmitter(module, prefix).emitModel(signature, run);
  if (exportRuntimeSymbol)
    llvm::GlobalAlias::create(llvm::GlobalValue::ExternalLinkage,
                              "lstm_abi_model", model);
  return success();
}
