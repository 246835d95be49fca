//===- LSTMOps.cpp - LSTM dialect operations --------------------*- C++ -*-===//

#include "lstm/Dialect/LSTM/IR/LSTM.h"

#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::lstm;

//===----------------------------------------------------------------------===//
// Shape helpers
//===----------------------------------------------------------------------===//

static std::string formatShape(ArrayRef<int64_t> shape, StringRef open,
                               StringRef close) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << open;
  llvm::interleaveComma(shape, os, [&](int64_t d) {
    if (ShapedType::isDynamic(d))
      os << '?';
    else
      os << d;
  });
  os << close;
  return s;
}

/// PyTorch prints expected sizes as tuples and actual sizes as lists.
static std::string asTuple(ArrayRef<int64_t> shape) {
  return formatShape(shape, "(", ")");
}
static std::string asList(ArrayRef<int64_t> shape) {
  return formatShape(shape, "[", "]");
}

namespace {
/// The shapes of the op's state and result tensors that PyTorch expects for
/// the attributes and the input, with the batch dimension squeezed for
/// unbatched input.
struct ExpectedShapes {
  SmallVector<int64_t> output, hidden, cell;
};
} // namespace

static ExpectedShapes computeExpectedShapes(RankedTensorType inputType,
                                            int64_t hiddenSize,
                                            int64_t numLayers, bool batchFirst,
                                            bool bidirectional,
                                            int64_t projSize) {
  int64_t numDirections = bidirectional ? 2 : 1;
  int64_t hiddenOut = projSize > 0 ? projSize : hiddenSize;
  int64_t numStates = numDirections * numLayers;
  ArrayRef<int64_t> in = inputType.getShape();
  ExpectedShapes shapes;
  if (in.size() == 2) {
    shapes.output = {in[0], numDirections * hiddenOut};
    shapes.hidden = {numStates, hiddenOut};
    shapes.cell = {numStates, hiddenSize};
    return shapes;
  }
  int64_t batch = batchFirst ? in[0] : in[1];
  shapes.output = {in[0], in[1], numDirections * hiddenOut};
  shapes.hidden = {numStates, batch, hiddenOut};
  shapes.cell = {numStates, batch, hiddenSize};
  return shapes;
}

//===----------------------------------------------------------------------===//
// LSTMOp
//===----------------------------------------------------------------------===//

void LSTMOp::build(OpBuilder &builder, OperationState &state, Value input,
                   Value h0, Value c0, Value lengths, ValueRange weights,
                   int64_t inputSize, int64_t hiddenSize, int64_t numLayers,
                   bool hasBiases, bool batchFirst, bool bidirectional,
                   int64_t projSize, double dropout) {
  auto inputType = cast<RankedTensorType>(input.getType());
  ExpectedShapes shapes =
      computeExpectedShapes(inputType, hiddenSize, numLayers, batchFirst,
                            bidirectional, projSize);
  Type elementType = inputType.getElementType();
  build(builder, state, RankedTensorType::get(shapes.output, elementType),
        RankedTensorType::get(shapes.hidden, elementType),
        RankedTensorType::get(shapes.cell, elementType), input, h0, c0,
        lengths, weights, inputSize, hiddenSize, numLayers, hasBiases,
        batchFirst, bidirectional, projSize, APFloat(dropout));
}

/// Number of `_flat_weights` entries per layer and direction.
static int64_t getWeightsPerLayer(bool hasBiases, int64_t projSize) {
  return 2 + (hasBiases ? 2 : 0) + (projSize > 0 ? 1 : 0);
}

LayerWeights LSTMOp::getLayerWeights(int64_t layer, int64_t direction) {
  int64_t perLayer = getWeightsPerLayer(getHasBiases(), getProjSize());
  ValueRange all = getWeights();
  auto it = all.begin() + (layer * getNumDirections() + direction) * perLayer;
  LayerWeights weights;
  weights.weightIH = *it++;
  weights.weightHH = *it++;
  if (getHasBiases()) {
    weights.biasIH = *it++;
    weights.biasHH = *it++;
  }
  if (getProjSize() > 0)
    weights.weightHR = *it;
  return weights;
}

/// Checks that `value`, when present, matches the state shape PyTorch
/// expects; `index` is its position in the `hx` tuple.
static LogicalResult verifyState(LSTMOp op, Value value, int index,
                                 ArrayRef<int64_t> expected) {
  if (!value)
    return success();
  auto type = cast<RankedTensorType>(value.getType());
  if (type.getRank() != static_cast<int64_t>(expected.size()))
    return op.emitOpError(llvm::formatv(
        "For {0} input, hx and cx should also be {1}-D but got {2}-D "
        "hidden[{3}]",
        expected.size() == 3 ? "batched 3-D" : "unbatched 2-D",
        expected.size(), type.getRank(), index));
  if (failed(verifyCompatibleShape(type.getShape(), expected)))
    return op.emitOpError(llvm::formatv("Expected hidden[{0}] size {1}, got {2}",
                                        index, asTuple(expected),
                                        asList(type.getShape())));
  return success();
}

