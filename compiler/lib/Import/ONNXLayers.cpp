//===- ONNXLayers.cpp - ONNX operators that are layers ----------*- C++ -*-===//
//
// Conv, pooling, normalizations and activations become the lstm dialect's
// layer ops, which PyTorch's importer emits too: each layer's meaning has
// one lowering. This file only maps ONNX's attributes (auto_pad, opset
// defaults) onto the ops'.
//
//===----------------------------------------------------------------------===//

#include "ONNXImporter.h"

#include "lstm/Dialect/LSTM/IR/LSTM.h"

#include "mlir/IR/Matchers.h"

#include <limits>

using namespace mlir;
using namespace mlir::lstm;
using namespace mlir::lstm::onnx_import;

/// Reports a use of output `i` and those after it, which only training
/// computes (BatchNormalization's running statistics, MaxPool's indices).
static LogicalResult checkOutputsUnused(Importer &im,
                                        const onnx::NodeProto &node, int i,
                                        StringRef what) {
  for (int j = i; j < node.output_size(); ++j)
    if (!node.output(j).empty())
      return im.emitError(node)
             << what << " (output " << j << ") is not supported";
  return success();
}

/// A float32 input of rank `minRank` or more.
static FailureOr<Tensor> getFloatInput(Importer &im,
                                       const onnx::NodeProto &node, int i,
                                       int64_t minRank) {
  FailureOr<Tensor> x = im.getInput(node, i);
  if (failed(x))
    return failure();
  if (!x->elementType.isF32() || x->getRank() < minRank)
    return im.emitError(node)
           << "input " << i << " must be a float32 tensor of rank " << minRank
           << " or more";
  return x;
}

//===----------------------------------------------------------------------===//
// Sliding windows
//===----------------------------------------------------------------------===//

namespace {
struct Windows {
  SmallVector<SlidingWindow> windows;
  /// The result's dimensions (N, channels, O_1, ..., O_d).
  SmallVector<Dim> dims;

  SmallVector<int64_t> strides() const {
    return llvm::map_to_vector(windows,
                               [](const SlidingWindow &w) { return w.stride; });
  }
  SmallVector<int64_t> dilations() const {
    return llvm::map_to_vector(
        windows, [](const SlidingWindow &w) { return w.dilation; });
  }
  /// The begin pads, then the end pads.
  SmallVector<int64_t> padding() const {
    SmallVector<int64_t> pads;
    for (const SlidingWindow &w : windows)
      pads.push_back(w.padBegin);
    for (const SlidingWindow &w : windows)
      pads.push_back(w.padEnd);
    return pads;
  }
};
} // namespace

/// The windows of a Conv, MaxPool or AveragePool node with `kernel` over
/// `x` (N, C, S_1, ..., S_d), from strides, dilations, pads and auto_pad.
static FailureOr<Windows> getWindows(Importer &im, const onnx::NodeProto &node,
                                     const Tensor &x, ArrayRef<int64_t> kernel,
                                     const Dim &channels, bool ceilMode) {
  int64_t d = kernel.size();
  auto getList = [&](StringRef name, int64_t size,
                     int64_t defaultValue) -> FailureOr<SmallVector<int64_t>> {
    if (!im.findAttr(node, name))
      return SmallVector<int64_t>(size, defaultValue);
    SmallVector<int64_t> values = im.getInts(node, name);
    if (static_cast<int64_t>(values.size()) != size)
      return im.emitError(node) << name << " must have " << size
                                << " elements, got " << values.size();
    return values;
  };
  FailureOr<SmallVector<int64_t>> strides = getList("strides", d, 1);
  FailureOr<SmallVector<int64_t>> dilations = getList("dilations", d, 1);
  FailureOr<SmallVector<int64_t>> pads = getList("pads", 2 * d, 0);
  if (failed(strides) || failed(dilations) || failed(pads))
    return failure();
  if (llvm::any_of(*strides, [](int64_t s) { return s < 1; }) ||
      llvm::any_of(*dilations, [](int64_t s) { return s < 1; }) ||
      llvm::any_of(*pads, [](int64_t p) { return p < 0; }) ||
      llvm::any_of(kernel, [](int64_t k) { return k < 1; }))
    return im.emitError(node) << "kernel sizes, strides and dilations must "
                                 "be positive, pads not negative";
  std::string autoPad = im.getString(node, "auto_pad", "NOTSET");
  if (autoPad != "NOTSET" && im.findAttr(node, "pads"))
    return im.emitError(node)
           << "pads and auto_pad " << autoPad << " cannot both be given";

  Windows result;
  result.dims = {x.dims[0], channels};
  for (int64_t i = 0; i < d; ++i) {
    SlidingWindow window{kernel[i],  (*strides)[i],  (*dilations)[i],
                         (*pads)[i], (*pads)[d + i], ceilMode};
    const Dim &size = x.dims[2 + i];
    if (autoPad == "VALID") {
      window.padBegin = window.padEnd = 0;
    } else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
      // ceil(S / stride) outputs: total = (out - 1) * stride + extent - S.
      int64_t total;
      if (window.stride == 1) {
        total = window.getExtent() - 1;
      } else if (size.isStatic()) {
        int64_t out = (size.size + window.stride - 1) / window.stride;
        total = std::max<int64_t>(0, (out - 1) * window.stride +
                                         window.getExtent() - size.size);
      } else {
        return im.emitError(node)
               << "auto_pad " << autoPad
               << " with strides over a size known only at run time is not "
                  "supported";
      }
      window.padBegin = autoPad == "SAME_UPPER" ? total / 2 : total - total / 2;
      window.padEnd = total - window.padBegin;
    } else if (autoPad != "NOTSET") {
      return im.emitError(node)
             << "auto_pad " << autoPad << " is not supported";
    }
    if (size.isStatic()) {
      int64_t out = window.getOutputSize(size.size);
      if (out < 1)
        return im.emitError(node)
               << "the input's size " << size.size << " along spatial axis "
               << i << " (with pads " << window.padBegin + window.padEnd
               << ") is smaller than the kernel's extent "
               << window.getExtent();
      result.dims.push_back(Dim::fixed(out));
    } else if (window.stride == 1 &&
               window.padBegin + window.padEnd == window.getExtent() - 1) {
      result.dims.push_back(size);
    } else {
      result.dims.push_back(im.freshDim());
    }
    result.windows.push_back(window);
  }
  return result;
}

