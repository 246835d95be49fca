//===- LinalgToVector.cpp - Vectorize the ops around LSTMs ------*- C++ -*-===//

#include "lstm/Conversion/LinalgToVector/LinalgToVector.h"

#include "mlir/Analysis/SliceAnalysis.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
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
  // Masked reductions have no lowering to plain vector code (row
  // reductions are vectorized by tileAndVectorizeRowReduction instead).
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
  // Not converging would only leave some sizes unfolded (masked tiles).
  (void)applyPatternsGreedily(loop.getRegion(), std::move(patterns));
  tiles.clear();
  for (scf::ForOp peeled : {loop, partial})
    peeled->walk([&](linalg::LinalgOp tile) { tiles.push_back(tile); });
}

/// Tiles `op` by `sizes` (0: not tiled) with `options`' loop order, and
/// replaces it with the tile loops' results.
static FailureOr<scf::SCFTilingResult>
tileAndReplace(RewriterBase &rewriter, linalg::LinalgOp op,
               ArrayRef<int64_t> sizes, scf::SCFTilingOptions options) {
  options.setTileSizes(getAsIndexOpFoldResult(rewriter.getContext(), sizes));
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
      rewriter, cast<TilingInterface>(op.getOperation()), options);
  if (succeeded(tiled))
    rewriter.replaceOp(op, tiled->replacements);
  return tiled;
}

/// Vectorizes `tiles`, the tiled ops of one op: static ones whole, dynamic
/// ones with masks for `vectorSizes`, their largest shape. A tile that does
/// not vectorize stays for convert-linalg-to-loops.
static void vectorizeTiles(RewriterBase &rewriter, ArrayRef<Operation *> tiles,
                           ArrayRef<int64_t> vectorSizes) {
  SmallVector<bool> scalableDims(vectorSizes.size(), false);
  for (Operation *tile : tiles) {
    rewriter.setInsertionPoint(tile);
    // Static tiles need no masks; sizes are only given for dynamic ones.
    bool isStatic =
        !llvm::any_of(cast<linalg::LinalgOp>(tile).getStaticLoopRanges(),
                      ShapedType::isDynamic);
    FailureOr<linalg::VectorizationResult> vectorized = linalg::vectorize(
        rewriter, tile, isStatic ? ArrayRef<int64_t>() : vectorSizes,
        isStatic ? ArrayRef<bool>() : ArrayRef<bool>(scalableDims),
        /*vectorizeNDExtract=*/true);
    if (failed(vectorized))
      continue;
    if (tile->getNumResults() == 0)
      rewriter.eraseOp(tile);
    else
      rewriter.replaceOp(tile, vectorized->replacements);
  }
}

namespace {
/// A row reduction: an op whose one reduction is its innermost loop, every
/// input read either along that loop (contiguously: it is the input's last
/// dimension) or not at all, and a body of scalar arith/math ops in which
/// each result is one combiner with a neutral element (sum, max, min,
/// product) applied to the output's element.
struct RowReduction {
  SmallVector<vector::CombiningKind> kinds;
  SmallVector<TypedAttr> neutrals;
  /// The inputs read along the reduced loop.
  SmallVector<bool> isRowInput;

