//===- LSTMLayerOps.cpp - The layers around LSTMs ---------------*- C++ -*-===//

#include "lstm/Dialect/LSTM/IR/LSTM.h"
#include "lstm/Dialect/LSTM/IR/RuntimeChecks.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/IR/TypeUtilities.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::lstm;

//===----------------------------------------------------------------------===//
// SlidingWindow
//===----------------------------------------------------------------------===//

int64_t SlidingWindow::getOutputSize(int64_t size) const {
  int64_t span = size + padBegin + padEnd - getExtent();
  int64_t count =
      llvm::divideFloorSigned(span + (ceilMode ? stride - 1 : 0), stride) + 1;
  // PyTorch's rule: a last window that starts in the end padding is dropped.
  if (ceilMode && count > 1 && (count - 1) * stride >= size + padBegin)
    --count;
  return count;
}

OpFoldResult SlidingWindow::getOutputSize(OpBuilder &b, Location loc,
                                          OpFoldResult size) const {
  if (std::optional<int64_t> known = getConstantIntValue(size))
    return b.getIndexAttr(getOutputSize(*known));
  auto constant = [&](int64_t v) -> Value {
    return arith::ConstantIndexOp::create(b, loc, v);
  };
  Value input = cast<Value>(size);
  Value span = arith::AddIOp::create(
      b, loc, input,
      constant(padBegin + padEnd - getExtent() + (ceilMode ? stride - 1 : 0)));
  Value count = arith::AddIOp::create(
      b, loc, arith::FloorDivSIOp::create(b, loc, span, constant(stride)),
      constant(1));
  if (!ceilMode)
    return count;
  Value lastStart = arith::MulIOp::create(
      b, loc, arith::SubIOp::create(b, loc, count, constant(1)),
      constant(stride));
  Value inPadding = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::sge, lastStart,
      arith::AddIOp::create(b, loc, input, constant(padBegin)));
  Value several = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sgt,
                                        count, constant(1));
  Value drop = arith::AndIOp::create(b, loc, inPadding, several);
  return arith::SelectOp::create(
             b, loc, drop, arith::SubIOp::create(b, loc, count, constant(1)),
             count)
      .getResult();
}

/// The windows of an op with `kernel`, `strides`, `dilations` and
/// `padding` (begin pads, then end pads).
static SmallVector<SlidingWindow> getWindows(ArrayRef<int64_t> kernel,
                                             ArrayRef<int64_t> strides,
                                             ArrayRef<int64_t> dilations,
                                             ArrayRef<int64_t> padding,
                                             bool ceilMode) {
  SmallVector<SlidingWindow> windows;
  int64_t d = kernel.size();
  for (int64_t i = 0; i < d; ++i)
    windows.push_back({kernel[i], strides[i], dilations[i], padding[i],
                       padding[d + i], ceilMode});
  return windows;
}

/// Verifies the window attributes of an op with `d` spatial dimensions.
static LogicalResult verifyWindowAttributes(Operation *op, int64_t d,
                                            ArrayRef<int64_t> strides,
                                            ArrayRef<int64_t> dilations,
                                            ArrayRef<int64_t> padding) {
  if (static_cast<int64_t>(strides.size()) != d ||
      static_cast<int64_t>(dilations.size()) != d ||
      static_cast<int64_t>(padding.size()) != 2 * d)
    return op->emitOpError("expects ")
           << d << " strides and dilations and " << 2 * d << " pads for its "
           << d << " spatial dimensions";
  if (llvm::any_of(strides, [](int64_t s) { return s < 1; }) ||
      llvm::any_of(dilations, [](int64_t s) { return s < 1; }))
    return op->emitOpError("strides and dilations must be positive");
  if (llvm::any_of(padding, [](int64_t p) { return p < 0; }))
    return op->emitOpError("pads must not be negative");
  return success();
}

