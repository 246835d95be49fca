//===- ONNXImporter.cpp - ONNX graph to MLIR --------------------*- C++ -*-===//

#include "ONNXImporter.h"

#include "lstm/Dialect/LSTM/IR/LSTM.h"
#include "lstm/Import/ONNX.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <limits>

using namespace mlir;
using namespace mlir::lstm;
using namespace mlir::lstm::onnx_import;

SmallVector<int64_t> Tensor::getShape() const {
  SmallVector<int64_t> shape;
  for (const Dim &dim : dims)
    shape.push_back(dim.size);
  return shape;
}

RankedTensorType Tensor::getType() const {
  return RankedTensorType::get(getShape(), elementType);
}

Importer::Importer(MLIRContext *context, const onnx::ModelProto &model,
                   StringRef modelPath)
    : context(context), model(model), modelPath(modelPath.str()),
      builder(context),
      fileLoc(FileLineColLoc::get(context, modelPath, /*line=*/0,
                                  /*column=*/0)),
      loc(fileLoc) {
  for (const onnx::OperatorSetIdProto &set : model.opset_import())
    if (set.domain().empty() || set.domain() == "ai.onnx")
      opset = set.version();
}

InFlightDiagnostic Importer::emitError() { return mlir::emitError(loc); }

InFlightDiagnostic Importer::emitError(const onnx::NodeProto &node) {
  return emitError() << "node '" << node.name() << "' (" << node.op_type()
                     << "): ";
}

void Importer::setNodeLoc(const onnx::NodeProto &node) {
  Location at = fileLoc;
  if (!node.name().empty())
    at = NameLoc::get(builder.getStringAttr(node.name()), fileLoc);
  loc = FusedLoc::get(context, {at}, builder.getStringAttr(node.op_type()));
}

void Importer::markSequenceLengths(Value value, const Dim &seqDim) {
  auto arg = dyn_cast<BlockArgument>(value);
  if (!arg || seqDim.isStatic())
    return;
  auto func = dyn_cast<func::FuncOp>(arg.getOwner()->getParentOp());
  if (!func)
    return;
  func.setArgAttr(arg.getArgNumber(), "lstm.lengths_of",
                  builder.getStringAttr(seqDim.symbol));
}

Dim Importer::freshDim() {
  return Dim::named("?" + std::to_string(nextSymbol++));
}

FailureOr<Type> Importer::convertElementType(int32_t onnxType) {
  switch (onnxType) {
  case onnx::TensorProto::FLOAT:
    return Type(builder.getF32Type());
  case onnx::TensorProto::INT64:
    return Type(builder.getI64Type());
  case onnx::TensorProto::INT32:
    return Type(builder.getI32Type());
  case onnx::TensorProto::BOOL:
    return Type(builder.getI1Type());
  }
  std::string name =
      onnx::TensorProto::DataType_IsValid(onnxType)
          ? onnx::TensorProto::DataType_Name(
                static_cast<onnx::TensorProto::DataType>(onnxType))
          : std::to_string(onnxType);
  return emitError() << "element type " << name
                     << " is not supported; supported: FLOAT, INT64, INT32";
}

//===----------------------------------------------------------------------===//
// Values
//===----------------------------------------------------------------------===//

FailureOr<Tensor> Importer::lookup(StringRef name) {
  auto it = values.find(name);
  if (it == values.end())
    return emitError() << "value '" << name << "' is used before it is defined";
  return it->second;
}

bool Importer::hasInput(const onnx::NodeProto &node, int i) const {
  return i < node.input_size() && !node.input(i).empty();
}

FailureOr<Tensor> Importer::getInput(const onnx::NodeProto &node, int i) {
  if (!hasInput(node, i))
    return emitError() << "node '" << node.name() << "' (" << node.op_type()
                       << ") needs input " << i;
  return lookup(node.input(i));
}

FailureOr<Value> Importer::getInputValue(const onnx::NodeProto &node, int i) {
  FailureOr<Tensor> tensor = getInput(node, i);
  if (failed(tensor))
    return failure();
  Value value = materialize(*tensor);
  values[node.input(i)] = *tensor;
  return value;
}