  static std::optional<RowReduction> match(linalg::LinalgOp op) {
    int64_t last = op.getNumLoops() - 1;
    SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
    if (last < 0 ||
        llvm::count_if(iterators, linalg::isReductionIterator) != 1 ||
        !linalg::isReductionIterator(iterators.back()) ||
        !op.hasPureTensorSemantics())
      return std::nullopt;
    RowReduction reduction;
    for (OpOperand *input : op.getDpsInputOperands()) {
      AffineMap map = op.getMatchingIndexingMap(input);
      for (AffineExpr expr : map.getResults())
        if (!isa<AffineDimExpr, AffineConstantExpr>(expr))
          return std::nullopt;
      bool isRow = map.isFunctionOfDim(last);
      if (isRow &&
          (map.getResults().back() != getAffineDimExpr(last, op.getContext()) ||
           llvm::count_if(map.getResults(), [&](AffineExpr e) {
             return e.isFunctionOfDim(last);
           }) != 1))
        return std::nullopt;
      reduction.isRowInput.push_back(isRow);
    }
    for (OpOperand &init : op.getDpsInitsMutable())
      if (op.getMatchingIndexingMap(&init).isFunctionOfDim(last))
        return std::nullopt;
    // The masked remainder computes the body on lanes past the row's end
    // too (then discarded): nothing there may trap, as an integer division
    // by the padding's zero would.
    Block *body = op.getBlock();
    for (Operation &bodyOp : body->without_terminator())
      if (isa<arith::DivSIOp, arith::DivUIOp, arith::RemSIOp, arith::RemUIOp,
              arith::CeilDivSIOp, arith::CeilDivUIOp, arith::FloorDivSIOp,
              math::IPowIOp>(bodyOp) ||
          !isa<arith::ArithDialect, math::MathDialect>(bodyOp.getDialect()) ||
          bodyOp.getNumRegions() != 0 || bodyOp.getNumResults() != 1 ||
          !llvm::all_of(bodyOp.getOperandTypes(),
                        [](Type t) { return t.isIntOrFloat(); }) ||
          !bodyOp.getResult(0).getType().isIntOrFloat())
        return std::nullopt;
    for (int64_t i = 0, e = op.getNumDpsInits(); i < e; ++i) {
      SmallVector<Operation *, 4> combiners;
      if (!matchReduction(op.getRegionOutputArgs(), i, combiners) ||
          combiners.size() != 1)
        return std::nullopt;
      std::optional<vector::CombiningKind> kind =
          linalg::getCombinerOpKind(combiners.front());
      std::optional<TypedAttr> neutral =
          arith::getNeutralElement(combiners.front());
      if (!kind || !neutral)
        return std::nullopt;
      reduction.kinds.push_back(*kind);
      reduction.neutrals.push_back(*neutral);
    }
    return reduction;
  }
};
} // namespace

/// The body of `op` on vectors of `shape`: `inputs` for its input
/// arguments, `accumulators` for its outputs'. Constants and values from
/// outside the body are broadcast. Returns the yielded vectors.
static SmallVector<Value> cloneBodyOnVectors(OpBuilder &b, Location loc,
                                             linalg::LinalgOp op,
                                             ValueRange inputs,
                                             ValueRange accumulators,
                                             ArrayRef<int64_t> shape) {
  Block *body = op.getBlock();
  IRMapping mapping;
  mapping.map(op.getRegionInputArgs(), inputs);
  mapping.map(op.getRegionOutputArgs(), accumulators);
  for (Operation &bodyOp : body->without_terminator()) {
    if (bodyOp.hasTrait<OpTrait::ConstantLike>()) {
      Value scalar = b.clone(bodyOp)->getResult(0);
      mapping.map(
          bodyOp.getResult(0),
          vector::BroadcastOp::create(
              b, loc, VectorType::get(shape, scalar.getType()), scalar));
      continue;
    }
    for (Value operand : bodyOp.getOperands())
      if (!mapping.contains(operand))
        mapping.map(
            operand,
            vector::BroadcastOp::create(
                b, loc, VectorType::get(shape, operand.getType()), operand));
    Operation *vectorOp = b.clone(bodyOp, mapping);
    vectorOp->getResult(0).setType(
        VectorType::get(shape, bodyOp.getResult(0).getType()));
  }
  return llvm::map_to_vector(body->getTerminator()->getOperands(),
                             [&](Value v) { return mapping.lookup(v); });
}

