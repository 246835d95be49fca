//===- HoistInputProjection.cpp - lstm.layer to lstm.recurrence -*- C++ -*-===//
//
// The input projection W_ih x_t does not depend on the recurrence, so it is
// computed for all time steps at once, as one large contraction, before the
// time loop. What is left per step is the recurrent product h_{t-1} W_hh^T,
// which lstm.recurrence fuses with the gate math.
//
//===----------------------------------------------------------------------===//

#include "lstm/Dialect/LSTM/IR/LSTM.h"
#include "lstm/Dialect/LSTM/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"
#include "llvm/Support/MathExtras.h"

namespace mlir::lstm {
#define GEN_PASS_DEF_LSTMHOISTINPUTPROJECTION
#include "lstm/Dialect/LSTM/Transforms/Passes.h.inc"
} // namespace mlir::lstm

using namespace mlir;
using namespace mlir::lstm;

namespace {
/// Builds the packed weight layouts of lstm.recurrence from PyTorch's, with
/// hidden units in blocks of `blockSize`.
class WeightPacker {
public:
  WeightPacker(OpBuilder &b, Location loc, int64_t blockSize)
      : b(b), loc(loc), blockSize(blockSize) {}

  /// (4H, K) -> (nb, K, 4B), or (4H) -> (nb, 4B) for biases: gate q of
  /// hidden unit j * B + u moves to column (4 * j + q) * B + u.
  Value packGates(Value weight) {
    auto type = cast<RankedTensorType>(weight.getType());
    bool hasFeatures = type.getRank() == 2;
    int64_t hidden = type.getDimSize(0) / 4;
    int64_t numBlocks = llvm::divideCeil(hidden, blockSize);
    SmallVector<int64_t> features;
    if (hasFeatures)
      features.push_back(type.getDimSize(1));

    // (4H, K) -> (4, H, K) -> (4, Hp, K) -> (4, nb, B, K).
    Value value = reshape(weight, concat({4, hidden}, features));
    value = padDim(value, /*dim=*/1, numBlocks * blockSize);
    value = reshape(value, concat({4, numBlocks, blockSize}, features));
    // -> (nb, K, 4, B) -> (nb, K, 4B).
    SmallVector<int64_t> perm = hasFeatures ? SmallVector<int64_t>{1, 3, 0, 2}
                                            : SmallVector<int64_t>{1, 0, 2};
    value = transpose(value, perm);
    return reshape(value, concat({numBlocks}, features, {4 * blockSize}));
  }

  /// (P, H) -> (np, H, B): the projection as panels over its outputs.
  Value packPanels(Value weight) {
    auto type = cast<RankedTensorType>(weight.getType());
    int64_t outputs = type.getDimSize(0), hidden = type.getDimSize(1);
    int64_t numBlocks = llvm::divideCeil(outputs, blockSize);
    Value value = padDim(weight, /*dim=*/0, numBlocks * blockSize);
    value = reshape(value, {numBlocks, blockSize, hidden});
    return transpose(value, {0, 2, 1});
  }

private:
  static SmallVector<int64_t> concat(ArrayRef<int64_t> a, ArrayRef<int64_t> b,
                                     ArrayRef<int64_t> c = {}) {
    SmallVector<int64_t> result(a);
    llvm::append_range(result, b);
    llvm::append_range(result, c);
    return result;
  }

  Value reshape(Value value, ArrayRef<int64_t> shape) {
    auto type = cast<RankedTensorType>(value.getType());
    auto newType = RankedTensorType::get(shape, type.getElementType());
    std::optional<SmallVector<ReassociationIndices>> reassociation =
        getReassociationIndicesForReshape(type, newType);
    assert(reassociation && "packing reshapes only split or merge dims");
    if (newType.getRank() > type.getRank())
      return tensor::ExpandShapeOp::create(b, loc, newType, value,
                                           *reassociation);
    return tensor::CollapseShapeOp::create(b, loc, newType, value,
                                           *reassociation);
  }

  /// Pads `dim` with zeros at the end up to `size`.
  Value padDim(Value value, int64_t dim, int64_t size) {
    auto type = cast<RankedTensorType>(value.getType());
    if (type.getDimSize(dim) == size)
      return value;
    SmallVector<int64_t> shape(type.getShape());
    SmallVector<OpFoldResult> low(type.getRank(), b.getIndexAttr(0));
    SmallVector<OpFoldResult> high = low;
    high[dim] = b.getIndexAttr(size - shape[dim]);
    shape[dim] = size;
    Value zero =
        arith::ConstantOp::create(b, loc, b.getZeroAttr(type.getElementType()));
    return tensor::PadOp::create(
        b, loc, RankedTensorType::get(shape, type.getElementType()), value,
        low, high, zero);
  }

  Value transpose(Value value, ArrayRef<int64_t> perm) {
    auto type = cast<RankedTensorType>(value.getType());
    SmallVector<int64_t> shape;
    for (int64_t dim : perm)
      shape.push_back(type.getDimSize(dim));
    Value init = tensor::EmptyOp::create(b, loc, shape, type.getElementType());
    return linalg::TransposeOp::create(b, loc, value, init, perm)
        .getResult()[0];
  }