FailureOr<SmallVector<int64_t>>
Importer::getConstantInts(const onnx::NodeProto &node, int i) {
  FailureOr<Tensor> tensor = getInput(node, i);
  if (failed(tensor))
    return failure();
  if (tensor->elements) {
    SmallVector<int64_t> ints;
    for (OpFoldResult element : *tensor->elements) {
      std::optional<int64_t> value = getConstantIntValue(element);
      if (!value)
        break;
      ints.push_back(*value);
    }
    if (ints.size() == tensor->elements->size())
      return ints;
  }
  return emitError(node) << "input " << i
                         << " must be known when the model is compiled";
}

LogicalResult Importer::checkSize(const Tensor &tensor, const Twine &what) {
  // x86-64 and AArch64 user address spaces are 2^47 bytes or less.
  constexpr int64_t kMaxBytes = int64_t(1) << 47;
  int64_t width = tensor.elementType.getIntOrFloatBitWidth();
  int64_t bytes = std::max<int64_t>(width / 8, 1);
  for (const Dim &dim : tensor.dims)
    if (dim.isStatic() && __builtin_mul_overflow(bytes, dim.size, &bytes))
      bytes = kMaxBytes + 1;
  if (bytes <= kMaxBytes)
    return success();
  std::string shape;
  for (auto [i, dim] : llvm::enumerate(tensor.dims))
    shape += (i ? ", " : "") +
             (dim.isStatic() ? std::to_string(dim.size) : dim.symbol);
  return emitError() << what << " has shape [" << shape
                     << "], too large for memory";
}

LogicalResult Importer::checkOutputSizes(const onnx::NodeProto &node) {
  for (const std::string &name : node.output()) {
    auto it = values.find(name);
    if (!name.empty() && it != values.end() &&
        failed(checkSize(it->second, "node '" + node.name() + "' (" +
                                         node.op_type() + "): output '" + name +
                                         "'")))
      return failure();
  }
  return success();
}

LogicalResult Importer::verifyNodeOps(const onnx::NodeProto &node,
                                      Operation *before) {
  Block *block = builder.getInsertionBlock();
  Block::iterator first =
      before ? std::next(before->getIterator()) : block->begin();
  for (Operation &op : llvm::make_range(first, builder.getInsertionPoint())) {
    std::string message;
    LogicalResult verified = success();
    {
      ScopedDiagnosticHandler capture(context, [&](Diagnostic &diag) {
        if (diag.getSeverity() != DiagnosticSeverity::Error)
          return success();
        if (message.empty())
          message = diag.str();
        return success();
      });
      verified = mlir::verify(&op);
    }
    if (failed(verified))
      return emitError(node) << message;
  }
  return success();
}

void Importer::setOutput(const onnx::NodeProto &node, int i, Tensor tensor) {
  if (i < node.output_size() && !node.output(i).empty())
    values[node.output(i)] = std::move(tensor);
}

void Importer::setOutput(const onnx::NodeProto &node, int i, Value value,
                         ArrayRef<Dim> dims) {
  Tensor tensor;
  tensor.value = value;
  tensor.elementType = cast<RankedTensorType>(value.getType()).getElementType();
  tensor.dims.assign(dims.begin(), dims.end());
  setOutput(node, i, std::move(tensor));
}

Value Importer::materialize(Tensor &tensor) {
  if (tensor.value)
    return tensor.value;
  // Only element-known integer tensors lack a value.
  SmallVector<Value> elements;
  for (OpFoldResult element : *tensor.elements) {
    if (auto attr = dyn_cast<Attribute>(element)) {
      int64_t v = cast<IntegerAttr>(attr).getInt();
      elements.push_back(arith::ConstantOp::create(
          builder, loc, builder.getIntegerAttr(tensor.elementType, v)));
    } else {
      elements.push_back(arith::IndexCastOp::create(
          builder, loc, tensor.elementType, cast<Value>(element)));
    }
  }
  tensor.value =
      tensor::FromElementsOp::create(builder, loc, tensor.getType(), elements);
  return tensor.value;
}

Tensor Importer::wrap(Value value) {
  Tensor tensor;
  auto type = cast<RankedTensorType>(value.getType());
  tensor.value = value;
  tensor.elementType = type.getElementType();
  for (int64_t size : type.getShape())
    tensor.dims.push_back(ShapedType::isDynamic(size) ? freshDim()
                                                      : Dim::fixed(size));
  return tensor;
}

