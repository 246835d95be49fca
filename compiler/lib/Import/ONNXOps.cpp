//===- ONNXOps.cpp - ONNX operators to upstream dialects --------*- C++ -*-===//
//
// The operators exporters put around LSTMs and their heads, each lowered to
// linalg, tensor, arith and math ops on tensors. Elementwise operators share
// one broadcasting helper; shape computations on element-known tensors are
// folded at import time.
//
//===----------------------------------------------------------------------===//

#include "ONNXImporter.h"

#include "lstm/Dialect/LSTM/IR/LSTM.h"
#include "lstm/Dialect/LSTM/IR/RuntimeChecks.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/MathExtras.h"

#include <functional>
#include <limits>

using namespace mlir;
using namespace mlir::lstm;
using namespace mlir::lstm::onnx_import;

namespace {
using Body = std::function<Value(OpBuilder &, Location, ValueRange)>;
using utils::IteratorType;
} // namespace

/// Normalizes a possibly negative axis; reports an out-of-range one.
static FailureOr<int64_t> normalizeAxis(Importer &im,
                                        const onnx::NodeProto &node,
                                        int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    return im.emitError(node)
           << "axis " << axis << " is out of range for rank " << rank;
  return axis < 0 ? axis + rank : axis;
}

//===----------------------------------------------------------------------===//
// Elementwise operators with numpy broadcasting
//===----------------------------------------------------------------------===//

/// Applies `body` to `operands`, broadcast to a common shape.
static FailureOr<Tensor> elementwise(Importer &im, const onnx::NodeProto &node,
                                     SmallVector<Tensor> operands,
                                     Type resultElementType, const Body &body) {
  OpBuilder &b = im.getBuilder();
  Location loc = im.getLoc();
  int64_t rank = 0;
  for (Tensor &t : operands)
    rank = std::max(rank, t.getRank());
  // Result dims: a non-1 size wins over 1; equal symbols agree.
  SmallVector<Dim> dims(rank, Dim::fixed(1));
  for (Tensor &t : operands)
    for (auto [i, dim] : llvm::enumerate(t.dims)) {
      Dim &result = dims[rank - t.getRank() + i];
      if (dim.isStatic() && dim.size == 1)
        continue;
      if (result.isStatic() && result.size == 1) {
        result = dim;
        continue;
      }
      if (dim.isStatic() && result.isStatic() && dim.size != result.size)
        return im.emitError(node) << "cannot broadcast dimension of size "
                                  << dim.size << " to " << result.size;
      if (dim.isStatic())
        result = dim;
    }
  SmallVector<AffineMap> maps;
  SmallVector<Value> inputs;
  SmallVector<Tensor *> sources;
  for (Tensor &t : operands) {
    SmallVector<AffineExpr> exprs;
    for (auto [i, dim] : llvm::enumerate(t.dims)) {
      int64_t d = rank - t.getRank() + i;
      bool broadcast = dim.isStatic() && dim.size == 1 &&
                       !(dims[d].isStatic() && dims[d].size == 1);
      exprs.push_back(broadcast ? b.getAffineConstantExpr(0)
                                : b.getAffineDimExpr(d));
    }
    maps.push_back(AffineMap::get(rank, 0, exprs, b.getContext()));
    inputs.push_back(im.materialize(t));
    sources.push_back(&t);
  }
  maps.push_back(b.getMultiDimIdentityMap(rank));
  Value init = im.createEmpty(dims, resultElementType, sources);
  Value result =
      linalg::GenericOp::create(
          b, loc, init.getType(), inputs, init, maps,
          SmallVector<IteratorType>(rank, IteratorType::parallel),
          [&](OpBuilder &b, Location loc, ValueRange args) {
            linalg::YieldOp::create(b, loc, body(b, loc, args.drop_back()));
          })
          .getResult(0);
  Tensor tensor;
  tensor.value = result;
  tensor.elementType = resultElementType;
  tensor.dims = dims;
  return tensor;
}

/// A float constant of `type`.
static Value floatConstant(OpBuilder &b, Location loc, Type type, double v) {
  return arith::ConstantOp::create(b, loc, b.getFloatAttr(type, v));
}

/// Imports a unary float operator computed by `body`.
static LogicalResult
unary(Importer &im, const onnx::NodeProto &node,
      std::function<Value(OpBuilder &, Location, Value)> body) {
  FailureOr<Tensor> x = im.getInput(node, 0);
  if (failed(x))
    return failure();
  if (!isa<FloatType>(x->elementType))
    return im.emitError(node) << "expects a float input";
  FailureOr<Tensor> result =
      elementwise(im, node, {*x}, x->elementType,
                  [&](OpBuilder &b, Location loc, ValueRange args) {
                    return body(b, loc, args[0]);
                  });
  if (failed(result))
    return failure();
  im.setOutput(node, 0, *result);
  return success();
}

/// Folds a binary integer operator on element-known operands; nullopt when
/// they are not; fails, naming the node, on overflow or division by zero.
static FailureOr<std::optional<Tensor>>
foldKnownBinary(Importer &im, const onnx::NodeProto &node, const Tensor &lhs,
                const Tensor &rhs) {
  StringRef op = node.op_type();
  if (!lhs.elements || !rhs.elements || lhs.getRank() > 1 || rhs.getRank() > 1)
    return std::optional<Tensor>();
  size_t n = std::max(lhs.elements->size(), rhs.elements->size());
  if ((lhs.elements->size() != n && lhs.elements->size() != 1) ||
      (rhs.elements->size() != n && rhs.elements->size() != 1))
    return std::optional<Tensor>();
  OpBuilder &b = im.getBuilder();
  Location loc = im.getLoc();
  auto asIndex = [&](OpFoldResult v) -> Value {
    return getValueOrCreateConstantIndexOp(b, loc, v);
  };
  Tensor result = lhs.elements->size() == n ? lhs : rhs;
  result.value = nullptr;
  result.elements.emplace();
  for (size_t i = 0; i < n; ++i) {
    OpFoldResult l = (*lhs.elements)[lhs.elements->size() == 1 ? 0 : i];
    OpFoldResult r = (*rhs.elements)[rhs.elements->size() == 1 ? 0 : i];
    std::optional<int64_t> lc = getConstantIntValue(l);
    std::optional<int64_t> rc = getConstantIntValue(r);
    if (lc && rc) {
      int64_t v = 0;
      bool overflow = false;
      if (op == "Add")
        overflow = __builtin_add_overflow(*lc, *rc, &v);
      else if (op == "Sub")
        overflow = __builtin_sub_overflow(*lc, *rc, &v);
      else if (op == "Mul")
        overflow = __builtin_mul_overflow(*lc, *rc, &v);
      else if (*rc == 0)
        return im.emitError(node) << "divides " << *lc << " by zero";
      else if (*lc == std::numeric_limits<int64_t>::min() && *rc == -1)
        overflow = true;
      else
        v = *lc / *rc;
      if (overflow)
        return im.emitError(node)
               << op << " of " << *lc << " and " << *rc << " overflows int64";
      result.elements->push_back(b.getI64IntegerAttr(v));
      continue;
    }
    Value lv = asIndex(l), rv = asIndex(r);
    Value v;
    if (op == "Add") {
      v = arith::AddIOp::create(b, loc, lv, rv);
    } else if (op == "Sub") {
      v = arith::SubIOp::create(b, loc, lv, rv);
    } else if (op == "Mul") {
      v = arith::MulIOp::create(b, loc, lv, rv);
    } else {
      // Sizes computed at run time: a zero divisor fails the call's checks
      // (arith.divsi's run-time check) instead of the process.
      v = arith::DivSIOp::create(b, loc, lv, rv);
    }
    result.elements->push_back(v);
  }
  return std::optional<Tensor>(std::move(result));
}