/// Verifies that `result` is (N, channels, O_1, ..., O_d) for `input` (N, C,
/// S_1, ..., S_d) and `windows`.
static LogicalResult verifyWindowResult(Operation *op,
                                        RankedTensorType inputType,
                                        RankedTensorType resultType,
                                        int64_t channels,
                                        ArrayRef<SlidingWindow> windows) {
  SmallVector<int64_t> expected = {inputType.getDimSize(0), channels};
  for (auto [i, window] : llvm::enumerate(windows)) {
    int64_t size = inputType.getDimSize(i + 2);
    if (ShapedType::isDynamic(size)) {
      expected.push_back(ShapedType::kDynamic);
      continue;
    }
    int64_t out = window.getOutputSize(size);
    if (out < 1)
      return op->emitOpError("input size ")
             << size << " along spatial dimension " << i << " (with padding "
             << window.padBegin + window.padEnd
             << ") is smaller than the window's extent " << window.getExtent();
    expected.push_back(out);
  }
  if (resultType.getRank() != static_cast<int64_t>(expected.size()) ||
      failed(verifyCompatibleShape(resultType.getShape(), expected)))
    return op->emitOpError("result must have shape (")
           << llvm::make_range(expected.begin(), expected.end())
           << ") (? for run-time sizes), got " << resultType;
  return success();
}

/// The result sizes (N, channels, O_1, ..., O_d).
static SmallVector<OpFoldResult>
reifyWindowResult(OpBuilder &b, Location loc, Value input,
                  OpFoldResult channels, ArrayRef<SlidingWindow> windows) {
  SmallVector<OpFoldResult> sizes = {tensor::getMixedSize(b, loc, input, 0),
                                     channels};
  for (auto [i, window] : llvm::enumerate(windows))
    sizes.push_back(window.getOutputSize(
        b, loc, tensor::getMixedSize(b, loc, input, i + 2)));
  return sizes;
}

/// Checks that every run-time spatial size of `input` fits one window.
static void checkWindowFits(OpBuilder &b, Location loc, Value input,
                            ArrayRef<SlidingWindow> windows,
                            const Twine &message) {
  for (auto [i, window] : llvm::enumerate(windows)) {
    OpFoldResult size = tensor::getMixedSize(b, loc, input, i + 2);
    if (getConstantIntValue(size))
      continue; // The verifier checked it.
    Value out = getValueOrCreateConstantIndexOp(
        b, loc, window.getOutputSize(b, loc, size));
    Value fits =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, out,
                              arith::ConstantIndexOp::create(b, loc, 1));
    createSizeCheck(b, loc, fits, message);
  }
}

/// The sizes of a static 1-D or N-D parameter, for messages.
static std::string formatSizes(ArrayRef<int64_t> shape) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << "[";
  llvm::interleaveComma(shape, os);
  os << "]";
  return text;
}

/// The result shape of an op whose result has its input's shape.
static LogicalResult reifyAsInput(OpBuilder &b, Location loc, Value input,
                                  ReifiedRankedShapedTypeDims &shapes) {
  shapes = {tensor::getMixedSizes(b, loc, input)};
  return success();
}

//===----------------------------------------------------------------------===//
// ActivationOp
//===----------------------------------------------------------------------===//

LogicalResult ActivationOp::reifyResultShapes(
    OpBuilder &b, ReifiedRankedShapedTypeDims &reifiedReturnShapes) {
  return reifyAsInput(b, getLoc(), getInput(), reifiedReturnShapes);
}

//===----------------------------------------------------------------------===//
// ConvOp
//===----------------------------------------------------------------------===//

SmallVector<SlidingWindow> ConvOp::getWindows() {
  ArrayRef<int64_t> weight = getWeight().getType().getShape();
  return ::getWindows(weight.drop_front(2), getStrides(), getDilations(),
                      getPadding(), /*ceilMode=*/false);
}

