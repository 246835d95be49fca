//===- ONNXLSTM.cpp - ONNX's LSTM operator to lstm.layer --------*- C++ -*-===//
//
// ONNX's LSTM is PyTorch's with more variants (peepholes, clip, coupled
// input and forget gates, other activations, a batch-major layout) and a
// different gate order: i, o, f, c against PyTorch's i, f, g, o. Each
// direction becomes one lstm.layer on time-major input, with the gate rows
// reordered by slices and concatenations that fold away for constant
// weights.
//
//===----------------------------------------------------------------------===//

#include "ONNXImporter.h"

#include "lstm/Dialect/LSTM/IR/LSTM.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace mlir::lstm;
using namespace mlir::lstm::onnx_import;

namespace {
/// Builds the ops of one LSTM node.
class LSTMImporter {
public:
  LSTMImporter(Importer &im, const onnx::NodeProto &node)
      : im(im), node(node), b(im.getBuilder()), loc(im.getLoc()) {}

  LogicalResult run();

private:
  InFlightDiagnostic error() { return im.emitError(node); }

  /// `x[index]` along `axis`, without that axis.
  Value select(Value x, int64_t axis, int64_t index);
  /// The blocks of `hidden` rows of `x` (along dim 0) in `order`.
  Value reorder(Value x, int64_t hidden, ArrayRef<int64_t> order,
                int64_t first = 0);
  /// `parts` stacked along a new dimension `axis`.
  Value stack(ArrayRef<Value> parts, int64_t axis);
  /// Reports an input whose type is not `elementType` with `shape`
  /// (ShapedType::kDynamic matches any size).
  LogicalResult checkInput(Value value, StringRef name, Type elementType,
                           ArrayRef<int64_t> shape);
  /// Parses the activations and their parameters, 3 per direction.
  LogicalResult parseActivations(int64_t numDirections);

  Importer &im;
  const onnx::NodeProto &node;
  OpBuilder &b;
  Location loc;
  SmallVector<ActivationAttr> activations;
};
} // namespace

Value LSTMImporter::select(Value x, int64_t axis, int64_t index) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = type.getRank();
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, x);
  SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0));
  offsets[axis] = b.getIndexAttr(index);
  sizes[axis] = b.getIndexAttr(1);
  SmallVector<int64_t> shape(type.getShape());
  shape.erase(shape.begin() + axis);
  return tensor::ExtractSliceOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), x, offsets,
      sizes, SmallVector<OpFoldResult>(rank, b.getIndexAttr(1)));
}

Value LSTMImporter::reorder(Value x, int64_t hidden, ArrayRef<int64_t> order,
                            int64_t first) {
  auto type = cast<RankedTensorType>(x.getType());
  int64_t rank = type.getRank();
  SmallVector<Value> blocks;
  for (int64_t block : order) {
    SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, x);
    SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0));
    offsets[0] = b.getIndexAttr(first + block * hidden);
    sizes[0] = b.getIndexAttr(hidden);
    SmallVector<int64_t> shape(type.getShape());
    shape[0] = hidden;
    blocks.push_back(tensor::ExtractSliceOp::create(
        b, loc, RankedTensorType::get(shape, type.getElementType()), x, offsets,
        sizes, SmallVector<OpFoldResult>(rank, b.getIndexAttr(1))));
  }
  return tensor::ConcatOp::create(b, loc, /*dim=*/0, blocks);
}

Value LSTMImporter::stack(ArrayRef<Value> parts, int64_t axis) {
  SmallVector<Value> expanded;
  for (Value part : parts) {
    auto type = cast<RankedTensorType>(part.getType());
    SmallVector<int64_t> shape(type.getShape());
    shape.insert(shape.begin() + axis, 1);
    // The new unit dimension joins the source dimension at `axis` (or the
    // last one when appended).
    int64_t rank = type.getRank();
    SmallVector<ReassociationIndices> reassociation;
    for (int64_t d = 0; d < rank; ++d) {
      if (d < axis)
        reassociation.push_back({d});
      else if (d == axis)
        reassociation.push_back({d, d + 1});
      else
        reassociation.push_back({d + 1});
    }
    if (axis == rank)
      reassociation.back().push_back(axis);
    SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, part);
    sizes.insert(sizes.begin() + axis, b.getIndexAttr(1));
    expanded.push_back(tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get(shape, type.getElementType()), part,
        reassociation, sizes));
  }
  if (expanded.size() == 1)
    return expanded.front();
  return tensor::ConcatOp::create(b, loc, axis, expanded);
}