  OpBuilder &b;
  Location loc;
  int64_t blockSize;
};

struct HoistInputProjection : OpRewritePattern<LayerOp> {
  HoistInputProjection(MLIRContext *context, int64_t blockSize)
      : OpRewritePattern(context), blockSize(blockSize) {}

  LogicalResult matchAndRewrite(LayerOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    WeightPacker packer(rewriter, loc, blockSize);
    Type f32 = rewriter.getF32Type();
    int64_t numBlocks = llvm::divideCeil(op.getHiddenSize(), blockSize);

    // gates[t, n, j, c] = b_ih[j, c] + b_hh[j, c], in the packed layout.
    SmallVector<OpFoldResult> gateSizes =
        tensor::getMixedSizes(rewriter, loc, op.getInput());
    gateSizes.back() = rewriter.getIndexAttr(numBlocks);
    gateSizes.push_back(rewriter.getIndexAttr(4 * blockSize));
    Value gates = tensor::EmptyOp::create(rewriter, loc, gateSizes, f32);
    MLIRContext *ctx = rewriter.getContext();
    AffineExpr t, n, j, k, c;
    bindDims(ctx, t, n, j, k, c);
    if (op.getBiasIh()) {
      Value biasIH = packer.packGates(op.getBiasIh());
      Value biasHH = packer.packGates(op.getBiasHh());
      // (t, n, j, c) -> (j, c)
      auto biasMap = AffineMap::get(
          4, 0, {getAffineDimExpr(2, ctx), getAffineDimExpr(3, ctx)}, ctx);
      AffineMap identity = rewriter.getMultiDimIdentityMap(4);
      gates = linalg::GenericOp::create(
                  rewriter, loc, gates.getType(), ValueRange{biasIH, biasHH},
                  gates, ArrayRef<AffineMap>{biasMap, biasMap, identity},
                  SmallVector<utils::IteratorType>(
                      4, utils::IteratorType::parallel),
                  [](OpBuilder &b, Location loc, ValueRange args) {
                    Value sum = arith::AddFOp::create(b, loc, args[0], args[1]);
                    linalg::YieldOp::create(b, loc, sum);
                  })
                  .getResult(0);
    } else {
      Value zero = arith::ConstantOp::create(rewriter, loc,
                                             rewriter.getZeroAttr(f32));
      gates = linalg::FillOp::create(rewriter, loc, zero, gates).getResult(0);
    }

    // gates[t, n, j, c] += x[t, n, k] * W_ih[j, k, c]: c innermost, so that
    // every step of the reduction is a contiguous row of the packed weights.
    Value weightIH = packer.packGates(op.getWeightIh());
    using utils::IteratorType;
    gates = linalg::GenericOp::create(
                rewriter, loc, gates.getType(),
                ValueRange{op.getInput(), weightIH}, gates,
                ArrayRef<AffineMap>{AffineMap::get(5, 0, {t, n, k}, ctx),
                                    AffineMap::get(5, 0, {j, k, c}, ctx),
                                    AffineMap::get(5, 0, {t, n, j, c}, ctx)},
                ArrayRef<IteratorType>{
                    IteratorType::parallel, IteratorType::parallel,
                    IteratorType::parallel, IteratorType::reduction,
                    IteratorType::parallel},
                [](OpBuilder &b, Location loc, ValueRange args) {
                  Value product =
                      arith::MulFOp::create(b, loc, args[0], args[1]);
                  Value sum = arith::AddFOp::create(b, loc, args[2], product);
                  linalg::YieldOp::create(b, loc, sum);
                })
                .getResult(0);

    Value weightHH = packer.packGates(op.getWeightHh());
    Value weightHR =
        op.getWeightHr() ? packer.packPanels(op.getWeightHr()) : Value();
    SmallVector<Value> outs;
    for (Value result : op.getResults()) {
      auto type = cast<RankedTensorType>(result.getType());
      SmallVector<OpFoldResult> sizes;
      // Results take their dynamic sizes from the operand they mirror.
      Value source = type.getRank() == 3 ? op.getInput() : op.getH0();
      for (int64_t dim = 0; dim < type.getRank(); ++dim)
        sizes.push_back(type.isDynamicDim(dim)
                            ? tensor::getMixedSize(rewriter, loc, source, dim)
                            : rewriter.getIndexAttr(type.getDimSize(dim)));
      outs.push_back(tensor::EmptyOp::create(rewriter, loc, sizes, f32));
    }
    auto recurrence = RecurrenceOp::create(
        rewriter, loc, op.getResultTypes(), gates, weightHH, weightHR,
        op.getH0(), op.getC0(), op.getLengths(), outs, op.getReverse());
    rewriter.replaceOp(op, recurrence.getResults());
    return success();
  }

  int64_t blockSize;
};

struct LSTMHoistInputProjection
    : lstm::impl::LSTMHoistInputProjectionBase<LSTMHoistInputProjection> {
  using Base::Base;

  void runOnOperation() override {
    if (blockSize <= 0) {
      getOperation()->emitError("block-size must be positive");
      return signalPassFailure();
    }
    RewritePatternSet patterns(&getContext());
    populateHoistInputProjectionPatterns(patterns, blockSize);
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};
} // namespace

void mlir::lstm::populateHoistInputProjectionPatterns(
    RewritePatternSet &patterns, int64_t blockSize) {
  patterns.add<HoistInputProjection>(patterns.getContext(), blockSize);
}
