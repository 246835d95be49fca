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

/// The threads of one parallel region, as seen from inside it.
class ThreadTeam {
public:
  ThreadTeam(Value threadId, Value numThreads, Value counter, Value generation)
      : threadId(threadId), numThreads(numThreads), counter(counter),
        generation(generation) {}

  /// This thread's id and the team size, as index values.
  Value getThreadId() const { return threadId; }
  Value getNumThreads() const { return numThreads; }

  /// Emits a barrier: every thread waits until all have arrived, and sees
  /// all memory writes made before it. A centralized barrier on two atomic
  /// counters, which costs a few cache-line transfers rather than the
  /// microseconds of a general OpenMP barrier; waiting threads spin, then
  /// yield the core so that oversubscribed teams still progress.
  void emitBarrier(OpBuilder &b, Location loc) const;

private:
  Value threadId, numThreads;
  /// !llvm.ptr to the arrival counter and to the barrier generation, on
  /// separate cache lines.
  Value counter, generation;
};

/// Builds an omp.parallel region at the rewriter's insertion point and calls
/// `body` inside it with the team. Declares the runtime functions it needs
/// in the enclosing module.
void createParallelRegion(
    RewriterBase &rewriter, Location loc,
    function_ref<void(OpBuilder &, const ThreadTeam &)> body);

/// The first index of [0, size) that thread `threadId` of `numThreads` owns
/// in a balanced split; thread t owns [start(t), start(t + 1)).
Value getThreadStart(OpBuilder &b, Location loc, int64_t size, Value threadId,
                     Value numThreads);

/// for (iv = lb; iv < ub; iv += step) body(iv), with no loop-carried values.
void buildLoop(OpBuilder &b, Location loc, Value lb, Value ub, int64_t step,
               function_ref<void(OpBuilder &, Value)> body);

} // namespace mlir::lstm

#endif // LSTM_CONVERSION_UTILS_OPENMP_H
