//===- LSTMToVector.cpp - lstm.recurrence to CPU loops ----------*- C++ -*-===//
//
// What makes an LSTM fast on a CPU is (1) computing the input projection of
// many time steps as one matrix product outside the time loop, (2) keeping
// each core's slice of W_hh in its own cache for the whole sequence, (3)
// computing the gates in the registers that accumulate the recurrent
// product, and (4) synchronizing threads once per step rather than forking
// and joining them.
//
// This lowering builds exactly that: one omp.parallel region per recurrence
// whose threads each own a range of hidden-unit blocks. The time steps are
// taken in chunks; for each chunk a thread first projects the chunk's inputs
// onto its own blocks (a register-tiled product with W_ih, no barrier needed
// since nobody else reads those gates), then runs the chunk's steps: the
// recurrent product of its blocks in register tiles, the gate math and the
// cell update on the accumulators, then one omp.barrier on double-buffered
// hidden states (two with a projection).
//
//===----------------------------------------------------------------------===//

#include "lstm/Conversion/LSTMToVector/LSTMToVector.h"
#include "lstm/Conversion/Utils/ControlFlow.h"
#include "lstm/Conversion/Utils/GateMath.h"
#include "lstm/Conversion/Utils/OpenMP.h"
#include "lstm/Conversion/Utils/RegisterTile.h"
#include "lstm/Conversion/Utils/Tiling.h"
#include "lstm/Dialect/LSTM/IR/LSTM.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

namespace mlir::lstm {
#define GEN_PASS_DEF_CONVERTLSTMTOVECTOR
#include "lstm/Conversion/Passes.h.inc"
} // namespace mlir::lstm

using namespace mlir;
using namespace mlir::lstm;

namespace {
/// Emits the CPU code of one bufferized lstm.recurrence. Naming follows the
/// op's documentation: B units per block, nb blocks of hidden units, np
/// blocks of projection outputs, I input features, K = H_out features read
/// by W_hh.
class RecurrenceLowering {
public:
  RecurrenceLowering(RecurrenceOp op, const ConvertLSTMToVectorOptions &options)
      : op(op), loc(op.getLoc()), rowsPerTile(options.rowsPerTile),
        accumulators(options.accumulators), rowsPerChunk(options.rowsPerChunk),
        blockSize(op.getBlockSize()), hidden(op.getHiddenSize()),
        numBlocks(shape(op.getWeightHh())[0]),
        features(shape(op.getWeightHh())[1]),
        inputSize(shape(op.getWeightIh())[1]),
        hasProjection(static_cast<bool>(op.getWeightHr())),
        numOutputBlocks(hasProjection ? shape(op.getWeightHr())[0] : numBlocks),
        vectorType(
            VectorType::get({blockSize}, Float32Type::get(op.getContext()))),
        gateMath(loc, vectorType, op.getGateActivations(), op.getClipAttr(),
                 op.getInputForget()) {}

  void lower(RewriterBase &rewriter);

private:
  static ArrayRef<int64_t> shape(Value value) {
    return cast<MemRefType>(value.getType()).getShape();
  }

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
  Value splat(OpBuilder &b, float value) { return gateMath.splat(b, value); }
  Value load(OpBuilder &b, Value memref, ValueRange indices) {
    return vector::LoadOp::create(b, loc, vectorType, memref, indices);
  }
  void store(OpBuilder &b, Value value, Value memref, ValueRange indices) {
    vector::StoreOp::create(b, loc, value, memref, indices);
  }
  /// The indices [first, first + count).
  SmallVector<Value> range(OpBuilder &b, Value first, int64_t count) {
    SmallVector<Value> values;
    for (int64_t i = 0; i < count; ++i)
      values.push_back(add(b, first, index(b, i)));
    return values;
  }

  /// Where row `row` is at step `step`: whether the step is within its
  /// sequence, and the time index it reads and writes.
  struct RowStep {
    Value valid, time;
  };
  RowStep rowStep(OpBuilder &b, Value step, Value row);

  /// Stores the vector `value` to units [unit, unit + B) of output row
  /// (time, row), masking units at or past `limit`.
  void storeOutput(OpBuilder &b, Value value, Value time, Value row, Value unit,
                   int64_t limit);

