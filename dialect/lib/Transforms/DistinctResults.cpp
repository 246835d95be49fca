//===- DistinctResults.cpp - One buffer per returned tensor -----*- C++ -*-===//

#include "lstm/Dialect/LSTM/Transforms/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "llvm/ADT/DenseSet.h"

namespace mlir::lstm {
#define GEN_PASS_DEF_LSTMDISTINCTRESULTS
#include "lstm/Dialect/LSTM/Transforms/Passes.h.inc"
} // namespace mlir::lstm

using namespace mlir;

namespace {
struct LSTMDistinctResults
    : lstm::impl::LSTMDistinctResultsBase<LSTMDistinctResults> {
  void runOnOperation() override {
    getOperation().walk([](func::ReturnOp op) {
      OpBuilder b(op);
      llvm::SmallDenseSet<Value> returned;
      for (OpOperand &operand : op->getOpOperands()) {
        Value value = operand.get();
        auto type = dyn_cast<RankedTensorType>(value.getType());
        if (!type || returned.insert(value).second)
          continue;
        // The copy's sizes are those of its source.
        operand.set(bufferization::AllocTensorOp::create(
            b, op.getLoc(), type, /*dynamicSizes=*/ValueRange(),
            /*copy=*/value));
      }
    });
  }
};
} // namespace
