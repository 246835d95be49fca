//===- ONNXImporter.h - ONNX graph to MLIR, internals -----------*- C++ -*-===//
//
// The importer walks the graph's nodes in order and keeps, for every ONNX
// value, its MLIR tensor and a symbolic shape: static sizes, and names for
// dynamic ones (the graph inputs' dim_params, or fresh names). The names let
// output sizes be tied to input sizes in the compiled model's signature.
// Small integer tensors computed from shapes (Shape -> Gather -> Concat ->
// Reshape, as exporters emit them) are also tracked element by element, so
// that they fold into static attributes or index values instead of becoming
// run-time tensor arithmetic.
//
//===----------------------------------------------------------------------===//

#ifndef LSTM_LIB_IMPORT_ONNXIMPORTER_H
#define LSTM_LIB_IMPORT_ONNXIMPORTER_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringMap.h"

#include <onnx/onnx_pb.h>

#include <optional>
#include <string>

namespace mlir::lstm::onnx_import {

/// One dimension of a symbolic shape.
struct Dim {
  /// The static size, or ShapedType::kDynamic.
  int64_t size = ShapedType::kDynamic;
  /// The name of a dynamic size; equal names are equal sizes.
  std::string symbol;

  static Dim fixed(int64_t size) { return {size, ""}; }
  static Dim named(std::string symbol) {
    return {ShapedType::kDynamic, std::move(symbol)};
  }
  bool isStatic() const { return !ShapedType::isDynamic(size); }
  bool operator==(const Dim &other) const {
    return size == other.size && symbol == other.symbol;
  }
};

/// An imported ONNX value.
struct Tensor {
  /// The tensor; null for element-known tensors until first materialized.
  Value value;
  Type elementType;
  SmallVector<Dim> dims;
  /// The elements of small integer tensors derived from shapes, as index
  /// values or integer attributes, in row-major order.
  std::optional<SmallVector<OpFoldResult>> elements;

  int64_t getRank() const { return dims.size(); }
  SmallVector<int64_t> getShape() const;
  RankedTensorType getType() const;
};

class Importer {
public:
  Importer(MLIRContext *context, const onnx::ModelProto &model,
           StringRef modelPath);

  /// Imports the whole model; null after reporting an error.
  OwningOpRef<ModuleOp> run();

  //===------------------------------------------------------------------===//
  // For the node importers.
  //===------------------------------------------------------------------===//

  OpBuilder &getBuilder() { return builder; }
  Location getLoc() const { return loc; }
  int64_t getOpset() const { return opset; }

  /// Locates what follows at `node`: fused<"OpType">["name"(file)], which
  /// run-time check messages name as "'name' (OpType)".
  void setNodeLoc(const onnx::NodeProto &node);

  /// Reports an error about the current node.
  InFlightDiagnostic emitError();
  /// Reports an error about `node`, named: "node 'name' (OpType): ...".
  InFlightDiagnostic emitError(const onnx::NodeProto &node);

  /// Whether input `i` of the node is given (present and not "").
  bool hasInput(const onnx::NodeProto &node, int i) const;
  /// Input `i`; reports an error if it is missing.
  FailureOr<Tensor> getInput(const onnx::NodeProto &node, int i);
  /// Input `i` as an MLIR tensor.
  FailureOr<Value> getInputValue(const onnx::NodeProto &node, int i);
  /// Input `i`'s elements as integers, when known at import time.
  FailureOr<SmallVector<int64_t>> getConstantInts(const onnx::NodeProto &node,
                                                  int i);

  /// Reports a static shape too large for memory (an overflowing element
  /// count, or more bytes than the address space holds).
  LogicalResult checkSize(const Tensor &tensor, const Twine &what);
  /// checkSize on every output the node defined.
  LogicalResult checkOutputSizes(const onnx::NodeProto &node);
  /// Verifies the ops that importing `node` created after `before` (null:
  /// from the block's start), reporting an op's verifier error as an error
  /// of the node, so that it names the graph's node and not only the file.
  LogicalResult verifyNodeOps(const onnx::NodeProto &node, Operation *before);

