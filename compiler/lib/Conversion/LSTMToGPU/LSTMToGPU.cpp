//===- LSTMToGPU.cpp - lstm.recurrence to GPU kernels -----------*- C++ -*-===//
//
// One bufferized lstm.recurrence becomes host code on one chain of async
// tokens: device buffers and copies of the operands, the hoisted input
// projection as one kernel, then a host loop over the steps that launches
// one fused kernel per step (recurrent product, gates, cell update and
// outputs; a second kernel for the projection, if any), and copies of the
// results back. The kernels are gpu.launch regions, outlined later by
// gpu-kernel-outlining.
//
// Naming follows the op's documentation: B units per block (the threads of
// a step kernel's block), nb blocks of hidden units, np blocks of projection
// outputs, I input features, K = H_out features read by W_hh.
//
//===----------------------------------------------------------------------===//

#include "lstm/Conversion/LSTMToGPU/LSTMToGPU.h"
#include "lstm/Conversion/Utils/ControlFlow.h"
#include "lstm/Conversion/Utils/GateMath.h"
#include "lstm/Dialect/LSTM/IR/LSTM.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

namespace mlir::lstm {
#define GEN_PASS_DEF_CONVERTLSTMTOGPU
#include "lstm/Conversion/Passes.h.inc"
} // namespace mlir::lstm

using namespace mlir;
using namespace mlir::lstm;

/// The gpu.module that holds every kernel, so that a model has one binary.
static constexpr StringLiteral kKernelModule = "lstm_kernels";