LogicalResult LSTMImporter::checkInput(Value value, StringRef name,
                                       Type elementType,
                                       ArrayRef<int64_t> shape) {
  auto type = cast<RankedTensorType>(value.getType());
  bool matches = type.getElementType() == elementType &&
                 type.getRank() == static_cast<int64_t>(shape.size());
  for (auto [size, expected] : llvm::zip(type.getShape(), shape))
    matches &= ShapedType::isDynamic(size) || ShapedType::isDynamic(expected) ||
               size == expected;
  if (matches)
    return success();
  return error() << name << " must be a "
                 << RankedTensorType::get(shape, elementType) << ", got "
                 << type;
}

LogicalResult LSTMImporter::parseActivations(int64_t numDirections) {
  SmallVector<std::string> names = im.getStrings(node, "activations");
  SmallVector<float> alphas = im.getFloats(node, "activation_alpha");
  SmallVector<float> betas = im.getFloats(node, "activation_beta");
  if (names.empty()) {
    for (int64_t d = 0; d < numDirections; ++d)
      names.append({"Sigmoid", "Tanh", "Tanh"});
  }
  if (static_cast<int64_t>(names.size()) != 3 * numDirections)
    return error() << "expects " << 3 * numDirections
                   << " activations (f, g, h per direction), got "
                   << names.size();
  // Parameters are consumed in order by the functions that take them, with
  // the defaults of the corresponding ONNX operators.
  size_t nextAlpha = 0, nextBeta = 0;
  for (const std::string &name : names) {
    struct Info {
      ActivationKind kind;
      float alpha, beta;
    };
    std::optional<Info> info =
        llvm::StringSwitch<std::optional<Info>>(StringRef(name).lower())
            .Case("sigmoid", Info{ActivationKind::sigmoid, 0, 0})
            .Case("tanh", Info{ActivationKind::tanh, 0, 0})
            .Case("relu", Info{ActivationKind::relu, 0, 0})
            .Case("affine", Info{ActivationKind::affine, 1.0f, 0.0f})
            .Case("leakyrelu", Info{ActivationKind::leaky_relu, 0.01f, 0})
            .Case("thresholdedrelu",
                  Info{ActivationKind::thresholded_relu, 1.0f, 0})
            .Case("scaledtanh", Info{ActivationKind::scaled_tanh, 1.0f, 1.0f})
            .Case("hardsigmoid", Info{ActivationKind::hard_sigmoid, 0.2f, 0.5f})
            .Case("elu", Info{ActivationKind::elu, 1.0f, 0})
            .Case("softsign", Info{ActivationKind::softsign, 0, 0})
            .Case("softplus", Info{ActivationKind::softplus, 0, 0})
            .Default(std::nullopt);
    if (!info)
      return error() << "activation '" << name << "' is not supported";
    int numParams = ActivationAttr::getNumParameters(info->kind);
    FloatAttr alpha, beta;
    if (numParams >= 1)
      alpha = b.getF32FloatAttr(nextAlpha < alphas.size() ? alphas[nextAlpha++]
                                                          : info->alpha);
    if (numParams >= 2)
      beta = b.getF32FloatAttr(nextBeta < betas.size() ? betas[nextBeta++]
                                                       : info->beta);
    activations.push_back(
        ActivationAttr::get(b.getContext(), info->kind, alpha, beta));
  }
  return success();
}