static LogicalResult importBinary(Importer &im, const onnx::NodeProto &node) {
  FailureOr<Tensor> lhs = im.getInput(node, 0);
  FailureOr<Tensor> rhs = im.getInput(node, 1);
  if (failed(lhs) || failed(rhs))
    return failure();
  StringRef op = node.op_type();
  FailureOr<std::optional<Tensor>> folded =
      foldKnownBinary(im, node, *lhs, *rhs);
  if (failed(folded))
    return failure();
  if (*folded) {
    im.setOutput(node, 0, **folded);
    return success();
  }
  if (lhs->elementType != rhs->elementType)
    return im.emitError(node) << "operands have different element types";
  bool isFloat = isa<FloatType>(lhs->elementType);
  if (op == "Div" && !isFloat) {
    // An integer division by zero, or of the smallest value by -1, fails
    // the call; the division itself stays defined.
    OpBuilder &b = im.getBuilder();
    createValueCheck(
        b, im.getLoc(),
        createAllElements(b, im.getLoc(), im.materialize(*rhs),
                          [](OpBuilder &b, Location loc, Value x) {
                            return arith::CmpIOp::create(
                                b, loc, arith::CmpIPredicate::ne, x,
                                arith::ConstantOp::create(
                                    b, loc, b.getZeroAttr(x.getType())));
                          }),
        "integer division by zero");
  }
  FailureOr<Tensor> result = elementwise(
      im, node, {*lhs, *rhs}, lhs->elementType,
      [&](OpBuilder &b, Location loc, ValueRange a) -> Value {
        if (op == "Add")
          return isFloat ? arith::AddFOp::create(b, loc, a[0], a[1]).getResult()
                         : arith::AddIOp::create(b, loc, a[0], a[1]);
        if (op == "Sub")
          return isFloat ? arith::SubFOp::create(b, loc, a[0], a[1]).getResult()
                         : arith::SubIOp::create(b, loc, a[0], a[1]);
        if (op == "Mul")
          return isFloat ? arith::MulFOp::create(b, loc, a[0], a[1]).getResult()
                         : arith::MulIOp::create(b, loc, a[0], a[1]);
        if (isFloat)
          return arith::DivFOp::create(b, loc, a[0], a[1]);
        Type type = a[0].getType();
        auto constant = [&](const APInt &v) -> Value {
          return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, v));
        };
        unsigned width = type.getIntOrFloatBitWidth();
        Value one = constant(APInt(width, 1));
        Value zeroDivisor = arith::CmpIOp::create(
            b, loc, arith::CmpIPredicate::eq, a[1], constant(APInt(width, 0)));
        Value overflows = arith::AndIOp::create(
            b, loc,
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, a[0],
                                  constant(APInt::getSignedMinValue(width))),
            arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, a[1],
                                  constant(APInt::getAllOnes(width))));
        Value divisor = arith::SelectOp::create(
            b, loc, arith::OrIOp::create(b, loc, zeroDivisor, overflows), one,
            a[1]);
        return arith::DivSIOp::create(b, loc, a[0], divisor);
      });
  if (failed(result))
    return failure();
  im.setOutput(node, 0, *result);
  return success();
}

static LogicalResult importUnary(Importer &im, const onnx::NodeProto &node) {
  StringRef op = node.op_type();
  return unary(im, node, [&](OpBuilder &b, Location loc, Value x) -> Value {
    if (op == "Erf")
      return math::ErfOp::create(b, loc, x);
    if (op == "Exp")
      return math::ExpOp::create(b, loc, x);
    if (op == "Log")
      return math::LogOp::create(b, loc, x);
    if (op == "Sqrt")
      return math::SqrtOp::create(b, loc, x);
    return arith::NegFOp::create(b, loc, x); // Neg
  });
}

//===----------------------------------------------------------------------===//
// Shapes and layouts
//===----------------------------------------------------------------------===//

/// Defines the node's output as an element-known 1-D i64 tensor.
static void setKnownOutput(Importer &im, const onnx::NodeProto &node,
                           SmallVector<OpFoldResult> elements, bool scalar) {
  Tensor tensor;
  tensor.elementType = im.getBuilder().getI64Type();
  if (!scalar)
    tensor.dims.push_back(Dim::fixed(elements.size()));
  tensor.elements = std::move(elements);
  im.setOutput(node, 0, std::move(tensor));
}

static LogicalResult importShape(Importer &im, const onnx::NodeProto &node) {
  FailureOr<Tensor> x = im.getInput(node, 0);
  if (failed(x))
    return failure();
  int64_t rank = x->getRank();
  int64_t start = im.getInt(node, "start", 0),
          end = im.getInt(node, "end", rank);
  start = std::clamp<int64_t>(start < 0 ? start + rank : start, 0, rank);
  end = std::clamp<int64_t>(end < 0 ? end + rank : end, 0, rank);
  SmallVector<OpFoldResult> sizes = im.getMixedSizes(*x);
  SmallVector<OpFoldResult> elements;
  for (int64_t d = start; d < end; ++d) {
    if (std::optional<int64_t> c = getConstantIntValue(sizes[d]))
      elements.push_back(im.getBuilder().getI64IntegerAttr(*c));
    else
      elements.push_back(sizes[d]);
  }
  setKnownOutput(im, node, std::move(elements), /*scalar=*/false);
  return success();
}

/// Output dims of a reshape of `input` to the ONNX shape `shape`.
static FailureOr<SmallVector<Dim>>
reshapeDims(Importer &im, const onnx::NodeProto &node, const Tensor &input,
            ArrayRef<int64_t> shape, bool allowZero) {
  SmallVector<Dim> dims;
  int64_t inferred = -1;
  for (auto [i, size] : llvm::enumerate(shape)) {
    if (size == 0 && !allowZero) {
      if (static_cast<int64_t>(i) >= input.getRank())
        return im.emitError(node)
               << "copies dimension " << i << " the input does not have";
      dims.push_back(input.dims[i]);
    } else if (size == -1) {
      if (inferred >= 0)
        return im.emitError(node) << "has more than one -1 in its shape";
      inferred = i;
      dims.push_back(Dim::fixed(1));
    } else if (size < 0) {
      return im.emitError(node) << "has an invalid size " << size;
    } else {
      dims.push_back(Dim::fixed(size));
    }
  }
  auto describe = [](ArrayRef<Dim> dims) {
    std::string text = "[";
    for (auto [i, dim] : llvm::enumerate(dims))
      text += (i ? ", " : "") +
              (dim.isStatic() ? std::to_string(dim.size) : dim.symbol);
    return text + "]";
  };
  auto staticCount = [](ArrayRef<Dim> dims) -> std::optional<int64_t> {
    int64_t count = 1;
    for (const Dim &dim : dims)
      if (!dim.isStatic() || __builtin_mul_overflow(count, dim.size, &count))
        return std::nullopt;
    return count;
  };
  if (inferred < 0) {
    std::optional<int64_t> in = staticCount(input.dims),
                           out = staticCount(dims);
    if (in && out && *in != *out)
      return im.emitError(node)
             << "cannot reshape a tensor of shape " << describe(input.dims)
             << " (" << *in << " elements) to " << describe(dims) << " ("
             << *out << " elements)";
    return dims;
  }
  // The inferred size is what the input has that the other sizes lack.
  int64_t inStatic = 1, outStatic = 1;
  SmallVector<std::string> symbols;
  for (const Dim &dim : input.dims) {
    if (dim.isStatic())
      inStatic *= dim.size;
    else
      symbols.push_back(dim.symbol);
  }
  for (auto [i, dim] : llvm::enumerate(dims)) {
    if (static_cast<int64_t>(i) == inferred)
      continue;
    if (dim.isStatic()) {
      if (__builtin_mul_overflow(outStatic, dim.size, &outStatic))
        return im.emitError(node) << "the shape " << describe(dims)
                                  << " has more elements than int64 holds";
      continue;
    }
    auto it = llvm::find(symbols, dim.symbol);
    if (it == symbols.end())
      return dims[inferred] = im.freshDim(), dims;
    symbols.erase(it);
  }
  if (symbols.empty() && (outStatic == 0 || inStatic % outStatic != 0))
    return im.emitError(node)
           << "cannot reshape a tensor of shape " << describe(input.dims)
           << " (" << inStatic << " elements) to " << describe(dims)
           << " with dimension " << inferred << " inferred";
  if (symbols.empty())
    dims[inferred] = Dim::fixed(inStatic / outStatic);
  else if (symbols.size() == 1 && inStatic == outStatic)
    dims[inferred] = Dim::named(symbols.front());
  else
    dims[inferred] = im.freshDim();
  return dims;
}

/// Reshapes `input` to `dims`: tensor.reshape with a shape computed from
/// the input's sizes.
static Value reshapeTo(Importer &im, Tensor &input, ArrayRef<Dim> dims) {
  OpBuilder &b = im.getBuilder();
  Location loc = im.getLoc();
  SmallVector<OpFoldResult> sizes = im.getMixedSizes(input);
  Value total = b.createOrFold<arith::ConstantIndexOp>(loc, 1);
  for (OpFoldResult size : sizes)
    total = b.createOrFold<arith::MulIOp>(
        loc, total, getValueOrCreateConstantIndexOp(b, loc, size));
  SmallVector<Value> shape;
  int64_t dynamicAt = -1;
  Value known = b.createOrFold<arith::ConstantIndexOp>(loc, 1);
  for (auto [i, dim] : llvm::enumerate(dims)) {
    Value size;
    if (dim.isStatic()) {
      size = arith::ConstantIndexOp::create(b, loc, dim.size);
    } else {
      for (auto [d, inDim] : llvm::enumerate(input.dims))
        if (inDim == dim)
          size = getValueOrCreateConstantIndexOp(b, loc, sizes[d]);
      if (!size) {
        dynamicAt = i;
        shape.push_back(Value());
        continue;
      }
    }
    known = b.createOrFold<arith::MulIOp>(loc, known, size);
    shape.push_back(size);
  }
  if (dynamicAt >= 0) {
    // An empty tensor leaves the inferred size undetermined, as numpy says;
    // a size check reports it before the division could trap.
    Value zero = b.createOrFold<arith::ConstantIndexOp>(loc, 0);
    createSizeCheck(b, loc,
                    b.createOrFold<arith::CmpIOp>(loc, arith::CmpIPredicate::ne,
                                                  known, zero),
                    "cannot infer the size of dimension " + Twine(dynamicAt) +
                        " when the other sizes of the new shape multiply to 0");
    Value one = b.createOrFold<arith::ConstantIndexOp>(loc, 1);
    shape[dynamicAt] = b.createOrFold<arith::DivUIOp>(
        loc, total, b.createOrFold<arith::MaxUIOp>(loc, known, one));
  }
  SmallVector<Value> elements;
  for (Value size : shape)
    elements.push_back(
        arith::IndexCastOp::create(b, loc, b.getI64Type(), size));
  Value shapeTensor = tensor::FromElementsOp::create(
      b, loc, RankedTensorType::get({(int64_t)elements.size()}, b.getI64Type()),
      elements);
  SmallVector<int64_t> staticShape;
  for (const Dim &dim : dims)
    staticShape.push_back(dim.size);
  return tensor::ReshapeOp::create(
      b, loc, RankedTensorType::get(staticShape, input.elementType),
      im.materialize(input), shapeTensor);
}