namespace {
/// Emits the host code and kernels of one bufferized lstm.recurrence.
class RecurrenceLowering {
public:
  /// `name` prefixes the names of the op's kernels. With `hostLoops`, the
  /// kernels become host loops and the device buffers host buffers.
  RecurrenceLowering(RecurrenceOp op, std::string name, bool hostLoops)
      : op(op), loc(op.getLoc()), name(std::move(name)), hostLoops(hostLoops),
        blockSize(op.getBlockSize()), hidden(op.getHiddenSize()),
        numBlocks(shape(op.getWeightHh())[0]),
        features(shape(op.getWeightHh())[1]),
        inputSize(shape(op.getWeightIh())[1]),
        numOutputBlocks(op.getWeightHr() ? shape(op.getWeightHr())[0] : 0),
        gateMath(loc, Float32Type::get(op.getContext()),
                 op.getGateActivations(), op.getClipAttr(),
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
  Value mul(OpBuilder &b, Value x, Value y) {
    return arith::MulIOp::create(b, loc, x, y);
  }
  Value load(OpBuilder &b, Value memref, ValueRange indices) {
    return memref::LoadOp::create(b, loc, memref, indices);
  }
  void store(OpBuilder &b, Value value, Value memref, ValueRange indices) {
    memref::StoreOp::create(b, loc, value, memref, indices);
  }
  // Device memory, on the token chain.
  Type tokenType() { return gpu::AsyncTokenType::get(op.getContext()); }
  /// A device buffer of `type` with identity layout.
  Value allocate(OpBuilder &b, MemRefType type, ValueRange sizes);
  /// A device copy of the host buffer `host`.
  Value toDevice(OpBuilder &b, Value host);
  /// Copies the device buffer `device` to the host buffer `host`.
  void toHost(OpBuilder &b, Value device, Value host);
  /// The dynamic sizes of `value` for an allocation of its shape.
  SmallVector<Value> dynamicSizes(OpBuilder &b, Value value);

  /// Launches `body(b, blockIdX, blockIdY, threadIdX)` on a grid of
  /// gridX x gridY blocks of `threads` threads, after the chain's last op,
  /// as kernel `kernel` of the model's one gpu.module.
  void launch(OpBuilder &b, StringRef kernel, Value gridX, Value gridY,
              int64_t threads,
              function_ref<void(OpBuilder &, Value, Value, Value)> body);

  /// Where batch row `row` is at step `step`: whether the step is within
  /// its sequence, and the time index it reads and writes.
  struct RowStep {
    Value valid, time;
  };
  RowStep rowStep(OpBuilder &b, Value step, Value row);

  /// sum over k < `count` of a(k) * w(k), from `init`.
  Value dot(OpBuilder &b, Value init, int64_t count,
            function_ref<Value(OpBuilder &, Value)> a,
            function_ref<Value(OpBuilder &, Value)> w);

  /// Where a thread of a per-unit kernel is: its batch row, block, lane in
  /// the block, unit (block * B + lane), and the row's place at the step.
  struct UnitStep {
    Value row, block, lane, unit;
    RowStep rs;
  };
  /// Launches `kernel` with a thread per batch row and unit below `units`,
  /// in `blocks` blocks of B. Threads whose row's sequence includes `step`
  /// run `valid`; the others, if `writesState`, carry the hidden state over
  /// from `current` to `next` and write a zero output.
  void launchPerUnit(OpBuilder &b, StringRef kernel, int64_t blocks,
                     int64_t units, Value step, Value current, Value next,
                     bool writesState,
                     function_ref<void(OpBuilder &, const UnitStep &)> valid);

  void emitInputProjection(OpBuilder &b);
  void emitStep(OpBuilder &b, Value step, Value current, Value next);
  void emitProjection(OpBuilder &b, Value step, Value current, Value next);

  RecurrenceOp op;
  Location loc;
  std::string name;
  bool hostLoops;
  int64_t blockSize, hidden, numBlocks, features, inputSize, numOutputBlocks;
  GateMath gateMath;

  // Set while lowering.
  Value token;
  Value seqLen, batch;
  /// Device copies of the operands.
  Value input, weightIh, weightHh, bias, weightHr, peephole, lengths;
  /// The input projection of every step, (T, N, nb, 4B).
  Value gates;
  /// Cell states (N, H); with a projection, h before it (N, H).
  Value cellStates, fullHidden;
  /// The output (T, N, K) on the device.
  Value output;
  SmallVector<Value> deviceBuffers;
  /// Contiguous host copies of strided operands, freed at the end.
  SmallVector<Value> stagedBuffers;
};
} // namespace

SmallVector<Value> RecurrenceLowering::dynamicSizes(OpBuilder &b, Value value) {
  SmallVector<Value> sizes;
  auto type = cast<MemRefType>(value.getType());
  for (int64_t d = 0; d < type.getRank(); ++d)
    if (type.isDynamicDim(d))
      sizes.push_back(memref::DimOp::create(b, loc, value, d));
  return sizes;
}

Value RecurrenceLowering::allocate(OpBuilder &b, MemRefType type,
                                   ValueRange sizes) {
  if (hostLoops) {
    Value buffer = memref::AllocOp::create(b, loc, type, sizes);
    deviceBuffers.push_back(buffer);
    return buffer;
  }
  auto alloc = gpu::AllocOp::create(b, loc, type, tokenType(),
                                    ValueRange{token}, sizes, ValueRange{});
  token = alloc.getAsyncToken();
  deviceBuffers.push_back(alloc.getMemref());
  return alloc.getMemref();
}

Value RecurrenceLowering::toDevice(OpBuilder &b, Value host) {
  if (!host)
    return nullptr;
  auto type = cast<MemRefType>(host.getType());
  auto contiguous = MemRefType::get(type.getShape(), type.getElementType());
  SmallVector<Value> sizes = dynamicSizes(b, host);
  if (hostLoops) {
    Value copy = allocate(b, contiguous, sizes);
    memref::CopyOp::create(b, loc, host, copy);
    return copy;
  }
  // gpu.memcpy copies contiguous buffers: stage strided views on the host.
  if (!type.getLayout().isIdentity()) {
    Value staged = memref::AllocOp::create(b, loc, contiguous, sizes);
    memref::CopyOp::create(b, loc, host, staged);
    stagedBuffers.push_back(staged);
    host = staged;
  }
  Value device = allocate(b, contiguous, sizes);
  token = gpu::MemcpyOp::create(b, loc, tokenType(), ValueRange{token}, device,
                                host)
              .getAsyncToken();
  return device;
}

void RecurrenceLowering::toHost(OpBuilder &b, Value device, Value host) {
  auto type = cast<MemRefType>(host.getType());
  if (hostLoops) {
    memref::CopyOp::create(b, loc, device, host);
    return;
  }
  if (type.getLayout().isIdentity()) {
    token = gpu::MemcpyOp::create(b, loc, tokenType(), ValueRange{token}, host,
                                  device)
                .getAsyncToken();
    return;
  }
  Value staged = memref::AllocOp::create(
      b, loc, MemRefType::get(type.getShape(), type.getElementType()),
      dynamicSizes(b, host));
  token = gpu::MemcpyOp::create(b, loc, tokenType(), ValueRange{token}, staged,
                                device)
              .getAsyncToken();
  gpu::WaitOp::create(b, loc, Type(), ValueRange{token});
  memref::CopyOp::create(b, loc, staged, host);
  memref::DeallocOp::create(b, loc, staged);
  token =
      gpu::WaitOp::create(b, loc, tokenType(), ValueRange{}).getAsyncToken();
}

void RecurrenceLowering::launch(
    OpBuilder &b, StringRef kernel, Value gridX, Value gridY, int64_t threads,
    function_ref<void(OpBuilder &, Value, Value, Value)> body) {
  Value zero = index(b, 0), one = index(b, 1);
  if (hostLoops) {
    scf::ParallelOp::create(b, loc, ValueRange{zero, zero, zero},
                            ValueRange{gridX, gridY, index(b, threads)},
                            ValueRange{one, one, one},
                            [&](OpBuilder &nested, Location, ValueRange ids) {
                              body(nested, ids[0], ids[1], ids[2]);
                            });
    return;
  }
  auto launch = gpu::LaunchOp::create(
      b, loc, gridX, gridY, one, index(b, threads), one, one,
      /*dynamicSharedMemorySize=*/nullptr, tokenType(), ValueRange{token},
      /*workgroupAttributions=*/{}, /*privateAttributions=*/{},
      /*clusterSizeX=*/nullptr, /*clusterSizeY=*/nullptr,
      /*clusterSizeZ=*/nullptr, b.getAttr<FlatSymbolRefAttr>(kKernelModule),
      b.getAttr<FlatSymbolRefAttr>(name + "_" + kernel.str()));
  token = launch.getAsyncToken();
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&launch.getBody().front());
  body(b, launch.getBlockIds().x, launch.getBlockIds().y,
       launch.getThreadIds().x);
  gpu::TerminatorOp::create(b, loc);
}

