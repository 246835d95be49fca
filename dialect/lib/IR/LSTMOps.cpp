//===- LSTMOps.cpp - LSTM dialect operations --------------------*- C++ -*-===//

#include "lstm/Dialect/LSTM/IR/LSTM.h"
#include "lstm/Dialect/LSTM/IR/RuntimeChecks.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/IR/TypeUtilities.h"
#include "mlir/Interfaces/FunctionInterfaces.h"
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

namespace {
/// A size an operand must have: a constant, or a dimension of the op's
/// input (named `label` in messages, which say what it `means`).
struct ExpectedDim {
  int64_t size = 0;
  int64_t inputDim = -1;
  StringRef label, means;

  static ExpectedDim of(int64_t size) { return {size, -1, "", ""}; }
  static ExpectedDim batch(int64_t dim) {
    return {0, dim, "N", "the input's batch size"};
  }
  static ExpectedDim features(int64_t dim) {
    return {0, dim, "I", "the input's feature size"};
  }
};

/// The shape one operand must have. The verifier checks it where sizes are
/// static; RuntimeVerifiableOpInterface checks the rest when the model runs.
struct OperandShape {
  Value value;
  std::string name;
  SmallVector<ExpectedDim> dims;
};
} // namespace

/// The shape `dims` describe for an op whose input has type `input`.
static SmallVector<int64_t> resolveStatic(ArrayRef<ExpectedDim> dims,
                                          RankedTensorType input) {
  return llvm::map_to_vector(dims, [&](const ExpectedDim &d) {
    return d.inputDim >= 0 ? input.getDimSize(d.inputDim) : d.size;
  });
}

/// `dims` as a tuple for messages, input dimensions by their labels, which
/// follow.
static std::string describe(ArrayRef<ExpectedDim> dims) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << '(';
  llvm::interleaveComma(dims, os, [&](const ExpectedDim &d) {
    if (d.inputDim >= 0)
      os << d.label;
    else
      os << d.size;
  });
  os << ')';
  for (const ExpectedDim &d : dims)
    if (d.inputDim >= 0)
      os << ", " << d.label << " being " << d.means;
  return s;
}

/// Emits the run-time checks that `operand` has the shape it must have for
/// an op whose input is `input`; `what` prefixes the expected shape in the
/// message.
static void checkOperandShape(OpBuilder &b, Location loc, Value input,
                              const OperandShape &operand, const Twine &what,
                              function_ref<std::string(StringRef)> message) {
  auto type = cast<RankedTensorType>(operand.value.getType());
  if (type.getRank() != static_cast<int64_t>(operand.dims.size()))
    return; // The verifier reported it.
  std::string text = message((what + " " + describe(operand.dims)).str());
  for (auto [d, expected] : llvm::enumerate(operand.dims)) {
    OpFoldResult want =
        expected.inputDim >= 0
            ? tensor::getMixedSize(b, loc, input, expected.inputDim)
            : OpFoldResult(b.getIndexAttr(expected.size));
    createSizeEqualityCheck(
        b, loc, tensor::getMixedSize(b, loc, operand.value, d), want, text);
  }
}

/// " ('name')" when `value` is an input of the model named `name` by its
/// `lstm.name`, for messages; "" otherwise.
static std::string nameIfInput(Value value) {
  auto arg = dyn_cast<BlockArgument>(value);
  if (!arg || !arg.getOwner()->isEntryBlock())
    return "";
  auto function = dyn_cast<FunctionOpInterface>(arg.getOwner()->getParentOp());
  if (!function)
    return "";
  auto name =
      function.getArgAttrOfType<StringAttr>(arg.getArgNumber(), "lstm.name");
  return name ? " (input '" + name.str() + "')" : "";
}