static LogicalResult importReshape(Importer &im, const onnx::NodeProto &node) {
  FailureOr<Tensor> x = im.getInput(node, 0);
  FailureOr<SmallVector<int64_t>> shape = im.getConstantInts(node, 1);
  if (failed(x) || failed(shape))
    return failure();
  FailureOr<SmallVector<Dim>> dims =
      reshapeDims(im, node, *x, *shape, im.getInt(node, "allowzero", 0) != 0);
  if (failed(dims))
    return failure();
  if (x->elements) {
    Tensor result = *x;
    result.dims = *dims;
    result.value = nullptr;
    im.setOutput(node, 0, std::move(result));
    return success();
  }
  im.setOutput(node, 0, reshapeTo(im, *x, *dims), *dims);
  return success();
}

static LogicalResult importFlatten(Importer &im, const onnx::NodeProto &node) {
  FailureOr<Tensor> x = im.getInput(node, 0);
  if (failed(x))
    return failure();
  // The axis lies in [-r, r]: the output's first dimension is made of the
  // input's first `axis` ones, a negative axis counting from the end.
  int64_t rank = x->getRank();
  int64_t axis = im.getInt(node, "axis", 1);
  if (axis < -rank || axis > rank)
    return im.emitError(node) << "axis " << axis << " is out of range [-"
                              << rank << ", " << rank << "]";
  if (axis < 0)
    axis += rank;
  SmallVector<int64_t> shape;
  int64_t outer = 1, inner = 1;
  bool outerStatic = true, innerStatic = true;
  for (auto [d, dim] : llvm::enumerate(x->dims)) {
    bool isOuter = static_cast<int64_t>(d) < axis;
    (isOuter ? outerStatic : innerStatic) &= dim.isStatic();
    if (dim.isStatic())
      (isOuter ? outer : inner) *= dim.size;
  }
  shape.push_back(outerStatic ? outer : -1);
  shape.push_back(innerStatic ? inner : (outerStatic ? -1 : 0));
  if (!outerStatic && !innerStatic)
    return im.emitError(node) << "flattening dynamic dimensions on both "
                                 "sides of the axis is not supported";
  FailureOr<SmallVector<Dim>> dims =
      reshapeDims(im, node, *x, shape, /*allowZero=*/false);
  if (failed(dims))
    return failure();
  im.setOutput(node, 0, reshapeTo(im, *x, *dims), *dims);
  return success();
}

/// The axes of Squeeze/Unsqueeze: an attribute before opset 13, an input
/// since.
static FailureOr<SmallVector<int64_t>>
getAxes(Importer &im, const onnx::NodeProto &node, int64_t inputIndex) {
  if (im.findAttr(node, "axes"))
    return im.getInts(node, "axes");
  if (im.hasInput(node, inputIndex))
    return im.getConstantInts(node, inputIndex);
  return SmallVector<int64_t>{};
}

/// The reassociation between a shape and the same shape without its unit
/// dimensions `unit`: each other dimension absorbs the unit ones before it,
/// the last one also those after it; none if all are unit dimensions.
static SmallVector<ReassociationIndices>
getUnitDimReassociation(ArrayRef<bool> unit) {
  SmallVector<ReassociationIndices> reassociation;
  ReassociationIndices group;
  for (auto [d, isUnit] : llvm::enumerate(unit)) {
    group.push_back(d);
    if (!isUnit) {
      reassociation.push_back(group);
      group.clear();
    }
  }
  if (!group.empty() && !reassociation.empty())
    llvm::append_range(reassociation.back(), group);
  return reassociation;
}

static LogicalResult importSqueeze(Importer &im, const onnx::NodeProto &node) {
  FailureOr<Tensor> x = im.getInput(node, 0);
  FailureOr<SmallVector<int64_t>> axes = getAxes(im, node, 1);
  if (failed(x) || failed(axes))
    return failure();
  int64_t rank = x->getRank();
  SmallVector<bool> dropped(rank, false);
  if (axes->empty()) {
    for (auto [d, dim] : llvm::enumerate(x->dims))
      dropped[d] = dim.isStatic() && dim.size == 1;
  }
  for (int64_t axis : *axes) {
    FailureOr<int64_t> a = normalizeAxis(im, node, axis, rank);
    if (failed(a))
      return failure();
    if (!x->dims[*a].isStatic() || x->dims[*a].size != 1)
      return im.emitError(node)
             << "squeezes dimension " << *a << ", which is not 1";
    dropped[*a] = true;
  }
  Tensor result = *x;
  result.dims.clear();
  for (auto [d, dim] : llvm::enumerate(x->dims))
    if (!dropped[d])
      result.dims.push_back(dim);
  if (x->elements) {
    result.value = nullptr;
    im.setOutput(node, 0, std::move(result));
    return success();
  }
  result.value = tensor::CollapseShapeOp::create(
      im.getBuilder(), im.getLoc(), result.getType(), im.materialize(*x),
      getUnitDimReassociation(dropped));
  im.setOutput(node, 0, std::move(result));
  return success();
}

static LogicalResult importUnsqueeze(Importer &im,
                                     const onnx::NodeProto &node) {
  FailureOr<Tensor> x = im.getInput(node, 0);
  FailureOr<SmallVector<int64_t>> axes = getAxes(im, node, 1);
  if (failed(x) || failed(axes))
    return failure();
  int64_t rank = x->getRank() + axes->size();
  SmallVector<bool> inserted(rank, false);
  for (int64_t axis : *axes) {
    FailureOr<int64_t> a = normalizeAxis(im, node, axis, rank);
    if (failed(a))
      return failure();
    if (inserted[*a])
      return im.emitError(node) << "axis " << axis << " is repeated";
    inserted[*a] = true;
  }
  Tensor result = *x;
  result.dims.clear();
  int64_t next = 0;
  for (int64_t d = 0; d < rank; ++d)
    result.dims.push_back(inserted[d] ? Dim::fixed(1) : x->dims[next++]);
  if (x->elements) {
    result.value = nullptr;
    im.setOutput(node, 0, std::move(result));
    return success();
  }
  SmallVector<ReassociationIndices> reassociation =
      getUnitDimReassociation(inserted);
  SmallVector<OpFoldResult> sizes;
  for (const Dim &dim : result.dims)
    sizes.push_back(dim.isStatic()
                        ? OpFoldResult(im.getBuilder().getIndexAttr(dim.size))
                        : OpFoldResult());
  // Dynamic output sizes come from the input dimension they keep.
  SmallVector<OpFoldResult> inSizes = im.getMixedSizes(*x);
  int64_t in = 0;
  for (int64_t d = 0; d < rank; ++d) {
    if (inserted[d])
      continue;
    if (!sizes[d])
      sizes[d] = inSizes[in];
    ++in;
  }
  result.value = tensor::ExpandShapeOp::create(
      im.getBuilder(), im.getLoc(), result.getType(), im.materialize(*x),
      reassociation, sizes);
  im.setOutput(node, 0, std::move(result));
  return success();
}

static LogicalResult importTranspose(Importer &im,
                                     const onnx::NodeProto &node) {
  FailureOr<Tensor> x = im.getInput(node, 0);
  if (failed(x))
    return failure();
  SmallVector<int64_t> perm = im.getInts(node, "perm");
  if (!im.findAttr(node, "perm"))
    for (int64_t d = x->getRank() - 1; d >= 0; --d)
      perm.push_back(d);
  if (static_cast<int64_t>(perm.size()) != x->getRank() ||
      !isPermutationVector(perm))
    return im.emitError(node) << "perm is not a permutation of the input's "
                              << x->getRank() << " dimensions";
  // The identity, a 0-d tensor's included (whose linalg.transpose MLIR 22's
  // verifier crashes on), is no transpose.
  if (isIdentityPermutation(perm)) {
    im.setOutput(node, 0, *x);
    return success();
  }
  SmallVector<Dim> dims;
  for (int64_t p : perm)
    dims.push_back(x->dims[p]);
  Value init = im.createEmpty(dims, x->elementType, {&*x});
  Value result = linalg::TransposeOp::create(im.getBuilder(), im.getLoc(),
                                             im.materialize(*x), init, perm)
                     .getResult()[0];
  im.setOutput(node, 0, result, dims);
  return success();
}