SmallVector<OpFoldResult> Importer::getMixedSizes(Tensor &tensor) {
  return tensor::getMixedSizes(builder, loc, materialize(tensor));
}

Value Importer::createEmpty(ArrayRef<Dim> dims, Type elementType,
                            ArrayRef<Tensor *> sources) {
  SmallVector<OpFoldResult> sizes;
  for (const Dim &dim : dims) {
    if (dim.isStatic()) {
      sizes.push_back(builder.getIndexAttr(dim.size));
      continue;
    }
    OpFoldResult size;
    for (Tensor *source : sources) {
      for (auto [d, sourceDim] : llvm::enumerate(source->dims))
        if (sourceDim == dim) {
          size = tensor::getMixedSize(builder, loc, materialize(*source), d);
          break;
        }
      if (size)
        break;
    }
    assert(size && "every dynamic size comes from a source");
    sizes.push_back(size);
  }
  return tensor::EmptyOp::create(builder, loc, sizes, elementType);
}

//===----------------------------------------------------------------------===//
// Attributes
//===----------------------------------------------------------------------===//

const onnx::AttributeProto *Importer::findAttr(const onnx::NodeProto &node,
                                               StringRef name) const {
  for (const onnx::AttributeProto &attr : node.attribute())
    if (attr.name() == name)
      return &attr;
  return nullptr;
}

int64_t Importer::getInt(const onnx::NodeProto &node, StringRef name,
                         int64_t defaultValue) const {
  const onnx::AttributeProto *attr = findAttr(node, name);
  return attr ? attr->i() : defaultValue;
}

float Importer::getFloat(const onnx::NodeProto &node, StringRef name,
                         float defaultValue) const {
  const onnx::AttributeProto *attr = findAttr(node, name);
  return attr ? attr->f() : defaultValue;
}

std::string Importer::getString(const onnx::NodeProto &node, StringRef name,
                                StringRef defaultValue) const {
  const onnx::AttributeProto *attr = findAttr(node, name);
  return attr ? attr->s() : defaultValue.str();
}

SmallVector<int64_t> Importer::getInts(const onnx::NodeProto &node,
                                       StringRef name) const {
  const onnx::AttributeProto *attr = findAttr(node, name);
  if (!attr)
    return {};
  return SmallVector<int64_t>(attr->ints().begin(), attr->ints().end());
}

SmallVector<float> Importer::getFloats(const onnx::NodeProto &node,
                                       StringRef name) const {
  const onnx::AttributeProto *attr = findAttr(node, name);
  if (!attr)
    return {};
  return SmallVector<float>(attr->floats().begin(), attr->floats().end());
}

SmallVector<std::string> Importer::getStrings(const onnx::NodeProto &node,
                                              StringRef name) const {
  const onnx::AttributeProto *attr = findAttr(node, name);
  if (!attr)
    return {};
  return SmallVector<std::string>(attr->strings().begin(),
                                  attr->strings().end());
}

LogicalResult Importer::checkAttributes(const onnx::NodeProto &node,
                                        ArrayRef<StringRef> supported) {
  for (const onnx::AttributeProto &attr : node.attribute())
    if (!llvm::is_contained(supported, attr.name()))
      return emitError(node)
             << "attribute '" << attr.name() << "' is not supported";
  return success();
}

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