/// Vectorizes `row`, one row of a row reduction (every loop but the
/// reduced one of size 1), in `vectorSize` partial results per output:
/// whole vectors carried in registers along the row, then a masked
/// remainder whose lanes past the row's end keep their partial results,
/// then one vector reduction that merges the lanes into the output's
/// element. What masked reductions need and MLIR 22 does not lower
/// (vector.mask over vector.multi_reduction) is thus not needed, and no
/// scalar chain runs along the row.
static void vectorizeRow(RewriterBase &rewriter, linalg::LinalgOp row,
                         const RowReduction &reduction, int64_t vectorSize) {
  Location loc = row.getLoc();
  rewriter.setInsertionPoint(row);
  int64_t last = row.getNumLoops() - 1;
  OpFoldResult extent = row.createLoopRanges(rewriter, loc)[last].size;
  AffineExpr s0 = rewriter.getAffineSymbolExpr(0);
  Value whole = getValueOrCreateConstantIndexOp(
      rewriter, loc,
      affine::makeComposedFoldedAffineApply(
          rewriter, loc, s0.floorDiv(vectorSize) * vectorSize, {extent}));
  Value length = getValueOrCreateConstantIndexOp(rewriter, loc, extent);
  Value zero = arith::ConstantIndexOp::create(rewriter, loc, 0);

  // The indices of an operand's element for the reduced loop at `j`.
  auto indicesOf = [&](OpOperand *operand, Value j) {
    SmallVector<Value> indices;
    for (AffineExpr expr : row.getMatchingIndexingMap(operand).getResults()) {
      if (auto constant = dyn_cast<AffineConstantExpr>(expr))
        indices.push_back(
            arith::ConstantIndexOp::create(rewriter, loc, constant.getValue()));
      else if (cast<AffineDimExpr>(expr).getPosition() == last)
        indices.push_back(j);
      else
        indices.push_back(zero);
    }
    return indices;
  };
  // The inputs at `j`: vectors along the row (masked by `mask` if given),
  // scalars broadcast.
  auto readInputs = [&](OpBuilder &b, Value j, Value mask) {
    SmallVector<Value> values;
    for (auto [operand, isRow] :
         llvm::zip(row.getDpsInputOperands(), reduction.isRowInput)) {
      Type elementType = getElementTypeOrSelf(operand->get().getType());
      auto vectorType = VectorType::get({vectorSize}, elementType);
      SmallVector<Value> indices = indicesOf(operand, j);
      if (!isRow) {
        Value scalar =
            tensor::ExtractOp::create(b, loc, operand->get(), indices);
        values.push_back(
            vector::BroadcastOp::create(b, loc, vectorType, scalar));
        continue;
      }
      Value padding = arith::ConstantOp::create(b, loc, elementType,
                                                b.getZeroAttr(elementType));
      auto rank = cast<RankedTensorType>(operand->get().getType()).getRank();
      values.push_back(vector::TransferReadOp::create(
          b, loc, vectorType, operand->get(), indices,
          AffineMapAttr::get(
              AffineMap::getMinorIdentityMap(rank, 1, b.getContext())),
          padding, mask, b.getBoolArrayAttr({true})));
    }
    return values;
  };

  SmallVector<Value> partials;
  for (TypedAttr neutral : reduction.neutrals)
    partials.push_back(arith::ConstantOp::create(
        rewriter, loc,
        DenseElementsAttr::get(VectorType::get({vectorSize}, neutral.getType()),
                               neutral)));
  Value step = arith::ConstantIndexOp::create(rewriter, loc, vectorSize);
  auto wholeLoop = scf::ForOp::create(
      rewriter, loc, zero, whole, step, partials,
      [&](OpBuilder &b, Location loc, Value j, ValueRange accumulators) {
        SmallVector<Value> next = cloneBodyOnVectors(
            b, loc, row, readInputs(b, j, Value()), accumulators, {vectorSize});
        scf::YieldOp::create(b, loc, next);
      });
  partials = llvm::to_vector_of<Value>(wholeLoop.getResults());

  // The remainder, if any: lanes past the row's end keep their partials.
  std::optional<int64_t> staticLength = getConstantIntValue(extent);
  if (!staticLength || *staticLength % vectorSize != 0) {
    Value remaining = arith::SubIOp::create(rewriter, loc, length, whole);
    Value mask = vector::CreateMaskOp::create(
        rewriter, loc, VectorType::get({vectorSize}, rewriter.getI1Type()),
        remaining);
    SmallVector<Value> next = cloneBodyOnVectors(
        rewriter, loc, row, readInputs(rewriter, whole, mask), partials,
        {vectorSize});
    for (auto [i, value] : llvm::enumerate(next))
      partials[i] =
          arith::SelectOp::create(rewriter, loc, mask, value, partials[i]);
  }

  // The lanes merged into the outputs' elements. The lanes' order of
  // summation is not the row's (as in PyTorch's vectorized sums); the merge
  // may reassociate too.
  SmallVector<Value> results;
  for (auto [index, init] : llvm::enumerate(row.getDpsInitsMutable())) {
    SmallVector<Value> indices = indicesOf(&init, zero);
    Value initial =
        tensor::ExtractOp::create(rewriter, loc, init.get(), indices);
    auto merged = vector::ReductionOp::create(
        rewriter, loc, reduction.kinds[index], partials[index], initial);
    if (isa<FloatType>(initial.getType()))
      merged.setFastmath(arith::FastMathFlags::reassoc);
    results.push_back(
        tensor::InsertOp::create(rewriter, loc, merged, init.get(), indices));
  }
  rewriter.replaceOp(row, results);
}