  /// Defines output `i` of the node (ignored when the node leaves it unnamed).
  void setOutput(const onnx::NodeProto &node, int i, Tensor tensor);
  /// Defines output `i` as `value`, whose symbolic shape is `dims`.
  void setOutput(const onnx::NodeProto &node, int i, Value value,
                 ArrayRef<Dim> dims);

  /// The tensor, creating it from its known elements if needed.
  Value materialize(Tensor &tensor);
  /// A tensor from a value whose dims are its type's, dynamic ones fresh.
  Tensor wrap(Value value);
  /// A dynamic dimension no other has.
  Dim freshDim();

  /// The sizes of `tensor`, dynamic ones as tensor.dim.
  SmallVector<OpFoldResult> getMixedSizes(Tensor &tensor);
  /// An empty tensor of `dims`, taking dynamic sizes from `sources`, whose
  /// dimensions with the same symbols provide them.
  Value createEmpty(ArrayRef<Dim> dims, Type elementType,
                    ArrayRef<Tensor *> sources);

  // Attributes.
  const onnx::AttributeProto *findAttr(const onnx::NodeProto &node,
                                       StringRef name) const;
  int64_t getInt(const onnx::NodeProto &node, StringRef name,
                 int64_t defaultValue) const;
  float getFloat(const onnx::NodeProto &node, StringRef name,
                 float defaultValue) const;
  std::string getString(const onnx::NodeProto &node, StringRef name,
                        StringRef defaultValue) const;
  SmallVector<int64_t> getInts(const onnx::NodeProto &node,
                               StringRef name) const;
  SmallVector<float> getFloats(const onnx::NodeProto &node,
                               StringRef name) const;
  SmallVector<std::string> getStrings(const onnx::NodeProto &node,
                                      StringRef name) const;

  /// Reports attributes of the node outside `supported`.
  LogicalResult checkAttributes(const onnx::NodeProto &node,
                                ArrayRef<StringRef> supported);

  /// A tensor from an ONNX TensorProto (Constant values and initializers).
  FailureOr<Tensor> importTensorProto(const onnx::TensorProto &proto);

  /// Declares that graph input `value`, if it is one, holds sequence
  /// lengths bounded by `seqDim`: the runtime checks them as it checks
  /// PyTorch's `lengths`.
  void markSequenceLengths(Value value, const Dim &seqDim);

private:
  LogicalResult importInputs(func::FuncOp &func);
  LogicalResult importInitializers();
  FailureOr<Type> convertElementType(int32_t onnxType);
  FailureOr<Tensor> lookup(StringRef name);

  MLIRContext *context;
  const onnx::ModelProto &model;
  std::string modelPath;
  OpBuilder builder;
  /// The model file, and the current node within it.
  Location fileLoc, loc;
  int64_t opset = 0;
  int64_t nextSymbol = 0;
  llvm::StringMap<Tensor> values;
};

/// Imports one node; reports unsupported operators.
LogicalResult importNode(Importer &importer, const onnx::NodeProto &node);

/// Imports an LSTM node.
LogicalResult importLSTM(Importer &importer, const onnx::NodeProto &node);

/// The operators that are layers of the lstm dialect (ONNXLayers.cpp).
LogicalResult importConv(Importer &importer, const onnx::NodeProto &node);
LogicalResult importPool(Importer &importer, const onnx::NodeProto &node);
LogicalResult importBatchNormalization(Importer &importer,
                                       const onnx::NodeProto &node);
LogicalResult importLayerNormalization(Importer &importer,
                                       const onnx::NodeProto &node);
/// Relu, Tanh, Sigmoid, LeakyRelu, Elu, Softplus, Softsign, HardSigmoid,
/// ThresholdedRelu.
LogicalResult importActivation(Importer &importer, const onnx::NodeProto &node);
LogicalResult importClip(Importer &importer, const onnx::NodeProto &node);

} // namespace mlir::lstm::onnx_import

#endif // LSTM_LIB_IMPORT_ONNXIMPORTER_H
