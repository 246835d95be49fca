//===- LinalgToVector.cpp - Vectorize the ops around LSTMs ------*- C++ -*-===//

#include "lstm/Conversion/LinalgToVector/LinalgToVector.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::lstm {
#define GEN_PASS_DEF_CONVERTLINALGTOVECTOR
#include "lstm/Conversion/Passes.h.inc"
} // namespace mlir::lstm

using namespace mlir;

/// The vector size along the innermost loop of `op`, if it is vectorized.
static std::optional<int64_t> getInnermostVectorSize(linalg::LinalgOp op,
                                                     int64_t vectorSize,
                                                     int64_t maxVectorSize) {
  int64_t extent = op.getStaticLoopRanges().back();
  bool isStatic = !ShapedType::isDynamic(extent);
  if (isStatic && extent <= maxVectorSize)
    return extent;
  // Masked reductions have no lowering to plain vector code.
  if (linalg::isReductionIterator(op.getIteratorTypesArray().back()) &&
      !(isStatic && extent % vectorSize == 0))
    return std::nullopt;
  return vectorSize;
}

LogicalResult lstm::tileAndVectorize(RewriterBase &rewriter,
                                     linalg::LinalgOp op, int64_t vectorSize,
                                     int64_t maxVectorSize) {
  int64_t numLoops = op.getNumLoops();
  if (numLoops == 0 || !op.hasPureTensorSemantics())
    return failure();
  std::optional<int64_t> innermost =
      getInnermostVectorSize(op, vectorSize, maxVectorSize);
  if (!innermost || *innermost == 0)
    return failure();

  SmallVector<OpFoldResult> tileSizes(numLoops, rewriter.getIndexAttr(1));
  tileSizes.back() = rewriter.getIndexAttr(*innermost);
  scf::SCFTilingOptions options;
  options.setTileSizes(tileSizes);
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
      rewriter, cast<TilingInterface>(op.getOperation()), options);
  if (failed(tiled))
    return failure();
  rewriter.replaceOp(op, tiled->replacements);

  SmallVector<int64_t> vectorSizes(numLoops, 1);
  vectorSizes.back() = *innermost;
  SmallVector<bool> scalableDims(numLoops, false);
  for (Operation *tile : tiled->tiledOps) {
    rewriter.setInsertionPoint(tile);
    // Static tiles need no masks; sizes are only given for dynamic ones.
    bool isStatic =
        !llvm::any_of(cast<linalg::LinalgOp>(tile).getStaticLoopRanges(),
                      ShapedType::isDynamic);
    FailureOr<linalg::VectorizationResult> vectorized = linalg::vectorize(
        rewriter, tile, isStatic ? ArrayRef<int64_t>() : vectorSizes,
        isStatic ? ArrayRef<bool>() : scalableDims,
        /*vectorizeNDExtract=*/true);
    // A tile that does not vectorize stays for convert-linalg-to-loops.
    if (failed(vectorized))
      continue;
    if (tile->getNumResults() == 0)
      rewriter.eraseOp(tile);
    else
      rewriter.replaceOp(tile, vectorized->replacements);
  }
  return success();
}

namespace {
struct ConvertLinalgToVector
    : lstm::impl::ConvertLinalgToVectorBase<ConvertLinalgToVector> {
  using Base::Base;

  void runOnOperation() override {
    SmallVector<linalg::LinalgOp> ops;
    getOperation()->walk([&](linalg::LinalgOp op) { ops.push_back(op); });
    IRRewriter rewriter(&getContext());
    bool changed = false;
    for (linalg::LinalgOp op : ops)
      changed |= succeeded(
          lstm::tileAndVectorize(rewriter, op, vectorSize, maxVectorSize));
    if (!changed)
      return;

    // Unit tiles give vectors with unit dimensions: drop them, and lower
    // what needs 1-D vectors, in separate rounds (one pattern set with
    // canonicalization can loop).
    MLIRContext *context = &getContext();
    RewritePatternSet unitDims(context);
    vector::populateCastAwayVectorLeadingOneDimPatterns(unitDims);
    vector::populateVectorTransferDropUnitDimsPatterns(unitDims);
    vector::populateDropUnitDimWithShapeCastPatterns(unitDims);
    // Contractions tiled to one step of K reduce over a unit dimension.
    vector::MultiDimReductionOp::getCanonicalizationPatterns(unitDims, context);
    if (failed(applyPatternsGreedily(getOperation(), std::move(unitDims))))
      return signalPassFailure();
    RewritePatternSet lowering(context);
    vector::populateVectorMultiReductionLoweringPatterns(
        lowering, vector::VectorMultiReductionLowering::InnerReduction);
    vector::populateVectorMaskLoweringPatternsForSideEffectingOps(lowering);
    if (failed(applyPatternsGreedily(getOperation(), std::move(lowering))))
      return signalPassFailure();
  }
};
} // namespace