RecurrenceLowering::RowStep RecurrenceLowering::rowStep(OpBuilder &b,
                                                        Value step, Value row) {
  Value length = seqLen;
  if (lengths)
    length =
        clampSequenceLength(b, loc,
                            arith::IndexCastOp::create(b, loc, b.getIndexType(),
                                                       load(b, lengths, row)),
                            seqLen);
  Value valid =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, step, length);
  Value time = step;
  if (op.getReverse()) {
    // Past the end, the reverse index is negative; it is only used when
    // valid.
    Value last = arith::SubIOp::create(b, loc, length, index(b, 1));
    time = arith::SubIOp::create(b, loc, last, step);
  }
  return {valid, time};
}

Value RecurrenceLowering::dot(OpBuilder &b, Value init, int64_t count,
                              function_ref<Value(OpBuilder &, Value)> a,
                              function_ref<Value(OpBuilder &, Value)> w) {
  auto loop = scf::ForOp::create(
      b, loc, index(b, 0), index(b, count), index(b, 1), ValueRange{init},
      [&](OpBuilder &nested, Location, Value k, ValueRange acc) {
        // In this order whatever the host compiler's order of arguments.
        Value x = a(nested, k);
        Value weight = w(nested, k);
        Value sum = math::FmaOp::create(nested, loc, x, weight, acc[0]);
        scf::YieldOp::create(nested, loc, sum);
      });
  return loop.getResult(0);
}

void RecurrenceLowering::emitInputProjection(OpBuilder &b) {
  // Block (row, j) computes gate columns [0, 4B) of hidden-unit block j for
  // row = t * N + n: W_ih's panel of block j, read by consecutive threads at
  // consecutive addresses, stays in L2 across rows.
  Value rows = mul(b, seqLen, batch);
  launch(b, "input_projection", rows, index(b, numBlocks), 4 * blockSize,
         [&](OpBuilder &b, Value row, Value block, Value column) {
           Value t = arith::DivUIOp::create(b, loc, row, batch);
           Value n = arith::RemUIOp::create(b, loc, row, batch);
           Value init =
               bias ? load(b, bias, {block, column}) : gateMath.splat(b, 0.0f);
           Value sum = dot(
               b, init, inputSize,
               [&](OpBuilder &b, Value k) {
                 return load(b, input, {t, n, k});
               },
               [&](OpBuilder &b, Value k) {
                 return load(b, weightIh, {block, k, column});
               });
           store(b, sum, gates, {t, n, block, column});
         });
}