/// The result type of `dims` with element type f32.
static RankedTensorType getF32Type(Importer &im, ArrayRef<Dim> dims) {
  Tensor t;
  t.elementType = im.getBuilder().getF32Type();
  t.dims.assign(dims.begin(), dims.end());
  return t.getType();
}

//===----------------------------------------------------------------------===//
// Conv
//===----------------------------------------------------------------------===//

LogicalResult onnx_import::importConv(Importer &im,
                                      const onnx::NodeProto &node) {
  FailureOr<Tensor> x = getFloatInput(im, node, 0, 3);
  FailureOr<Tensor> w = getFloatInput(im, node, 1, 3);
  if (failed(x) || failed(w))
    return failure();
  RankedTensorType weightType = w->getType();
  if (w->getRank() != x->getRank() || !weightType.hasStaticShape())
    return im.emitError(node) << "expects a weight of static shape (M, C / "
                                 "group, kernel...) of the input's rank";
  ArrayRef<int64_t> kernel = weightType.getShape().drop_front(2);
  if (im.findAttr(node, "kernel_shape") &&
      ArrayRef<int64_t>(im.getInts(node, "kernel_shape")) != kernel)
    return im.emitError(node) << "kernel_shape differs from the weight's";
  int64_t group = im.getInt(node, "group", 1);
  int64_t filters = weightType.getDimSize(0);
  if (group < 1 || filters % group != 0)
    return im.emitError(node) << "group " << group << " must divide the "
                              << filters << " output channels";
  int64_t channels = weightType.getDimSize(1) * group;
  if (x->dims[1].isStatic() && x->dims[1].size != channels)
    return im.emitError(node)
           << "the input has " << x->dims[1].size << " channels, the weight "
           << "and group expect " << channels;
  Value bias;
  if (im.hasInput(node, 2)) {
    FailureOr<Tensor> b = getFloatInput(im, node, 2, 1);
    if (failed(b))
      return failure();
    if (b->getRank() != 1 || !(b->dims[0] == Dim::fixed(filters)))
      return im.emitError(node) << "B must have the " << filters
                                << " elements of the output channels";
    bias = im.materialize(*b);
  }
  FailureOr<Windows> windows =
      getWindows(im, node, *x, kernel, Dim::fixed(filters), false);
  if (failed(windows))
    return failure();
  OpBuilder &b = im.getBuilder();
  Value result = ConvOp::create(
      b, im.getLoc(), getF32Type(im, windows->dims), im.materialize(*x),
      im.materialize(*w), bias, b.getDenseI64ArrayAttr(windows->strides()),
      b.getDenseI64ArrayAttr(windows->dilations()),
      b.getDenseI64ArrayAttr(windows->padding()), b.getI64IntegerAttr(group));
  im.setOutput(node, 0, result, windows->dims);
  return success();
}

