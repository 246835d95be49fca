//===- MemRefCopyToLinalg.cpp - memref.copy to linalg.copy ------*- C++ -*-===//

#include "lstm/Conversion/MemRefCopyToLinalg/MemRefCopyToLinalg.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

namespace mlir::lstm {
#define GEN_PASS_DEF_CONVERTMEMREFCOPYTOLINALG
#include "lstm/Conversion/Passes.h.inc"
} // namespace mlir::lstm

using namespace mlir;

namespace {
struct MemRefCopyToLinalg : OpRewritePattern<memref::CopyOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(memref::CopyOp op,
                                PatternRewriter &rewriter) const override {
    // The LLVM lowering turns copies between identity-layout buffers into
    // llvm.memcpy; only the others become library calls.
    auto isIdentity = [](Value v) {
      auto type = dyn_cast<MemRefType>(v.getType());
      return type && type.getLayout().isIdentity();
    };
    if (isIdentity(op.getSource()) && isIdentity(op.getTarget()))
      return failure();
    rewriter.replaceOpWithNewOp<linalg::CopyOp>(op, op.getSource(),
                                                op.getTarget());
    return success();
  }
};

struct ConvertMemRefCopyToLinalg
    : lstm::impl::ConvertMemRefCopyToLinalgBase<ConvertMemRefCopyToLinalg> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    lstm::populateMemRefCopyToLinalgPatterns(patterns);
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};
} // namespace

void mlir::lstm::populateMemRefCopyToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<MemRefCopyToLinalg>(patterns.getContext());
}
