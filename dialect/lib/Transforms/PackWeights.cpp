//===- PackWeights.cpp - lstm.layer to lstm.recurrence ----------*- C++ -*-===//
//
// The kernels read weights one block of hidden units at a time, all four
// gates of the block together, one input feature after the other. This pass
// expresses that layout change with upstream tensor ops, so that it folds
// away for constant weights and still works for weights given at run time.
//
//===----------------------------------------------------------------------===//

#include "lstm/Dialect/LSTM/IR/LSTM.h"
#include "lstm/Dialect/LSTM/Transforms/Passes.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"
#include "llvm/Support/MathExtras.h"

namespace mlir::lstm {
#define GEN_PASS_DEF_LSTMPACKWEIGHTS
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
        b, loc, RankedTensorType::get(shape, type.getElementType()), value, low,
        high, zero);
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

struct PackLayerWeights : OpRewritePattern<LayerOp> {
  PackLayerWeights(MLIRContext *context, int64_t blockSize)
      : OpRewritePattern(context), blockSize(blockSize) {}

  LogicalResult matchAndRewrite(LayerOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    WeightPacker packer(rewriter, loc, blockSize);
    Value weightIH = packer.packGates(op.getWeightIh());
    Value weightHH = packer.packGates(op.getWeightHh());
    Value bias;
    if (op.getBiasIh()) {
      Value biasIH = packer.packGates(op.getBiasIh());
      Value biasHH = packer.packGates(op.getBiasHh());
      Value sum = tensor::EmptyOp::create(
          rewriter, loc, cast<RankedTensorType>(biasIH.getType()).getShape(),
          rewriter.getF32Type());
      bias =
          linalg::AddOp::create(rewriter, loc, ValueRange{biasIH, biasHH}, sum)
              .getResult(0);
    }
    Value weightHR =
        op.getWeightHr() ? packer.packPanels(op.getWeightHr()) : Value();
    // p_i, p_f, p_o padded with a zero fourth gate pack like the gates.
    Value peephole;
    if (Value p = op.getPeephole())
      peephole =
          packer.packGates(packer.padDim(p, /*dim=*/0, 4 * op.getHiddenSize()));

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
      outs.push_back(
          tensor::EmptyOp::create(rewriter, loc, sizes, rewriter.getF32Type()));
    }
    auto recurrence = RecurrenceOp::create(
        rewriter, loc, op.getResultTypes(), op.getInput(), weightIH, weightHH,
        bias, weightHR, peephole, op.getH0(), op.getC0(), op.getLengths(), outs,
        op.getReverse(), op.getActivationsAttr(), op.getClipAttr(),
        op.getInputForget());
    rewriter.replaceOp(op, recurrence.getResults());
    return success();
  }

  int64_t blockSize;
};

struct LSTMPackWeights : lstm::impl::LSTMPackWeightsBase<LSTMPackWeights> {
  using Base::Base;

  void runOnOperation() override {
    if (blockSize <= 0) {
      getOperation()->emitError("block-size must be positive");
      return signalPassFailure();
    }
    RewritePatternSet patterns(&getContext());
    populatePackWeightsPatterns(patterns, blockSize);
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};
} // namespace

void mlir::lstm::populatePackWeightsPatterns(RewritePatternSet &patterns,
                                             int64_t blockSize) {
  patterns.add<PackLayerWeights>(patterns.getContext(), blockSize);
}