static LogicalResult importConcat(Importer &im, const onnx::NodeProto &node) {
  SmallVector<Tensor> inputs;
  for (int i = 0; i < std::max(node.input_size(), 1); ++i) {
    FailureOr<Tensor> t = im.getInput(node, i);
    if (failed(t))
      return failure();
    inputs.push_back(*t);
  }
  int64_t rank = inputs.front().getRank();
  for (Tensor &t : inputs)
    if (t.getRank() != rank || t.elementType != inputs.front().elementType)
      return im.emitError(node) << "inputs differ in rank or element type";
  FailureOr<int64_t> axis =
      normalizeAxis(im, node, im.getInt(node, "axis", 0), rank);
  if (failed(axis))
    return failure();
  if (rank == 1 &&
      llvm::all_of(inputs, [](Tensor &t) { return t.elements.has_value(); })) {
    SmallVector<OpFoldResult> elements;
    for (Tensor &t : inputs)
      llvm::append_range(elements, *t.elements);
    setKnownOutput(im, node, std::move(elements), /*scalar=*/false);
    return success();
  }
  // The other dimensions agree: a static size wins over a dynamic one
  // (checked at run time), two static ones must be equal.
  SmallVector<Dim> dims = inputs.front().dims;
  for (Tensor &t : inputs)
    for (auto [d, dim] : llvm::enumerate(t.dims)) {
      if (static_cast<int64_t>(d) == *axis || !dim.isStatic())
        continue;
      if (dims[d].isStatic() && dims[d].size != dim.size)
        return im.emitError(node) << "inputs differ in dimension " << d << " ("
                                  << dims[d].size << " and " << dim.size << ")";
      dims[d] = dim;
    }
  int64_t total = 0;
  bool isStatic = true;
  SmallVector<Value> values;
  for (Tensor &t : inputs) {
    values.push_back(im.materialize(t));
    isStatic &= t.dims[*axis].isStatic();
    if (t.dims[*axis].isStatic() &&
        __builtin_add_overflow(total, t.dims[*axis].size, &total))
      return im.emitError(node) << "the concatenation is too large";
  }
  dims[*axis] = isStatic ? Dim::fixed(total) : im.freshDim();
  Value result =
      tensor::ConcatOp::create(im.getBuilder(), im.getLoc(), *axis, values);
  im.setOutput(node, 0, result, dims);
  return success();
}

static LogicalResult importSlice(Importer &im, const onnx::NodeProto &node) {
  FailureOr<Tensor> x = im.getInput(node, 0);
  if (failed(x))
    return failure();
  SmallVector<int64_t> starts, ends, axes, steps;
  if (im.getOpset() < 10) {
    starts = im.getInts(node, "starts");
    ends = im.getInts(node, "ends");
    axes = im.getInts(node, "axes");
  } else {
    FailureOr<SmallVector<int64_t>> s = im.getConstantInts(node, 1);
    FailureOr<SmallVector<int64_t>> e = im.getConstantInts(node, 2);
    if (failed(s) || failed(e))
      return failure();
    starts = *s;
    ends = *e;
    if (im.hasInput(node, 3)) {
      FailureOr<SmallVector<int64_t>> a = im.getConstantInts(node, 3);
      if (failed(a))
        return failure();
      axes = *a;
    }
    if (im.hasInput(node, 4)) {
      FailureOr<SmallVector<int64_t>> st = im.getConstantInts(node, 4);
      if (failed(st))
        return failure();
      steps = *st;
    }
  }
  int64_t rank = x->getRank();
  if (axes.empty())
    for (int64_t d = 0; d < static_cast<int64_t>(starts.size()); ++d)
      axes.push_back(d);
  if (ends.size() != starts.size() || axes.size() != starts.size() ||
      (!steps.empty() && steps.size() != starts.size()))
    return im.emitError(node)
           << "starts, ends, axes and steps differ in length";
  OpBuilder &b = im.getBuilder();
  Location loc = im.getLoc();
  SmallVector<OpFoldResult> sizes = im.getMixedSizes(*x);
  SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0));
  SmallVector<OpFoldResult> strides(rank, b.getIndexAttr(1));
  SmallVector<Dim> dims = x->dims;
  for (auto [i, axisValue] : llvm::enumerate(axes)) {
    FailureOr<int64_t> axis = normalizeAxis(im, node, axisValue, rank);
    if (failed(axis))
      return failure();
    int64_t step = steps.empty() ? 1 : steps[i];
    if (step != 1)
      return im.emitError(node) << "only step 1 is supported, got " << step;
    int64_t start = starts[i], end = ends[i];
    const Dim &dim = x->dims[*axis];
    if (dim.isStatic()) {
      int64_t n = dim.size;
      start = std::clamp<int64_t>(start < 0 ? start + n : start, 0, n);
      end = std::clamp<int64_t>(end < 0 ? end + n : end, 0, n);
      int64_t size = std::max<int64_t>(end - start, 0);
      offsets[*axis] = b.getIndexAttr(start);
      sizes[*axis] = b.getIndexAttr(size);
      dims[*axis] = Dim::fixed(size);
      continue;
    }
    // A dynamic dimension n: the bounds are clamped into [0, n] at run time,
    // as the specification says, so the size is dynamic too.
    bool toEnd = end >= std::numeric_limits<int32_t>::max();
    if (start == 0 && toEnd)
      continue;
    Value n = getValueOrCreateConstantIndexOp(b, loc, sizes[*axis]);
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    auto clampBound = [&](int64_t v) -> Value {
      if (v >= 0)
        return arith::MinSIOp::create(
            b, loc, arith::ConstantIndexOp::create(b, loc, v), n);
      if (v <= std::numeric_limits<int32_t>::min())
        return zero;
      return arith::MaxSIOp::create(
          b, loc,
          arith::AddIOp::create(b, loc, n,
                                arith::ConstantIndexOp::create(b, loc, v)),
          zero);
    };
    Value first = clampBound(start);
    Value last = toEnd ? n : clampBound(end);
    offsets[*axis] = first;
    sizes[*axis] = arith::MaxSIOp::create(
                       b, loc, arith::SubIOp::create(b, loc, last, first), zero)
                       .getResult();
    dims[*axis] = im.freshDim();
  }
  if (x->elements && rank == 1) {
    std::optional<int64_t> off = getConstantIntValue(offsets[0]);
    std::optional<int64_t> size = getConstantIntValue(sizes[0]);
    if (off && size) {
      SmallVector<OpFoldResult> elements(x->elements->begin() + *off,
                                         x->elements->begin() + *off + *size);
      setKnownOutput(im, node, std::move(elements), /*scalar=*/false);
      return success();
    }
  }
  Tensor result;
  result.elementType = x->elementType;
  result.dims = dims;
  result.value = tensor::ExtractSliceOp::create(
      b, loc, result.getType(), im.materialize(*x), offsets, sizes, strides);
  im.setOutput(node, 0, std::move(result));
  return success();
}

static LogicalResult importSplit(Importer &im, const onnx::NodeProto &node) {
  FailureOr<Tensor> x = im.getInput(node, 0);
  if (failed(x))
    return failure();
  int64_t rank = x->getRank();
  FailureOr<int64_t> axis =
      normalizeAxis(im, node, im.getInt(node, "axis", 0), rank);
  if (failed(axis))
    return failure();
  const Dim &dim = x->dims[*axis];
  SmallVector<int64_t> split = im.getInts(node, "split");
  if (split.empty() && im.hasInput(node, 1)) {
    FailureOr<SmallVector<int64_t>> s = im.getConstantInts(node, 1);
    if (failed(s))
      return failure();
    split = *s;
  }
  if (split.empty()) {
    if (!dim.isStatic() || dim.size % node.output_size() != 0)
      return im.emitError(node)
             << "cannot split dimension " << *axis << " evenly";
    split.assign(node.output_size(), dim.size / node.output_size());
  }
  int64_t total = 0;
  for (int64_t size : split) {
    if (size < 0)
      return im.emitError(node) << "has a negative split size";
    if (llvm::AddOverflow(total, size, total))
      return im.emitError(node) << "has split sizes whose sum overflows int64";
  }
  if (static_cast<int64_t>(split.size()) != node.output_size() ||
      (dim.isStatic() && total != dim.size))
    return im.emitError(node) << "split sizes do not match the outputs or "
                                 "dimension "
                              << *axis;
  OpBuilder &b = im.getBuilder();
  SmallVector<OpFoldResult> sizes = im.getMixedSizes(*x);
  // The parts cover the dimension exactly, as the specification requires
  // and ONNX Runtime checks.
  if (!dim.isStatic())
    createSizeEqualityCheck(b, im.getLoc(), sizes[*axis], b.getIndexAttr(total),
                            "the split sizes add up to " + Twine(total) +
                                ", not to the size of dimension " +
                                Twine(*axis));
  int64_t offset = 0;
  for (auto [i, size] : llvm::enumerate(split)) {
    SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0));
    SmallVector<OpFoldResult> partSizes = sizes;
    offsets[*axis] = b.getIndexAttr(offset);
    partSizes[*axis] = b.getIndexAttr(size);
    SmallVector<Dim> dims = x->dims;
    dims[*axis] = Dim::fixed(size);
    Tensor part;
    part.elementType = x->elementType;
    part.dims = dims;
    part.value = tensor::ExtractSliceOp::create(
        b, im.getLoc(), part.getType(), im.materialize(*x), offsets, partSizes,
        SmallVector<OpFoldResult>(rank, b.getIndexAttr(1)));
    im.setOutput(node, i, std::move(part));
    offset += size;
  }
  return success();
}

