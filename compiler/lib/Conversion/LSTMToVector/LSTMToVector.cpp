//===- LSTMToVector.cpp - lstm.recurrence to CPU loops ----------*- C++ -*-===//
//
// The recurrence is the part of an LSTM that cannot be batched over time:
// every step needs the previous step's hidden state. What makes it fast on a
// CPU is (1) keeping each core's slice of W_hh in its own cache for the whole
// sequence, (2) computing the gates in the registers that accumulate the
// recurrent product, and (3) synchronizing threads once per step rather
// than forking and joining them. This lowering builds exactly that
// structure: one omp.parallel region around the time loop, threads owning
// blocks of hidden units, register tiles of vector.fma, and one omp.barrier
// per step on double-buffered hidden states.
//
//===----------------------------------------------------------------------===//

#include "lstm/Conversion/LSTMToVector/LSTMToVector.h"
#include "lstm/Dialect/LSTM/IR/LSTM.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

namespace mlir::lstm {
#define GEN_PASS_DEF_CONVERTLSTMTOVECTOR
#include "lstm/Conversion/Passes.h.inc"
} // namespace mlir::lstm

using namespace mlir;
using namespace mlir::lstm;

/// Returns the symbol of `void -> i32` runtime function `name` in the module
/// around `op`, declaring it if needed.
static FlatSymbolRefAttr getOrDeclareI32Function(RewriterBase &rewriter,
                                                 Operation *op,
                                                 StringRef name) {
  auto module = op->getParentOfType<ModuleOp>();
  if (!SymbolTable::lookupSymbolIn(module, name)) {
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPointToStart(module.getBody());
    auto func = func::FuncOp::create(
        rewriter, module.getLoc(), name,
        rewriter.getFunctionType({}, {rewriter.getI32Type()}));
    func.setPrivate();
  }
  return SymbolRefAttr::get(rewriter.getContext(), name);
}

namespace {
/// Emits the CPU code of one bufferized lstm.recurrence. Naming follows the
/// op's documentation: B units per block, nb blocks of hidden units, np
/// blocks of projection outputs, K = H_out features read by W_hh.
class RecurrenceLowering {
public:
  RecurrenceLowering(RecurrenceOp op, const ConvertLSTMToVectorOptions &options)
      : op(op), loc(op.getLoc()), rowsPerTile(options.rowsPerTile),
        blocksPerRow(options.blocksPerRow), blockSize(op.getBlockSize()),
        hidden(op.getHiddenSize()),
        numBlocks(cast<MemRefType>(op.getWeightHh().getType()).getDimSize(0)),
        features(cast<MemRefType>(op.getWeightHh().getType()).getDimSize(1)),
        hasProjection(static_cast<bool>(op.getWeightHr())),
        numOutputBlocks(hasProjection ? cast<MemRefType>(
                                            op.getWeightHr().getType())
                                            .getDimSize(0)
                                      : numBlocks),
        vectorType(VectorType::get({blockSize},
                                   Float32Type::get(op.getContext()))) {}

