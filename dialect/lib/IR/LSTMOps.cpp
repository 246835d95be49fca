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

/// Checks that `type` is ranked with a shape compatible with `expected`;
/// otherwise reports "<what> (expected...), got [actual...]".
static LogicalResult verifyShape(Operation *op, Type type, const Twine &what,
                                 ArrayRef<int64_t> expected) {
  auto shaped = cast<ShapedType>(type);
  if (shaped.hasRank() &&
      shaped.getRank() == static_cast<int64_t>(expected.size()) &&
      succeeded(verifyCompatibleShape(shaped.getShape(), expected)))
    return success();
  std::string actual = shaped.hasRank() ? asList(shaped.getShape()) : "*";
  return op->emitOpError() << what << " " << asTuple(expected) << ", got "
                           << actual;
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
  ExpectedShapes shapes = computeExpectedShapes(
      inputType, hiddenSize, numLayers, batchFirst, bidirectional, projSize);
  Type elementType = inputType.getElementType();
  build(builder, state, RankedTensorType::get(shapes.output, elementType),
        RankedTensorType::get(shapes.hidden, elementType),
        RankedTensorType::get(shapes.cell, elementType), input, h0, c0, lengths,
        weights, inputSize, hiddenSize, numLayers, hasBiases, batchFirst,
        bidirectional, projSize, APFloat(dropout));
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
        expected.size() == 3 ? "batched 3-D" : "unbatched 2-D", expected.size(),
        type.getRank(), index));
  if (failed(verifyCompatibleShape(type.getShape(), expected)))
    return op.emitOpError(
        llvm::formatv("Expected hidden[{0}] size {1}, got {2}", index,
                      asTuple(expected), asList(type.getShape())));
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
    int64_t layerInput =
        layer == 0 ? getInputSize() : numDirections * hiddenOut;
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
        if (value &&
            failed(verifyShape(*this, value.getType(),
                               name + suffix + " must have size", shape)))
          return failure();
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
      return emitOpError("lengths must be a 1-D tensor of int64, got ") << type;
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
    if (failed(verifyShape(*this, value.getType(), "Expected " + name + " size",
                           shape)))
      return failure();
  }
  return success();
}

/// Checks the ONNX gate variants lstm.layer and lstm.recurrence share.
static LogicalResult verifyGateVariants(Operation *op, ArrayAttr activations,
                                        FloatAttr clip) {
  if (activations && activations.size() != 3)
    return op->emitOpError("expects 3 activations (f, g, h), got ")
           << activations.size();
  if (clip && !(clip.getValueAsDouble() > 0.0))
    return op->emitOpError("clip must be positive, got ")
           << clip.getValueAsDouble();
  return success();
}

//===----------------------------------------------------------------------===//
// LayerOp
//===----------------------------------------------------------------------===//

LogicalResult LayerOp::verify() {
  RankedTensorType input = getInput().getType();
  if (input.getRank() != 3)
    return emitOpError("input must be (T, N, I), got ") << input;
  RankedTensorType weightHH = getWeightHh().getType();
  if (weightHH.getRank() != 2 || weightHH.isDynamicDim(0) ||
      weightHH.getDimSize(0) % 4 != 0)
    return emitOpError("weight_hh must be (4H, H_out) with a static 4H, got ")
           << weightHH;
  if (static_cast<bool>(getBiasIh()) != static_cast<bool>(getBiasHh()))
    return emitOpError("bias_ih and bias_hh come together");

  int64_t hidden = getHiddenSize();
  int64_t hiddenOut = hidden;
  if (Value weightHR = getWeightHr()) {
    auto type = cast<RankedTensorType>(weightHR.getType());
    if (type.getRank() != 2 || type.isDynamicDim(0))
      return emitOpError("weight_hr must be (P, H) with a static P, got ")
             << type;
    hiddenOut = type.getDimSize(0);
    if (failed(verifyShape(*this, type, "weight_hr must have size",
                           {hiddenOut, hidden})))
      return failure();
  }
  int64_t seqLen = input.getDimSize(0), batch = input.getDimSize(1);
  std::pair<Value, SmallVector<int64_t>> checks[] = {
      {getWeightIh(), {4 * hidden, input.getDimSize(2)}},
      {getWeightHh(), {4 * hidden, hiddenOut}},
      {getBiasIh(), {4 * hidden}},
      {getBiasHh(), {4 * hidden}},
      {getPeephole(), {3 * hidden}},
      {getH0(), {batch, hiddenOut}},
      {getC0(), {batch, hidden}},
      {getLengths(), {batch}},
      {getOutput(), {seqLen, batch, hiddenOut}},
      {getHN(), {batch, hiddenOut}},
      {getCN(), {batch, hidden}}};
  StringRef names[] = {"weight_ih", "weight_hh", "bias_ih", "bias_hh",
                       "peephole",  "h0",        "c0",      "lengths",
                       "output",    "h_n",       "c_n"};
  for (auto [check, name] : llvm::zip_equal(checks, names)) {
    auto [value, shape] = check;
    if (value && failed(verifyShape(*this, value.getType(),
                                    name + " must have size", shape)))
      return failure();
  }
  return verifyGateVariants(*this, getActivationsAttr(), getClipAttr());
}

