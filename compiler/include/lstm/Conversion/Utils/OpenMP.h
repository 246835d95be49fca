//===- OpenMP.h - Parallel regions for CPU lowerings ------------*- C++ -*-===//
//
// lstmc's CPU kernels run as one omp.parallel region per operation in which
// every thread knows its id and the team size and picks its share of the
// work itself, so that the threads can keep their share (and its data in
// their caches) across barriers.
//
//===----------------------------------------------------------------------===//

#ifndef LSTM_CONVERSION_UTILS_OPENMP_H
#define LSTM_CONVERSION_UTILS_OPENMP_H

#include "mlir/IR/PatternMatch.h"

namespace mlir::lstm {

/// Builds an omp.parallel region at the rewriter's insertion point and calls
/// `body` inside it with the thread's id and the number of threads (index
/// values). Declares the OpenMP query functions in the enclosing module.
void createParallelRegion(
    RewriterBase &rewriter, Location loc,
    function_ref<void(OpBuilder &, Value threadId, Value numThreads)> body);

/// The first index of [0, size) that thread `threadId` of `numThreads` owns
/// in a balanced split; thread t owns [start(t), start(t + 1)).
Value getThreadStart(OpBuilder &b, Location loc, int64_t size, Value threadId,
                     Value numThreads);

/// for (iv = lb; iv < ub; iv += step) body(iv), with no loop-carried values.
void buildLoop(OpBuilder &b, Location loc, Value lb, Value ub, int64_t step,
               function_ref<void(OpBuilder &, Value)> body);

} // namespace mlir::lstm

#endif // LSTM_CONVERSION_UTILS_OPENMP_H