  void lower(RewriterBase &rewriter, FlatSymbolRefAttr threadNum,
             FlatSymbolRefAttr numThreads);

private:
  // Small builders.
  Value index(OpBuilder &b, int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value);
  }
  Value add(OpBuilder &b, Value x, Value y) {
    return arith::AddIOp::create(b, loc, x, y);
  }
  Value sub(OpBuilder &b, Value x, Value y) {
    return arith::SubIOp::create(b, loc, x, y);
  }
  Value mul(OpBuilder &b, Value x, int64_t y) {
    return arith::MulIOp::create(b, loc, x, index(b, y));
  }
  Value splat(OpBuilder &b, float value) {
    return arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(vectorType, b.getF32FloatAttr(value)));
  }
  Value load(OpBuilder &b, Value memref, ValueRange indices) {
    return vector::LoadOp::create(b, loc, vectorType, memref, indices);
  }
  void store(OpBuilder &b, Value value, Value memref,
             ValueRange indices) {
    vector::StoreOp::create(b, loc, value, memref, indices);
  }
  /// sigmoid(x) = 0.5 * tanh(0.5 * x) + 0.5: one tanh approximation for
  /// both nonlinearities, exact at saturation.
  Value sigmoid(OpBuilder &b, Value x) {
    Value half = splat(b, 0.5f);
    Value t = math::TanhOp::create(b, loc, arith::MulFOp::create(b, loc, half, x));
    return vector::FMAOp::create(b, loc, half, t, half);
  }
  /// The first index of [0, size) owned by thread `tid` of `count`.
  Value splitPoint(OpBuilder &b, int64_t size, Value tid, Value count) {
    return arith::DivUIOp::create(b, loc, mul(b, tid, size), count);
  }
  /// for (iv = lb; iv < ub; iv += step) body(iv)
  void forLoop(OpBuilder &b, Value lb, Value ub, int64_t step,
               function_ref<void(OpBuilder &, Value)> body) {
    scf::ForOp::create(b, loc, lb, ub, index(b, step), ValueRange{},
                       [&](OpBuilder &nested, Location, Value iv, ValueRange) {
                         body(nested, iv);
                         scf::YieldOp::create(nested, loc);
                       });
  }
  void ifThenElse(OpBuilder &b, Value cond,
                  function_ref<void(OpBuilder &)> thenBody,
                  function_ref<void(OpBuilder &)> elseBody) {
    scf::IfOp::create(
        b, loc, cond,
        [&](OpBuilder &nested, Location) {
          thenBody(nested);
          scf::YieldOp::create(nested, loc);
        },
        [&](OpBuilder &nested, Location) {
          elseBody(nested);
          scf::YieldOp::create(nested, loc);
        });
  }

  /// The per-step state of row `row`: its length, whether step `step` is
  /// within it, and which time index it reads and writes.
  struct RowStep {
    Value valid, time;
  };
  RowStep rowStep(OpBuilder &b, Value step, Value row);

  /// Stores the vector `value` to units [unit, unit + B) of output row
  /// (time, row), masking units at or past `limit`.
  void storeOutput(OpBuilder &b, Value value, Value time, Value row,
                   Value unit, int64_t limit);

  /// Copies units [first, last) of every row from `from` to `to`, scalar.
  void copyUnits(OpBuilder &b, Value from, ValueRange fromPrefix, Value to,
                 ValueRange toPrefix, Value first, Value last);

  /// Runs `tile(rowStart, rows, blockStart, blocks)` over all rows and the
  /// blocks [first, last), with tiles of static size.
  void forEachTile(OpBuilder &b, Value first, Value last,
                   function_ref<void(OpBuilder &, Value, int64_t, Value,
                                     int64_t)>
                       tile);

  /// The recurrent product and the gates of `rows` rows and `blocks` blocks.
  void emitGateTile(OpBuilder &b, Value step, Value current, Value next,
                    Value rowStart, int64_t rows, Value blockStart,
                    int64_t blocks);

  /// The projection of `rows` rows onto `blocks` blocks of outputs.
  void emitProjectionTile(OpBuilder &b, Value step, Value current, Value next,
                          Value rowStart, int64_t rows, Value blockStart,
                          int64_t blocks);

  RecurrenceOp op;
  Location loc;
  int64_t rowsPerTile, blocksPerRow;
  int64_t blockSize, hidden, numBlocks, features;
  bool hasProjection;
  int64_t numOutputBlocks;
  VectorType vectorType;

  // Set while lowering: sizes and scratch buffers.
  Value seqLen, batch;
  /// Double-buffered hidden states, (2, N, np * B).
  Value hiddenStates;
  /// Cell states, (N, nb * B).
  Value cellStates;
  /// With a projection: the hidden state before it, (N, nb * B).
  Value fullHidden;
};
} // namespace

RecurrenceLowering::RowStep
RecurrenceLowering::rowStep(OpBuilder &b, Value step, Value row) {
  Value length = seqLen;
  if (Value lengths = op.getLengths()) {
    Value stored = memref::LoadOp::create(b, loc, lengths, row);
    length = arith::IndexCastOp::create(b, loc, b.getIndexType(), stored);
  }
  Value valid =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, step, length);
  Value time = step;
  if (op.getReverse())
    time = sub(b, sub(b, length, index(b, 1)), step);
  return {valid, time};
}

