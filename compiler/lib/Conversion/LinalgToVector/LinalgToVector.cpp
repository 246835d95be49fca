//===- LinalgToVector.cpp - Vectorize the ops around LSTMs ------*- C++ -*-===//

#include "lstm/Conversion/LinalgToVector/LinalgToVector.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

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

/// Splits the partial last tile off `loop`, the tile loop of the innermost
/// (vector) dimension, when its extent is not a multiple of the vector size
/// (or known only at run time), so that all other tiles are whole vectors:
/// no masks, and accumulators that stay in registers. `tiles` becomes the
/// tiled ops of both loops, those of the whole tiles of static shape.
static void peelPartialTile(RewriterBase &rewriter, scf::ForOp loop,
                            SmallVector<Operation *> &tiles) {
  scf::ForOp partial;
  if (failed(scf::peelForLoopAndSimplifyBounds(rewriter, loop, partial)))
    return;
  // The whole tiles' sizes are constants now: fold them into the slices'
  // and tiled ops' types.
  MLIRContext *context = rewriter.getContext();
  RewritePatternSet patterns(context);
  tensor::ExtractSliceOp::getCanonicalizationPatterns(patterns, context);
  tensor::InsertSliceOp::getCanonicalizationPatterns(patterns, context);
  tensor::CastOp::getCanonicalizationPatterns(patterns, context);
  context->getLoadedDialect<linalg::LinalgDialect>()
      ->getCanonicalizationPatterns(patterns);
  linalg::GenericOp::getCanonicalizationPatterns(patterns, context);
  if (failed(applyPatternsGreedily(loop.getRegion(), std::move(patterns))))
    return;
  tiles.clear();
  for (scf::ForOp peeled : {loop, partial})
    peeled->walk([&](linalg::LinalgOp tile) { tiles.push_back(tile); });
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

  SmallVector<int64_t> sizes(numLoops, 1);
  sizes.back() = *innermost;
  scf::SCFTilingOptions options;
  // The tile loops' order: the op's, unless a contraction changes it.
  auto interchange = llvm::to_vector(llvm::seq<int64_t>(0, numLoops));
  // A contraction (reductions outside the innermost, parallel loop: Linear,
  // convolutions) gets a register tile of several rows along its last other
  // parallel loop of static size, and its reduction loops innermost, so the
  // accumulators stay in registers across them once hoisted (the pass does
  // so after vectorizing): each vector of the innermost operand is loaded
  // once for all rows.
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (linalg::isParallelIterator(iterators.back()) &&
      llvm::any_of(iterators, linalg::isReductionIterator)) {
    // The rows: a loop that an input read along the innermost loop does
    // not depend on (a convolution's filters, not its output rows), so
    // that the rows share that input's vectors.
    auto sharesInnermostInput = [&](int64_t d) {
      for (OpOperand *input : op.getDpsInputOperands()) {
        AffineMap map = op.getMatchingIndexingMap(input);
        if (map.isFunctionOfDim(numLoops - 1) && !map.isFunctionOfDim(d))
          return true;
      }
      return false;
    };
    std::optional<int64_t> rowDim;
    for (int64_t d = numLoops - 2; d >= 0; --d) {
      if (!linalg::isParallelIterator(iterators[d]) ||
          ShapedType::isDynamic(ranges[d]) || ranges[d] < 2 ||
          !sharesInnermostInput(d))
        continue;
      rowDim = d;
      // A divisor of the extent (no partial row tiles) whose accumulators
      // fit in 24 of the 32 vector registers of AVX-512.
      int64_t registersPerRow = (*innermost + vectorSize - 1) / vectorSize;
      for (int64_t rows : {8, 4, 2})
        if (ranges[d] % rows == 0 && rows * registersPerRow <= 24) {
          sizes[d] = rows;
          break;
        }
      break;
    }
    // The tile loop of the innermost dimension goes outside the rows' loop:
    // the shared input's panel (a vector's width of it, all along the
    // reduction) is then read from memory once and from cache by every row
    // tile, rather than streamed again for each.
    interchange.clear();
    for (int64_t d = 0; d < numLoops; ++d) {
      if (d == rowDim)
        interchange.push_back(numLoops - 1);
      if (linalg::isParallelIterator(iterators[d]) &&
          !(rowDim && d == numLoops - 1))
        interchange.push_back(d);
    }
    for (int64_t d = 0; d < numLoops; ++d)
      if (!linalg::isParallelIterator(iterators[d]))
        interchange.push_back(d);
    options.setInterchange(interchange);
  }
  SmallVector<OpFoldResult> tileSizes =
      getAsIndexOpFoldResult(rewriter.getContext(), sizes);
  options.setTileSizes(tileSizes);
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
      rewriter, cast<TilingInterface>(op.getOperation()), options);
  if (failed(tiled))
    return failure();
  rewriter.replaceOp(op, tiled->replacements);

  SmallVector<Operation *> tiles(tiled->tiledOps);
  if (tiled->loops.size() == static_cast<size_t>(numLoops))
    if (auto innermostLoop = dyn_cast<scf::ForOp>(
            tiled
                ->loops[llvm::find(interchange, numLoops - 1) -
                        interchange.begin()]
                .getOperation()))
      peelPartialTile(rewriter, innermostLoop, tiles);

  SmallVector<int64_t> vectorSizes = sizes;
  SmallVector<bool> scalableDims(numLoops, false);
  for (Operation *tile : tiles) {
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
/// addf(acc, mulf(a, b)) on vectors, the product used only there: one
/// math.fma, one rounding instead of two.
struct ContractMultiplyAdd : OpRewritePattern<arith::AddFOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(arith::AddFOp add,
                                PatternRewriter &rewriter) const override {
    if (!isa<VectorType>(add.getType()))
      return failure();
    for (int i = 0; i < 2; ++i) {
      auto mul = add->getOperand(i).getDefiningOp<arith::MulFOp>();
      if (!mul || !mul->hasOneUse())
        continue;
      rewriter.replaceOpWithNewOp<math::FmaOp>(add, mul.getLhs(), mul.getRhs(),
                                               add->getOperand(1 - i));
      rewriter.eraseOp(mul);
      return success();
    }
    return failure();
  }
};

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

    // The accumulators of contraction tiles: read and written at the same
    // place in every iteration of the reduction loops, hoisted out of them
    // (innermost loops first) to become loop-carried vectors.
    SmallVector<LoopLikeOpInterface> loops;
    getOperation()->walk(
        [&](LoopLikeOpInterface loop) { loops.push_back(loop); });
    for (LoopLikeOpInterface loop : loops) {
      moveLoopInvariantCode(loop);
      hoistLoopInvariantSubsets(rewriter, loop);
    }

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
    lowering.add<ContractMultiplyAdd>(context);
    if (failed(applyPatternsGreedily(getOperation(), std::move(lowering))))
      return signalPassFailure();
  }
};
} // namespace
