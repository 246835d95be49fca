//===- Decompose.cpp - lstm.lstm to per-layer lstm.layer ops ----*- C++ -*-===//
//
// Turns one torch.nn.LSTM call into its layers and directions, so that later
// passes only ever see time-major, batched, single-direction layers.
//
//===----------------------------------------------------------------------===//

#include "lstm/Dialect/LSTM/IR/LSTM.h"
#include "lstm/Dialect/LSTM/Transforms/Passes.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/WalkPatternRewriteDriver.h"

namespace mlir::lstm {
#define GEN_PASS_DEF_LSTMDECOMPOSE
#include "lstm/Dialect/LSTM/Transforms/Passes.h.inc"
} // namespace mlir::lstm

using namespace mlir;
using namespace mlir::lstm;

/// A tensor of `sizes` filled with zeros.
static Value createZeros(OpBuilder &b, Location loc,
                         ArrayRef<OpFoldResult> sizes, Type elementType) {
  Value empty = tensor::EmptyOp::create(b, loc, sizes, elementType);
  Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(elementType));
  return linalg::FillOp::create(b, loc, zero, empty).getResult(0);
}

/// Swaps the first two dimensions of a 3-D tensor: (L, N, F) <-> (N, L, F).
static Value swapLeadingDims(OpBuilder &b, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, value);
  std::swap(sizes[0], sizes[1]);
  Value init = tensor::EmptyOp::create(b, loc, sizes, type.getElementType());
  return linalg::TransposeOp::create(b, loc, value, init,
                                     ArrayRef<int64_t>{1, 0, 2})
      .getResult()[0];
}

/// Inserts a unit dimension at `dim` of a 2-D tensor.
static Value insertUnitDim(OpBuilder &b, Location loc, Value value,
                           int64_t dim) {
  auto type = cast<RankedTensorType>(value.getType());
  SmallVector<int64_t> shape(type.getShape());
  shape.insert(shape.begin() + dim, 1);
  SmallVector<ReassociationIndices> reassociation =
      dim == 0 ? SmallVector<ReassociationIndices>{{0, 1}, {2}}
               : SmallVector<ReassociationIndices>{{0}, {1, 2}};
  return tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), value,
      reassociation);
}

/// Drops the unit dimension 1 of a 3-D tensor.
static Value dropUnitDim(OpBuilder &b, Location loc, Value value) {
  return tensor::CollapseShapeOp::create(
      b, loc, value, SmallVector<ReassociationIndices>{{0, 1}, {2}});
}

/// `states[index]` of a (S, N, F) tensor as an (N, F) tensor.
static Value extractState(OpBuilder &b, Location loc, Value states,
                          int64_t index) {
  auto type = cast<RankedTensorType>(states.getType());
  SmallVector<OpFoldResult> sizes = tensor::getMixedSizes(b, loc, states);
  SmallVector<OpFoldResult> offsets = {b.getIndexAttr(index), b.getIndexAttr(0),
                                       b.getIndexAttr(0)};
  SmallVector<OpFoldResult> strides(3, b.getIndexAttr(1));
  sizes[0] = b.getIndexAttr(1);
  auto sliceType = RankedTensorType::get(type.getShape().drop_front(),
                                         type.getElementType());
  return tensor::ExtractSliceOp::create(b, loc, sliceType, states, offsets,
                                        sizes, strides);
}

/// Writes `parts` side by side into a new tensor along `dim` of the result;
/// each part fills `partRank` trailing dimensions of it. Built from
/// insert_slice ops so that the producers can write in place after
/// bufferization.
static Value assemble(OpBuilder &b, Location loc, ArrayRef<Value> parts,
                      int64_t dim, int64_t rank) {
  auto partType = cast<RankedTensorType>(parts.front().getType());
  SmallVector<OpFoldResult> partSizes =
      tensor::getMixedSizes(b, loc, parts.front());
  bool stacked = partType.getRank() < rank;
  if (stacked)
    partSizes.insert(partSizes.begin() + dim, b.getIndexAttr(1));
  SmallVector<OpFoldResult> sizes = partSizes;
  int64_t partExtent = stacked ? 1 : partType.getDimSize(dim);
  sizes[dim] = b.getIndexAttr(partExtent * parts.size());
  Value result =
      tensor::EmptyOp::create(b, loc, sizes, partType.getElementType());
  SmallVector<OpFoldResult> strides(rank, b.getIndexAttr(1));
  for (auto [index, part] : llvm::enumerate(parts)) {
    SmallVector<OpFoldResult> offsets(rank, b.getIndexAttr(0));
    offsets[dim] = b.getIndexAttr(index * partExtent);
    result = tensor::InsertSliceOp::create(b, loc, part, result, offsets,
                                           partSizes, strides);
  }
  return result;
}

