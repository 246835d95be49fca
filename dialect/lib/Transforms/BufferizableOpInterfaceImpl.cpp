//===- BufferizableOpInterfaceImpl.cpp - Bufferize lstm ops -----*- C++ -*-===//

#include "lstm/Dialect/LSTM/IR/LSTM.h"
#include "lstm/Dialect/LSTM/Transforms/Passes.h"

#include "mlir/Dialect/Bufferization/IR/BufferizableOpInterface.h"
#include "mlir/Dialect/Bufferization/IR/DstBufferizableOpInterfaceImpl.h"

using namespace mlir;
using namespace mlir::bufferization;
using namespace mlir::lstm;

namespace {
/// lstm.recurrence bufferizes like a linalg op: the same op on buffers,
/// writing its results into the buffers of its `outs`.
struct RecurrenceOpInterface
    : DstBufferizableOpInterfaceExternalModel<RecurrenceOpInterface,
                                              RecurrenceOp> {
  /// The initial contents of `outs` are never read, so they need no copy.
  bool bufferizesToMemoryRead(Operation *op, OpOperand &operand,
                              const AnalysisState &state) const {
    return !cast<RecurrenceOp>(op).isDpsInit(&operand);
  }

  LogicalResult bufferize(Operation *op, RewriterBase &rewriter,
                          const BufferizationOptions &options,
                          BufferizationState &state) const {
    auto recurrence = cast<RecurrenceOp>(op);
    SmallVector<Value> buffers;
    for (Value operand : op->getOperands()) {
      if (!isa<TensorType>(operand.getType())) {
        buffers.push_back(operand);
        continue;
      }
      FailureOr<Value> buffer = getBuffer(rewriter, operand, options, state);
      if (failed(buffer))
        return failure();
      buffers.push_back(*buffer);
    }
    rewriter.setInsertionPoint(op);
    auto bufferized = RecurrenceOp::create(rewriter, op->getLoc(), TypeRange{},
                                           buffers, op->getAttrs());
    (void)bufferized;
    SmallVector<Value> outs(
        ValueRange(buffers).take_back(recurrence.getOuts().size()));
    replaceOpWithBufferizedValues(rewriter, op, outs);
    return success();
  }
};
} // namespace

void mlir::lstm::registerBufferizableOpInterfaceExternalModels(
    DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, LSTMDialect *) {
    RecurrenceOp::attachInterface<RecurrenceOpInterface>(*ctx);
  });
}