void RecurrenceLowering::storeOutput(OpBuilder &b, Value value, Value time,
                                     Value row, Value unit,
                                     int64_t limit) {
  Value output = op.getOutputInit();
  if (limit % blockSize == 0) {
    store(b, value, output, {time, row, unit});
    return;
  }
  Value count = arith::MinSIOp::create(b, loc, index(b, blockSize),
                                       sub(b, index(b, limit), unit));
  Value mask = vector::CreateMaskOp::create(
      b, loc, VectorType::get({blockSize}, b.getI1Type()), ValueRange{count});
  vector::MaskedStoreOp::create(b, loc, output, ValueRange{time, row, unit},
                                mask, value);
}

void RecurrenceLowering::copyUnits(OpBuilder &b, Value from,
                                   ValueRange fromPrefix, Value to,
                                   ValueRange toPrefix, Value first,
                                   Value last) {
  forLoop(b, index(b, 0), batch, 1, [&](OpBuilder &b, Value row) {
    forLoop(b, first, last, 1, [&](OpBuilder &b, Value unit) {
      SmallVector<Value> src(fromPrefix), dst(toPrefix);
      src.append({row, unit});
      dst.append({row, unit});
      Value v = memref::LoadOp::create(b, loc, from, src);
      memref::StoreOp::create(b, loc, v, to, dst);
    });
  });
}

void RecurrenceLowering::forEachTile(
    OpBuilder &b, Value first, Value last,
    function_ref<void(OpBuilder &, Value, int64_t, Value, int64_t)> tile)
    {
  // Full tiles of rowsPerTile rows and one block.
  Value rem =
      arith::RemUIOp::create(b, loc, batch, index(b, rowsPerTile));
  Value fullRows = sub(b, batch, rem);
  forLoop(b, index(b, 0), fullRows, rowsPerTile, [&](OpBuilder &b, Value row) {
    forLoop(b, first, last, 1, [&](OpBuilder &b, Value block) {
      tile(b, row, rowsPerTile, block, 1);
    });
  });
  // Left-over rows one at a time, with several blocks per tile.
  forLoop(b, fullRows, batch, 1, [&](OpBuilder &b, Value row) {
    Value count = sub(b, last, first);
    Value grouped = add(b, first,
                        mul(b,
                            arith::DivUIOp::create(b, loc, count,
                                                   index(b, blocksPerRow)),
                            blocksPerRow));
    forLoop(b, first, grouped, blocksPerRow, [&](OpBuilder &b, Value block) {
      tile(b, row, 1, block, blocksPerRow);
    });
    forLoop(b, grouped, last, 1, [&](OpBuilder &b, Value block) {
      tile(b, row, 1, block, 1);
    });
  });
}