static LogicalResult importGather(Importer &im, const onnx::NodeProto &node) {
  FailureOr<Tensor> data = im.getInput(node, 0);
  FailureOr<Tensor> indices = im.getInput(node, 1);
  if (failed(data) || failed(indices))
    return failure();
  int64_t rank = data->getRank();
  FailureOr<int64_t> axis =
      normalizeAxis(im, node, im.getInt(node, "axis", 0), rank);
  if (failed(axis))
    return failure();
  OpBuilder &b = im.getBuilder();
  Location loc = im.getLoc();

  // Indices known at import time into element-known data: fold.
  if (data->elements && indices->elements && rank == 1) {
    SmallVector<OpFoldResult> elements;
    int64_t n = data->elements->size();
    for (OpFoldResult index : *indices->elements) {
      std::optional<int64_t> i = getConstantIntValue(index);
      if (!i || *i < -n || *i >= n)
        return im.emitError(node) << "index out of range";
      elements.push_back((*data->elements)[*i < 0 ? *i + n : *i]);
    }
    setKnownOutput(im, node, std::move(elements),
                   /*scalar=*/indices->getRank() == 0);
    return success();
  }

  // A single known index: a slice without the axis.
  if (indices->elements && indices->getRank() == 0) {
    std::optional<int64_t> i = getConstantIntValue(indices->elements->front());
    if (i) {
      SmallVector<OpFoldResult> sizes = im.getMixedSizes(*data);
      SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0));
      const Dim &dim = data->dims[*axis];
      if (dim.isStatic() && (*i < -dim.size || *i >= dim.size))
        return im.emitError(node) << "index " << *i << " is out of range";
      if (*i >= 0)
        offsets[*axis] = b.getIndexAttr(*i);
      else if (dim.isStatic())
        offsets[*axis] = b.getIndexAttr(*i + dim.size);
      else
        offsets[*axis] =
            arith::AddIOp::create(
                b, loc, getValueOrCreateConstantIndexOp(b, loc, sizes[*axis]),
                arith::ConstantIndexOp::create(b, loc, *i))
                .getResult();
      sizes[*axis] = b.getIndexAttr(1);
      SmallVector<Dim> dims = data->dims;
      dims.erase(dims.begin() + *axis);
      Tensor result;
      result.elementType = data->elementType;
      result.dims = dims;
      result.value = tensor::ExtractSliceOp::create(
          b, loc, result.getType(), im.materialize(*data), offsets, sizes,
          SmallVector<OpFoldResult>(rank, b.getIndexAttr(1)));
      im.setOutput(node, 0, std::move(result));
      return success();
    }
  }

  // The general case, e.g. embeddings: out[a..., i..., b...] =
  // data[a..., indices[i...], b...], negative indices counting from the end.
  if (!isa<IntegerType>(indices->elementType) ||
      !(indices->elementType.isInteger(32) ||
        indices->elementType.isInteger(64)))
    return im.emitError(node) << "indices must be int32 or int64";
  SmallVector<Dim> dims(data->dims.begin(), data->dims.begin() + *axis);
  llvm::append_range(dims, indices->dims);
  dims.append(data->dims.begin() + *axis + 1, data->dims.end());
  Tensor result;
  result.elementType = data->elementType;
  result.dims = dims;
  result.value =
      GatherOp::create(b, loc, result.getType(), im.materialize(*data),
                       im.materialize(*indices), *axis,
                       /*wrapNegative=*/true);
  im.setOutput(node, 0, std::move(result));
  return success();
}

static LogicalResult importConstantOfShape(Importer &im,
                                           const onnx::NodeProto &node) {
  FailureOr<Tensor> shape = im.getInput(node, 0);
  if (failed(shape))
    return failure();
  if (!shape->elements)
    return im.emitError(node) << "the shape must follow from input shapes";
  OpBuilder &b = im.getBuilder();
  Location loc = im.getLoc();
  Attribute fill = b.getF32FloatAttr(0.0f);
  Type elementType = b.getF32Type();
  if (const onnx::AttributeProto *value = im.findAttr(node, "value")) {
    FailureOr<Tensor> t = im.importTensorProto(value->t());
    if (failed(t))
      return failure();
    elementType = t->elementType;
    auto dense = dyn_cast<DenseElementsAttr>(
        cast<arith::ConstantOp>(t->value.getDefiningOp()).getValue());
    if (!dense || dense.getNumElements() != 1)
      return im.emitError(node) << "value must be one element";
    fill = dense.getSplatValue<Attribute>();
  }
  if (shape->getRank() != 1)
    return im.emitError(node) << "the shape must be 1-D";
  SmallVector<OpFoldResult> sizes;
  SmallVector<Dim> dims;
  for (OpFoldResult size : *shape->elements) {
    std::optional<int64_t> known = getConstantIntValue(size);
    if (known && *known < 0)
      return im.emitError(node) << "has a negative size " << *known;
    if (std::optional<int64_t> c = known) {
      sizes.push_back(b.getIndexAttr(*c));
      dims.push_back(Dim::fixed(*c));
    } else {
      sizes.push_back(size);
      // The size is some tensor.dim; its symbol is unknown here.
      dims.push_back(im.freshDim());
    }
  }
  Value empty = tensor::EmptyOp::create(b, loc, sizes, elementType);
  Value value = arith::ConstantOp::create(b, loc, cast<TypedAttr>(fill));
  im.setOutput(node, 0,
               linalg::FillOp::create(b, loc, value, empty).getResult(0), dims);
  return success();
}

static LogicalResult importExpand(Importer &im, const onnx::NodeProto &node) {
  FailureOr<Tensor> x = im.getInput(node, 0);
  FailureOr<Tensor> shape = im.getInput(node, 1);
  if (failed(x) || failed(shape))
    return failure();
  if (!shape->elements)
    return im.emitError(node) << "the shape must follow from input shapes";
  // Broadcasting against a tensor of the target shape, filled by nothing.
  Tensor target;
  target.elementType = x->elementType;
  SmallVector<OpFoldResult> sizes;
  if (shape->getRank() != 1)
    return im.emitError(node) << "the shape must be 1-D";
  for (OpFoldResult size : *shape->elements) {
    std::optional<int64_t> c = getConstantIntValue(size);
    if (c && *c < 0)
      return im.emitError(node) << "has a negative size " << *c;
    target.dims.push_back(c ? Dim::fixed(*c) : im.freshDim());
    sizes.push_back(c ? OpFoldResult(im.getBuilder().getIndexAttr(*c)) : size);
  }
  target.value = tensor::EmptyOp::create(im.getBuilder(), im.getLoc(), sizes,
                                         x->elementType);
  FailureOr<Tensor> result = elementwise(
      im, node, {*x, target}, x->elementType,
      [](OpBuilder &, Location, ValueRange args) { return args[0]; });
  if (failed(result))
    return failure();
  im.setOutput(node, 0, *result);
  return success();
}

/// Tile with repeats known at import time: a size-1 dimension is broadcast
/// to its count, a larger one of static size tiled through a (count, size)
/// pair of dimensions that a collapse_shape then merges.
static LogicalResult importTile(Importer &im, const onnx::NodeProto &node) {
  FailureOr<Tensor> x = im.getInput(node, 0);
  if (failed(x))
    return failure();
  FailureOr<SmallVector<int64_t>> repeats = im.getConstantInts(node, 1);
  if (failed(repeats))
    return failure();
  int64_t rank = x->getRank();
  if (static_cast<int64_t>(repeats->size()) != rank)
    return im.emitError(node) << "has " << repeats->size()
                              << " repeats for an input of rank " << rank;
  OpBuilder &b = im.getBuilder();
  Location loc = im.getLoc();
  MLIRContext *context = b.getContext();
  SmallVector<Dim> pairDims, resultDims;
  SmallVector<AffineExpr> inputExprs;
  SmallVector<ReassociationIndices> groups;
  for (auto [d, count] : llvm::enumerate(*repeats)) {
    const Dim &dim = x->dims[d];
    if (count < 0)
      return im.emitError(node) << "has a negative repeat count " << count;
    ReassociationIndices group;
    if (count != 1 && !dim.isStatic())
      return im.emitError(node)
             << "repeats dimension " << d << ", of a size known only at run "
             << "time, " << count << " times; not supported";
    int64_t tiledSize = dim.size;
    if (count != 1 && llvm::MulOverflow(count, dim.size, tiledSize))
      return im.emitError(node) << "repeats dimension " << d << " " << count
                                << " times: the size overflows";
    if (count != 1 && dim.size != 1) {
      group.push_back(pairDims.size());
      pairDims.push_back(Dim::fixed(count));
    }
    group.push_back(pairDims.size());
    bool broadcast = count != 1 && dim.size == 1;
    inputExprs.push_back(broadcast ? b.getAffineConstantExpr(0)
                                   : b.getAffineDimExpr(pairDims.size()));
    pairDims.push_back(broadcast ? Dim::fixed(count) : dim);
    resultDims.push_back(count == 1 ? dim : Dim::fixed(tiledSize));
    groups.push_back(group);
  }
  Tensor pairs;
  pairs.elementType = x->elementType;
  pairs.dims = pairDims;
  int64_t pairRank = pairDims.size();
  auto generic = linalg::GenericOp::create(
      b, loc, pairs.getType(), ValueRange{im.materialize(*x)},
      ValueRange{im.createEmpty(pairDims, x->elementType, {&*x})},
      ArrayRef<AffineMap>{AffineMap::get(pairRank, 0, inputExprs, context),
                          AffineMap::getMultiDimIdentityMap(pairRank, context)},
      SmallVector<utils::IteratorType>(pairRank, utils::IteratorType::parallel),
      [](OpBuilder &b, Location loc, ValueRange args) {
        linalg::YieldOp::create(b, loc, args[0]);
      });
  Tensor result;
  result.elementType = x->elementType;
  result.dims = resultDims;
  result.value =
      pairRank == rank
          ? generic.getResult(0)
          : tensor::CollapseShapeOp::create(b, loc, result.getType(),
                                            generic.getResult(0), groups)
                .getResult();
  im.setOutput(node, 0, std::move(result));
  return success();
}

