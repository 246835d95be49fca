//===- LayersToLinalg.cpp - The lstm dialect's layers to linalg -*- C++ -*-===//
//
// One lowering per layer op. Sliding-window layers (convolution, pooling)
// become one linalg.generic each whose loops are
//
//   (n, channel, o_1, ..., o_{d-1}, [c,] k_1, ..., k_d, o_d)
//
// with the window's loops inside all output loops but the last spatial one:
// tile-and-vectorize (lstm-vectorize-linalg) vectorizes the innermost loop,
// reading the padded input, `tensor.extract` at o_d * stride + k_d *
// dilation, with vector gathers. Reading the input in the body, rather than
// through an indexing map, keeps every map a projected permutation, which
// the vectorizer needs for dynamic shapes.
//
//===----------------------------------------------------------------------===//

#include "lstm/Conversion/LayersToLinalg/LayersToLinalg.h"

#include "lstm/Conversion/Utils/GateMath.h"
#include "lstm/Dialect/LSTM/IR/LSTM.h"

#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

#include <limits>

namespace mlir::lstm {
#define GEN_PASS_DEF_CONVERTLAYERSTOLINALG
#include "lstm/Conversion/Passes.h.inc"
} // namespace mlir::lstm

using namespace mlir;
using namespace mlir::lstm;
using utils::IteratorType;

static Value createF32(OpBuilder &b, Location loc, float value) {
  return arith::ConstantOp::create(b, loc, b.getF32FloatAttr(value));
}

static Value createIndex(OpBuilder &b, Location loc, int64_t value) {
  return arith::ConstantIndexOp::create(b, loc, value);
}

/// An empty tensor of `op`'s result type and reified sizes.
static FailureOr<Value> createResultInit(RewriterBase &rewriter,
                                         Operation *op) {
  ReifiedRankedShapedTypeDims sizes;
  if (failed(reifyResultShapes(rewriter, op, sizes)))
    return failure();
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  return tensor::EmptyOp::create(rewriter, op->getLoc(), sizes[0],
                                 type.getElementType())
      .getResult();
}

/// An elementwise linalg.generic over `inputs`, each read at `maps` (the
/// result at the identity), into `init`.
static Value
createElementwise(OpBuilder &b, Location loc, ValueRange inputs,
                  ArrayRef<AffineMap> inputMaps, Value init,
                  function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  auto type = cast<RankedTensorType>(init.getType());
  SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(b.getMultiDimIdentityMap(type.getRank()));
  return linalg::GenericOp::create(
             b, loc, type, inputs, init, maps,
             SmallVector<IteratorType>(type.getRank(), IteratorType::parallel),
             [&](OpBuilder &b, Location loc, ValueRange args) {
               linalg::YieldOp::create(b, loc, body(b, loc, args));
             })
      .getResult(0);
}

/// `input` with `low` and `high` pads of `value` on its spatial dimensions
/// (all but the first two).
static Value padSpatial(OpBuilder &b, Location loc, Value input,
                        ArrayRef<OpFoldResult> low, ArrayRef<OpFoldResult> high,
                        float value) {
  bool any = llvm::any_of(llvm::concat<const OpFoldResult>(low, high),
                          [](OpFoldResult p) { return !isZeroInteger(p); });
  if (!any)
    return input;
  SmallVector<OpFoldResult> lowPads(2, b.getIndexAttr(0)),
      highPads(2, b.getIndexAttr(0));
  llvm::append_range(lowPads, low);
  llvm::append_range(highPads, high);
  auto type = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape(type.getShape());
  for (auto [i, dim] : llvm::enumerate(shape)) {
    std::optional<int64_t> lo = getConstantIntValue(lowPads[i]);
    std::optional<int64_t> hi = getConstantIntValue(highPads[i]);
    if (ShapedType::isDynamic(dim) || !lo || !hi)
      dim = ShapedType::kDynamic;
    else
      dim += *lo + *hi;
  }
  auto paddedType = RankedTensorType::get(shape, type.getElementType());
  return tensor::PadOp::create(b, loc, paddedType, input, lowPads, highPads,
                               createF32(b, loc, value))
      .getResult();
}