void RecurrenceLowering::emitGateTile(OpBuilder &b, Value step, Value current,
                                      Value next, Value rowStart, int64_t rows,
                                      Value blockStart, int64_t blocks) {
  int64_t numAcc = rows * blocks * 4;
  auto accIndex = [&](int64_t r, int64_t g, int64_t q) {
    return (r * blocks + g) * 4 + q;
  };
  SmallVector<Value> zeros(numAcc, splat(b, 0.0f));
  SmallVector<Value> blockIds, rowIds;
  for (int64_t g = 0; g < blocks; ++g)
    blockIds.push_back(add(b, blockStart, index(b, g)));
  for (int64_t r = 0; r < rows; ++r)
    rowIds.push_back(add(b, rowStart, index(b, r)));

  // acc[r][g][q] += h[row r, k] * W_hh[block g, k, gate q], k = 0 .. K-1.
  auto loop = scf::ForOp::create(
      b, loc, index(b, 0), index(b, features), index(b, 1), zeros,
      [&](OpBuilder &b, Location, Value k, ValueRange acc) {
        SmallVector<Value> weights;
        for (int64_t g = 0; g < blocks; ++g)
          for (int64_t q = 0; q < 4; ++q)
            weights.push_back(load(b, op.getWeightHh(),
                                   {blockIds[g], k, index(b, q * blockSize)}));
        SmallVector<Value> updated(acc);
        for (int64_t r = 0; r < rows; ++r) {
          Value h = memref::LoadOp::create(b, loc, hiddenStates,
                                           ValueRange{current, rowIds[r], k});
          Value hv = vector::BroadcastOp::create(b, loc, vectorType, h);
          for (int64_t g = 0; g < blocks; ++g)
            for (int64_t q = 0; q < 4; ++q) {
              int64_t i = accIndex(r, g, q);
              updated[i] = vector::FMAOp::create(b, loc, hv,
                                                 weights[g * 4 + q], acc[i]);
            }
        }
        scf::YieldOp::create(b, loc, updated);
      });

  // The gates, the cell update and the outputs, still in registers.
  for (int64_t r = 0; r < rows; ++r) {
    Value row = rowIds[r];
    RowStep rs = rowStep(b, step, row);
    ifThenElse(
        b, rs.valid,
        [&](OpBuilder &b) {
          for (int64_t g = 0; g < blocks; ++g) {
            Value unit = mul(b, blockIds[g], blockSize);
            Value pre[4];
            for (int64_t q = 0; q < 4; ++q)
              pre[q] = arith::AddFOp::create(
                  b, loc, loop.getResult(accIndex(r, g, q)),
                  load(b, op.getGates(),
                       {rs.time, row, blockIds[g], index(b, q * blockSize)}));
            Value in = sigmoid(b, pre[0]);
            Value forget = sigmoid(b, pre[1]);
            Value cand = math::TanhOp::create(b, loc, pre[2]);
            Value out = sigmoid(b, pre[3]);
            Value c = load(b, cellStates, {row, unit});
            c = vector::FMAOp::create(
                b, loc, forget, c, arith::MulFOp::create(b, loc, in, cand));
            store(b, c, cellStates, {row, unit});
            Value h = arith::MulFOp::create(
                b, loc, out, math::TanhOp::create(b, loc, c));
            if (hasProjection) {
              store(b, h, fullHidden, {row, unit});
            } else {
              store(b, h, hiddenStates, {next, row, unit});
              storeOutput(b, h, rs.time, row, unit, hidden);
            }
          }
        },
        [&](OpBuilder &b) {
          // Past the sequence's end: the state carries over, output is 0.
          if (hasProjection)
            return;
          for (int64_t g = 0; g < blocks; ++g) {
            Value unit = mul(b, blockIds[g], blockSize);
            store(b, load(b, hiddenStates, {current, row, unit}), hiddenStates,
                  {next, row, unit});
            storeOutput(b, splat(b, 0.0f), step, row, unit, hidden);
          }
        });
  }
}