static LogicalResult importCast(Importer &im, const onnx::NodeProto &node) {
  FailureOr<Tensor> x = im.getInput(node, 0);
  if (failed(x))
    return failure();
  OpBuilder &b = im.getBuilder();
  Type to;
  switch (im.getInt(node, "to", 0)) {
  case onnx::TensorProto::FLOAT:
    to = b.getF32Type();
    break;
  case onnx::TensorProto::INT64:
    to = b.getI64Type();
    break;
  case onnx::TensorProto::INT32:
    to = b.getI32Type();
    break;
  default:
    return im.emitError(node)
           << "casts to element type " << im.getInt(node, "to", 0)
           << ", which is not supported";
  }
  if (to == x->elementType || (x->elements && isa<IntegerType>(to))) {
    Tensor result = *x;
    if (result.elementType != to)
      result.value = nullptr;
    result.elementType = to;
    im.setOutput(node, 0, std::move(result));
    return success();
  }
  Type from = x->elementType;
  FailureOr<Tensor> result = elementwise(
      im, node, {*x}, to,
      [&](OpBuilder &b, Location loc, ValueRange a) -> Value {
        // Booleans are 0 and 1, not 0 and -1.
        bool isBool = from.isInteger(1);
        if (isa<FloatType>(from) && isa<IntegerType>(to))
          return arith::FPToSIOp::create(b, loc, to, a[0]);
        if (isa<IntegerType>(from) && isa<FloatType>(to))
          return isBool ? arith::UIToFPOp::create(b, loc, to, a[0]).getResult()
                        : arith::SIToFPOp::create(b, loc, to, a[0]);
        if (from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth())
          return isBool ? arith::ExtUIOp::create(b, loc, to, a[0]).getResult()
                        : arith::ExtSIOp::create(b, loc, to, a[0]);
        return arith::TruncIOp::create(b, loc, to, a[0]);
      });
  if (failed(result))
    return failure();
  im.setOutput(node, 0, *result);
  return success();
}

static LogicalResult importConstant(Importer &im, const onnx::NodeProto &node) {
  OpBuilder &b = im.getBuilder();
  if (const onnx::AttributeProto *value = im.findAttr(node, "value")) {
    FailureOr<Tensor> t = im.importTensorProto(value->t());
    if (failed(t))
      return failure();
    im.setOutput(node, 0, *t);
    return success();
  }
  if (const onnx::AttributeProto *value = im.findAttr(node, "value_int")) {
    setKnownOutput(im, node, {b.getI64IntegerAttr(value->i())},
                   /*scalar=*/true);
    return success();
  }
  if (const onnx::AttributeProto *value = im.findAttr(node, "value_ints")) {
    SmallVector<OpFoldResult> elements;
    for (int64_t v : value->ints())
      elements.push_back(b.getI64IntegerAttr(v));
    setKnownOutput(im, node, std::move(elements), /*scalar=*/false);
    return success();
  }
  if (const onnx::AttributeProto *value = im.findAttr(node, "value_float")) {
    Value v = arith::ConstantOp::create(
        b, im.getLoc(),
        DenseElementsAttr::get(RankedTensorType::get({}, b.getF32Type()),
                               value->f()));
    im.setOutput(node, 0, v, {});
    return success();
  }
  return im.emitError(node) << "only value, value_int, value_ints and "
                               "value_float are supported";
}

//===----------------------------------------------------------------------===//
// Products and reductions
//===----------------------------------------------------------------------===//

/// lhs (..., K) x rhs (K, N) -> (..., N), as a contraction whose innermost
/// loop runs along rows of rhs and of the result.
static Tensor contract(Importer &im, Tensor &lhs, Tensor &rhs) {
  OpBuilder &b = im.getBuilder();
  Location loc = im.getLoc();
  int64_t outer = lhs.getRank() - 1;
  SmallVector<Dim> dims(lhs.dims.begin(), lhs.dims.end() - 1);
  dims.push_back(rhs.dims[1]);
  Value init = im.createEmpty(dims, lhs.elementType, {&lhs, &rhs});
  init = linalg::FillOp::create(
             b, loc, floatConstant(b, loc, lhs.elementType, 0.0), init)
             .getResult(0);
  // Loops (m..., k, n).
  int64_t numLoops = outer + 2;
  AffineExpr k = b.getAffineDimExpr(outer), n = b.getAffineDimExpr(outer + 1);
  SmallVector<AffineExpr> lhsExprs, outExprs;
  for (int64_t d = 0; d < outer; ++d) {
    lhsExprs.push_back(b.getAffineDimExpr(d));
    outExprs.push_back(b.getAffineDimExpr(d));
  }
  lhsExprs.push_back(k);
  outExprs.push_back(n);
  SmallVector<IteratorType> iterators(numLoops, IteratorType::parallel);
  iterators[outer] = IteratorType::reduction;
  Tensor result;
  result.elementType = lhs.elementType;
  result.dims = dims;
  result.value =
      linalg::GenericOp::create(
          b, loc, init.getType(),
          ValueRange{im.materialize(lhs), im.materialize(rhs)}, init,
          ArrayRef<AffineMap>{
              AffineMap::get(numLoops, 0, lhsExprs, b.getContext()),
              AffineMap::get(numLoops, 0, {k, n}, b.getContext()),
              AffineMap::get(numLoops, 0, outExprs, b.getContext())},
          iterators,
          [](OpBuilder &b, Location loc, ValueRange a) {
            Value product = arith::MulFOp::create(b, loc, a[0], a[1]);
            linalg::YieldOp::create(
                b, loc,
                arith::AddFOp::create(b, loc, a[2], product).getResult());
          })
          .getResult(0);
  return result;
}

/// Reports contractions whose K sizes differ.
static LogicalResult checkContraction(Importer &im, const onnx::NodeProto &node,
                                      const Tensor &lhs, const Tensor &rhs) {
  const Dim &k = lhs.dims.back();
  if (k.isStatic() && rhs.dims[0].isStatic() && k.size != rhs.dims[0].size)
    return im.emitError(node)
           << "contracts sizes " << k.size << " and " << rhs.dims[0].size;
  return success();
}

/// The transpose of a 2-D tensor.
static Tensor transpose2d(Importer &im, Tensor &x) {
  SmallVector<Dim> dims = {x.dims[1], x.dims[0]};
  Value init = im.createEmpty(dims, x.elementType, {&x});
  Tensor result;
  result.elementType = x.elementType;
  result.dims = dims;
  result.value = linalg::TransposeOp::create(im.getBuilder(), im.getLoc(),
                                             im.materialize(x), init,
                                             ArrayRef<int64_t>{1, 0})
                     .getResult()[0];
  return result;
}

/// (B, M, K) x (B, K, N) -> (B, M, N), as linalg.batch_matmul; the batch
/// and K sizes must agree (at run time where they are dynamic).
static LogicalResult importBatchMatMul(Importer &im,
                                       const onnx::NodeProto &node, Tensor &lhs,
                                       Tensor &rhs) {
  for (auto [l, r] : {std::pair(lhs.dims[0], rhs.dims[0]),
                      std::pair(lhs.dims[2], rhs.dims[1])})
    if (l.isStatic() && r.isStatic() && l.size != r.size)
      return im.emitError(node)
             << "multiplies (B, M, K) by (B, K, N) with sizes " << l.size
             << " and " << r.size << " that differ (broadcasting batches "
             << "is not supported)";
  OpBuilder &b = im.getBuilder();
  Location loc = im.getLoc();
  SmallVector<Dim> dims = {lhs.dims[0], lhs.dims[1], rhs.dims[2]};
  Value init = im.createEmpty(dims, lhs.elementType, {&lhs, &rhs});
  init = linalg::FillOp::create(
             b, loc, floatConstant(b, loc, lhs.elementType, 0.0), init)
             .getResult(0);
  Value result =
      linalg::BatchMatmulOp::create(
          b, loc, ValueRange{im.materialize(lhs), im.materialize(rhs)},
          ValueRange{init})
          .getResult(0);
  im.setOutput(node, 0, result, dims);
  return success();
}