/// The padded input's position read by output position `o` and kernel
/// offset `k` of `window`: o * stride + k * dilation, in this order: MLIR
/// 22's vectorizer would recognize k + o (at stride 1) as a contiguous load
/// along o, but its masked form of that load (the tiles of a run-time
/// extent) is invalid IR ('vector.transfer_read' op inferred mask type ...
/// don't match); this order keeps the load a vector.gather.
static Value createWindowPosition(OpBuilder &b, Location loc, Value o, Value k,
                                  const SlidingWindow &window) {
  Value start =
      b.createOrFold<arith::MulIOp>(loc, o, createIndex(b, loc, window.stride));
  Value offset = b.createOrFold<arith::MulIOp>(
      loc, k, createIndex(b, loc, window.dilation));
  return arith::AddIOp::create(b, loc, start, offset);
}

namespace {
/// The loop dimensions of a sliding-window generic with `d` spatial
/// dimensions and, for convolutions, an input-channel loop.
struct WindowLoops {
  int64_t d;
  bool hasChannelLoop;

  int64_t getNumLoops() const { return 2 * d + 2 + (hasChannelLoop ? 1 : 0); }
  /// Output position along spatial dimension i.
  int64_t output(int64_t i) const {
    return i + 1 < d ? 2 + i : getNumLoops() - 1;
  }
  int64_t channel() const { return d + 1; }
  /// Kernel offset along spatial dimension i.
  int64_t kernel(int64_t i) const {
    return d + 1 + (hasChannelLoop ? 1 : 0) + i;
  }

  SmallVector<IteratorType> getIterators() const {
    SmallVector<IteratorType> iterators(getNumLoops(), IteratorType::parallel);
    if (hasChannelLoop)
      iterators[channel()] = IteratorType::reduction;
    for (int64_t i = 0; i < d; ++i)
      iterators[kernel(i)] = IteratorType::reduction;
    return iterators;
  }
  /// (n, channel, o_1, ..., o_d).
  AffineMap getOutputMap(MLIRContext *context) const {
    SmallVector<AffineExpr> exprs = {getAffineDimExpr(0, context),
                                     getAffineDimExpr(1, context)};
    for (int64_t i = 0; i < d; ++i)
      exprs.push_back(getAffineDimExpr(output(i), context));
    return AffineMap::get(getNumLoops(), 0, exprs, context);
  }
  /// (k_1, ..., k_d), after `prefix` loops.
  AffineMap getKernelMap(MLIRContext *context, ArrayRef<int64_t> prefix) const {
    SmallVector<AffineExpr> exprs;
    for (int64_t p : prefix)
      exprs.push_back(getAffineDimExpr(p, context));
    for (int64_t i = 0; i < d; ++i)
      exprs.push_back(getAffineDimExpr(kernel(i), context));
    return AffineMap::get(getNumLoops(), 0, exprs, context);
  }
  /// In the body: the padded input's positions o_i * stride + k_i *
  /// dilation.
  SmallVector<Value> getInputPositions(OpBuilder &b, Location loc,
                                       ArrayRef<SlidingWindow> windows) const {
    SmallVector<Value> positions;
    for (auto [i, window] : llvm::enumerate(windows))
      positions.push_back(createWindowPosition(
          b, loc, linalg::IndexOp::create(b, loc, output(i)),
          linalg::IndexOp::create(b, loc, kernel(i)), window));
    return positions;
  }
};

struct LowerActivation : OpRewritePattern<ActivationOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(ActivationOp op,
                                PatternRewriter &rewriter) const override {
    Value init = tensor::EmptyOp::create(
        rewriter, op.getLoc(),
        tensor::getMixedSizes(rewriter, op.getLoc(), op.getInput()),
        rewriter.getF32Type());
    int64_t rank = op.getInput().getType().getRank();
    ActivationAttr function = op.getFunction();
    rewriter.replaceOp(
        op, createElementwise(rewriter, op.getLoc(), op.getInput(),
                              rewriter.getMultiDimIdentityMap(rank), init,
                              [&](OpBuilder &b, Location loc, ValueRange args) {
                                return createActivation(b, loc, function,
                                                        args[0]);
                              }));
    return success();
  }
};

struct LowerConv : OpRewritePattern<ConvOp> {
  using OpRewritePattern::OpRewritePattern;