LogicalResult LSTMOp::verify() {
  int64_t hiddenSize = getHiddenSize();
  int64_t projSize = getProjSize();
  if (getInputSize() <= 0)
    return emitOpError("input_size must be greater than zero");
  if (hiddenSize <= 0)
    return emitOpError("hidden_size must be greater than zero");
  if (getNumLayers() <= 0)
    return emitOpError("num_layers must be greater than zero");
  double dropout = getDropout().convertToDouble();
  if (!(dropout >= 0.0 && dropout <= 1.0))
    return emitOpError("dropout should be a number in range [0, 1] "
                       "representing the probability of an element being "
                       "zeroed");
  if (projSize < 0)
    return emitOpError("proj_size should be a positive integer or zero to "
                       "disable projections");
  if (projSize >= hiddenSize)
    return emitOpError("proj_size has to be smaller than hidden_size");

  // The input.
  RankedTensorType inputType = getInput().getType();
  int64_t rank = inputType.getRank();
  if (rank != 2 && rank != 3)
    return emitOpError(llvm::formatv(
        "LSTM: Expected input to be 2D or 3D, got {0}D instead", rank));
  int64_t features = inputType.getShape().back();
  if (!ShapedType::isDynamic(features) && features != getInputSize())
    return emitOpError(llvm::formatv(
        "input.size(-1) must be equal to input_size. Expected {0}, got {1}",
        getInputSize(), features));

  // The weights, in `_flat_weights` order.
  int64_t numDirections = getNumDirections();
  int64_t hiddenOut = getOutputHiddenSize();
  int64_t perLayer = getWeightsPerLayer(getHasBiases(), projSize);
  int64_t expectedCount = getNumLayers() * numDirections * perLayer;
  if (static_cast<int64_t>(getWeights().size()) != expectedCount)
    return emitOpError(llvm::formatv(
        "expected {0} weights ({1} per layer and direction in _flat_weights "
        "order), got {2}",
        expectedCount, perLayer, getWeights().size()));
  for (int64_t layer = 0, e = getNumLayers(); layer < e; ++layer) {
    int64_t layerInput = layer == 0 ? getInputSize() : numDirections * hiddenOut;
    for (int64_t dir = 0; dir < numDirections; ++dir) {
      std::string suffix =
          llvm::formatv("_l{0}{1}", layer, dir ? "_reverse" : "").str();
      LayerWeights w = getLayerWeights(layer, dir);
      std::pair<Value, SmallVector<int64_t>> checks[] = {
          {w.weightIH, {4 * hiddenSize, layerInput}},
          {w.weightHH, {4 * hiddenSize, hiddenOut}},
          {w.biasIH, {4 * hiddenSize}},
          {w.biasHH, {4 * hiddenSize}},
          {w.weightHR, {projSize, hiddenSize}}};
      StringRef names[] = {"weight_ih", "weight_hh", "bias_ih", "bias_hh",
                           "weight_hr"};
      for (auto [check, name] : llvm::zip_equal(checks, names)) {
        auto [value, shape] = check;
        if (!value)
          continue;
        auto type = cast<RankedTensorType>(value.getType());
        if (type.getRank() != static_cast<int64_t>(shape.size()) ||
            failed(verifyCompatibleShape(type.getShape(), shape)))
          return emitOpError(llvm::formatv("{0}{1} must have size {2}, got {3}",
                                           name, suffix, asTuple(shape),
                                           asList(type.getShape())));
      }
    }
  }

  // The initial states.
  ExpectedShapes shapes =
      computeExpectedShapes(inputType, hiddenSize, getNumLayers(),
                            getBatchFirst(), getBidirectional(), projSize);
  if (failed(verifyState(*this, getH0(), 0, shapes.hidden)) ||
      failed(verifyState(*this, getC0(), 1, shapes.cell)))
    return failure();

  // The sequence lengths of a padded PackedSequence.
  if (Value lengths = getLengths()) {
    auto type = cast<RankedTensorType>(lengths.getType());
    if (rank != 3)
      return emitOpError("lengths require batched 3-D input");
    if (type.getRank() != 1 || !type.getElementType().isSignlessInteger(64))
      return emitOpError("lengths must be a 1-D tensor of int64, got ")
             << type;
    int64_t batch = shapes.hidden[1];
    if (failed(verifyCompatibleShape(type.getShape(), {batch})))
      return emitOpError(llvm::formatv(
          "lengths must have one entry per batch element: expected size "
          "{0}, got {1}",
          asTuple(batch), asList(type.getShape())));
  }

  // The results.
  std::pair<Value, ArrayRef<int64_t>> results[] = {{getOutput(), shapes.output},
                                                   {getHN(), shapes.hidden},
                                                   {getCN(), shapes.cell}};
  StringRef resultNames[] = {"output", "h_n", "c_n"};
  for (auto [result, name] : llvm::zip_equal(results, resultNames)) {
    auto [value, shape] = result;
    auto type = cast<RankedTensorType>(value.getType());
    if (type.getRank() != static_cast<int64_t>(shape.size()) ||
        failed(verifyCompatibleShape(type.getShape(), shape)))
      return emitOpError(llvm::formatv("Expected {0} size {1}, got {2}", name,
                                       asTuple(shape),
                                       asList(type.getShape())));
  }
  return success();
}

#define GET_OP_CLASSES
#include "lstm/Dialect/LSTM/IR/LSTMOps.cpp.inc"
