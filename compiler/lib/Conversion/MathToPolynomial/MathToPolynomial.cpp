//===- MathToPolynomial.cpp - Polynomial math approximations ----*- C++ -*-===//

#include "lstm/Conversion/MathToPolynomial/MathToPolynomial.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::lstm {
#define GEN_PASS_DEF_CONVERTMATHTOPOLYNOMIAL
#include "lstm/Conversion/Passes.h.inc"
} // namespace mlir::lstm

using namespace mlir;

namespace {
/// Collects the divisions the approximation patterns create and keep.
struct DivisionCollector : RewriterBase::Listener {
  void notifyOperationInserted(Operation *op,
                               OpBuilder::InsertPoint previous) override {
    if (isa<arith::DivFOp>(op))
      divisions.insert(op);
  }
  void notifyOperationErased(Operation *op) override { divisions.remove(op); }
  llvm::SetVector<Operation *> divisions;
};

struct ConvertMathToPolynomial
    : lstm::impl::ConvertMathToPolynomialBase<ConvertMathToPolynomial> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns);
    DivisionCollector collector;
    if (failed(applyPatternsGreedily(
            getOperation(), std::move(patterns),
            GreedyRewriteConfig().setListener(&collector))))
      return signalPassFailure();
    // The rational approximations divide by polynomials of clamped inputs,
    // which are finite and bounded away from zero: a reciprocal estimate
    // with a Newton step (vrcp14ps + fma on x86) is as accurate as the
    // approximation and many times cheaper than a vector division.
    for (Operation *op : collector.divisions) {
      auto div = cast<arith::DivFOp>(op);
      div.setFastmath(div.getFastmath() | arith::FastMathFlags::arcp |
                      arith::FastMathFlags::ninf);
    }
  }
};
} // namespace