  /// im2col: every window's input elements, (n, c, k_1, ..., k_d, o_1,
  /// ..., o_d), gathered once from `padded`, so that the convolution is a
  /// contraction that reads them through a projected-permutation map (which
  /// the vectorizer turns into loads shared by a tile of filters) instead of
  /// gathering them for every filter. `result` gives the output sizes.
  static Value createColumns(OpBuilder &b, Location loc, Value padded,
                             RankedTensorType weightType, Value result,
                             ArrayRef<SlidingWindow> windows) {
    int64_t d = windows.size();
    SmallVector<OpFoldResult> sizes = {
        tensor::getMixedSize(b, loc, padded, 0),
        b.getIndexAttr(weightType.getDimSize(1))};
    for (int64_t i = 0; i < d; ++i)
      sizes.push_back(b.getIndexAttr(weightType.getDimSize(2 + i)));
    for (int64_t i = 0; i < d; ++i)
      sizes.push_back(tensor::getMixedSize(b, loc, result, 2 + i));
    Value init = tensor::EmptyOp::create(b, loc, sizes, b.getF32Type());
    int64_t rank = 2 + 2 * d;
    return linalg::GenericOp::create(
               b, loc, init.getType(), ValueRange{}, init,
               b.getMultiDimIdentityMap(rank),
               SmallVector<IteratorType>(rank, IteratorType::parallel),
               [&](OpBuilder &b, Location loc, ValueRange) {
                 SmallVector<Value> at = {linalg::IndexOp::create(b, loc, 0),
                                          linalg::IndexOp::create(b, loc, 1)};
                 for (auto [i, window] : llvm::enumerate(windows))
                   at.push_back(createWindowPosition(
                       b, loc, linalg::IndexOp::create(b, loc, 2 + d + i),
                       linalg::IndexOp::create(b, loc, 2 + i), window));
                 linalg::YieldOp::create(
                     b, loc,
                     tensor::ExtractOp::create(b, loc, padded, at).getResult());
               })
        .getResult(0);
  }