LogicalResult ConvOp::verify() {
  RankedTensorType input = getInput().getType();
  RankedTensorType weight = getWeight().getType();
  int64_t rank = input.getRank();
  if (rank < 3)
    return emitOpError("expects an input of rank 3 or more (N, C, spatial "
                       "dimensions...), got ")
           << input;
  if (weight.getRank() != rank || !weight.hasStaticShape())
    return emitOpError("expects a static weight of the input's rank (F, C / "
                       "groups, kernel sizes...), got ")
           << weight;
  int64_t d = rank - 2;
  if (failed(verifyWindowAttributes(*this, d, getStrides(), getDilations(),
                                    getPadding())))
    return failure();
  int64_t groups = getGroups();
  int64_t filters = weight.getDimSize(0);
  if (groups < 1 || filters % groups != 0)
    return emitOpError("groups (")
           << groups << ") must be positive and divide the " << filters
           << " output channels";
  if (llvm::any_of(weight.getShape().drop_front(1),
                   [](int64_t s) { return s < 1; }))
    return emitOpError("expects non-empty kernels, got ") << weight;
  int64_t channels = input.getDimSize(1);
  if (!ShapedType::isDynamic(channels) &&
      channels != weight.getDimSize(1) * groups)
    return emitOpError("input has ")
           << channels << " channels; weight " << weight
           << " with groups = " << groups << " expects "
           << weight.getDimSize(1) * groups;
  if (Value bias = getBias()) {
    auto type = cast<RankedTensorType>(bias.getType());
    if (type.getRank() != 1 || type.getDimSize(0) != filters)
      return emitOpError("expects a bias of ")
             << filters << " elements, got " << type;
  }
  return verifyWindowResult(*this, input, getResult().getType(), filters,
                            getWindows());
}

LogicalResult
ConvOp::reifyResultShapes(OpBuilder &b,
                          ReifiedRankedShapedTypeDims &reifiedReturnShapes) {
  reifiedReturnShapes = {reifyWindowResult(
      b, getLoc(), getInput(),
      b.getIndexAttr(getWeight().getType().getDimSize(0)), getWindows())};
  return success();
}

void ConvOp::generateRuntimeVerification(
    OpBuilder &b, Location loc,
    function_ref<std::string(Operation *, StringRef)> generateErrorMessage) {
  RankedTensorType weight = getWeight().getType();
  int64_t channels = weight.getDimSize(1) * getGroups();
  createSizeEqualityCheck(
      b, loc, tensor::getMixedSize(b, loc, getInput(), 1),
      b.getIndexAttr(channels),
      generateErrorMessage(
          *this,
          llvm::formatv("Given groups={0}, weight of size {1}, "
                        "expected input to have {2} channels",
                        getGroups(), formatSizes(weight.getShape()), channels)
              .str()));
  checkWindowFits(b, loc, getInput(), getWindows(),
                  generateErrorMessage(
                      *this, "Calculated padded input size per channel is "
                             "smaller than the kernel: kernel size can't be "
                             "greater than actual input size"));
}

//===----------------------------------------------------------------------===//
// PoolOp
//===----------------------------------------------------------------------===//

SmallVector<SlidingWindow> PoolOp::getWindows() {
  return ::getWindows(getKernel(), getStrides(), getDilations(), getPadding(),
                      getCeilMode());
}

LogicalResult PoolOp::verify() {
  RankedTensorType input = getInput().getType();
  int64_t rank = input.getRank();
  if (rank < 3)
    return emitOpError("expects an input of rank 3 or more (N, C, spatial "
                       "dimensions...), got ")
           << input;
  int64_t d = rank - 2;
  if (static_cast<int64_t>(getKernel().size()) != d ||
      llvm::any_of(getKernel(), [](int64_t k) { return k < 1; }))
    return emitOpError("expects ") << d << " positive kernel sizes";
  if (failed(verifyWindowAttributes(*this, d, getStrides(), getDilations(),
                                    getPadding())))
    return failure();
  if (getKind() == PoolKind::avg &&
      llvm::any_of(getDilations(), [](int64_t s) { return s != 1; }))
    return emitOpError("average pooling takes no dilations");
  if (getKind() == PoolKind::max && getCountIncludePad())
    return emitOpError("count_include_pad is for average pooling");
  // A window that starts or ends a whole extent inside the padding covers no
  // input element: its maximum (or its average over no elements) would be
  // -inf or NaN. PyTorch's padding <= kernel / 2 rule rules this out; ONNX
  // does not say.
  SmallVector<SlidingWindow> windows = getWindows();
  for (auto [i, window] : llvm::enumerate(windows))
    if (window.padBegin >= window.getExtent() ||
        window.padEnd >= window.getExtent())
      return emitOpError("padding of spatial axis ")
             << i << " (" << window.padBegin << ", " << window.padEnd
             << ") must be smaller than the window's extent "
             << window.getExtent()
             << ": a window would lie entirely in the padding";
  return verifyWindowResult(*this, input, getResult().getType(),
                            input.getDimSize(1), windows);
}