namespace {
struct DecomposeLSTMOp : OpRewritePattern<LSTMOp> {
  using OpRewritePattern::OpRewritePattern;

  LogicalResult matchAndRewrite(LSTMOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    bool batched = op.isBatched();
    bool batchFirst = batched && op.getBatchFirst();
    int64_t numDirections = op.getNumDirections();
    int64_t hiddenOut = op.getOutputHiddenSize();
    Type f32 = rewriter.getF32Type();

    // Bring everything to the time-major, batched form of lstm.layer.
    Value x = op.getInput();
    Value h0 = op.getH0(), c0 = op.getC0();
    if (!batched) {
      x = insertUnitDim(rewriter, loc, x, 1);
      if (h0)
        h0 = insertUnitDim(rewriter, loc, h0, 1);
      if (c0)
        c0 = insertUnitDim(rewriter, loc, c0, 1);
    } else if (batchFirst) {
      x = swapLeadingDims(rewriter, loc, x);
    }
    OpFoldResult batch = tensor::getMixedSize(rewriter, loc, x, 1);
    auto initialState = [&](Value states, int64_t index,
                            int64_t features) -> Value {
      if (states)
        return extractState(rewriter, loc, states, index);
      return createZeros(rewriter, loc,
                         {batch, rewriter.getIndexAttr(features)}, f32);
    };

    SmallVector<Value> finalH, finalC;
    for (int64_t layer = 0, e = op.getNumLayers(); layer < e; ++layer) {
      SmallVector<Value> outputs;
      for (int64_t dir = 0; dir < numDirections; ++dir) {
        int64_t index = layer * numDirections + dir;
        LayerWeights w = op.getLayerWeights(layer, dir);
        auto xType = cast<RankedTensorType>(x.getType());
        int64_t seqLen = xType.getDimSize(0), n = xType.getDimSize(1);
        Value h = initialState(h0, index, hiddenOut);
        Value c = initialState(c0, index, op.getHiddenSize());
        auto layerOp = LayerOp::create(
            rewriter, loc, RankedTensorType::get({seqLen, n, hiddenOut}, f32),
            RankedTensorType::get({n, hiddenOut}, f32),
            RankedTensorType::get({n, op.getHiddenSize()}, f32), x, h, c,
            op.getLengths(), w.weightIH, w.weightHH, w.biasIH, w.biasHH,
            w.weightHR, /*peephole=*/Value(), /*reverse=*/dir == 1,
            /*activations=*/ArrayAttr(), /*clip=*/FloatAttr());
        outputs.push_back(layerOp.getOutput());
        finalH.push_back(layerOp.getHN());
        finalC.push_back(layerOp.getCN());
      }
      x = outputs.size() == 1
              ? outputs.front()
              : assemble(rewriter, loc, outputs, /*dim=*/2, /*rank=*/3);
    }
    Value output = x;
    Value hN = assemble(rewriter, loc, finalH, /*dim=*/0, /*rank=*/3);
    Value cN = assemble(rewriter, loc, finalC, /*dim=*/0, /*rank=*/3);

    // Back to the caller's layout.
    if (!batched) {
      output = dropUnitDim(rewriter, loc, output);
      hN = dropUnitDim(rewriter, loc, hN);
      cN = dropUnitDim(rewriter, loc, cN);
    } else if (batchFirst) {
      output = swapLeadingDims(rewriter, loc, output);
    }
    SmallVector<Value> results;
    for (auto [value, type] :
         llvm::zip_equal(ValueRange{output, hN, cN}, op.getResultTypes())) {
      results.push_back(
          value.getType() == type
              ? value
              : tensor::CastOp::create(rewriter, loc, type, value).getResult());
    }
    rewriter.replaceOp(op, results);
    return success();
  }
};

struct LSTMDecompose : lstm::impl::LSTMDecomposeBase<LSTMDecompose> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateLSTMDecomposePatterns(patterns);
    walkAndApplyPatterns(getOperation(), std::move(patterns));
  }
};
} // namespace

void mlir::lstm::populateLSTMDecomposePatterns(RewritePatternSet &patterns) {
  patterns.add<DecomposeLSTMOp>(patterns.getContext());
}