/// Checks that every length in `lengths` lies in [1, `seqLen`].
static void checkLengthValues(OpBuilder &b, Location loc, Value lengths,
                              OpFoldResult seqLen, const Twine &message) {
  auto [min, max] = createMinMax(b, loc, lengths);
  Type i64 = b.getI64Type();
  Value limit = arith::IndexCastOp::create(
      b, loc, i64, getValueOrCreateConstantIndexOp(b, loc, seqLen));
  Value one = arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(1));
  Value inRange = arith::AndIOp::create(
      b, loc,
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, min, one),
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sle, max, limit));
  // An empty batch has nothing to check; min > max then.
  Value empty =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, min, max);
  createValueCheck(b, loc, arith::OrIOp::create(b, loc, inRange, empty),
                   message);
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

/// The weights' shapes, in `_flat_weights` order, named as PyTorch names
/// them.
static SmallVector<OperandShape> getWeightShapes(LSTMOp op) {
  int64_t hiddenSize = op.getHiddenSize();
  int64_t hiddenOut = op.getOutputHiddenSize();
  int64_t numDirections = op.getNumDirections();
  SmallVector<OperandShape> shapes;
  for (int64_t layer = 0, e = op.getNumLayers(); layer < e; ++layer) {
    int64_t layerInput =
        layer == 0 ? op.getInputSize() : numDirections * hiddenOut;
    for (int64_t dir = 0; dir < numDirections; ++dir) {
      std::string suffix =
          llvm::formatv("_l{0}{1}", layer, dir ? "_reverse" : "").str();
      LayerWeights w = op.getLayerWeights(layer, dir);
      auto add = [&](Value value, StringRef name, ArrayRef<int64_t> dims) {
        if (!value)
          return;
        OperandShape shape{value, (name + suffix).str(), {}};
        for (int64_t d : dims)
          shape.dims.push_back(ExpectedDim::of(d));
        shapes.push_back(std::move(shape));
      };
      add(w.weightIH, "weight_ih", {4 * hiddenSize, layerInput});
      add(w.weightHH, "weight_hh", {4 * hiddenSize, hiddenOut});
      add(w.biasIH, "bias_ih", {4 * hiddenSize});
      add(w.biasHH, "bias_hh", {4 * hiddenSize});
      add(w.weightHR, "weight_hr", {op.getProjSize(), hiddenSize});
    }
  }
  return shapes;
}

/// The dimension of the input that holds the batch (N), or -1 if unbatched.
static int64_t getBatchDim(LSTMOp op) {
  if (!op.isBatched())
    return -1;
  return op.getBatchFirst() ? 0 : 1;
}

/// The shape of state `index` of the `hx` tuple (h0, then c0), which has
/// `features` features.
static OperandShape getStateShape(LSTMOp op, Value value, int index,
                                  int64_t features) {
  OperandShape shape{value, llvm::formatv("hidden[{0}]", index).str(), {}};
  shape.dims.push_back(
      ExpectedDim::of(op.getNumDirections() * op.getNumLayers()));
  if (int64_t batchDim = getBatchDim(op); batchDim >= 0)
    shape.dims.push_back(ExpectedDim::batch(batchDim));
  shape.dims.push_back(ExpectedDim::of(features));
  return shape;
}