static LogicalResult importMatMul(Importer &im, const onnx::NodeProto &node) {
  FailureOr<Tensor> lhs = im.getInput(node, 0);
  FailureOr<Tensor> rhs = im.getInput(node, 1);
  if (failed(lhs) || failed(rhs))
    return failure();
  if (isa<FloatType>(lhs->elementType) &&
      lhs->elementType == rhs->elementType && lhs->getRank() == 3 &&
      rhs->getRank() == 3)
    return importBatchMatMul(im, node, *lhs, *rhs);
  if (!isa<FloatType>(lhs->elementType) || rhs->getRank() != 2 ||
      lhs->getRank() < 2 || lhs->elementType != rhs->elementType)
    return im.emitError(node)
           << "supports float (..., M, K) x (K, N) and (B, M, K) x (B, K, N) "
              "products only";
  if (failed(checkContraction(im, node, *lhs, *rhs)))
    return failure();
  im.setOutput(node, 0, contract(im, *lhs, *rhs));
  return success();
}

static LogicalResult importGemm(Importer &im, const onnx::NodeProto &node) {
  FailureOr<Tensor> a = im.getInput(node, 0);
  FailureOr<Tensor> b = im.getInput(node, 1);
  if (failed(a) || failed(b))
    return failure();
  if (a->getRank() != 2 || b->getRank() != 2 ||
      !isa<FloatType>(a->elementType) || a->elementType != b->elementType)
    return im.emitError(node) << "expects 2-D float operands";
  if (im.getInt(node, "transA", 0))
    a = transpose2d(im, *a);
  if (im.getInt(node, "transB", 0))
    b = transpose2d(im, *b);
  if (failed(checkContraction(im, node, *a, *b)))
    return failure();
  Tensor product = contract(im, *a, *b);
  float alpha = im.getFloat(node, "alpha", 1.0f);
  float beta = im.getFloat(node, "beta", 1.0f);
  SmallVector<Tensor> operands = {product};
  if (im.hasInput(node, 2)) {
    FailureOr<Tensor> c = im.getInput(node, 2);
    if (failed(c))
      return failure();
    if (c->elementType != a->elementType)
      return im.emitError(node) << "C's element type differs from A's";
    operands.push_back(*c);
  }
  FailureOr<Tensor> result =
      elementwise(im, node, operands, a->elementType,
                  [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
                    Type type = args[0].getType();
                    Value v = args[0];
                    if (alpha != 1.0f)
                      v = arith::MulFOp::create(
                          b, loc, v, floatConstant(b, loc, type, alpha));
                    if (args.size() < 2)
                      return v;
                    Value c = args[1];
                    if (beta != 1.0f)
                      c = arith::MulFOp::create(
                          b, loc, c, floatConstant(b, loc, type, beta));
                    return arith::AddFOp::create(b, loc, v, c);
                  });
  if (failed(result))
    return failure();
  im.setOutput(node, 0, *result);
  return success();
}

/// Reduces `x` along `axis` with `combine` from `initial`, keeping the axis
/// as size 1.
static Value reduce(Importer &im, Tensor &x, int64_t axis, double initial,
                    const Body &combine) {
  OpBuilder &b = im.getBuilder();
  Location loc = im.getLoc();
  int64_t rank = x.getRank();
  SmallVector<Dim> dims = x.dims;
  dims[axis] = Dim::fixed(1);
  Value init = im.createEmpty(dims, x.elementType, {&x});
  init = linalg::FillOp::create(
             b, loc, floatConstant(b, loc, x.elementType, initial), init)
             .getResult(0);
  SmallVector<AffineExpr> outExprs;
  SmallVector<IteratorType> iterators;
  for (int64_t d = 0; d < rank; ++d) {
    outExprs.push_back(d == axis ? b.getAffineConstantExpr(0)
                                 : b.getAffineDimExpr(d));
    iterators.push_back(d == axis ? IteratorType::reduction
                                  : IteratorType::parallel);
  }
  return linalg::GenericOp::create(
             b, loc, init.getType(), ValueRange{im.materialize(x)}, init,
             ArrayRef<AffineMap>{
                 b.getMultiDimIdentityMap(rank),
                 AffineMap::get(rank, 0, outExprs, b.getContext())},
             iterators,
             [&](OpBuilder &b, Location loc, ValueRange args) {
               linalg::YieldOp::create(b, loc, combine(b, loc, args));
             })
      .getResult(0);
}

/// ReduceSum, ReduceMean, ReduceMax, ReduceMin: one reduction per axis
/// (keeping it as size 1), the mean divided by the number of elements
/// reduced, the axes dropped without keepdims.
static LogicalResult importReduce(Importer &im, const onnx::NodeProto &node) {
  FailureOr<Tensor> x = im.getInput(node, 0);
  FailureOr<SmallVector<int64_t>> axes = getAxes(im, node, 1);
  if (failed(x) || failed(axes))
    return failure();
  if (!isa<FloatType>(x->elementType))
    return im.emitError(node) << "expects a float input";
  int64_t rank = x->getRank();
  SmallVector<bool> reduced(rank, false);
  if (axes->empty()) {
    if (im.getInt(node, "noop_with_empty_axes", 0)) {
      im.setOutput(node, 0, *x);
      return success();
    }
    reduced.assign(rank, true);
  }
  for (int64_t axis : *axes) {
    FailureOr<int64_t> a = normalizeAxis(im, node, axis, rank);
    if (failed(a))
      return failure();
    reduced[*a] = true;
  }
  StringRef op = node.op_type();
  bool isMax = op == "ReduceMax", isMin = op == "ReduceMin";
  double initial = isMax   ? -std::numeric_limits<double>::infinity()
                   : isMin ? std::numeric_limits<double>::infinity()
                           : 0.0;
  Body combine = [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
    if (isMax)
      return arith::MaximumFOp::create(b, loc, args[0], args[1]);
    if (isMin)
      return arith::MinimumFOp::create(b, loc, args[0], args[1]);
    return arith::AddFOp::create(b, loc, args[0], args[1]);
  };
  OpBuilder &b = im.getBuilder();
  Location loc = im.getLoc();
  Tensor result = *x;
  Value count = arith::ConstantIndexOp::create(b, loc, 1);
  for (int64_t d = 0; d < rank; ++d) {
    if (!reduced[d])
      continue;
    count = b.createOrFold<arith::MulIOp>(
        loc, count,
        getValueOrCreateConstantIndexOp(b, loc, im.getMixedSizes(result)[d]));
    Value value = reduce(im, result, d, initial, combine);
    result.dims[d] = Dim::fixed(1);
    result.value = value;
    result.elements.reset();
  }
  if (op == "ReduceMean") {
    Value asInt = arith::IndexCastOp::create(b, loc, b.getI64Type(), count);
    Value divisor = arith::SIToFPOp::create(b, loc, x->elementType, asInt);
    FailureOr<Tensor> mean =
        elementwise(im, node, {result}, x->elementType,
                    [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
                      return arith::DivFOp::create(b, loc, args[0], divisor);
                    });
    if (failed(mean))
      return failure();
    result = *mean;
  }
  if (!im.getInt(node, "keepdims", 1)) {
    SmallVector<Dim> dims;
    for (auto [d, dim] : llvm::enumerate(result.dims))
      if (!reduced[d])
        dims.push_back(dim);
    Tensor collapsed;
    collapsed.elementType = result.elementType;
    collapsed.dims = dims;
    collapsed.value = tensor::CollapseShapeOp::create(
        b, loc, collapsed.getType(), im.materialize(result),
        getUnitDimReassociation(reduced));
    result = collapsed;
  }
  im.setOutput(node, 0, result);
  return success();
}