  /// The convolution of `padded` with `weight` (F, C, k_1, ..., k_d) added
  /// to `init` (N, F, o_1, ..., o_d), as one matrix product per image over
  /// the columns: (F, K) x (K, P) with K = C * k_1 * ... * k_d and P = o_1 *
  /// ... * o_d. The columns and the output are contiguous along P, so the
  /// product's vectors are whole and its rows (filters) share each loaded
  /// vector of columns, however narrow the output's last dimension is.
  static Value createColumnProduct(OpBuilder &b, Location loc, Value padded,
                                   TypedValue<RankedTensorType> weight,
                                   Value init,
                                   ArrayRef<SlidingWindow> windows) {
    MLIRContext *context = b.getContext();
    int64_t d = windows.size();
    Value columns =
        createColumns(b, loc, padded, weight.getType(), init, windows);
    auto range = [](int64_t first, int64_t count) {
      return llvm::to_vector(llvm::seq<int64_t>(first, first + count));
    };
    // (n, c, k..., o...) -> (n, K, P).
    Value columnMatrix = tensor::CollapseShapeOp::create(
        b, loc, columns,
        SmallVector<ReassociationIndices>{
            {0}, range(1, 1 + d), range(2 + d, d)});
    // (f, c, k...) -> (f, K).
    Value weightMatrix = tensor::CollapseShapeOp::create(
        b, loc, weight,
        SmallVector<ReassociationIndices>{{0}, range(1, 1 + d)});
    // (n, f, o...) -> (n, f, P).
    SmallVector<ReassociationIndices> outputGroups = {{0}, {1}, range(2, d)};
    Value initMatrix =
        tensor::CollapseShapeOp::create(b, loc, init, outputGroups);

    // Loops (n, f, K, p): the output's contiguous P innermost, the vector
    // dimension; lstm-vectorize-linalg tiles the filters into register rows
    // and moves the reduction's tile loop inside them.
    AffineExpr n = getAffineDimExpr(0, context),
               f = getAffineDimExpr(1, context),
               k = getAffineDimExpr(2, context),
               p = getAffineDimExpr(3, context);
    auto map = [&](ArrayRef<AffineExpr> exprs) {
      return AffineMap::get(4, 0, exprs, context);
    };
    auto product = linalg::GenericOp::create(
        b, loc, initMatrix.getType(), ValueRange{weightMatrix, columnMatrix},
        initMatrix,
        ArrayRef<AffineMap>{map({f, k}), map({n, k, p}), map({n, f, p})},
        ArrayRef<IteratorType>{IteratorType::parallel, IteratorType::parallel,
                               IteratorType::reduction, IteratorType::parallel},
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value product = arith::MulFOp::create(b, loc, args[1], args[0]);
          linalg::YieldOp::create(
              b, loc,
              arith::AddFOp::create(b, loc, args[2], product).getResult());
        });
    return tensor::ExpandShapeOp::create(
        b, loc, cast<RankedTensorType>(init.getType()), product.getResult(0),
        outputGroups, tensor::getMixedSizes(b, loc, init));
  }

  LogicalResult matchAndRewrite(ConvOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    SmallVector<SlidingWindow> windows = op.getWindows();
    int64_t d = op.getNumSpatialDims();
    FailureOr<Value> empty = createResultInit(rewriter, op);
    if (failed(empty))
      return failure();
    WindowLoops loops{d, /*hasChannelLoop=*/true};

    // The bias, or zeros, broadcast along all but the output channels.
    Value init;
    if (Value bias = op.getBias()) {
      int64_t rank = d + 2;
      init = createElementwise(
          rewriter, loc, bias,
          AffineMap::get(rank, 0, rewriter.getAffineDimExpr(1), context),
          *empty,
          [](OpBuilder &, Location, ValueRange args) { return args[0]; });
    } else {
      init = linalg::FillOp::create(rewriter, loc,
                                    createF32(rewriter, loc, 0.0f), *empty)
                 .getResult(0);
    }

    SmallVector<OpFoldResult> low, high;
    for (const SlidingWindow &window : windows) {
      low.push_back(rewriter.getIndexAttr(window.padBegin));
      high.push_back(rewriter.getIndexAttr(window.padEnd));
    }
    Value padded = padSpatial(rewriter, loc, op.getInput(), low, high, 0.0f);
    RankedTensorType weightType = op.getWeight().getType();
    int64_t groups = op.getGroups();
    int64_t filtersPerGroup = weightType.getDimSize(0) / groups;
    int64_t channelsPerGroup = weightType.getDimSize(1);
    // The weight is read at (f, c, k_1, ..., k_d).
    AffineMap weightMap = loops.getKernelMap(context, {1, loops.channel()});
    if (groups == 1) {
      rewriter.replaceOp(op,
                         createColumnProduct(rewriter, loc, padded,
                                             op.getWeight(), init, windows));
      return success();
    }
    auto generic = linalg::GenericOp::create(
        rewriter, loc, init.getType(), op.getWeight(), init,
        ArrayRef<AffineMap>{weightMap, loops.getOutputMap(context)},
        loops.getIterators(), [&](OpBuilder &b, Location loc, ValueRange args) {
          Value n = linalg::IndexOp::create(b, loc, 0);
          Value channel = linalg::IndexOp::create(b, loc, loops.channel());
          if (groups > 1) {
            // Filter f reads the channels of group f / (F / groups).
            Value f = linalg::IndexOp::create(b, loc, 1);
            Value group = arith::DivUIOp::create(
                b, loc, f, createIndex(b, loc, filtersPerGroup));
            Value first = arith::MulIOp::create(
                b, loc, group, createIndex(b, loc, channelsPerGroup));
            channel = arith::AddIOp::create(b, loc, first, channel);
          }
          SmallVector<Value> at = {n, channel};
          llvm::append_range(at, loops.getInputPositions(b, loc, windows));
          Value x = tensor::ExtractOp::create(b, loc, padded, at);
          Value product = arith::MulFOp::create(b, loc, x, args[0]);
          linalg::YieldOp::create(
              b, loc,
              arith::AddFOp::create(b, loc, args[1], product).getResult());
        });
    rewriter.replaceOp(op, generic.getResults());
    return success();
  }
};

