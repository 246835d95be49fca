//===- Passes.h - LSTM dialect transformations ------------------*- C++ -*-===//

#ifndef LSTM_DIALECT_LSTM_TRANSFORMS_PASSES_H
#define LSTM_DIALECT_LSTM_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Pass/Pass.h"

namespace mlir {
class DialectRegistry;
namespace lstm {

#define GEN_PASS_DECL
#include "lstm/Dialect/LSTM/Transforms/Passes.h.inc"

/// Rewrites lstm.lstm into lstm.layer ops and tensor glue.
void populateLSTMDecomposePatterns(RewritePatternSet &patterns);

/// Rewrites lstm.layer into lstm.recurrence on packed weights, with hidden
/// units in blocks of `blockSize`.
void populatePackWeightsPatterns(RewritePatternSet &patterns,
                                 int64_t blockSize);

/// Folds reshapes, pads and transposes of constant tensors.
void populateFoldConstantLayoutPatterns(RewritePatternSet &patterns);

/// Reports a `dense_resource` under `root` whose blob is missing or holds
/// more or fewer bytes than its type needs, naming the resource. What reads
/// the blobs (constant folding, the LLVM translation) relies on this.
LogicalResult verifyResourceSizes(Operation *root);

/// Folds lstm.batch_norm into the lstm.conv it follows when both have
/// constant parameters.
void populateFoldBatchNormPatterns(RewritePatternSet &patterns);

/// Rewrites lstm.gather into linalg.generic.
void populateLowerGatherPatterns(RewritePatternSet &patterns);

/// Registers the BufferizableOpInterface models of the lstm dialect.
void registerBufferizableOpInterfaceExternalModels(DialectRegistry &registry);

/// Registers RuntimeVerifiableOpInterface models for the tensor ops that
/// upstream MLIR does not check at run time.
void registerRuntimeVerifiableOpInterfaceExternalModels(
    DialectRegistry &registry);

#define GEN_PASS_REGISTRATION
#include "lstm/Dialect/LSTM/Transforms/Passes.h.inc"

} // namespace lstm
} // namespace mlir

#endif // LSTM_DIALECT_LSTM_TRANSFORMS_PASSES_H