/// Reads `expected` bytes of an initializer from the file its external_data
/// names. As onnx.checker and ONNX Runtime require, the file is a regular
/// file inside the model's folder, named by a relative path.
static FailureOr<std::string> readExternalData(Importer &importer,
                                               const onnx::TensorProto &proto,
                                               StringRef modelPath,
                                               int64_t expected) {
  std::string location;
  int64_t offset = 0, length = -1;
  for (const onnx::StringStringEntryProto &entry : proto.external_data()) {
    StringRef value = entry.value();
    bool invalid = false;
    if (entry.key() == "location")
      location = value.str();
    else if (entry.key() == "offset")
      invalid = value.getAsInteger(10, offset) || offset < 0;
    else if (entry.key() == "length")
      invalid = value.getAsInteger(10, length) || length < 0;
    if (invalid)
      return importer.emitError()
             << "the external data of '" << proto.name() << "' has an invalid "
             << entry.key() << " '" << value << "'";
  }
  auto refuse = [&]() {
    return importer.emitError() << "the external data of '" << proto.name()
                                << "' is at '" << location << "', ";
  };
  if (location.empty())
    return importer.emitError()
           << "the external data of '" << proto.name() << "' has no location";
  if (llvm::sys::path::is_absolute(location) ||
      llvm::sys::path::has_root_name(location))
    return refuse() << "an absolute path; it must be relative to the model's "
                       "folder";
  for (StringRef part : llvm::make_range(llvm::sys::path::begin(location),
                                         llvm::sys::path::end(location)))
    if (part == "..")
      return refuse() << "outside the model's folder";
  SmallString<256> folder(llvm::sys::path::parent_path(modelPath));
  if (folder.empty())
    folder = ".";
  SmallString<256> path(folder);
  llvm::sys::path::append(path, location);
  // Symbolic links may point anywhere: the real path must stay inside too.
  SmallString<256> realFolder, realPath;
  if (std::error_code ec = llvm::sys::fs::real_path(folder, realFolder);
      ec || (ec = llvm::sys::fs::real_path(path, realPath)))
    return importer.emitError()
           << "cannot read the external data of '" << proto.name() << "' from '"
           << path << "': " << ec.message();
  if (!StringRef(realPath).starts_with((realFolder + "/").str()))
    return refuse() << "outside the model's folder";
  llvm::sys::fs::file_status status;
  if (llvm::sys::fs::status(realPath, status) ||
      status.type() != llvm::sys::fs::file_type::regular_file)
    return refuse() << "not a regular file";
  int64_t size = status.getSize();
  if (length < 0)
    length = size > offset ? size - offset : 0;
  if (offset > size || length > size - offset)
    return importer.emitError() << "the external data of '" << proto.name()
                                << "' lies outside '" << path << "'";
  if (length != expected)
    return importer.emitError()
           << "tensor '" << proto.name() << "' holds " << length
           << " bytes of external data, expected " << expected;
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file =
      llvm::MemoryBuffer::getFileSlice(realPath, length, offset,
                                       /*IsVolatile=*/false);
  if (!file)
    return importer.emitError()
           << "cannot read the external data of '" << proto.name() << "' from '"
           << path << "': " << file.getError().message();
  return std::string((*file)->getBufferStart(), (*file)->getBufferSize());
}

FailureOr<Tensor> Importer::importTensorProto(const onnx::TensorProto &proto) {
  FailureOr<Type> elementType = convertElementType(proto.data_type());
  if (failed(elementType))
    return failure();
  Tensor tensor;
  tensor.elementType = *elementType;
  int64_t count = 1;
  for (int64_t d : proto.dims()) {
    if (d < 0 || (d > 0 && count > std::numeric_limits<int64_t>::max() / 8 / d))
      return emitError() << "tensor '" << proto.name()
                         << "' has an invalid dimension " << d;
    tensor.dims.push_back(Dim::fixed(d));
    count *= d;
  }
  RankedTensorType type = tensor.getType();
  int64_t width = elementType->getIntOrFloatBitWidth();
  int64_t byteWidth = width == 1 ? 1 : width / 8;

  // The little-endian bytes, from raw_data, external data or typed fields.
  std::string bytes;
  if (proto.data_location() == onnx::TensorProto::EXTERNAL) {
    FailureOr<std::string> external =
        readExternalData(*this, proto, modelPath, count * byteWidth);
    if (failed(external))
      return failure();
    bytes = std::move(*external);
  } else if (proto.has_raw_data()) {
    bytes = proto.raw_data();
  } else {
    auto append = [&](auto value) {
      bytes.append(reinterpret_cast<const char *>(&value), sizeof(value));
    };
    if (elementType->isF32())
      for (float v : proto.float_data())
        append(v);
    else if (elementType->isInteger(64))
      for (int64_t v : proto.int64_data())
        append(v);
    else if (elementType->isInteger(32))
      for (int32_t v : proto.int32_data())
        append(v);
    else
      for (int32_t v : proto.int32_data())
        append(static_cast<int8_t>(v != 0));
  }
  if (static_cast<int64_t>(bytes.size()) != count * byteWidth)
    return emitError() << "tensor '" << proto.name() << "' holds "
                       << bytes.size() << " bytes, expected "
                       << count * byteWidth;

  // Shape-like integer tensors are tracked element by element.
  if (elementType->isInteger(64) && count <= 16 && tensor.getRank() <= 1) {
    SmallVector<OpFoldResult> elements;
    for (int64_t i = 0; i < count; ++i) {
      int64_t v;
      std::memcpy(&v, bytes.data() + i * 8, 8);
      elements.push_back(builder.getI64IntegerAttr(v));
    }
    tensor.elements = std::move(elements);
  }
  Attribute attr;
  if (elementType->isInteger(1)) {
    SmallVector<bool> bits;
    for (char c : bytes)
      bits.push_back(c != 0);
    attr = DenseElementsAttr::get(type, ArrayRef<bool>(bits));
  } else if (count * byteWidth <= 64) {
    attr = DenseElementsAttr::getFromRawBuffer(
        type, ArrayRef<char>(bytes.data(), bytes.size()));
  } else {
    // Weights: a resource blob, which the parser and the LLVM translation
    // handle without a textual or per-element copy.
    std::string name = proto.name().empty() ? "constant" : proto.name();
    attr = DenseResourceElementsAttr::get(
        type, name,
        HeapAsmResourceBlob::allocateAndCopyWithAlign(
            ArrayRef<char>(bytes.data(), bytes.size()), alignof(int64_t)));
  }
  tensor.value = arith::ConstantOp::create(builder, loc, cast<TypedAttr>(attr));
  return tensor;
}