static LogicalResult importSoftmax(Importer &im, const onnx::NodeProto &node) {
  FailureOr<Tensor> x = im.getInput(node, 0);
  if (failed(x))
    return failure();
  if (!isa<FloatType>(x->elementType))
    return im.emitError(node) << "expects a float input";
  int64_t rank = x->getRank();
  // Before opset 13 the input was flattened at `axis` (default 1); that is
  // the same as the last axis when it is the last one.
  int64_t defaultAxis = im.getOpset() < 13 ? 1 : -1;
  FailureOr<int64_t> axis =
      normalizeAxis(im, node, im.getInt(node, "axis", defaultAxis), rank);
  if (failed(axis))
    return failure();
  if (im.getOpset() < 13 && *axis != rank - 1)
    return im.emitError(node) << "before opset 13, only the last axis is "
                                 "supported";
  bool isLog = node.op_type() == "LogSoftmax";
  // softmax(x) = exp(x - max) / sum(exp(x - max)); log-softmax subtracts
  // log(sum) instead.
  Tensor maximum = *x;
  maximum.value = reduce(
      im, *x, *axis, -INFINITY, [](OpBuilder &b, Location loc, ValueRange a) {
        return arith::MaximumFOp::create(b, loc, a[0], a[1]).getResult();
      });
  maximum.dims[*axis] = Dim::fixed(1);
  FailureOr<Tensor> shifted = elementwise(
      im, node, {*x, maximum}, x->elementType,
      [](OpBuilder &b, Location loc, ValueRange a) {
        return arith::SubFOp::create(b, loc, a[0], a[1]).getResult();
      });
  if (failed(shifted))
    return failure();
  FailureOr<Tensor> exps =
      elementwise(im, node, {*shifted}, x->elementType,
                  [](OpBuilder &b, Location loc, ValueRange a) {
                    return math::ExpOp::create(b, loc, a[0]).getResult();
                  });
  if (failed(exps))
    return failure();
  Tensor sum = *exps;
  sum.value = reduce(
      im, *exps, *axis, 0.0, [](OpBuilder &b, Location loc, ValueRange a) {
        return arith::AddFOp::create(b, loc, a[0], a[1]).getResult();
      });
  sum.dims[*axis] = Dim::fixed(1);
  FailureOr<Tensor> result =
      isLog
          ? elementwise(im, node, {*shifted, sum}, x->elementType,
                        [](OpBuilder &b, Location loc, ValueRange a) {
                          return arith::SubFOp::create(
                                     b, loc, a[0],
                                     math::LogOp::create(b, loc, a[1]))
                              .getResult();
                        })
          : elementwise(
                im, node, {*exps, sum}, x->elementType,
                [](OpBuilder &b, Location loc, ValueRange a) {
                  return arith::DivFOp::create(b, loc, a[0], a[1]).getResult();
                });
  if (failed(result))
    return failure();
  im.setOutput(node, 0, *result);
  return success();
}

static LogicalResult importIdentity(Importer &im, const onnx::NodeProto &node) {
  FailureOr<Tensor> x = im.getInput(node, 0);
  if (failed(x))
    return failure();
  // Dropout is the identity in inference, which training_mode would change.
  if (node.op_type() == "Dropout" && im.hasInput(node, 2))
    return im.emitError(node) << "the training_mode input is not supported";
  if (node.op_type() == "Dropout" && node.output_size() > 1 &&
      !node.output(1).empty())
    return im.emitError(node) << "the dropout mask output is not supported";
  im.setOutput(node, 0, *x);
  return success();
}

/// The newest default-domain opset the importers are written against. ONNX
/// 1.12 (this suite's node tests) defines opsets up to 17; what opsets 18-22
/// changed in the operators below is new element types, inputs that used to
/// be attributes (Reduce*'s axes: the importers read either form) or new
/// attributes, which the attribute lists refuse (Split's num_outputs,
/// Cast's saturate). Opset 23 and later are not checked.
static constexpr int64_t kNewestOpset = 22;

namespace {
/// How a supported operator is imported, the attributes its importer
/// understands (any other attribute is reported rather than ignored), and
/// the oldest opset whose form of the operator it implements.
struct OperatorImporter {
  LogicalResult (*import)(Importer &, const onnx::NodeProto &);
  ArrayRef<StringRef> attributes = {};
  int64_t sinceVersion = 1;
};
} // namespace

static std::optional<OperatorImporter> lookupOperator(StringRef opType) {
  static constexpr StringRef lstm[] = {
      "activation_alpha", "activation_beta", "activations",  "clip",
      "direction",        "hidden_size",     "input_forget", "layout"};
  // Before opset 12, the ratio was an attribute; it is unused in inference.
  static constexpr StringRef dropout[] = {"ratio", "seed"};
  static constexpr StringRef cast[] = {"to"};
  static constexpr StringRef axis[] = {"axis"};
  static constexpr StringRef axes[] = {"axes"};
  static constexpr StringRef constant[] = {"value", "value_float", "value_int",
                                           "value_ints"};
  static constexpr StringRef constantOfShape[] = {"value"};
  static constexpr StringRef gemm[] = {"alpha", "beta", "transA", "transB"};
  static constexpr StringRef reshape[] = {"allowzero"};
  static constexpr StringRef shape[] = {"start", "end"};
  static constexpr StringRef slice[] = {"starts", "ends", "axes"};
  static constexpr StringRef split[] = {"axis", "split"};
  static constexpr StringRef transpose[] = {"perm"};
  static constexpr StringRef alpha[] = {"alpha"};
  static constexpr StringRef alphaBeta[] = {"alpha", "beta"};
  static constexpr StringRef clip[] = {"min", "max"};
  static constexpr StringRef conv[] = {"auto_pad",     "dilations", "group",
                                       "kernel_shape", "pads",      "strides"};
  static constexpr StringRef pool[] = {
      "auto_pad",     "ceil_mode", "count_include_pad", "dilations",
      "kernel_shape", "pads",      "storage_order",     "strides"};
  // `spatial` (before opset 9) and `momentum` do not change inference.
  static constexpr StringRef batchNorm[] = {"epsilon", "momentum", "spatial",
                                            "training_mode"};
  static constexpr StringRef layerNorm[] = {"axis", "epsilon", "stash_type"};
  static constexpr StringRef reduceAttributes[] = {"axes", "keepdims",
                                                   "noop_with_empty_axes"};
  return llvm::StringSwitch<std::optional<OperatorImporter>>(opType)
      // Opset 1's LSTM had output_sequence and other defaults.
      .Case("LSTM", OperatorImporter{importLSTM, lstm, 7})
      .Cases({"Add", "Sub", "Mul", "Div"}, OperatorImporter{importBinary})
      .Case("Erf", OperatorImporter{importUnary, {}, 9})
      .Cases({"Exp", "Log", "Sqrt", "Neg"}, OperatorImporter{importUnary})
      .Cases({"Relu", "Tanh", "Sigmoid", "Softsign", "Softplus"},
             OperatorImporter{importActivation})
      .Cases({"LeakyRelu", "Elu"}, OperatorImporter{importActivation, alpha})
      .Case("ThresholdedRelu", OperatorImporter{importActivation, alpha, 10})
      .Case("HardSigmoid", OperatorImporter{importActivation, alphaBeta})
      .Case("Clip", OperatorImporter{importClip, clip})
      .Case("Conv", OperatorImporter{importConv, conv})
      .Cases({"MaxPool", "AveragePool"}, OperatorImporter{importPool, pool})
      // Before opset 7, spatial defaulted differently and is_test existed.
      .Case("BatchNormalization",
            OperatorImporter{importBatchNormalization, batchNorm, 7})
      .Case("LayerNormalization",
            OperatorImporter{importLayerNormalization, layerNorm, 17})
      .Case("Identity", OperatorImporter{importIdentity})
      .Case("Dropout", OperatorImporter{importIdentity, dropout, 7})
      // Opset 1's Cast named the type `to` as a string.
      .Case("Cast", OperatorImporter{importCast, cast, 6})
      // Before opset 4, Concat's axis was optional (default 1).
      .Case("Concat", OperatorImporter{importConcat, axis, 4})
      .Case("Constant", OperatorImporter{importConstant, constant})
      .Case("ConstantOfShape",
            OperatorImporter{importConstantOfShape, constantOfShape, 9})
      .Case("Expand", OperatorImporter{importExpand, {}, 8})
      // Before opset 6, Tile took `tiles` and `axis` inputs.
      .Case("Tile", OperatorImporter{importTile, {}, 6})
      .Case("Flatten", OperatorImporter{importFlatten, axis})
      .Case("Gather", OperatorImporter{importGather, axis})
      .Case("Gemm", OperatorImporter{importGemm, gemm})
      .Cases({"Softmax", "LogSoftmax"}, OperatorImporter{importSoftmax, axis})
      .Case("MatMul", OperatorImporter{importMatMul})
      .Cases({"ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin"},
             OperatorImporter{importReduce, reduceAttributes})
      // Before opset 5, the shape was an attribute.
      .Case("Reshape", OperatorImporter{importReshape, reshape, 5})
      .Case("Shape", OperatorImporter{importShape, shape})
      .Case("Slice", OperatorImporter{importSlice, slice})
      .Case("Split", OperatorImporter{importSplit, split})
      .Case("Squeeze", OperatorImporter{importSqueeze, axes})
      .Case("Unsqueeze", OperatorImporter{importUnsqueeze, axes})
      .Case("Transpose", OperatorImporter{importTranspose, transpose})
      .Default(std::nullopt);
}

LogicalResult onnx_import::importNode(Importer &im,
                                      const onnx::NodeProto &node) {
  if (!node.domain().empty() && node.domain() != "ai.onnx")
    return im.emitError(node)
           << "operators of domain '" << node.domain() << "' are not supported";
  std::optional<OperatorImporter> op = lookupOperator(node.op_type());
  if (!op)
    return im.emitError(node)
           << "operator " << node.op_type() << " is not supported";
  if (im.getOpset() < op->sinceVersion || im.getOpset() > kNewestOpset)
    return im.emitError(node)
           << "operator " << node.op_type() << " of opset " << im.getOpset()
           << " is not supported; supported: opsets " << op->sinceVersion
           << " to " << kNewestOpset;
  if (failed(im.checkAttributes(node, op->attributes)))
    return failure();
  return op->import(im, node);
}