//===----------------------------------------------------------------------===//
// MaxPool, AveragePool
//===----------------------------------------------------------------------===//

LogicalResult onnx_import::importPool(Importer &im,
                                      const onnx::NodeProto &node) {
  bool isMax = node.op_type() == "MaxPool";
  if (isMax && failed(checkOutputsUnused(im, node, 1, "Indices")))
    return failure();
  if (im.getInt(node, "storage_order", 0) != 0)
    return im.emitError(node) << "storage_order 1 is not supported";
  FailureOr<Tensor> x = getFloatInput(im, node, 0, 3);
  if (failed(x))
    return failure();
  SmallVector<int64_t> kernel = im.getInts(node, "kernel_shape");
  if (static_cast<int64_t>(kernel.size()) != x->getRank() - 2)
    return im.emitError(node) << "kernel_shape must have one size per "
                                 "spatial axis of the input";
  bool ceilMode = im.getInt(node, "ceil_mode", 0) != 0;
  FailureOr<Windows> windows =
      getWindows(im, node, *x, kernel, x->dims[1], ceilMode);
  if (failed(windows))
    return failure();
  if (!isMax &&
      llvm::any_of(windows->dilations(), [](int64_t s) { return s != 1; }))
    return im.emitError(node) << "dilations are not supported";
  OpBuilder &b = im.getBuilder();
  bool includePad = !isMax && im.getInt(node, "count_include_pad", 0) != 0;
  Value result = PoolOp::create(
      b, im.getLoc(), getF32Type(im, windows->dims), im.materialize(*x),
      PoolKindAttr::get(b.getContext(), isMax ? PoolKind::max : PoolKind::avg),
      b.getDenseI64ArrayAttr(kernel),
      b.getDenseI64ArrayAttr(windows->strides()),
      b.getDenseI64ArrayAttr(windows->dilations()),
      b.getDenseI64ArrayAttr(windows->padding()),
      ceilMode ? b.getUnitAttr() : nullptr,
      includePad ? b.getUnitAttr() : nullptr);
  im.setOutput(node, 0, result, windows->dims);
  return success();
}

//===----------------------------------------------------------------------===//
// BatchNormalization, LayerNormalization
//===----------------------------------------------------------------------===//

LogicalResult
onnx_import::importBatchNormalization(Importer &im,
                                      const onnx::NodeProto &node) {
  if (im.getInt(node, "training_mode", 0) != 0 ||
      failed(checkOutputsUnused(im, node, 1, "a running statistic")))
    return im.emitError(node) << "training mode is not supported";
  if (im.getInt(node, "spatial", 1) != 1)
    return im.emitError(node) << "spatial = 0 is not supported";
  FailureOr<Tensor> x = getFloatInput(im, node, 0, 2);
  if (failed(x))
    return failure();
  SmallVector<Value> params;
  for (int i = 1; i <= 4; ++i) {
    FailureOr<Tensor> p = getFloatInput(im, node, i, 1);
    if (failed(p))
      return failure();
    if (p->getRank() != 1 || !p->dims[0].isStatic() ||
        (x->dims[1].isStatic() && !(p->dims[0] == x->dims[1])) ||
        (!params.empty() && p->getType() != params[0].getType()))
      return im.emitError(node) << "scale, B, mean and var must be 1-D, "
                                   "static, one element per channel";
    params.push_back(im.materialize(*p));
  }
  OpBuilder &b = im.getBuilder();
  Value input = im.materialize(*x);
  Value result = BatchNormOp::create(
      b, im.getLoc(), input, params[0], params[1], params[2], params[3],
      b.getF32FloatAttr(im.getFloat(node, "epsilon", 1e-5f)));
  im.setOutput(node, 0, result, x->dims);
  return success();
}