/// An op whose one reduction is its innermost loop, too long to be one
/// vector (a softmax or a mean over time, a LayerNorm's statistics): one
/// row at a time (vectorizeRow).
static LogicalResult tileAndVectorizeRowReduction(RewriterBase &rewriter,
                                                  linalg::LinalgOp op,
                                                  int64_t vectorSize) {
  std::optional<RowReduction> reduction = RowReduction::match(op);
  if (!reduction)
    return failure();
  SmallVector<int64_t> rowSizes(op.getNumLoops(), 1);
  rowSizes.back() = 0;
  FailureOr<scf::SCFTilingResult> rows =
      tileAndReplace(rewriter, op, rowSizes, scf::SCFTilingOptions());
  if (failed(rows))
    return failure();
  for (Operation *row : rows->tiledOps)
    vectorizeRow(rewriter, cast<linalg::LinalgOp>(row), *reduction, vectorSize);
  return success();
}

LogicalResult lstm::tileAndVectorize(RewriterBase &rewriter,
                                     linalg::LinalgOp op, int64_t vectorSize,
                                     int64_t maxVectorSize) {
  int64_t numLoops = op.getNumLoops();
  if (numLoops == 0 || !op.hasPureTensorSemantics())
    return failure();
  int64_t extent = op.getStaticLoopRanges().back();
  if (linalg::isReductionIterator(op.getIteratorTypesArray().back()) &&
      (ShapedType::isDynamic(extent) || extent > maxVectorSize) &&
      succeeded(tileAndVectorizeRowReduction(rewriter, op, vectorSize)))
    return success();
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
  FailureOr<scf::SCFTilingResult> tiled =
      tileAndReplace(rewriter, op, sizes, options);
  if (failed(tiled))
    return failure();

  SmallVector<Operation *> tiles(tiled->tiledOps);
  if (tiled->loops.size() == static_cast<size_t>(numLoops))
    if (auto innermostLoop = dyn_cast<scf::ForOp>(
            tiled
                ->loops[llvm::find(interchange, numLoops - 1) -
                        interchange.begin()]
                .getOperation()))
      peelPartialTile(rewriter, innermostLoop, tiles);

  vectorizeTiles(rewriter, tiles, sizes);
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