/// Checks that `value`, when present, matches the state shape PyTorch
/// expects; `index` is its position in the `hx` tuple.
static LogicalResult verifyState(LSTMOp op, Value value, int index,
                                 int64_t features) {
  if (!value)
    return success();
  SmallVector<int64_t> expected = resolveStatic(
      getStateShape(op, value, index, features).dims, op.getInput().getType());
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
  int64_t perLayer = getWeightsPerLayer(getHasBiases(), projSize);
  int64_t expectedCount = getNumLayers() * numDirections * perLayer;
  if (static_cast<int64_t>(getWeights().size()) != expectedCount)
    return emitOpError(llvm::formatv(
        "expected {0} weights ({1} per layer and direction in _flat_weights "
        "order), got {2}",
        expectedCount, perLayer, getWeights().size()));
  for (const OperandShape &weight : getWeightShapes(*this))
    if (failed(verifyShape(*this, weight.value.getType(),
                           weight.name + " must have size",
                           resolveStatic(weight.dims, inputType))))
      return failure();

  // The initial states.
  if (failed(verifyState(*this, getH0(), 0, getOutputHiddenSize())) ||
      failed(verifyState(*this, getC0(), 1, hiddenSize)))
    return failure();

  // The sequence lengths of a padded PackedSequence.
  ExpectedShapes shapes =
      computeExpectedShapes(inputType, hiddenSize, getNumLayers(),
                            getBatchFirst(), getBidirectional(), projSize);
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

LogicalResult
LSTMOp::reifyResultShapes(OpBuilder &b,
                          ReifiedRankedShapedTypeDims &reifiedReturnShapes) {
  Location loc = getLoc();
  Value input = getInput();
  auto size = [&](int64_t d) { return tensor::getMixedSize(b, loc, input, d); };
  auto fixed = [&](int64_t v) -> OpFoldResult { return b.getIndexAttr(v); };
  int64_t numStates = getNumDirections() * getNumLayers();
  int64_t outFeatures = getNumDirections() * getOutputHiddenSize();
  SmallVector<OpFoldResult> output, hidden, cell;
  if (isBatched()) {
    int64_t batchDim = getBatchDim(*this);
    output = {size(0), size(1), fixed(outFeatures)};
    hidden = {fixed(numStates), size(batchDim), fixed(getOutputHiddenSize())};
    cell = {fixed(numStates), size(batchDim), fixed(getHiddenSize())};
  } else {
    output = {size(0), fixed(outFeatures)};
    hidden = {fixed(numStates), fixed(getOutputHiddenSize())};
    cell = {fixed(numStates), fixed(getHiddenSize())};
  }
  reifiedReturnShapes = {output, hidden, cell};
  return success();
}

void LSTMOp::generateRuntimeVerification(
    OpBuilder &b, Location loc,
    function_ref<std::string(Operation *, StringRef)> generateErrorMessage) {
  auto message = [&](StringRef text) {
    return generateErrorMessage(*this, text);
  };
  Value input = getInput();
  int64_t rank = getInput().getType().getRank();
  int64_t timeDim = isBatched() && getBatchFirst() ? 1 : 0;
  OpFoldResult seqLen = tensor::getMixedSize(b, loc, input, timeDim);
  if (!getConstantIntValue(seqLen)) {
    Value positive = arith::CmpIOp::create(
        b, loc, arith::CmpIPredicate::sgt, cast<Value>(seqLen),
        arith::ConstantIndexOp::create(b, loc, 0));
    createSizeCheck(b, loc, positive,
                    message("Expected sequence length to be larger than 0 "
                            "in RNN"));
  }
  createSizeEqualityCheck(
      b, loc, tensor::getMixedSize(b, loc, input, rank - 1),
      b.getIndexAttr(getInputSize()),
      message(llvm::formatv("input.size(-1) must be equal to input_size. "
                            "Expected {0}",
                            getInputSize())
                  .str()));
  for (const OperandShape &weight : getWeightShapes(*this))
    checkOperandShape(b, loc, input, weight, weight.name + " must have size",
                      message);
  std::pair<Value, int64_t> states[] = {{getH0(), getOutputHiddenSize()},
                                        {getC0(), getHiddenSize()}};
  for (auto [index, state] : llvm::enumerate(states)) {
    auto [value, features] = state;
    if (!value)
      continue;
    OperandShape shape = getStateShape(*this, value, index, features);
    checkOperandShape(b, loc, input, shape, "Expected " + shape.name + " size",
                      message);
  }
  if (Value lengths = getLengths()) {
    OperandShape shape{
        lengths, "lengths", {ExpectedDim::batch(getBatchDim(*this))}};
    checkOperandShape(b, loc, input, shape,
                      "lengths must have one entry per batch element: size",
                      message);
    checkLengthValues(b, loc, lengths, seqLen,
                      message("Length of all samples has to be greater than "
                              "0 and at most the sequence length, but the "
                              "lengths" +
                              nameIfInput(lengths) +
                              " have an element outside that range"));
  }
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

/// H_out: the projection's size with a projection, else H.
static int64_t getOutputHiddenSize(LayerOp op) {
  if (Value weightHR = op.getWeightHr())
    return cast<RankedTensorType>(weightHR.getType()).getDimSize(0);
  return op.getHiddenSize();
}

/// The shapes of the operands other than the input, relative to the input
/// (T, N, I). Needs a valid weight_hh and weight_hr.
static SmallVector<OperandShape> getOperandShapes(LayerOp op) {
  int64_t hidden = op.getHiddenSize();
  int64_t hiddenOut = getOutputHiddenSize(op);
  ExpectedDim batch = ExpectedDim::batch(1);
  auto of = [](int64_t v) { return ExpectedDim::of(v); };
  SmallVector<OperandShape> shapes = {
      {op.getWeightIh(),
       "weight_ih",
       {of(4 * hidden), ExpectedDim::features(2)}},
      {op.getWeightHh(), "weight_hh", {of(4 * hidden), of(hiddenOut)}},
      {op.getBiasIh(), "bias_ih", {of(4 * hidden)}},
      {op.getBiasHh(), "bias_hh", {of(4 * hidden)}},
      {op.getWeightHr(), "weight_hr", {of(hiddenOut), of(hidden)}},
      {op.getPeephole(), "peephole", {of(3 * hidden)}},
      {op.getH0(), "h0", {batch, of(hiddenOut)}},
      {op.getC0(), "c0", {batch, of(hidden)}},
      {op.getLengths(), "lengths", {batch}}};
  llvm::erase_if(shapes, [](const OperandShape &s) { return !s.value; });
  return shapes;
}

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
  if (Value weightHR = getWeightHr()) {
    auto type = cast<RankedTensorType>(weightHR.getType());
    if (type.getRank() != 2 || type.isDynamicDim(0))
      return emitOpError("weight_hr must be (P, H) with a static P, got ")
             << type;
  }
  for (const OperandShape &operand : getOperandShapes(*this))
    if (failed(verifyShape(*this, operand.value.getType(),
                           operand.name + " must have size",
                           resolveStatic(operand.dims, input))))
      return failure();
  int64_t seqLen = input.getDimSize(0), batch = input.getDimSize(1);
  int64_t hiddenOut = ::getOutputHiddenSize(*this);
  std::pair<Value, SmallVector<int64_t>> results[] = {
      {getOutput(), {seqLen, batch, hiddenOut}},
      {getHN(), {batch, hiddenOut}},
      {getCN(), {batch, getHiddenSize()}}};
  StringRef names[] = {"output", "h_n", "c_n"};
  for (auto [result, name] : llvm::zip_equal(results, names)) {
    auto [value, shape] = result;
    if (failed(verifyShape(*this, value.getType(), name + " must have size",
                           shape)))
      return failure();
  }
  return verifyGateVariants(*this, getActivationsAttr(), getClipAttr());
}

LogicalResult
LayerOp::reifyResultShapes(OpBuilder &b,
                           ReifiedRankedShapedTypeDims &reifiedReturnShapes) {
  Location loc = getLoc();
  OpFoldResult seqLen = tensor::getMixedSize(b, loc, getInput(), 0);
  OpFoldResult batch = tensor::getMixedSize(b, loc, getInput(), 1);
  OpFoldResult hiddenOut = b.getIndexAttr(::getOutputHiddenSize(*this));
  reifiedReturnShapes = {{seqLen, batch, hiddenOut},
                         {batch, hiddenOut},
                         {batch, b.getIndexAttr(getHiddenSize())}};
  return success();
}

void LayerOp::generateRuntimeVerification(
    OpBuilder &b, Location loc,
    function_ref<std::string(Operation *, StringRef)> generateErrorMessage) {
  auto message = [&](StringRef text) {
    return generateErrorMessage(*this, text);
  };
  Value input = getInput();
  for (const OperandShape &operand : getOperandShapes(*this))
    checkOperandShape(b, loc, input, operand, operand.name + " must have size",
                      message);
  if (Value lengths = getLengths())
    checkLengthValues(b, loc, lengths, tensor::getMixedSize(b, loc, input, 0),
                      message("sequence lengths" + nameIfInput(lengths) +
                              " must lie in [1, T], T being the input's "
                              "sequence length"));
}

//===----------------------------------------------------------------------===//
// GatherOp
//===----------------------------------------------------------------------===//

LogicalResult GatherOp::verify() {
  RankedTensorType source = getSource().getType();
  RankedTensorType indices = getIndices().getType();
  int64_t axis = getAxis();
  if (axis < 0 || axis >= source.getRank())
    return emitOpError("axis ")
           << axis << " is out of range for a source of rank "
           << source.getRank();
  if (getResult().getType().getElementType() != source.getElementType())
    return emitOpError("result element type must be the source's");
  SmallVector<int64_t> expected(source.getShape().take_front(axis));
  llvm::append_range(expected, indices.getShape());
  llvm::append_range(expected, source.getShape().drop_front(axis + 1));
  return verifyShape(*this, getResult().getType(),
                     "result must have the source's shape with the indices' "
                     "in place of dimension " +
                         Twine(axis) + ", i.e.",
                     expected);
}

LogicalResult
GatherOp::reifyResultShapes(OpBuilder &b,
                            ReifiedRankedShapedTypeDims &reifiedReturnShapes) {
  Location loc = getLoc();
  int64_t axis = getAxis();
  SmallVector<OpFoldResult> source = tensor::getMixedSizes(b, loc, getSource());
  SmallVector<OpFoldResult> shape(source.begin(), source.begin() + axis);
  llvm::append_range(shape, tensor::getMixedSizes(b, loc, getIndices()));
  shape.append(source.begin() + axis + 1, source.end());
  reifiedReturnShapes = {shape};
  return success();
}

void GatherOp::generateRuntimeVerification(
    OpBuilder &b, Location loc,
    function_ref<std::string(Operation *, StringRef)> generateErrorMessage) {
  Value extent = getValueOrCreateConstantIndexOp(
      b, loc, tensor::getMixedSize(b, loc, getSource(), getAxis()));
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  // Nothing can be taken from an empty axis: a size check, as the clamped
  // reads below would still be out of bounds.
  Value count = createNumElements(b, loc, getIndices());
  Value sizesAgree = b.createOrFold<arith::OrIOp>(
      loc,
      b.createOrFold<arith::CmpIOp>(loc, arith::CmpIPredicate::sgt, extent,
                                    zero),
      b.createOrFold<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, count,
                                    zero));
  createSizeCheck(b, loc, sizesAgree,
                  generateErrorMessage(*this, "index out of range in self: "
                                              "the indexed dimension is "
                                              "empty"));
  auto [min, max] = createMinMax(b, loc, getIndices());
  Type i64 = b.getI64Type();
  Value upper = arith::IndexCastOp::create(b, loc, i64, extent);
  Value lower = getWrapNegative()
                    ? arith::SubIOp::create(b, loc,
                                            arith::ConstantOp::create(
                                                b, loc, b.getI64IntegerAttr(0)),
                                            upper)
                          .getResult()
                    : arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(0))
                          .getResult();
  Value inRange = arith::AndIOp::create(
      b, loc,
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, min, lower),
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, max, upper));
  Value empty =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt, min, max);
  std::string range;
  if (std::optional<int64_t> n = getConstantIntValue(
          tensor::getMixedSize(b, loc, getSource(), getAxis())))
    range = getWrapNegative() ? llvm::formatv(" [{0}, {1})", -*n, *n).str()
                              : llvm::formatv(" [0, {0})", *n).str();
  createValueCheck(
      b, loc, arith::OrIOp::create(b, loc, inRange, empty),
      generateErrorMessage(
          *this, "index out of range in self: every index" +
                     nameIfInput(getIndices()) + " must lie in" +
                     (range.empty() ? std::string(" range") : range)));
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