LogicalResult
onnx_import::importLayerNormalization(Importer &im,
                                      const onnx::NodeProto &node) {
  if (failed(checkOutputsUnused(im, node, 1, "Mean or InvStdDev")))
    return failure();
  FailureOr<Tensor> x = getFloatInput(im, node, 0, 1);
  if (failed(x))
    return failure();
  int64_t rank = x->getRank();
  int64_t axis = im.getInt(node, "axis", -1);
  if (axis < -rank || axis >= rank)
    return im.emitError(node)
           << "axis " << axis << " is out of range for rank " << rank;
  if (axis < 0)
    axis += rank;
  if (im.getInt(node, "stash_type", 1) != 1)
    return im.emitError(node) << "stash_type other than float32 is not "
                                 "supported";
  ArrayRef<Dim> normalized = ArrayRef<Dim>(x->dims).drop_front(axis);
  Value params[2];
  for (int i = 1; i <= 2; ++i) {
    if (i == 2 && !im.hasInput(node, 2))
      break;
    FailureOr<Tensor> p = getFloatInput(im, node, i, 0);
    if (failed(p))
      return failure();
    bool matches = p->getRank() == rank - axis;
    for (auto [have, want] : llvm::zip(p->dims, normalized))
      matches &= have.isStatic() && (!want.isStatic() || have == want);
    if (!matches)
      return im.emitError(node) << "Scale and B must have the normalized "
                                   "shape (broadcasting them is not "
                                   "supported)";
    params[i - 1] = im.materialize(*p);
  }
  OpBuilder &b = im.getBuilder();
  Value result = LayerNormOp::create(
      b, im.getLoc(), im.materialize(*x), params[0], params[1],
      b.getI64IntegerAttr(rank - axis),
      b.getF32FloatAttr(im.getFloat(node, "epsilon", 1e-5f)));
  im.setOutput(node, 0, result, x->dims);
  return success();
}

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

/// The activation function of an ONNX activation operator, with ONNX's
/// default parameters.
static std::optional<ActivationAttr>
getActivation(Importer &im, const onnx::NodeProto &node) {
  MLIRContext *context = im.getBuilder().getContext();
  auto param = [&](StringRef name, float defaultValue) {
    return FloatAttr::get(Float32Type::get(context),
                          im.getFloat(node, name, defaultValue));
  };
  auto get = [&](ActivationKind kind, FloatAttr alpha = {},
                 FloatAttr beta = {}) {
    return ActivationAttr::get(context, kind, alpha, beta);
  };
  StringRef op = node.op_type();
  if (op == "Relu")
    return get(ActivationKind::relu);
  if (op == "Tanh")
    return get(ActivationKind::tanh);
  if (op == "Sigmoid")
    return get(ActivationKind::sigmoid);
  if (op == "Softsign")
    return get(ActivationKind::softsign);
  if (op == "Softplus")
    return get(ActivationKind::softplus);
  if (op == "LeakyRelu")
    return get(ActivationKind::leaky_relu, param("alpha", 0.01f));
  if (op == "Elu")
    return get(ActivationKind::elu, param("alpha", 1.0f));
  if (op == "ThresholdedRelu")
    return get(ActivationKind::thresholded_relu, param("alpha", 1.0f));
  if (op == "HardSigmoid")
    return get(ActivationKind::hard_sigmoid, param("alpha", 0.2f),
               param("beta", 0.5f));
  return std::nullopt;
}

LogicalResult onnx_import::importActivation(Importer &im,
                                            const onnx::NodeProto &node) {
  FailureOr<Tensor> x = getFloatInput(im, node, 0, 0);
  if (failed(x))
    return failure();
  std::optional<ActivationAttr> function = getActivation(im, node);
  assert(function && "an activation operator without a function");
  Value result = ActivationOp::create(im.getBuilder(), im.getLoc(),
                                      im.materialize(*x), *function);
  im.setOutput(node, 0, result, x->dims);
  return success();
}

LogicalResult onnx_import::importClip(Importer &im,
                                      const onnx::NodeProto &node) {
  FailureOr<Tensor> x = getFloatInput(im, node, 0, 0);
  if (failed(x))
    return failure();
  float bounds[2] = {-std::numeric_limits<float>::infinity(),
                     std::numeric_limits<float>::infinity()};
  if (im.getOpset() < 11) {
    bounds[0] = im.getFloat(node, "min", bounds[0]);
    bounds[1] = im.getFloat(node, "max", bounds[1]);
  } else {
    for (int i = 1; i <= 2; ++i) {
      if (!im.hasInput(node, i))
        continue;
      FailureOr<Tensor> bound = im.getInput(node, i);
      if (failed(bound))
        return failure();
      DenseElementsAttr value;
      if (bound->getRank() != 0 || !bound->value ||
          !matchPattern(bound->value, m_Constant(&value)) ||
          !value.getElementType().isF32())
        return im.emitError(node) << "min and max must be float32 scalars "
                                     "known when the model is compiled";
      bounds[i - 1] = value.getSplatValue<float>();
    }
  }
  MLIRContext *context = im.getBuilder().getContext();
  auto f32 = Float32Type::get(context);
  auto function = ActivationAttr::get(context, ActivationKind::hardtanh,
                                      FloatAttr::get(f32, bounds[0]),
                                      FloatAttr::get(f32, bounds[1]));
  Value result = ActivationOp::create(im.getBuilder(), im.getLoc(),
                                      im.materialize(*x), function);
  im.setOutput(node, 0, result, x->dims);
  return success();
}
