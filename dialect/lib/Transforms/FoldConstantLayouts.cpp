//===- FoldConstantLayouts.cpp - Repack constant weights --------*- C++ -*-===//
//
// Upstream folders leave large constants alone (and never look into
// dense_resource blobs), but model weights are exactly that: large
// constants that the lowering wants in another layout. These patterns
// evaluate the layout ops on the bytes directly.
//
//===----------------------------------------------------------------------===//

#include "ConstantBytes.h"

#include "lstm/Dialect/LSTM/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::lstm {
#define GEN_PASS_DEF_LSTMFOLDCONSTANTLAYOUTS
#include "lstm/Dialect/LSTM/Transforms/Passes.h.inc"
} // namespace mlir::lstm

using namespace mlir;
using namespace mlir::lstm;

namespace {
/// expand_shape and collapse_shape of a constant: the same bytes.
template <typename ReshapeOp>
struct FoldConstantReshape : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern<ReshapeOp>::OpRewritePattern;

  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    Attribute attr;
    std::optional<ConstantBytes> source = matchConstantBytes(op.getSrc(), attr);
    auto type = cast<RankedTensorType>(op.getType());
    if (!source || !type.hasStaticShape())
      return failure();
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        op, cast<TypedAttr>(source->reshaped(type, attr)));
    return success();
  }
};

/// tensor.pad with static amounts and a constant value.
struct FoldConstantPad : OpRewritePattern<tensor::PadOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tensor::PadOp op,
                                PatternRewriter &rewriter) const override {
    Attribute attr, padAttr;
    std::optional<ConstantBytes> source =
        matchConstantBytes(op.getSource(), attr);
    Value padValue = op.getConstantPaddingValue();
    if (!source || !padValue || !matchPattern(padValue, m_Constant(&padAttr)))
      return failure();
    if (!op.getLow().empty() || !op.getHigh().empty())
      return failure(); // dynamic padding amounts
    auto padElements = DenseElementsAttr::get(
        RankedTensorType::get({}, padValue.getType()), padAttr);
    ArrayRef<char> pad = padElements.getRawData();

    RankedTensorType type = op.getResultType();
    ArrayRef<int64_t> srcShape = source->type.getShape();
    int64_t elementSize = source->elementSize();
    AsmResourceBlob blob =
        allocateBlob(type.getNumElements() * elementSize, elementSize);
    MutableArrayRef<char> out = blob.getMutableData();
    for (int64_t i = 0, e = type.getNumElements(); i < e; ++i)
      std::memcpy(out.data() + i * elementSize, pad.data(), elementSize);

    // Copy the source row by row (its innermost dimension is contiguous in
    // both tensors).
    SmallVector<int64_t> dstStrides = computeStrides(type.getShape());
    ArrayRef<int64_t> low = op.getStaticLow();
    int64_t rowLength = srcShape.back();
    int64_t numRows =
        source->type.getNumElements() / std::max<int64_t>(rowLength, 1);
    SmallVector<int64_t> outerShape(srcShape.drop_back());
    for (int64_t row = 0; row < numRows && rowLength > 0; ++row) {
      SmallVector<int64_t> index =
          outerShape.empty() ? SmallVector<int64_t>{}
                             : delinearize(row, computeStrides(outerShape));
      index.push_back(0);
      int64_t dst = 0;
      for (auto [d, i] : llvm::enumerate(index))
        dst += (i + low[d]) * dstStrides[d];
      std::memcpy(out.data() + dst * elementSize,
                  source->bytes.data() + row * rowLength * elementSize,
                  rowLength * elementSize);
    }
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        op, cast<TypedAttr>(source->create(type, std::move(blob))));
    return success();
  }
};

/// linalg.transpose of a constant.
struct FoldConstantTranspose : OpRewritePattern<linalg::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(linalg::TransposeOp op,
                                PatternRewriter &rewriter) const override {
    Attribute attr;
    std::optional<ConstantBytes> source =
        matchConstantBytes(op.getInput(), attr);
    if (!source || !op.hasPureTensorSemantics())
      return failure();
    auto type = cast<RankedTensorType>(op.getResult()[0].getType());
    ArrayRef<int64_t> perm = op.getPermutation();
    int64_t rank = type.getRank();
    int64_t elementSize = source->elementSize();
    SmallVector<int64_t> srcStrides = computeStrides(source->type.getShape());
    // Walk the result in order; `offset` tracks the matching source element.
    SmallVector<int64_t> step(rank), index(rank, 0);
    for (int64_t d = 0; d < rank; ++d)
      step[d] = srcStrides[perm[d]];
    AsmResourceBlob blob =
        allocateBlob(type.getNumElements() * elementSize, elementSize);
    char *out = blob.getMutableData().data();
    const char *in = source->bytes.data();
    int64_t offset = 0;
    for (int64_t i = 0, e = type.getNumElements(); i < e; ++i) {
      std::memcpy(out + i * elementSize, in + offset * elementSize,
                  elementSize);
      for (int64_t d = rank - 1; d >= 0; --d) {
        if (++index[d] < type.getDimSize(d)) {
          offset += step[d];
          break;
        }
        offset -= step[d] * (type.getDimSize(d) - 1);
        index[d] = 0;
      }
    }
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        op, cast<TypedAttr>(source->create(type, std::move(blob))));
    return success();
  }
};