//===----------------------------------------------------------------------===//
// RecurrenceOp
//===----------------------------------------------------------------------===//

/// Checks that `size` units fill `numBlocks` blocks of `blockSize` with less
/// than one block of padding.
static bool fitsBlocks(int64_t size, int64_t numBlocks, int64_t blockSize) {
  return (numBlocks - 1) * blockSize < size && size <= numBlocks * blockSize;
}

LogicalResult RecurrenceOp::verify() {
  if (getOuts().size() != 3)
    return emitOpError("expects 3 outs (output, h_n, c_n), got ")
           << getOuts().size();
  auto shapeOf = [](Value v) { return cast<ShapedType>(v.getType()); };
  for (Value v : getOperands()) {
    ShapedType type = shapeOf(v);
    if (!type.hasRank())
      return emitOpError("expects ranked operands");
    Type expected = Float32Type::get(getContext());
    if (v == getLengths())
      expected = IntegerType::get(getContext(), 64);
    if (type.getElementType() != expected)
      return emitOpError("expects element type ")
             << expected << " for " << type;
  }
  ShapedType weightHH = shapeOf(getWeightHh());
  if (weightHH.getRank() != 3 || weightHH.isDynamicDim(0) ||
      weightHH.isDynamicDim(1) || weightHH.isDynamicDim(2) ||
      weightHH.getDimSize(2) % 4 != 0)
    return emitOpError("weight_hh must be static panels (nb, H_out, 4B), got ")
           << weightHH;
  int64_t numBlocks = weightHH.getDimSize(0);
  int64_t hiddenOut = weightHH.getDimSize(1);
  int64_t blockSize = getBlockSize();
  ShapedType c0 = shapeOf(getC0());
  if (c0.getRank() != 2 || c0.isDynamicDim(1))
    return emitOpError("c0 must be (N, H) with a static H, got ") << c0;
  int64_t hidden = getHiddenSize();
  if (!fitsBlocks(hidden, numBlocks, blockSize))
    return emitOpError(
        llvm::formatv("{0} hidden units do not fill {1} blocks of {2}", hidden,
                      numBlocks, blockSize));
  if (Value weightHR = getWeightHr()) {
    ShapedType type = shapeOf(weightHR);
    if (type.getRank() != 3 || type.isDynamicDim(0) ||
        type.getDimSize(2) != blockSize ||
        !fitsBlocks(hiddenOut, type.getDimSize(0), blockSize) ||
        failed(verifyCompatibleShape(type.getDimSize(1), hidden)))
      return emitOpError(llvm::formatv("weight_hr must be panels (np, {0}, "
                                       "{1}) covering {2} outputs, "
                                       "got ",
                                       hidden, blockSize, hiddenOut))
             << type;
  } else if (hiddenOut != hidden) {
    return emitOpError(llvm::formatv(
        "without a projection, weight_hh must read {0} features, got {1}",
        hidden, hiddenOut));
  }

  ShapedType input = shapeOf(getInput());
  if (input.getRank() != 3)
    return emitOpError("input must be (T, N, I), got ") << input;
  int64_t seqLen = input.getDimSize(0), batch = input.getDimSize(1);
  std::pair<Value, SmallVector<int64_t>> checks[] = {
      {getWeightIh(), {numBlocks, input.getDimSize(2), 4 * blockSize}},
      {getBias(), {numBlocks, 4 * blockSize}},
      {getPeephole(), {numBlocks, 4 * blockSize}},
      {getH0(), {batch, hiddenOut}},
      {getC0(), {batch, hidden}},
      {getLengths(), {batch}},
      {getOutputInit(), {seqLen, batch, hiddenOut}},
      {getHNInit(), {batch, hiddenOut}},
      {getCNInit(), {batch, hidden}}};
  StringRef names[] = {"weight_ih", "bias",   "peephole", "h0", "c0",
                       "lengths",   "output", "h_n",      "c_n"};
  for (auto [check, name] : llvm::zip_equal(checks, names)) {
    auto [value, shape] = check;
    if (value && failed(verifyShape(*this, value.getType(),
                                    name + " must have size", shape)))
      return failure();
  }

  bool tensorSemantics = hasPureTensorSemantics();
  if (!tensorSemantics && !hasPureBufferSemantics())
    return emitOpError("expects all operands to be tensors or all memrefs");
  if (!tensorSemantics && getNumResults() != 0)
    return emitOpError("with buffer semantics, expects no results");
  return verifyGateVariants(*this, getActivationsAttr(), getClipAttr());
}

void RecurrenceOp::getEffects(
    SmallVectorImpl<SideEffects::EffectInstance<MemoryEffects::Effect>>
        &effects) {
  for (OpOperand &operand : getOperation()->getOpOperands()) {
    if (!isa<MemRefType>(operand.get().getType()))
      continue;
    if (isDpsInit(&operand))
      effects.emplace_back(MemoryEffects::Write::get(), &operand,
                           SideEffects::DefaultResource::get());
    else
      effects.emplace_back(MemoryEffects::Read::get(), &operand,
                           SideEffects::DefaultResource::get());
  }
}

#define GET_OP_CLASSES
#include "lstm/Dialect/LSTM/IR/LSTMOps.cpp.inc"