  /// Copies units [first, last) of every row from `from` to `to`, scalar.
  void copyUnits(OpBuilder &b, Value from, ValueRange fromPrefix, Value to,
                 ValueRange toPrefix, Value first, Value last);

  /// The input projection of steps [chunkStart, chunkStart + steps) onto the
  /// blocks [first, last): rows (step, n) of the chunk, linearized.
  void emitInputProjection(OpBuilder &b, Value chunkStart, Value steps,
                           Value first, Value last);
  void emitInputProjectionTile(OpBuilder &b, Value chunkStart, Value rowStart,
                               int64_t rows, Value blockStart, int64_t blocks);

  /// The recurrent product and the gates of `rows` rows and `blocks` blocks
  /// at step `step`, whose input projection is row `chunkStep` of the chunk.
  void emitGateTile(OpBuilder &b, Value step, Value chunkStep, Value current,
                    Value next, Value rowStart, int64_t rows, Value blockStart,
                    int64_t blocks);

  /// The projection of `rows` rows onto `blocks` blocks of outputs.
  void emitProjectionTile(OpBuilder &b, Value step, Value current, Value next,
                          Value rowStart, int64_t rows, Value blockStart,
                          int64_t blocks);

  /// What each thread of the parallel region runs: its share of the initial
  /// states, the time loop and its share of the final states.
  void emitThreadBody(OpBuilder &b, const ThreadTeam &team);

  RecurrenceOp op;
  Location loc;
  int64_t rowsPerTile, accumulators, rowsPerChunk;
  int64_t blockSize, hidden, numBlocks, features, inputSize;
  bool hasProjection;
  int64_t numOutputBlocks;
  VectorType vectorType;
  GateMath gateMath;

  // Set while lowering: sizes and scratch buffers.
  Value seqLen, batch;
  /// Time steps per chunk.
  Value chunkLen;
  /// The input projection of one chunk, (chunk, N, nb, 4B).
  Value gates;
  /// Double-buffered hidden states, (2, N, np * B).
  Value hiddenStates;
  /// Cell states, (N, nb * B).
  Value cellStates;
  /// With a projection: the hidden state before it, (N, nb * B).
  Value fullHidden;
};
} // namespace

RecurrenceLowering::RowStep RecurrenceLowering::rowStep(OpBuilder &b,
                                                        Value step, Value row) {
  Value length = seqLen;
  if (Value lengths = op.getLengths()) {
    Value stored = memref::LoadOp::create(b, loc, lengths, row);
    length = clampSequenceLength(
        b, loc, arith::IndexCastOp::create(b, loc, b.getIndexType(), stored),
        seqLen);
  }
  Value valid =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, step, length);
  Value time = step;
  if (op.getReverse()) {
    // Past the end, the reverse index is negative; clamp it to a valid row
    // whose result is never used.
    time = sub(b, sub(b, length, index(b, 1)), step);
    time = arith::MaxSIOp::create(b, loc, time, index(b, 0));
  }
  return {valid, time};
}

void RecurrenceLowering::storeOutput(OpBuilder &b, Value value, Value time,
                                     Value row, Value unit, int64_t limit) {
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
  buildLoop(b, loc, index(b, 0), batch, 1, [&](OpBuilder &b, Value row) {
    buildLoop(b, loc, first, last, 1, [&](OpBuilder &b, Value unit) {
      SmallVector<Value> src(fromPrefix), dst(toPrefix);
      src.append({row, unit});
      dst.append({row, unit});
      Value v = memref::LoadOp::create(b, loc, from, src);
      memref::StoreOp::create(b, loc, v, to, dst);
    });
  });
}

void RecurrenceLowering::emitInputProjection(OpBuilder &b, Value chunkStart,
                                             Value steps, Value first,
                                             Value last) {
  Value rows = arith::MulIOp::create(b, loc, steps, batch);
  forEachRegisterTile(
      b, loc, index(b, 0), rows, first, last, rowsPerTile,
      /*vectorsPerBlock=*/4, accumulators,
      [&](OpBuilder &b, Value row, int64_t rows, Value block, int64_t blocks) {
        emitInputProjectionTile(b, chunkStart, row, rows, block, blocks);
      });
}

