//===- LowerGather.cpp - lstm.gather to linalg.generic ----------*- C++ -*-===//

#include "lstm/Dialect/LSTM/IR/LSTM.h"
#include "lstm/Dialect/LSTM/Transforms/Passes.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

namespace mlir::lstm {
#define GEN_PASS_DEF_LSTMLOWERGATHER
#include "lstm/Dialect/LSTM/Transforms/Passes.h.inc"
} // namespace mlir::lstm

using namespace mlir;
using namespace mlir::lstm;

namespace {
struct LowerGatherOp : OpRewritePattern<GatherOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(GatherOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    int64_t axis = op.getAxis();
    int64_t indexRank = op.getIndices().getType().getRank();
    auto resultType = cast<RankedTensorType>(op.getType());
    int64_t rank = resultType.getRank();
    ReifiedRankedShapedTypeDims sizes;
    if (failed(op.reifyResultShapes(rewriter, sizes)))
      return failure();
    Value init = tensor::EmptyOp::create(rewriter, loc, sizes[0],
                                         resultType.getElementType());
    Value extent = getValueOrCreateConstantIndexOp(
        rewriter, loc,
        tensor::getMixedSize(rewriter, loc, op.getSource(), axis));
    SmallVector<AffineExpr> indexExprs;
    for (int64_t d = 0; d < indexRank; ++d)
      indexExprs.push_back(rewriter.getAffineDimExpr(axis + d));
    AffineMap indexMap =
        AffineMap::get(rank, 0, indexExprs, rewriter.getContext());
    bool wrapNegative = op.getWrapNegative();
    Value source = op.getSource();
    auto generic = linalg::GenericOp::create(
        rewriter, loc, resultType, ValueRange{op.getIndices()}, init,
        ArrayRef<AffineMap>{indexMap, rewriter.getMultiDimIdentityMap(rank)},
        SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel),
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value index =
              arith::IndexCastOp::create(b, loc, b.getIndexType(), args[0]);
          Value zero = arith::ConstantIndexOp::create(b, loc, 0);
          if (wrapNegative) {
            Value negative = arith::CmpIOp::create(
                b, loc, arith::CmpIPredicate::slt, index, zero);
            index = arith::SelectOp::create(
                b, loc, negative, arith::AddIOp::create(b, loc, index, extent),
                index);
          }
          // Out-of-range indices have failed the call's value check; the
          // read stays in bounds all the same.
          Value last = arith::SubIOp::create(
              b, loc, extent, arith::ConstantIndexOp::create(b, loc, 1));
          index = arith::MaxSIOp::create(
              b, loc, arith::MinSIOp::create(b, loc, index, last), zero);
          SmallVector<Value> at;
          for (int64_t d = 0; d < axis; ++d)
            at.push_back(linalg::IndexOp::create(b, loc, d));
          at.push_back(index);
          for (int64_t d = axis + indexRank; d < rank; ++d)
            at.push_back(linalg::IndexOp::create(b, loc, d));
          linalg::YieldOp::create(
              b, loc,
              tensor::ExtractOp::create(b, loc, source, at).getResult());
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

struct LSTMLowerGather : lstm::impl::LSTMLowerGatherBase<LSTMLowerGather> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateLowerGatherPatterns(patterns);
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};
} // namespace

void mlir::lstm::populateLowerGatherPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerGatherOp>(patterns.getContext());
}