LogicalResult
PoolOp::reifyResultShapes(OpBuilder &b,
                          ReifiedRankedShapedTypeDims &reifiedReturnShapes) {
  reifiedReturnShapes = {reifyWindowResult(
      b, getLoc(), getInput(), tensor::getMixedSize(b, getLoc(), getInput(), 1),
      getWindows())};
  return success();
}

void PoolOp::generateRuntimeVerification(
    OpBuilder &b, Location loc,
    function_ref<std::string(Operation *, StringRef)> generateErrorMessage) {
  checkWindowFits(b, loc, getInput(), getWindows(),
                  generateErrorMessage(*this, "Output size is too small: the "
                                              "input is smaller than one "
                                              "pooling window"));
}

//===----------------------------------------------------------------------===//
// BatchNormOp
//===----------------------------------------------------------------------===//

LogicalResult BatchNormOp::verify() {
  RankedTensorType input = getInput().getType();
  if (input.getRank() < 2)
    return emitOpError("expects an input of rank 2 or more (N, C, ...), got ")
           << input;
  RankedTensorType scale = getScale().getType();
  if (scale.getRank() != 1 || scale.isDynamicDim(0))
    return emitOpError("expects static 1-D parameters, got ") << scale;
  int64_t channels = input.getDimSize(1);
  if (!ShapedType::isDynamic(channels) && channels != scale.getDimSize(0))
    return emitOpError("input has ")
           << channels << " channels, the parameters " << scale.getDimSize(0);
  return success();
}

LogicalResult BatchNormOp::reifyResultShapes(
    OpBuilder &b, ReifiedRankedShapedTypeDims &reifiedReturnShapes) {
  return reifyAsInput(b, getLoc(), getInput(), reifiedReturnShapes);
}

void BatchNormOp::generateRuntimeVerification(
    OpBuilder &b, Location loc,
    function_ref<std::string(Operation *, StringRef)> generateErrorMessage) {
  int64_t channels = getScale().getType().getDimSize(0);
  createSizeEqualityCheck(
      b, loc, tensor::getMixedSize(b, loc, getInput(), 1),
      b.getIndexAttr(channels),
      generateErrorMessage(
          *this, llvm::formatv("running_mean should contain {0} elements: "
                               "expected input to have {0} channels",
                               channels)
                     .str()));
}

//===----------------------------------------------------------------------===//
// LayerNormOp
//===----------------------------------------------------------------------===//

LogicalResult LayerNormOp::verify() {
  RankedTensorType input = getInput().getType();
  int64_t k = getNormalizedRank();
  if (k < 1 || k > input.getRank())
    return emitOpError("normalized_rank ")
           << k << " must lie in [1, " << input.getRank() << "]";
  ArrayRef<int64_t> normalized = input.getShape().take_back(k);
  for (Value v : {getScale(), getBias()}) {
    if (!v)
      continue;
    auto type = cast<RankedTensorType>(v.getType());
    if (!type.hasStaticShape() || type.getRank() != k ||
        failed(verifyCompatibleShape(type.getShape(), normalized)))
      return emitOpError("expects scale and bias of the normalized shape, "
                         "static, got ")
             << type;
  }
  return success();
}

LogicalResult LayerNormOp::reifyResultShapes(
    OpBuilder &b, ReifiedRankedShapedTypeDims &reifiedReturnShapes) {
  return reifyAsInput(b, getLoc(), getInput(), reifiedReturnShapes);
}

void LayerNormOp::generateRuntimeVerification(
    OpBuilder &b, Location loc,
    function_ref<std::string(Operation *, StringRef)> generateErrorMessage) {
  Value parameter = getScale() ? getScale() : getBias();
  if (!parameter)
    return;
  ArrayRef<int64_t> shape =
      cast<RankedTensorType>(parameter.getType()).getShape();
  int64_t rank = getInput().getType().getRank();
  std::string message = generateErrorMessage(
      *this, "Given normalized_shape=" + formatSizes(shape) +
                 ", expected input with shape [*, " +
                 formatSizes(shape).substr(1));
  for (auto [i, size] : llvm::enumerate(shape))
    createSizeEqualityCheck(
        b, loc,
        tensor::getMixedSize(b, loc, getInput(), rank - shape.size() + i),
        b.getIndexAttr(size), message);
}