LogicalResult LSTMImporter::run() {
  FailureOr<Tensor> x = im.getInput(node, 0);
  FailureOr<Value> w = im.getInputValue(node, 1);
  FailureOr<Value> r = im.getInputValue(node, 2);
  if (failed(x) || failed(w) || failed(r))
    return failure();
  auto wType = cast<RankedTensorType>(w->getType());
  auto rType = cast<RankedTensorType>(r->getType());
  if (!isa<Float32Type>(x->elementType) || x->getRank() != 3 ||
      wType.getRank() != 3 || rType.getRank() != 3 || !wType.hasStaticShape() ||
      !rType.hasStaticShape())
    return error() << "expects float32 X of rank 3 and static W, R of rank 3";
  int64_t hidden = im.getInt(node, "hidden_size", rType.getDimSize(2));
  if (hidden <= 0)
    return error() << "hidden_size must be positive, got " << hidden;
  std::string direction = im.getString(node, "direction", "forward");
  if (direction != "forward" && direction != "reverse" &&
      direction != "bidirectional")
    return error() << "direction '" << direction << "' is not supported";
  int64_t numDirections = direction == "bidirectional" ? 2 : 1;
  int64_t layout = im.getInt(node, "layout", 0);
  if (layout != 0 && layout != 1)
    return error() << "layout " << layout << " is not supported";
  const int64_t any = ShapedType::kDynamic;
  Type f32 = b.getF32Type();
  int64_t inputSize = x->dims[2].size;
  if (failed(
          checkInput(*w, "W", f32, {numDirections, 4 * hidden, inputSize})) ||
      failed(checkInput(*r, "R", f32, {numDirections, 4 * hidden, hidden})))
    return failure();
  if (failed(parseActivations(numDirections)))
    return failure();
  FloatAttr clip;
  if (im.findAttr(node, "clip"))
    clip = b.getF32FloatAttr(im.getFloat(node, "clip", 0.0f));
  bool inputForget = im.getInt(node, "input_forget", 0) != 0;

  // Time-major input.
  Value input = im.materialize(*x);
  Dim seqDim = x->dims[layout == 0 ? 0 : 1];
  Dim batchDim = x->dims[layout == 0 ? 1 : 0];
  if (layout == 1) {
    SmallVector<Dim> dims = {seqDim, batchDim, x->dims[2]};
    Value init = im.createEmpty(dims, x->elementType, {&*x});
    input = linalg::TransposeOp::create(b, loc, input, init,
                                        ArrayRef<int64_t>{1, 0, 2})
                .getResult()[0];
  }
  Value batch = tensor::DimOp::create(b, loc, input, 1);

  // Optional inputs.
  auto optional = [&](int i) -> FailureOr<Value> {
    if (!im.hasInput(node, i))
      return Value();
    return im.getInputValue(node, i);
  };
  FailureOr<Value> bias = optional(3), lengths = optional(4),
                   initialH = optional(5), initialC = optional(6),
                   peephole = optional(7);
  if (failed(bias) || failed(lengths) || failed(initialH) || failed(initialC) ||
      failed(peephole))
    return failure();
  SmallVector<int64_t> stateShape =
      layout == 0 ? SmallVector<int64_t>{numDirections, any, hidden}
                  : SmallVector<int64_t>{any, numDirections, hidden};
  if ((*bias &&
       failed(checkInput(*bias, "B", f32, {numDirections, 8 * hidden}))) ||
      (*initialH &&
       failed(checkInput(*initialH, "initial_h", f32, stateShape))) ||
      (*initialC &&
       failed(checkInput(*initialC, "initial_c", f32, stateShape))) ||
      (*peephole &&
       failed(checkInput(*peephole, "P", f32, {numDirections, 3 * hidden}))))
    return failure();
  if (*lengths) {
    auto type = cast<RankedTensorType>(lengths->getType());
    if (type.getRank() != 1 || !type.getElementType().isSignlessInteger())
      return error() << "sequence_lens must be a 1-D integer tensor, got "
                     << type;
    // The runtime checks a graph input of lengths as it checks PyTorch's;
    // lstm.layer's own value check covers computed ones.
    im.markSequenceLengths(*lengths, seqDim);
  }
  if (*lengths) {
    // lstm.layer takes int64 lengths.
    auto type = cast<RankedTensorType>(lengths->getType());
    if (!type.getElementType().isInteger(64)) {
      Value init = tensor::EmptyOp::create(
          b, loc, tensor::getMixedSizes(b, loc, *lengths), b.getI64Type());
      *lengths =
          linalg::GenericOp::create(
              b, loc, init.getType(), ValueRange{*lengths}, init,
              ArrayRef<AffineMap>{b.getMultiDimIdentityMap(1),
                                  b.getMultiDimIdentityMap(1)},
              ArrayRef<utils::IteratorType>{utils::IteratorType::parallel},
              [](OpBuilder &b, Location loc, ValueRange a) {
                linalg::YieldOp::create(
                    b, loc,
                    arith::ExtSIOp::create(b, loc, b.getI64Type(), a[0])
                        .getResult());
              })
              .getResult(0);
    }
  }
  auto zeros = [&]() -> Value {
    Value empty = tensor::EmptyOp::create(
        b, loc, ArrayRef<OpFoldResult>{batch, b.getIndexAttr(hidden)},
        b.getF32Type());
    Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f));
    return linalg::FillOp::create(b, loc, zero, empty).getResult(0);
  };
  // States are (D, N, H), or (N, D, H) with layout 1.
  int64_t stateAxis = layout == 0 ? 0 : 1;

  // ONNX gates are i, o, f, c; PyTorch's, which lstm.layer takes, i, f, c, o.
  const int64_t gateOrder[] = {0, 2, 3, 1};
  // ONNX peepholes are i, o, f; lstm.layer's i, f, o.
  const int64_t peepholeOrder[] = {0, 2, 1};
  SmallVector<Value> outputs, finalH, finalC;
  for (int64_t d = 0; d < numDirections; ++d) {
    Value wd = reorder(select(*w, 0, d), hidden, gateOrder);
    Value rd = reorder(select(*r, 0, d), hidden, gateOrder);
    Value biasIH, biasHH, peep;
    if (*bias) {
      Value bd = select(*bias, 0, d);
      biasIH = reorder(bd, hidden, gateOrder);
      biasHH = reorder(bd, hidden, gateOrder, /*first=*/4 * hidden);
    }
    if (*peephole)
      peep = reorder(select(*peephole, 0, d), hidden, peepholeOrder);
    Value h0 = *initialH ? select(*initialH, stateAxis, d) : zeros();
    Value c0 = *initialC ? select(*initialC, stateAxis, d) : zeros();
    auto inputType = cast<RankedTensorType>(input.getType());
    int64_t t = inputType.getDimSize(0), n = inputType.getDimSize(1);
    bool reverse = direction == "reverse" || d == 1;
    auto layer = LayerOp::create(
        b, loc, RankedTensorType::get({t, n, hidden}, f32),
        RankedTensorType::get({n, hidden}, f32),
        RankedTensorType::get({n, hidden}, f32), input, h0, c0, *lengths, wd,
        rd, biasIH, biasHH, /*weight_hr=*/Value(), peep, reverse,
        b.getArrayAttr(ArrayRef<Attribute>(activations.begin() + 3 * d,
                                           activations.begin() + 3 * d + 3)),
        clip, inputForget);
    outputs.push_back(layer.getOutput());
    finalH.push_back(layer.getHN());
    finalC.push_back(layer.getCN());
  }

  // Y is (T, D, N, H), or (N, T, D, H); Y_h and Y_c (D, N, H) or (N, D, H).
  Dim directions = Dim::fixed(numDirections), hiddenDim = Dim::fixed(hidden);
  Value y = stack(outputs, /*axis=*/1);
  SmallVector<Dim> yDims = {seqDim, directions, batchDim, hiddenDim};
  if (layout == 1) {
    SmallVector<Dim> dims = {batchDim, seqDim, directions, hiddenDim};
    Tensor yTensor;
    yTensor.value = y;
    yTensor.elementType = b.getF32Type();
    yTensor.dims = yDims;
    Value init = im.createEmpty(dims, b.getF32Type(), {&yTensor});
    y = linalg::TransposeOp::create(b, loc, y, init,
                                    ArrayRef<int64_t>{2, 0, 1, 3})
            .getResult()[0];
    yDims = dims;
  }
  SmallVector<Dim> stateDims =
      layout == 0 ? SmallVector<Dim>{directions, batchDim, hiddenDim}
                  : SmallVector<Dim>{batchDim, directions, hiddenDim};
  im.setOutput(node, 0, y, yDims);
  im.setOutput(node, 1, stack(finalH, stateAxis), stateDims);
  im.setOutput(node, 2, stack(finalC, stateAxis), stateDims);
  return success();
}

LogicalResult onnx_import::importLSTM(Importer &im,
                                      const onnx::NodeProto &node) {
  return LSTMImporter(im, node).run();
}