void RecurrenceLowering::launchPerUnit(
    OpBuilder &b, StringRef kernel, int64_t blocks, int64_t units, Value step,
    Value current, Value next, bool writesState,
    function_ref<void(OpBuilder &, const UnitStep &)> valid) {
  launch(b, kernel, batch, index(b, blocks), blockSize,
         [&](OpBuilder &b, Value row, Value block, Value lane) {
           Value unit = add(b, mul(b, block, index(b, blockSize)), lane);
           Value inRange = arith::CmpIOp::create(
               b, loc, arith::CmpIPredicate::ult, unit, index(b, units));
           emitIf(b, loc, inRange, [&](OpBuilder &b) {
             RowStep rs = rowStep(b, step, row);
             emitIf(
                 b, loc, rs.valid,
                 [&](OpBuilder &b) {
                   valid(b, {row, block, lane, unit, rs});
                 },
                 [&](OpBuilder &b) {
                   // Past the sequence's end: the state carries over and the
                   // output is zero.
                   if (!writesState)
                     return;
                   store(b, load(b, current, {row, unit}), next, {row, unit});
                   store(b, gateMath.splat(b, 0.0f), output, {step, row, unit});
                 });
           });
         });
}

void RecurrenceLowering::emitStep(OpBuilder &b, Value step, Value current,
                                  Value next) {
  // With a projection, its kernel writes the hidden state and the output.
  bool hasProjection = static_cast<bool>(weightHr);
  launchPerUnit(
      b, "step", numBlocks, hidden, step, current, next, !hasProjection,
      [&](OpBuilder &b, const UnitStep &u) {
        Value pre[4];
        for (int64_t q = 0; q < 4; ++q) {
          Value column = add(b, index(b, q * blockSize), u.lane);
          pre[q] = dot(
              b, load(b, gates, {u.rs.time, u.row, u.block, column}), features,
              [&](OpBuilder &b, Value k) {
                return load(b, current, {u.row, k});
              },
              [&](OpBuilder &b, Value k) {
                return load(b, weightHh, {u.block, k, column});
              });
        }
        Value previous = load(b, cellStates, {u.row, u.unit});
        Value c =
            gateMath.cellUpdate(b, pre, previous, [&](int64_t slot) -> Value {
              if (!peephole)
                return nullptr;
              Value column = add(b, index(b, slot * blockSize), u.lane);
              return load(b, peephole, {u.block, column});
            });
        store(b, c, cellStates, {u.row, u.unit});
        Value h = gateMath.hidden(b, pre[3], c);
        if (hasProjection) {
          store(b, h, fullHidden, {u.row, u.unit});
          return;
        }
        store(b, h, next, {u.row, u.unit});
        store(b, h, output, {u.rs.time, u.row, u.unit});
      });
}

void RecurrenceLowering::emitProjection(OpBuilder &b, Value step, Value current,
                                        Value next) {
  launchPerUnit(b, "projection", numOutputBlocks, features, step, current, next,
                /*writesState=*/true, [&](OpBuilder &b, const UnitStep &u) {
                  Value h = dot(
                      b, gateMath.splat(b, 0.0f), hidden,
                      [&](OpBuilder &b, Value k) {
                        return load(b, fullHidden, {u.row, k});
                      },
                      [&](OpBuilder &b, Value k) {
                        return load(b, weightHr, {u.block, k, u.lane});
                      });
                  store(b, h, next, {u.row, u.unit});
                  store(b, h, output, {u.rs.time, u.row, u.unit});
                });
}