//===----------------------------------------------------------------------===//
// The graph
//===----------------------------------------------------------------------===//

LogicalResult Importer::importInitializers() {
  for (const onnx::TensorProto &initializer : model.graph().initializer()) {
    FailureOr<Tensor> tensor = importTensorProto(initializer);
    if (failed(tensor))
      return failure();
    values[initializer.name()] = std::move(*tensor);
  }
  return success();
}

OwningOpRef<ModuleOp> Importer::run() {
  const onnx::GraphProto &graph = model.graph();
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  builder.setInsertionPointToStart(module->getBody());

  // Inputs without initializers are the function's arguments; an input with
  // an initializer is a constant with a default, which is what it stays.
  llvm::StringSet<> initialized;
  for (const onnx::TensorProto &initializer : graph.initializer())
    initialized.insert(initializer.name());
  SmallVector<Type> argTypes;
  SmallVector<DictionaryAttr> argAttrs;
  SmallVector<std::pair<std::string, Tensor>> arguments;
  for (const onnx::ValueInfoProto &input : graph.input()) {
    if (initialized.contains(input.name()))
      continue;
    if (!input.type().has_tensor_type()) {
      emitError() << "graph input '" << input.name() << "' is not a tensor";
      return nullptr;
    }
    const onnx::TypeProto::Tensor &type = input.type().tensor_type();
    FailureOr<Type> elementType = convertElementType(type.elem_type());
    if (failed(elementType))
      return nullptr;
    Tensor tensor;
    tensor.elementType = *elementType;
    SmallVector<Attribute> symbols;
    for (auto [d, dim] : llvm::enumerate(type.shape().dim())) {
      if (dim.has_dim_value()) {
        if (dim.dim_value() < 0) {
          emitError() << "graph input '" << input.name()
                      << "' has a negative dimension";
          return nullptr;
        }
        tensor.dims.push_back(Dim::fixed(dim.dim_value()));
        continue;
      }
      std::string symbol = dim.has_dim_param() && !dim.dim_param().empty()
                               ? dim.dim_param()
                               : input.name() + "." + std::to_string(d);
      tensor.dims.push_back(Dim::named(symbol));
      symbols.push_back(builder.getStringAttr(symbol));
    }
    if (failed(checkSize(tensor, "graph input '" + input.name() + "'")))
      return nullptr;
    argTypes.push_back(tensor.getType());
    SmallVector<NamedAttribute> attrs = {
        builder.getNamedAttr("lstm.name", builder.getStringAttr(input.name()))};
    if (!symbols.empty())
      attrs.push_back(builder.getNamedAttr("lstm.dynamic_dims",
                                           builder.getArrayAttr(symbols)));
    argAttrs.push_back(builder.getDictionaryAttr(attrs));
    arguments.emplace_back(input.name(), std::move(tensor));
  }

  auto func = func::FuncOp::create(builder, loc, "forward",
                                   builder.getFunctionType(argTypes, {}));
  Block *body = func.addEntryBlock();
  for (auto [i, attrs] : llvm::enumerate(argAttrs))
    func.setArgAttrs(i, attrs);
  for (auto [i, argument] : llvm::enumerate(arguments)) {
    argument.second.value = body->getArgument(i);
    values[argument.first] = argument.second;
  }
  builder.setInsertionPointToStart(body);
  if (failed(importInitializers()))
    return nullptr;
  for (const onnx::NodeProto &node : graph.node()) {
    setNodeLoc(node);
    Operation *before = builder.getInsertionPoint() == body->begin()
                            ? nullptr
                            : &*std::prev(builder.getInsertionPoint());
    if (failed(importNode(*this, node)) || failed(checkOutputSizes(node)) ||
        failed(verifyNodeOps(node, before)))
      return nullptr;
  }
  loc = fileLoc;

  // Outputs: their sizes are named after the inputs' where the shapes tie
  // them together; other names make lstm-compile report them.
  SmallVector<Value> results;
  SmallVector<DictionaryAttr> resultAttrs;
  for (const onnx::ValueInfoProto &output : graph.output()) {
    FailureOr<Tensor> tensor = lookup(output.name());
    if (failed(tensor))
      return nullptr;
    results.push_back(materialize(*tensor));
    SmallVector<Attribute> symbols;
    for (const Dim &dim : tensor->dims)
      if (!dim.isStatic())
        symbols.push_back(builder.getStringAttr(dim.symbol));
    SmallVector<NamedAttribute> attrs = {builder.getNamedAttr(
        "lstm.name", builder.getStringAttr(output.name()))};
    if (!symbols.empty())
      attrs.push_back(builder.getNamedAttr("lstm.dynamic_dims",
                                           builder.getArrayAttr(symbols)));
    resultAttrs.push_back(builder.getDictionaryAttr(attrs));
  }
  func::ReturnOp::create(builder, loc, results);
  func.setFunctionType(
      builder.getFunctionType(argTypes, ValueRange(results).getTypes()));
  for (auto [i, attrs] : llvm::enumerate(resultAttrs))
    func.setResultAttrs(i, attrs);
  return module;
}