struct LowerPool : OpRewritePattern<PoolOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(PoolOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *context = rewriter.getContext();
    SmallVector<SlidingWindow> windows = op.getWindows();
    int64_t d = op.getNumSpatialDims();
    bool isMax = op.getKind() == PoolKind::max;
    FailureOr<Value> empty = createResultInit(rewriter, op);
    if (failed(empty))
      return failure();
    float identity = isMax ? -std::numeric_limits<float>::infinity() : 0.0f;
    Value init = linalg::FillOp::create(
                     rewriter, loc, createF32(rewriter, loc, identity), *empty)
                     .getResult(0);

    // In ceil mode, the last window may run past the end padding: pad the
    // input far enough that it is all there, with elements that change
    // neither a maximum nor a sum (averages count only what lies inside).
    SmallVector<OpFoldResult> low, high, sizes;
    for (auto [i, window] : llvm::enumerate(windows)) {
      OpFoldResult size =
          tensor::getMixedSize(rewriter, loc, op.getInput(), i + 2);
      sizes.push_back(size);
      low.push_back(rewriter.getIndexAttr(window.padBegin));
      OpFoldResult pad = rewriter.getIndexAttr(window.padEnd);
      if (window.ceilMode) {
        // needed = (O - 1) * stride + extent - S - padBegin.
        Value out = getValueOrCreateConstantIndexOp(
            rewriter, loc, window.getOutputSize(rewriter, loc, size));
        Value sizeValue = getValueOrCreateConstantIndexOp(rewriter, loc, size);
        Value last = rewriter.createOrFold<arith::MulIOp>(
            loc,
            rewriter.createOrFold<arith::SubIOp>(loc, out,
                                                 createIndex(rewriter, loc, 1)),
            createIndex(rewriter, loc, window.stride));
        Value end = rewriter.createOrFold<arith::AddIOp>(
            loc, last,
            createIndex(rewriter, loc, window.getExtent() - window.padBegin));
        Value needed =
            rewriter.createOrFold<arith::SubIOp>(loc, end, sizeValue);
        pad = getAsOpFoldResult(rewriter.createOrFold<arith::MaxSIOp>(
            loc, needed, createIndex(rewriter, loc, window.padEnd)));
      }
      high.push_back(pad);
    }
    Value padded =
        padSpatial(rewriter, loc, op.getInput(), low, high, identity);

    // The window's extents, as the loop ranges of its loops.
    SmallVector<int64_t> kernel(op.getKernel());
    Value window =
        tensor::EmptyOp::create(rewriter, loc, kernel, rewriter.getF32Type());
    WindowLoops loops{d, /*hasChannelLoop=*/false};
    auto generic = linalg::GenericOp::create(
        rewriter, loc, init.getType(), window, init,
        ArrayRef<AffineMap>{loops.getKernelMap(context, {}),
                            loops.getOutputMap(context)},
        loops.getIterators(), [&](OpBuilder &b, Location loc, ValueRange args) {
          SmallVector<Value> at = {linalg::IndexOp::create(b, loc, 0),
                                   linalg::IndexOp::create(b, loc, 1)};
          llvm::append_range(at, loops.getInputPositions(b, loc, windows));
          Value x = tensor::ExtractOp::create(b, loc, padded, at);
          Value combined =
              isMax ? arith::MaximumFOp::create(b, loc, args[1], x).getResult()
                    : arith::AddFOp::create(b, loc, args[1], x).getResult();
          linalg::YieldOp::create(b, loc, combined);
        });
    Value result = generic.getResult(0);
    if (!isMax)
      result = divideByWindowCounts(rewriter, loc, op, windows, sizes, result);
    rewriter.replaceOp(op, result);
    return success();
  }

  /// The sums of the windows divided by the number of elements each
  /// covers: of the input and padding with count_include_pad, else of the
  /// input alone.
  static Value divideByWindowCounts(OpBuilder &b, Location loc, PoolOp op,
                                    ArrayRef<SlidingWindow> windows,
                                    ArrayRef<OpFoldResult> sizes, Value sums) {
    int64_t rank = windows.size() + 2;
    bool includePad = op.getCountIncludePad();
    SmallVector<Value> sizeValues;
    for (OpFoldResult size : sizes)
      sizeValues.push_back(getValueOrCreateConstantIndexOp(b, loc, size));
    Value init = tensor::EmptyOp::create(
        b, loc, tensor::getMixedSizes(b, loc, sums), b.getF32Type());
    return createElementwise(
        b, loc, sums, b.getMultiDimIdentityMap(rank), init,
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value count = createIndex(b, loc, 1);
          for (auto [i, window] : llvm::enumerate(windows)) {
            // The window covers [start, start + kernel) of the padded
            // input; the input lies at [padBegin, padBegin + S).
            Value o = linalg::IndexOp::create(b, loc, i + 2);
            Value start = arith::MulIOp::create(
                b, loc, o, createIndex(b, loc, window.stride));
            Value end = arith::AddIOp::create(
                b, loc, start, createIndex(b, loc, window.kernel));
            Value inputEnd = arith::AddIOp::create(
                b, loc, sizeValues[i], createIndex(b, loc, window.padBegin));
            Value lo = includePad ? createIndex(b, loc, 0)
                                  : createIndex(b, loc, window.padBegin);
            Value hi =
                includePad
                    ? arith::AddIOp::create(b, loc, inputEnd,
                                            createIndex(b, loc, window.padEnd))
                          .getResult()
                    : inputEnd;
            Value first = arith::MaxSIOp::create(b, loc, start, lo);
            Value last = arith::MinSIOp::create(b, loc, end, hi);
            count = arith::MulIOp::create(
                b, loc, count, arith::SubIOp::create(b, loc, last, first));
          }
          Value asInt =
              arith::IndexCastOp::create(b, loc, b.getI64Type(), count);
          Value asFloat =
              arith::SIToFPOp::create(b, loc, b.getF32Type(), asInt);
          return arith::DivFOp::create(b, loc, args[0], asFloat).getResult();
        });
  }
};