void RecurrenceLowering::emitProjectionTile(OpBuilder &b, Value step,
                                            Value current, Value next,
                                            Value rowStart, int64_t rows,
                                            Value blockStart,
                                            int64_t blocks) {
  SmallVector<Value> zeros(rows * blocks, splat(b, 0.0f));
  SmallVector<Value> blockIds, rowIds;
  for (int64_t g = 0; g < blocks; ++g)
    blockIds.push_back(add(b, blockStart, index(b, g)));
  for (int64_t r = 0; r < rows; ++r)
    rowIds.push_back(add(b, rowStart, index(b, r)));

  // acc[r][g] += h_full[row r, k] * W_hr[block g, k], k = 0 .. H-1.
  auto loop = scf::ForOp::create(
      b, loc, index(b, 0), index(b, hidden), index(b, 1), zeros,
      [&](OpBuilder &b, Location, Value k, ValueRange acc) {
        SmallVector<Value> weights;
        for (int64_t g = 0; g < blocks; ++g)
          weights.push_back(
              load(b, op.getWeightHr(), {blockIds[g], k, index(b, 0)}));
        SmallVector<Value> updated(acc);
        for (int64_t r = 0; r < rows; ++r) {
          Value h = memref::LoadOp::create(b, loc, fullHidden,
                                           ValueRange{rowIds[r], k});
          Value hv = vector::BroadcastOp::create(b, loc, vectorType, h);
          for (int64_t g = 0; g < blocks; ++g)
            updated[r * blocks + g] =
                vector::FMAOp::create(b, loc, hv, weights[g], acc[r * blocks + g]);
        }
        scf::YieldOp::create(b, loc, updated);
      });

  int64_t projSize = features;
  for (int64_t r = 0; r < rows; ++r) {
    Value row = rowIds[r];
    RowStep rs = rowStep(b, step, row);
    ifThenElse(
        b, rs.valid,
        [&](OpBuilder &b) {
          for (int64_t g = 0; g < blocks; ++g) {
            Value unit = mul(b, blockIds[g], blockSize);
            Value h = loop.getResult(r * blocks + g);
            store(b, h, hiddenStates, {next, row, unit});
            storeOutput(b, h, rs.time, row, unit, projSize);
          }
        },
        [&](OpBuilder &b) {
          for (int64_t g = 0; g < blocks; ++g) {
            Value unit = mul(b, blockIds[g], blockSize);
            store(b, load(b, hiddenStates, {current, row, unit}), hiddenStates,
                  {next, row, unit});
            storeOutput(b, splat(b, 0.0f), step, row, unit, projSize);
          }
        });
  }
}

void RecurrenceLowering::lower(RewriterBase &rewriter,
                               FlatSymbolRefAttr threadNum,
                               FlatSymbolRefAttr numThreads) {
  OpBuilder &b = rewriter;
  rewriter.setInsertionPoint(op);
  Type f32 = b.getF32Type();
  seqLen = memref::DimOp::create(b, loc, op.getGates(), 0);
  batch = memref::DimOp::create(b, loc, op.getGates(), 1);

  // Scratch state, padded to whole blocks so that tiles never need masks.
  int64_t paddedHidden = numBlocks * blockSize;
  int64_t paddedOut = numOutputBlocks * blockSize;
  Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f));
  auto allocate = [&](ArrayRef<int64_t> shape) {
    Value buffer = memref::AllocOp::create(
        b, loc, MemRefType::get(shape, f32), ValueRange{batch},
        b.getI64IntegerAttr(64));
    linalg::FillOp::create(b, loc, zero, buffer);
    return buffer;
  };
  hiddenStates = allocate({2, ShapedType::kDynamic, paddedOut});
  cellStates = allocate({ShapedType::kDynamic, paddedHidden});
  if (hasProjection)
    fullHidden = allocate({ShapedType::kDynamic, paddedHidden});

  auto parallel = omp::ParallelOp::create(b, loc);
  Block *body = b.createBlock(&parallel.getRegion());
  b.setInsertionPointToStart(body);
  auto queryIndex = [&](FlatSymbolRefAttr fn) {
    Value id = func::CallOp::create(b, loc, fn, b.getI32Type(), ValueRange{})
                   .getResult(0);
    return arith::IndexCastOp::create(b, loc, b.getIndexType(), id);
  };
  Value tid = queryIndex(threadNum);
  Value count = queryIndex(numThreads);
  Value one = index(b, 1);

  // This thread's blocks of cell units and of hidden-state outputs.
  Value firstBlock = splitPoint(b, numBlocks, tid, count);
  Value lastBlock = splitPoint(b, numBlocks, add(b, tid, one), count);
  Value firstOut = firstBlock, lastOut = lastBlock;
  if (hasProjection) {
    firstOut = splitPoint(b, numOutputBlocks, tid, count);
    lastOut = splitPoint(b, numOutputBlocks, add(b, tid, one), count);
  }
  auto unitRange = [&](Value firstB, Value lastB, int64_t limit) {
    Value first = mul(b, firstB, blockSize);
    Value last = arith::MinUIOp::create(b, loc, mul(b, lastB, blockSize),
                                        index(b, limit));
    return std::make_pair(first, last);
  };
  auto [firstCell, lastCell] = unitRange(firstBlock, lastBlock, hidden);
  auto [firstHidden, lastHidden] = unitRange(firstOut, lastOut, features);

  Value zeroIdx = index(b, 0);
  copyUnits(b, op.getC0(), {}, cellStates, {}, firstCell, lastCell);
  copyUnits(b, op.getH0(), {}, hiddenStates, {zeroIdx}, firstHidden,
            lastHidden);
  omp::BarrierOp::create(b, loc);

  forLoop(b, zeroIdx, seqLen, 1, [&](OpBuilder &b, Value step) {
    Value current = arith::RemUIOp::create(b, loc, step, index(b, 2));
    Value next = sub(b, index(b, 1), current);
    forEachTile(b, firstBlock, lastBlock,
                [&](OpBuilder &b, Value row, int64_t rows, Value block,
                    int64_t blocks) {
                  emitGateTile(b, step, current, next, row, rows, block,
                               blocks);
                });
    if (hasProjection) {
      omp::BarrierOp::create(b, loc);
      forEachTile(b, firstOut, lastOut,
                  [&](OpBuilder &b, Value row, int64_t rows, Value block,
                      int64_t blocks) {
                    emitProjectionTile(b, step, current, next, row, rows,
                                       block, blocks);
                  });
    }
    omp::BarrierOp::create(b, loc);
  });

  // Each row's state after its last valid step.
  Value last = arith::RemUIOp::create(b, loc, seqLen, index(b, 2));
  copyUnits(b, cellStates, {}, op.getCNInit(), {}, firstCell, lastCell);
  copyUnits(b, hiddenStates, {last}, op.getHNInit(), {}, firstHidden,
            lastHidden);
  omp::TerminatorOp::create(b, loc);

  b.setInsertionPointAfter(parallel);
  memref::DeallocOp::create(b, loc, hiddenStates);
  memref::DeallocOp::create(b, loc, cellStates);
  if (hasProjection)
    memref::DeallocOp::create(b, loc, fullHidden);
  rewriter.eraseOp(op);
}

