//===- FoldBatchNorm.cpp - Batch normalization into convolutions -*- C++ -*-=//
//
// In inference, batch normalization is a per-channel affine map,
// y = a[c] * x + (bias[c] - a[c] * mean[c]) with a = scale / sqrt(var +
// eps); after a convolution it folds into the convolution's weights and
// bias at compile time, as PyTorch's fuse_conv_bn_eval and ONNX Runtime's
// ConvBNFusion do.
//
//===----------------------------------------------------------------------===//

#include "ConstantBytes.h"

#include "lstm/Dialect/LSTM/IR/LSTM.h"
#include "lstm/Dialect/LSTM/Transforms/Passes.h"

#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include <cmath>
#include <cstring>

namespace mlir::lstm {
#define GEN_PASS_DEF_LSTMFOLDBATCHNORM
#include "lstm/Dialect/LSTM/Transforms/Passes.h.inc"
} // namespace mlir::lstm

using namespace mlir;
using namespace mlir::lstm;

namespace {
/// The elements of an f32 constant.
struct ConstantFloats {
  ConstantBytes bytes;

  float operator[](int64_t i) const {
    float value;
    std::memcpy(&value, bytes.bytes.data() + i * sizeof(float), sizeof(float));
    return value;
  }
};

std::optional<ConstantFloats> matchConstantFloats(Value value) {
  Attribute attr;
  std::optional<ConstantBytes> bytes = matchConstantBytes(value, attr);
  if (!bytes || !bytes->type.getElementType().isF32())
    return std::nullopt;
  return ConstantFloats{std::move(*bytes)};
}

/// An f32 constant of `type`, of the kind (dense or dense_resource) of
/// `like`, holding `values`.
Value createConstant(PatternRewriter &rewriter, Location loc,
                     const ConstantBytes &like, RankedTensorType type,
                     ArrayRef<float> values) {
  AsmResourceBlob blob =
      allocateBlob(values.size() * sizeof(float), alignof(float));
  std::memcpy(blob.getMutableData().data(), values.data(),
              values.size() * sizeof(float));
  return arith::ConstantOp::create(
      rewriter, loc, cast<TypedAttr>(like.create(type, std::move(blob))));
}

struct FoldBatchNormIntoConv : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(BatchNormOp op,
                                PatternRewriter &rewriter) const override {
    auto conv = op.getInput().getDefiningOp<ConvOp>();
    // A convolution used elsewhere too would have to be computed twice.
    if (!conv || !conv->hasOneUse())
      return rewriter.notifyMatchFailure(op, "not the only user of a conv");
    std::optional<ConstantFloats> weight =
        matchConstantFloats(conv.getWeight());
    std::optional<ConstantFloats> scale = matchConstantFloats(op.getScale());
    std::optional<ConstantFloats> shift = matchConstantFloats(op.getBias());
    std::optional<ConstantFloats> mean = matchConstantFloats(op.getMean());
    std::optional<ConstantFloats> variance =
        matchConstantFloats(op.getVariance());
    std::optional<ConstantFloats> bias;
    if (conv.getBias())
      bias = matchConstantFloats(conv.getBias());
    if (!weight || !scale || !shift || !mean || !variance ||
        (conv.getBias() && !bias))
      return rewriter.notifyMatchFailure(op, "parameters are not constants");

    RankedTensorType weightType = conv.getWeight().getType();
    int64_t filters = weightType.getDimSize(0);
    int64_t perFilter = weightType.getNumElements() / filters;
    float epsilon = op.getEpsilon().convertToFloat();
    SmallVector<float> newWeight(weightType.getNumElements());
    SmallVector<float> newBias(filters);
    for (int64_t f = 0; f < filters; ++f) {
      float factor = (*scale)[f] / std::sqrt((*variance)[f] + epsilon);
      for (int64_t i = 0; i < perFilter; ++i)
        newWeight[f * perFilter + i] = (*weight)[f * perFilter + i] * factor;
      float b = bias ? (*bias)[f] : 0.0f;
      newBias[f] = (b - (*mean)[f]) * factor + (*shift)[f];
    }
    Location loc = conv.getLoc();
    Value weightValue =
        createConstant(rewriter, loc, weight->bytes, weightType, newWeight);
    Value biasValue = createConstant(
        rewriter, loc, shift->bytes,
        RankedTensorType::get({filters}, rewriter.getF32Type()), newBias);
    rewriter.replaceOpWithNewOp<ConvOp>(
        op, op.getType(), conv.getInput(), weightValue, biasValue,
        conv.getStridesAttr(), conv.getDilationsAttr(), conv.getPaddingAttr(),
        conv.getGroupsAttr());
    rewriter.eraseOp(conv);
    return success();
  }
};

struct LSTMFoldBatchNorm
    : lstm::impl::LSTMFoldBatchNormBase<LSTMFoldBatchNorm> {
  void runOnOperation() override {
    if (failed(verifyResourceSizes(getOperation())))
      return signalPassFailure();
    RewritePatternSet patterns(&getContext());
    populateFoldBatchNormPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

void mlir::lstm::populateFoldBatchNormPatterns(RewritePatternSet &patterns) {
  patterns.add<FoldBatchNormIntoConv>(patterns.getContext());
}