OwningOpRef<ModuleOp> mlir::lstm::importONNXFile(StringRef path,
                                                 MLIRContext *context) {
  Location loc = FileLineColLoc::get(context, path, 0, 0);
  llvm::ErrorOr<std::unique_ptr<llvm::MemoryBuffer>> file =
      llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                  /*RequiresNullTerminator=*/false);
  if (!file) {
    emitError(loc) << "cannot open '" << path
                   << "': " << file.getError().message();
    return nullptr;
  }
  return importONNXBuffer((*file)->getBuffer(), path, context);
}

OwningOpRef<ModuleOp> mlir::lstm::importONNXBuffer(StringRef bytes,
                                                   StringRef modelPath,
                                                   MLIRContext *context) {
  Location loc = FileLineColLoc::get(context, modelPath, 0, 0);
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max())) {
    emitError(loc) << "'" << modelPath
                   << "' is larger than 2 GB, the most protobuf reads; store "
                      "its weights as external data";
    return nullptr;
  }
  onnx::ModelProto model;
  if (!model.ParseFromArray(bytes.data(), static_cast<int>(bytes.size())) ||
      !model.has_graph()) {
    emitError(loc) << "'" << modelPath
                   << "' is not an ONNX model, or it is truncated";
    return nullptr;
  }
  context->loadDialect<LSTMDialect, arith::ArithDialect, cf::ControlFlowDialect,
                       func::FuncDialect, linalg::LinalgDialect,
                       math::MathDialect, tensor::TensorDialect>();
  return Importer(context, model, modelPath).run();
}

void mlir::lstm::registerONNXImportDialects(DialectRegistry &registry) {
  registry.insert<LSTMDialect, arith::ArithDialect, cf::ControlFlowDialect,
                  func::FuncDialect, linalg::LinalgDialect, math::MathDialect,
                  tensor::TensorDialect>();
}