void RecurrenceLowering::emitInputProjectionTile(OpBuilder &b, Value chunkStart,
                                                 Value rowStart, int64_t rows,
                                                 Value blockStart,
                                                 int64_t blocks) {
  // Chunk row r is batch row n = r % N at step chunkStart + r / N, which
  // reads the input at that step's time index.
  SmallVector<Value> chunkSteps, batchRows, times;
  for (Value r : range(b, rowStart, rows)) {
    Value chunkStep = arith::DivUIOp::create(b, loc, r, batch);
    Value n = arith::RemUIOp::create(b, loc, r, batch);
    chunkSteps.push_back(chunkStep);
    batchRows.push_back(n);
    times.push_back(rowStep(b, add(b, chunkStart, chunkStep), n).time);
  }
  SmallVector<Value> blockIds = range(b, blockStart, blocks);
  SmallVector<Value> acc = emitRegisterTile(
      b, loc, vectorType, rows, blocks * 4, index(b, 0), index(b, inputSize),
      [&](OpBuilder &b, Location loc, Value k, int64_t r) -> Value {
        return memref::LoadOp::create(b, loc, op.getInput(),
                                      ValueRange{times[r], batchRows[r], k});
      },
      [&](OpBuilder &b, Location loc, Value k, int64_t v) {
        return load(b, op.getWeightIh(),
                    {blockIds[v / 4], k, index(b, (v % 4) * blockSize)});
      });
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t v = 0; v < blocks * 4; ++v) {
      Value column = index(b, (v % 4) * blockSize);
      Value value = acc[r * blocks * 4 + v];
      if (Value bias = op.getBias())
        value = arith::AddFOp::create(b, loc, value,
                                      load(b, bias, {blockIds[v / 4], column}));
      store(b, value, gates,
            {chunkSteps[r], batchRows[r], blockIds[v / 4], column});
    }
}