void RecurrenceLowering::lower(RewriterBase &rewriter) {
  OpBuilder &b = rewriter;
  rewriter.setInsertionPoint(op);
  Type f32 = b.getF32Type();
  int64_t dynamic = ShapedType::kDynamic;
  batch = memref::DimOp::create(b, loc, op.getInput(), 1);
  // An empty batch has nothing to compute (its outputs are empty, whatever
  // T is), and a launch of no blocks would fail.
  auto nonEmpty =
      scf::IfOp::create(b, loc,
                        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne,
                                              batch, index(b, 0)),
                        /*withElseRegion=*/false);
  b.setInsertionPoint(nonEmpty.thenBlock()->getTerminator());
  seqLen = memref::DimOp::create(b, loc, op.getInput(), 0);

  if (!hostLoops)
    token =
        gpu::WaitOp::create(b, loc, tokenType(), ValueRange{}).getAsyncToken();
  input = toDevice(b, op.getInput());
  weightIh = toDevice(b, op.getWeightIh());
  weightHh = toDevice(b, op.getWeightHh());
  bias = toDevice(b, op.getBias());
  weightHr = toDevice(b, op.getWeightHr());
  peephole = toDevice(b, op.getPeephole());
  lengths = toDevice(b, op.getLengths());
  // The loop carries the two hidden-state buffers, which swap: one type.
  auto stateType = MemRefType::get({dynamic, features}, f32);
  Value h0 = memref::CastOp::create(b, loc, stateType, toDevice(b, op.getH0()));
  cellStates = toDevice(b, op.getC0());
  Value spare = allocate(b, stateType, {batch});
  if (weightHr)
    fullHidden = allocate(b, MemRefType::get({dynamic, hidden}, f32), {batch});
  gates = allocate(
      b, MemRefType::get({dynamic, dynamic, numBlocks, 4 * blockSize}, f32),
      {seqLen, batch});
  output = allocate(b, MemRefType::get({dynamic, dynamic, features}, f32),
                    {seqLen, batch});

  emitInputProjection(b);

  // The steps, on double-buffered hidden states. The chain's one stream
  // orders them and what follows, so the host never waits inside the loop.
  // The loop carries no token: gpu-to-llvm would take a token that arrives
  // as a block argument for an event, not a stream; every step depends on
  // the token of the stream instead, as does what follows the loop.
  Value stream = token;
  auto loop = scf::ForOp::create(
      b, loc, index(b, 0), seqLen, index(b, 1), ValueRange{h0, spare},
      [&](OpBuilder &nested, Location, Value step, ValueRange carried) {
        token = stream;
        emitStep(nested, step, carried[0], carried[1]);
        if (weightHr)
          emitProjection(nested, step, carried[0], carried[1]);
        scf::YieldOp::create(nested, loc, ValueRange{carried[1], carried[0]});
      });
  token = stream;
  Value last = loop.getResult(0);

  toHost(b, output, op.getOutputInit());
  toHost(b, last, op.getHNInit());
  toHost(b, cellStates, op.getCNInit());
  if (hostLoops) {
    for (Value buffer : deviceBuffers)
      memref::DeallocOp::create(b, loc, buffer);
    rewriter.eraseOp(op);
    return;
  }
  for (Value buffer : deviceBuffers)
    token =
        gpu::DeallocOp::create(b, loc, tokenType(), ValueRange{token}, buffer)
            .getAsyncToken();
  gpu::WaitOp::create(b, loc, Type(), ValueRange{token});
  for (Value buffer : stagedBuffers)
    memref::DeallocOp::create(b, loc, buffer);
  rewriter.eraseOp(op);
}

namespace {
struct LowerRecurrence : OpRewritePattern<RecurrenceOp> {
  LowerRecurrence(MLIRContext *context, bool hostLoops)
      : OpRewritePattern(context), hostLoops(hostLoops) {}

  LogicalResult matchAndRewrite(RecurrenceOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.hasPureBufferSemantics())
      return rewriter.notifyMatchFailure(op, "expects buffer semantics");
    RecurrenceLowering(op, "recurrence" + std::to_string(count++), hostLoops)
        .lower(rewriter);
    return success();
  }

  bool hostLoops;
  /// Recurrences lowered so far, to name their kernels apart.
  mutable int64_t count = 0;
};

struct ConvertLSTMToGPU : lstm::impl::ConvertLSTMToGPUBase<ConvertLSTMToGPU> {
  using Base::Base;

  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateLSTMToGPUPatterns(patterns, hostLoops);
    walkAndApplyPatterns(getOperation(), std::move(patterns));
    WalkResult left = getOperation().walk([](RecurrenceOp op) {
      op.emitError("lstm.recurrence must be bufferized before "
                   "convert-lstm-to-gpu");
      return WalkResult::interrupt();
    });
    if (left.wasInterrupted())
      return signalPassFailure();
    if (hostLoops)
      return;
    // gpu.launch_func ops need their kernels in a gpu.module of this module.
    getOperation()->setAttr(gpu::GPUDialect::getContainerModuleAttrName(),
                            UnitAttr::get(&getContext()));
  }
};
} // namespace

void mlir::lstm::populateLSTMToGPUPatterns(RewritePatternSet &patterns,
                                           bool hostLoops) {
  patterns.add<LowerRecurrence>(patterns.getContext(), hostLoops);
}