struct LowerBatchNorm : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(BatchNormOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    FailureOr<Value> init = createResultInit(rewriter, op);
    if (failed(init))
      return failure();
    int64_t rank = op.getInput().getType().getRank();
    AffineMap channel =
        AffineMap::get(rank, 0, rewriter.getAffineDimExpr(1), getContext());
    float epsilon = op.getEpsilon().convertToFloat();
    rewriter.replaceOp(
        op, createElementwise(
                rewriter, loc,
                ValueRange{op.getInput(), op.getScale(), op.getBias(),
                           op.getMean(), op.getVariance()},
                {rewriter.getMultiDimIdentityMap(rank), channel, channel,
                 channel, channel},
                *init, [&](OpBuilder &b, Location loc, ValueRange args) {
                  Value centered =
                      arith::SubFOp::create(b, loc, args[0], args[3]);
                  Value spread = math::SqrtOp::create(
                      b, loc,
                      arith::AddFOp::create(b, loc, args[4],
                                            createF32(b, loc, epsilon)));
                  Value factor = arith::DivFOp::create(b, loc, args[1], spread);
                  return math::FmaOp::create(b, loc, centered, factor, args[2])
                      .getResult();
                }));
    return success();
  }
};

struct LowerLayerNorm : OpRewritePattern<LayerNormOp> {
  using OpRewritePattern::OpRewritePattern;