/// tensor.extract_slice with static offsets, sizes and strides.
struct FoldConstantExtractSlice : OpRewritePattern<tensor::ExtractSliceOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tensor::ExtractSliceOp op,
                                PatternRewriter &rewriter) const override {
    Attribute attr;
    std::optional<ConstantBytes> source =
        matchConstantBytes(op.getSource(), attr);
    if (!source || !op.getOffsets().empty() || !op.getSizes().empty() ||
        !op.getStrides().empty())
      return failure();
    // The result drops unit dimensions the slice may rank-reduce away; walk
    // the full-rank slice, whose elements are the result's in order.
    ArrayRef<int64_t> offsets = op.getStaticOffsets();
    ArrayRef<int64_t> sizes = op.getStaticSizes();
    ArrayRef<int64_t> strides = op.getStaticStrides();
    SmallVector<int64_t> srcStrides = computeStrides(source->type.getShape());
    int64_t rank = sizes.size();
    int64_t elementSize = source->elementSize();
    RankedTensorType type = op.getResultType();
    AsmResourceBlob blob =
        allocateBlob(type.getNumElements() * elementSize, elementSize);
    char *out = blob.getMutableData().data();
    SmallVector<int64_t> index(rank, 0);
    for (int64_t i = 0, e = type.getNumElements(); i < e; ++i) {
      int64_t offset = 0;
      for (int64_t d = 0; d < rank; ++d)
        offset += (offsets[d] + index[d] * strides[d]) * srcStrides[d];
      std::memcpy(out + i * elementSize,
                  source->bytes.data() + offset * elementSize, elementSize);
      for (int64_t d = rank - 1; d >= 0; --d) {
        if (++index[d] < sizes[d])
          break;
        index[d] = 0;
      }
    }
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        op, cast<TypedAttr>(source->create(type, std::move(blob))));
    return success();
  }
};

/// tensor.concat of constants of one kind.
struct FoldConstantConcat : OpRewritePattern<tensor::ConcatOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(tensor::ConcatOp op,
                                PatternRewriter &rewriter) const override {
    SmallVector<ConstantBytes> inputs;
    for (Value input : op.getInputs()) {
      Attribute attr;
      std::optional<ConstantBytes> bytes = matchConstantBytes(input, attr);
      if (!bytes)
        return failure();
      inputs.push_back(std::move(*bytes));
    }
    RankedTensorType type = op.getResultType();
    if (!type.hasStaticShape())
      return failure();
    int64_t dim = op.getDim();
    int64_t elementSize = inputs.front().elementSize();
    // Every input contributes, per index of the dimensions before `dim`, one
    // contiguous run of its trailing dimensions.
    int64_t outer = 1;
    for (int64_t d = 0; d < dim; ++d)
      outer *= type.getDimSize(d);
    AsmResourceBlob blob =
        allocateBlob(type.getNumElements() * elementSize, elementSize);
    char *out = blob.getMutableData().data();
    for (int64_t o = 0; o < outer; ++o)
      for (const ConstantBytes &input : inputs) {
        int64_t run = input.type.getNumElements() / outer * elementSize;
        std::memcpy(out, input.bytes.data() + o * run, run);
        out += run;
      }
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        op, cast<TypedAttr>(inputs.front().create(type, std::move(blob))));
    return success();
  }
};

struct LSTMFoldConstantLayouts
    : lstm::impl::LSTMFoldConstantLayoutsBase<LSTMFoldConstantLayouts> {
  void runOnOperation() override {
    // The patterns read the blobs' bytes by their types' sizes.
    if (failed(verifyResourceSizes(getOperation())))
      return signalPassFailure();
    RewritePatternSet patterns(&getContext());
    populateFoldConstantLayoutPatterns(patterns);
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace

LogicalResult mlir::lstm::verifyResourceSizes(Operation *root) {
  WalkResult result = root->walk([](Operation *op) {
    for (NamedAttribute attr : op->getAttrs()) {
      auto resource = dyn_cast<DenseResourceElementsAttr>(attr.getValue());
      if (!resource)
        continue;
      ShapedType type = resource.getType();
      StringRef key = resource.getRawHandle().getKey();
      AsmResourceBlob *blob = resource.getRawHandle().getBlob();
      if (!blob) {
        op->emitError() << "dense_resource '" << key << "' has no data";
        return WalkResult::interrupt();
      }
      Type element = type.getElementType();
      if (!type.hasStaticShape() || !element.isIntOrFloat() ||
          element.getIntOrFloatBitWidth() % 8 != 0) {
        op->emitError() << "dense_resource '" << key << "' has type " << type
                        << "; supported: static shapes of whole-byte "
                           "integers and floats";
        return WalkResult::interrupt();
      }
      int64_t expected = element.getIntOrFloatBitWidth() / 8;
      for (int64_t d : type.getShape())
        if (__builtin_mul_overflow(expected, d, &expected)) {
          op->emitError() << "dense_resource '" << key << "' has type " << type
                          << ", too large for memory";
          return WalkResult::interrupt();
        }
      int64_t actual = blob->getData().size();
      if (actual != expected) {
        op->emitError() << "dense_resource '" << key << "' holds " << actual
                        << " bytes, but its type " << type << " needs "
                        << expected;
        return WalkResult::interrupt();
      }
    }
    return WalkResult::advance();
  });
  return failure(result.wasInterrupted());
}

void mlir::lstm::populateFoldConstantLayoutPatterns(
    RewritePatternSet &patterns) {
  patterns
      .add<FoldConstantReshape<tensor::ExpandShapeOp>,
           FoldConstantReshape<tensor::CollapseShapeOp>, FoldConstantPad,
           FoldConstantTranspose, FoldConstantExtractSlice, FoldConstantConcat>(
          patterns.getContext());
}
