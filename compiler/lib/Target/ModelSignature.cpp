//===- ModelSignature.cpp - What a compiled model takes and gives -*- C++
//-*-===//

#include "lstm/Target/ModelSignature.h"
#include "lstm/Runtime/lstm_abi.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace mlir::lstm;

int32_t ModelSignature::getOrAddSymbol(StringRef name) {
  auto it = llvm::find(symbols, name);
  if (it != symbols.end())
    return it - symbols.begin();
  symbols.push_back(name.str());
  return symbols.size() - 1;
}

static FailureOr<int32_t> getDType(func::FuncOp fn, Type type, StringRef what) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor)
    return emitError(fn.getLoc())
           << what << " must be a ranked tensor, got " << type;
  Type element = tensor.getElementType();
  if (element.isF32())
    return LSTM_ABI_FLOAT32;
  if (element.isSignlessInteger(64))
    return LSTM_ABI_INT64;
  if (element.isSignlessInteger(32))
    return LSTM_ABI_INT32;
  return emitError(fn.getLoc()) << what << " has element type " << element
                                << "; supported: f32, i64, i32";
}

/// Reads one argument's or result's attributes into `tensor`.
static LogicalResult readTensor(func::FuncOp fn, ModelSignature &signature,
                                TensorSignature &tensor, Type type,
                                DictionaryAttr attrs, const std::string &what,
                                const std::string &defaultName) {
  FailureOr<int32_t> dtype = getDType(fn, type, what);
  if (failed(dtype))
    return failure();
  tensor.dtype = *dtype;
  auto name = attrs ? attrs.getAs<StringAttr>("lstm.name") : StringAttr();
  tensor.name = name ? name.str() : defaultName;

  auto shape = cast<RankedTensorType>(type).getShape();
  // Static sizes that no memory holds (x86-64 and AArch64 user address
  // spaces are 2^47 bytes or less) would overflow the callers' arithmetic.
  int64_t bytes = tensor.dtype == LSTM_ABI_INT64 ? 8 : 4;
  for (int64_t size : shape)
    if (!ShapedType::isDynamic(size) &&
        (__builtin_mul_overflow(bytes, size, &bytes) ||
         bytes > (int64_t(1) << 47)))
      return emitError(fn.getLoc())
             << what << " ('" << tensor.name << "') has type " << type
             << ", too large for memory";
  auto symbols =
      attrs ? attrs.getAs<ArrayAttr>("lstm.dynamic_dims") : ArrayAttr();
  int64_t numDynamic = llvm::count_if(shape, ShapedType::isDynamic);
  if (symbols && static_cast<int64_t>(symbols.size()) != numDynamic)
    return emitError(fn.getLoc())
           << what << " has " << numDynamic
           << " dynamic dimensions but lstm.dynamic_dims names "
           << symbols.size();
  int64_t next = 0;
  for (auto [dim, size] : llvm::enumerate(shape)) {
    if (!ShapedType::isDynamic(size)) {
      tensor.dims.push_back(size);
      continue;
    }
    std::string symbol = tensor.name + "." + std::to_string(dim);
    if (symbols) {
      auto str = dyn_cast<StringAttr>(symbols[next++]);
      if (!str)
        return emitError(fn.getLoc())
               << what << ": lstm.dynamic_dims must be strings";
      symbol = str.str();
    }
    tensor.dims.push_back(-(signature.getOrAddSymbol(symbol) + 1));
  }
  return success();
}

FailureOr<ModelSignature> ModelSignature::fromFunction(func::FuncOp fn) {
  ModelSignature signature;
  llvm::StringSet<> names;
  FunctionType type = fn.getFunctionType();
  for (auto [i, argType] : llvm::enumerate(type.getInputs())) {
    TensorSignature tensor;
    DictionaryAttr attrs = fn.getArgAttrDict(i);
    std::string what = "argument " + std::to_string(i);
    if (failed(readTensor(fn, signature, tensor, argType, attrs, what,
                          "arg" + std::to_string(i))))
      return failure();
    tensor.optional = attrs && attrs.get("lstm.optional");
    if (auto lengthsOf =
            attrs ? attrs.getAs<StringAttr>("lstm.lengths_of") : StringAttr()) {
      if (tensor.dims.size() != 1 || tensor.dtype == LSTM_ABI_FLOAT32)
        return emitError(fn.getLoc())
               << what << ": lstm.lengths_of needs a 1-D integer tensor";
      tensor.lengthsOf = signature.getOrAddSymbol(lengthsOf.getValue());
      tensor.optional = true;
    }
    if (!names.insert(tensor.name).second)
      return emitError(fn.getLoc())
             << "two inputs are named '" << tensor.name << "'";
    signature.inputs.push_back(std::move(tensor));
  }
  for (auto [i, resultType] : llvm::enumerate(type.getResults())) {
    TensorSignature tensor;
    if (failed(readTensor(
            fn, signature, tensor, resultType, fn.getResultAttrDict(i),
            "result " + std::to_string(i), "result" + std::to_string(i))))
      return failure();
    if (!names.insert(tensor.name).second)
      return emitError(fn.getLoc())
             << "two inputs or outputs are named '" << tensor.name << "'";
    signature.outputs.push_back(std::move(tensor));
  }
  // Output sizes must follow from the inputs: every symbol of an output must
  // appear in a required input or be bound by an optional one.
  llvm::SmallDenseSet<int64_t> bound;
  for (const TensorSignature &input : signature.inputs)
    for (int64_t d : input.dims)
      if (d < 0)
        bound.insert(d);
  for (const TensorSignature &output : signature.outputs)
    for (int64_t d : output.dims)
      if (d < 0 && !bound.contains(d))
        return emitError(fn.getLoc())
               << "the size of output '" << output.name << "' dimension '"
               << signature.symbols[-d - 1]
               << "' does not follow from the inputs; name it after an "
                  "input dimension with lstm.dynamic_dims";
  if (auto batch = fn->getAttrOfType<StringAttr>("lstm.batch_dim"))
    signature.batchSymbol = signature.getOrAddSymbol(batch.getValue());
  return signature;
}

FailureOr<func::FuncOp> mlir::lstm::findEntryFunction(ModuleOp module) {
  func::FuncOp entry;
  for (auto fn : module.getOps<func::FuncOp>()) {
    if (fn.isPrivate() || fn.isExternal())
      continue;
    if (entry)
      return emitError(module.getLoc())
             << "more than one public function ('" << entry.getName() << "', '"
             << fn.getName() << "'); a model has one entry point";
    entry = fn;
  }
  if (!entry)
    return emitError(module.getLoc(),
                     "no public function with a body to compile");
  return entry;
}