  /// The sums over the last `k` dimensions of `f(input, outer...)`, of the
  /// leading dimensions' shape.
  static Value
  sumTrailing(OpBuilder &b, Location loc, Value input, ValueRange outer,
              int64_t k,
              function_ref<Value(OpBuilder &, Location, Value, ValueRange)> f) {
    auto type = cast<RankedTensorType>(input.getType());
    int64_t rank = type.getRank();
    SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, input);
    sizes.resize(rank - k);
    Value init = tensor::EmptyOp::create(b, loc, sizes, b.getF32Type());
    init = linalg::FillOp::create(b, loc, createF32(b, loc, 0.0f), init)
               .getResult(0);
    AffineMap leading =
        AffineMap::getMultiDimIdentityMap(rank - k, b.getContext());
    leading = AffineMap::get(rank, 0, leading.getResults(), b.getContext());
    SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank)};
    maps.append(outer.size() + 1, leading);
    SmallVector<IteratorType> iterators(rank, IteratorType::parallel);
    for (int64_t i = rank - k; i < rank; ++i)
      iterators[i] = IteratorType::reduction;
    SmallVector<Value> inputs = {input};
    llvm::append_range(inputs, outer);
    return linalg::GenericOp::create(
               b, loc, init.getType(), inputs, init, maps, iterators,
               [&](OpBuilder &b, Location loc, ValueRange args) {
                 Value term = f(b, loc, args[0], args.slice(1, outer.size()));
                 linalg::YieldOp::create(
                     b, loc,
                     arith::AddFOp::create(b, loc, args.back(), term)
                         .getResult());
               })
        .getResult(0);
  }

  LogicalResult matchAndRewrite(LayerNormOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value input = op.getInput();
    int64_t rank = op.getInput().getType().getRank();
    int64_t k = op.getNormalizedRank();
    FailureOr<Value> init = createResultInit(rewriter, op);
    if (failed(init))
      return failure();

    // 1 / the number of elements normalized together.
    Value count = createIndex(rewriter, loc, 1);
    for (int64_t i = rank - k; i < rank; ++i)
      count = rewriter.createOrFold<arith::MulIOp>(
          loc, count,
          getValueOrCreateConstantIndexOp(
              rewriter, loc, tensor::getMixedSize(rewriter, loc, input, i)));
    Value countF32 = arith::SIToFPOp::create(
        rewriter, loc, rewriter.getF32Type(),
        arith::IndexCastOp::create(rewriter, loc, rewriter.getI64Type(),
                                   count));
    Value inverseCount = arith::DivFOp::create(
        rewriter, loc, createF32(rewriter, loc, 1.0f), countF32);

    Value sums = sumTrailing(
        rewriter, loc, input, {}, k,
        [](OpBuilder &, Location, Value x, ValueRange) { return x; });
    Value squares = sumTrailing(
        rewriter, loc, input, sums, k,
        [&](OpBuilder &b, Location loc, Value x, ValueRange outer) {
          Value mean = arith::MulFOp::create(b, loc, outer[0], inverseCount);
          Value centered = arith::SubFOp::create(b, loc, x, mean);
          return arith::MulFOp::create(b, loc, centered, centered).getResult();
        });

    MLIRContext *context = getContext();
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap leading = AffineMap::get(
        rank, 0,
        AffineMap::getMultiDimIdentityMap(rank - k, context).getResults(),
        context);
    AffineMap trailing =
        AffineMap::get(rank, 0, identity.getResults().take_back(k), context);
    SmallVector<Value> inputs = {input, sums, squares};
    SmallVector<AffineMap> maps = {identity, leading, leading};
    for (Value v : {op.getScale(), op.getBias()}) {
      if (!v)
        continue;
      inputs.push_back(v);
      maps.push_back(trailing);
    }
    bool hasScale = static_cast<bool>(op.getScale());
    bool hasBias = static_cast<bool>(op.getBias());
    float epsilon = op.getEpsilon().convertToFloat();
    rewriter.replaceOp(
        op,
        createElementwise(
            rewriter, loc, inputs, maps, *init,
            [&](OpBuilder &b, Location loc, ValueRange args) -> Value {
              Value mean = arith::MulFOp::create(b, loc, args[1], inverseCount);
              Value variance =
                  arith::MulFOp::create(b, loc, args[2], inverseCount);
              Value spread = math::SqrtOp::create(
                  b, loc,
                  arith::AddFOp::create(b, loc, variance,
                                        createF32(b, loc, epsilon)));
              Value y = arith::DivFOp::create(
                  b, loc, arith::SubFOp::create(b, loc, args[0], mean), spread);
              int64_t next = 3;
              if (hasScale)
                y = arith::MulFOp::create(b, loc, y, args[next++]);
              if (hasBias)
                y = arith::AddFOp::create(b, loc, y, args[next]);
              return y;
            }));
    return success();
  }
};

struct ConvertLayersToLinalg
    : lstm::impl::ConvertLayersToLinalgBase<ConvertLayersToLinalg> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateLayersToLinalgPatterns(patterns);
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};
} // namespace

void mlir::lstm::populateLayersToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<LowerActivation, LowerConv, LowerPool, LowerBatchNorm,
               LowerLayerNorm>(patterns.getContext());
}
