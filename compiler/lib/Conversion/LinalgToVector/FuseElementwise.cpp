//===- FuseElementwise.cpp - Elementwise fusion that keeps gathers -*- C++ -*-//
//
// Upstream's linalg-fuse-elementwise-ops with one change to its control:
// a producer that reads its input with tensor.extract (a gather: im2col,
// an embedding) is not fused into a consumer that reads its result more
// than once per element (through a map that is not a permutation, as a
// convolution's product reads its im2col columns once per filter), which
// would redo the gather for every read; and reshapes are not folded into
// contractions (see shouldFuse).
//
//===----------------------------------------------------------------------===//

#include "lstm/Conversion/LinalgToVector/LinalgToVector.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::lstm {
#define GEN_PASS_DEF_LSTMFUSEELEMENTWISE
#include "lstm/Conversion/Passes.h.inc"
} // namespace mlir::lstm

using namespace mlir;

static bool hasReduction(Operation *op) {
  auto linalgOp = dyn_cast_if_present<linalg::LinalgOp>(op);
  return linalgOp && linalgOp.getNumReductionLoops() > 0;
}

static bool shouldFuse(OpOperand *fused) {
  Operation *producer = fused->get().getDefiningOp();
  if (!producer || !producer->hasOneUse())
    return false;
  // A contraction that a lowering built on collapsed operands (the
  // convolution's (F, K) x (K, P)) keeps them: expanding it back through the
  // reshapes would make a short window dimension its innermost loop.
  if ((isa<tensor::CollapseShapeOp>(producer) &&
       hasReduction(fused->getOwner())) ||
      (isa<tensor::ExpandShapeOp>(fused->getOwner()) && hasReduction(producer)))
    return false;
  auto consumer = dyn_cast<linalg::LinalgOp>(fused->getOwner());
  if (!consumer || consumer.getMatchingIndexingMap(fused).isPermutation())
    return true;
  bool gathers = false;
  producer->walk([&](tensor::ExtractOp) { gathers = true; });
  return !gathers;
}

namespace {
struct LSTMFuseElementwise
    : lstm::impl::LSTMFuseElementwiseBase<LSTMFuseElementwise> {
  void runOnOperation() override {
    MLIRContext *context = &getContext();
    RewritePatternSet patterns(context);
    linalg::ControlFusionFn control = shouldFuse;
    // The pattern set of upstream's LinalgElementwiseOpFusionPass.
    linalg::populateElementwiseOpsFusionPatterns(patterns, control);
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns, control);
    tensor::populateBubbleUpExpandShapePatterns(patterns);
    affine::AffineApplyOp::getCanonicalizationPatterns(patterns, context);
    linalg::GenericOp::getCanonicalizationPatterns(patterns, context);
    tensor::ExpandShapeOp::getCanonicalizationPatterns(patterns, context);
    tensor::CollapseShapeOp::getCanonicalizationPatterns(patterns, context);
    context->getLoadedDialect<linalg::LinalgDialect>()
        ->getCanonicalizationPatterns(patterns);
    linalg::populateConstantFoldLinalgOperations(patterns, control);
    if (failed(applyPatternsGreedily(
            getOperation(), std::move(patterns),
            GreedyRewriteConfig().setUseTopDownTraversal())))
      signalPassFailure();
  }
};
} // namespace