namespace {
struct LowerRecurrence : OpRewritePattern<RecurrenceOp> {
  LowerRecurrence(MLIRContext *context,
                  const ConvertLSTMToVectorOptions &options)
      : OpRewritePattern(context), options(options) {}

  LogicalResult matchAndRewrite(RecurrenceOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureBufferSemantics())
      return rewriter.notifyMatchFailure(op, "expects buffer semantics");
    FlatSymbolRefAttr threadNum =
        getOrDeclareI32Function(rewriter, op, "omp_get_thread_num");
    FlatSymbolRefAttr numThreads =
        getOrDeclareI32Function(rewriter, op, "omp_get_num_threads");
    RecurrenceLowering(op, options).lower(rewriter, threadNum, numThreads);
    return success();
  }

  ConvertLSTMToVectorOptions options;
};

struct ConvertLSTMToVector
    : lstm::impl::ConvertLSTMToVectorBase<ConvertLSTMToVector> {
  using Base::Base;

  void runOnOperation() override {
    if (rowsPerTile <= 0 || blocksPerRow <= 0) {
      getOperation().emitError(
          "rows-per-tile and blocks-per-row must be positive");
      return signalPassFailure();
    }
    RewritePatternSet patterns(&getContext());
    populateLSTMToVectorPatterns(
        patterns, ConvertLSTMToVectorOptions{rowsPerTile, blocksPerRow});
    walkAndApplyPatterns(getOperation(), std::move(patterns));
    WalkResult left = getOperation().walk([](RecurrenceOp op) {
      op.emitError("lstm.recurrence must be bufferized before "
                   "convert-lstm-to-vector");
      return WalkResult::interrupt();
    });
    if (left.wasInterrupted())
      signalPassFailure();
  }
};
} // namespace

void mlir::lstm::populateLSTMToVectorPatterns(
    RewritePatternSet &patterns, const ConvertLSTMToVectorOptions &options) {
  patterns.add<LowerRecurrence>(patterns.getContext(), options);
}