void RecurrenceLowering::emitGateTile(OpBuilder &b, Value step, Value chunkStep,
                                      Value current, Value next, Value rowStart,
                                      int64_t rows, Value blockStart,
                                      int64_t blocks) {
  auto accIndex = [&](int64_t r, int64_t g, int64_t q) {
    return (r * blocks + g) * 4 + q;
  };
  SmallVector<Value> blockIds = range(b, blockStart, blocks);
  SmallVector<Value> rowIds = range(b, rowStart, rows);

  // acc[r][g][q] += h[row r, k] * W_hh[block g, k, gate q], k = 0 .. K-1.
  SmallVector<Value> acc = emitRegisterTile(
      b, loc, vectorType, rows, blocks * 4, index(b, 0), index(b, features),
      [&](OpBuilder &b, Location loc, Value k, int64_t r) -> Value {
        return memref::LoadOp::create(b, loc, hiddenStates,
                                      ValueRange{current, rowIds[r], k});
      },
      [&](OpBuilder &b, Location loc, Value k, int64_t v) {
        return load(b, op.getWeightHh(),
                    {blockIds[v / 4], k, index(b, (v % 4) * blockSize)});
      });

  // The gates, the cell update and the outputs, still in registers.
  for (int64_t r = 0; r < rows; ++r) {
    Value row = rowIds[r];
    RowStep rs = rowStep(b, step, row);
    emitIf(
        b, loc, rs.valid,
        [&](OpBuilder &b) {
          for (int64_t g = 0; g < blocks; ++g) {
            Value unit = mul(b, blockIds[g], blockSize);
            Value pre[4];
            for (int64_t q = 0; q < 4; ++q)
              pre[q] = arith::AddFOp::create(
                  b, loc, acc[accIndex(r, g, q)],
                  load(b, gates,
                       {chunkStep, row, blockIds[g], index(b, q * blockSize)}));
            Value previous = load(b, cellStates, {row, unit});
            // The packed peephole holds p_i, p_f and p_o in the first
            // three gate slots.
            Value c = gateMath.cellUpdate(
                b, pre, previous, [&](int64_t slot) -> Value {
                  if (!op.getPeephole())
                    return nullptr;
                  return load(b, op.getPeephole(),
                              {blockIds[g], index(b, slot * blockSize)});
                });
            store(b, c, cellStates, {row, unit});
            Value h = gateMath.hidden(b, pre[3], c);
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
                                            Value blockStart, int64_t blocks) {
  SmallVector<Value> blockIds = range(b, blockStart, blocks);
  SmallVector<Value> rowIds = range(b, rowStart, rows);

  // acc[r][g] += h_full[row r, k] * W_hr[block g, k], k = 0 .. H-1.
  SmallVector<Value> acc = emitRegisterTile(
      b, loc, vectorType, rows, blocks, index(b, 0), index(b, hidden),
      [&](OpBuilder &b, Location loc, Value k, int64_t r) -> Value {
        return memref::LoadOp::create(b, loc, fullHidden,
                                      ValueRange{rowIds[r], k});
      },
      [&](OpBuilder &b, Location loc, Value k, int64_t v) {
        return load(b, op.getWeightHr(), {blockIds[v], k, index(b, 0)});
      });

  int64_t projSize = features;
  for (int64_t r = 0; r < rows; ++r) {
    Value row = rowIds[r];
    RowStep rs = rowStep(b, step, row);
    emitIf(
        b, loc, rs.valid,
        [&](OpBuilder &b) {
          for (int64_t g = 0; g < blocks; ++g) {
            Value unit = mul(b, blockIds[g], blockSize);
            Value h = acc[r * blocks + g];
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

void RecurrenceLowering::emitThreadBody(OpBuilder &b, const ThreadTeam &team) {
  Value one = index(b, 1);
  Value tid = team.getThreadId(), count = team.getNumThreads();
  // This thread's blocks of cell units and of hidden-state outputs.
  Value firstBlock = getThreadStart(b, loc, numBlocks, tid, count);
  Value lastBlock = getThreadStart(b, loc, numBlocks, add(b, tid, one), count);
  Value firstOut = firstBlock, lastOut = lastBlock;
  if (hasProjection) {
    firstOut = getThreadStart(b, loc, numOutputBlocks, tid, count);
    lastOut = getThreadStart(b, loc, numOutputBlocks, add(b, tid, one), count);
  }
  auto unitRange = [&](Value firstB, Value lastB, int64_t limit) {
    Value first = mul(b, firstB, blockSize);
    Value last = arith::MinUIOp::create(b, loc, mul(b, lastB, blockSize),
                                        index(b, limit));
    return std::make_pair(first, last);
  };
  auto [firstCell, lastCell] = unitRange(firstBlock, lastBlock, hidden);
  auto [firstHidden, lastHidden] = unitRange(firstOut, lastOut, features);

  Value zero = index(b, 0);
  copyUnits(b, op.getC0(), {}, cellStates, {}, firstCell, lastCell);
  copyUnits(b, op.getH0(), {}, hiddenStates, {zero}, firstHidden, lastHidden);
  team.emitBarrier(b, loc);

  auto chunks = scf::ForOp::create(b, loc, zero, seqLen, chunkLen);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(chunks.getBody());
    Value chunkStart = chunks.getInductionVar();
    Value steps =
        arith::MinUIOp::create(b, loc, chunkLen, sub(b, seqLen, chunkStart));
    // Only this thread reads the gates of its blocks: no barrier.
    emitInputProjection(b, chunkStart, steps, firstBlock, lastBlock);
    buildLoop(b, loc, zero, steps, 1, [&](OpBuilder &b, Value chunkStep) {
      Value step = add(b, chunkStart, chunkStep);
      Value current = arith::RemUIOp::create(b, loc, step, index(b, 2));
      Value next = sub(b, index(b, 1), current);
      // Every other step walks the blocks backwards, so that a slice of
      // W_hh larger than the cache starts where the last step left off
      // instead of evicting itself.
      Value backwards = arith::TruncIOp::create(
          b, loc, b.getI1Type(),
          arith::IndexCastOp::create(b, loc, b.getI64Type(), current));
      Value mirror = add(b, firstBlock, lastBlock);
      forEachRegisterTile(
          b, loc, zero, batch, firstBlock, lastBlock, rowsPerTile,
          /*vectorsPerBlock=*/4, accumulators,
          [&](OpBuilder &b, Value row, int64_t rows, Value block,
              int64_t blocks) {
            Value mirrored = sub(b, sub(b, mirror, block), index(b, blocks));
            Value actual =
                arith::SelectOp::create(b, loc, backwards, mirrored, block);
            emitGateTile(b, step, chunkStep, current, next, row, rows, actual,
                         blocks);
          });
      if (hasProjection) {
        team.emitBarrier(b, loc);
        forEachRegisterTile(b, loc, zero, batch, firstOut, lastOut, rowsPerTile,
                            /*vectorsPerBlock=*/1, accumulators,
                            [&](OpBuilder &b, Value row, int64_t rows,
                                Value block, int64_t blocks) {
                              emitProjectionTile(b, step, current, next, row,
                                                 rows, block, blocks);
                            });
      }
      team.emitBarrier(b, loc);
    });
  }

  // Each row's state after its last valid step.
  Value last = arith::RemUIOp::create(b, loc, seqLen, index(b, 2));
  copyUnits(b, cellStates, {}, op.getCNInit(), {}, firstCell, lastCell);
  copyUnits(b, hiddenStates, {last}, op.getHNInit(), {}, firstHidden,
            lastHidden);
}

void RecurrenceLowering::lower(RewriterBase &rewriter) {
  OpBuilder &b = rewriter;
  rewriter.setInsertionPoint(op);
  Type f32 = b.getF32Type();
  batch = memref::DimOp::create(b, loc, op.getInput(), 1);
  // An empty batch takes no steps: its outputs are empty whatever T is, and
  // T, which then costs no memory, may be anything up to 2^63. (One op per
  // statement: the order of evaluation of arguments is unspecified.)
  Value inputSteps = memref::DimOp::create(b, loc, op.getInput(), 0);
  Value emptyBatch = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                           batch, index(b, 0));
  seqLen = arith::SelectOp::create(b, loc, emptyBatch, index(b, 0), inputSteps);
  // About rowsPerChunk rows of input projection per chunk: enough rows for
  // an efficient product, few enough for the chunk's gates to stay in cache.
  // (An empty batch has no rows; it must not divide by zero all the same.)
  chunkLen = arith::MaxUIOp::create(
      b, loc, index(b, 1),
      arith::DivUIOp::create(
          b, loc, index(b, rowsPerChunk),
          arith::MaxUIOp::create(b, loc, batch, index(b, 1))));
  Value chunkRows = arith::MinUIOp::create(b, loc, chunkLen, seqLen);

  // Scratch state, padded to whole blocks so that tiles never need masks.
  int64_t paddedHidden = numBlocks * blockSize;
  int64_t paddedOut = numOutputBlocks * blockSize;
  Value zero = arith::ConstantOp::create(b, loc, b.getF32FloatAttr(0.0f));
  auto allocate = [&](ArrayRef<int64_t> shape, ValueRange sizes) {
    return memref::AllocOp::create(b, loc, MemRefType::get(shape, f32), sizes,
                                   b.getI64IntegerAttr(64))
        .getResult();
  };
  int64_t dynamic = ShapedType::kDynamic;
  gates = allocate({dynamic, dynamic, numBlocks, 4 * blockSize},
                   {chunkRows, batch});
  hiddenStates = allocate({2, dynamic, paddedOut}, {batch});
  cellStates = allocate({dynamic, paddedHidden}, {batch});
  linalg::FillOp::create(b, loc, zero, hiddenStates);
  linalg::FillOp::create(b, loc, zero, cellStates);
  if (hasProjection)
    fullHidden = allocate({dynamic, paddedHidden}, {batch});

  createParallelRegion(
      rewriter, loc,
      [&](OpBuilder &b, const ThreadTeam &team) { emitThreadBody(b, team); });
  for (Value buffer : {gates, hiddenStates, cellStates, fullHidden})
    if (buffer)
      memref::DeallocOp::create(b, loc, buffer);
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
    RecurrenceLowering(op, options).lower(rewriter);
    return success();
  }

  ConvertLSTMToVectorOptions options;
};

struct ConvertLSTMToVector
    : lstm::impl::ConvertLSTMToVectorBase<ConvertLSTMToVector> {
  using Base::Base;

  void runOnOperation() override {
    if (rowsPerTile <= 0 || accumulators <= 0 || rowsPerChunk <= 0) {
      getOperation().emitError(
          "rows-per-tile, accumulators and rows-per-chunk must be positive");
      return signalPassFailure();
    }
    RewritePatternSet patterns(&getContext());
    populateLSTMToVectorPatterns(
        patterns,
        ConvertLSTMToVectorOptions{rowsPerTile, accumulators, rowsPerChunk});
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
