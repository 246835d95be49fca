//===- RuntimeVerifiableOpInterfaceImpl.cpp - Checks upstream lacks -------===//
//
// MLIR 22 checks linalg structured ops, tensor.extract, extract_slice, cast
// and dim at run time. These models add the tensor ops lstmc's importers
// create whose sizes can disagree at run time (reshape, expand_shape,
// concat, insert_slice and empty) and integer division on scalars, which
// traps on a zero divisor. Their messages, like upstream's, describe
// the op; lstm-insert-runtime-checks prefixes the layer they come from.
//
//===----------------------------------------------------------------------===//

#include "lstm/Dialect/LSTM/IR/RuntimeChecks.h"
#include "lstm/Dialect/LSTM/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Interfaces/RuntimeVerifiableOpInterface.h"

using namespace mlir;
using namespace mlir::lstm;

namespace {
using MessageFn = function_ref<std::string(Operation *, StringRef)>;

Value asIndex(OpBuilder &b, Location loc, OpFoldResult v) {
  return getValueOrCreateConstantIndexOp(b, loc, v);
}

Value isNonNegative(OpBuilder &b, Location loc, OpFoldResult v) {
  return b.createOrFold<arith::CmpIOp>(
      loc, arith::CmpIPredicate::sge, asIndex(b, loc, v),
      b.createOrFold<arith::ConstantIndexOp>(loc, 0));
}

Value product(OpBuilder &b, Location loc, ArrayRef<OpFoldResult> sizes) {
  Value total = b.createOrFold<arith::ConstantIndexOp>(loc, 1);
  for (OpFoldResult size : sizes)
    total = b.createOrFold<arith::MulIOp>(loc, total, asIndex(b, loc, size));
  return total;
}

/// tensor.reshape: the shape operand's sizes are non-negative, agree with
/// the result type's static sizes and hold as many elements as the source.
struct ReshapeOpModel
    : RuntimeVerifiableOpInterface::ExternalModel<ReshapeOpModel,
                                                  tensor::ReshapeOp> {
  void generateRuntimeVerification(Operation *op, OpBuilder &b, Location loc,
                                   MessageFn message) const {
    auto reshape = cast<tensor::ReshapeOp>(op);
    auto resultType = cast<RankedTensorType>(reshape.getType());
    SmallVector<OpFoldResult> sizes;
    for (int64_t d = 0, e = resultType.getRank(); d < e; ++d) {
      Value index = arith::ConstantIndexOp::create(b, loc, d);
      Value size = b.createOrFold<tensor::ExtractOp>(loc, reshape.getShape(),
                                                     ValueRange{index});
      if (!size.getType().isIndex())
        size = b.createOrFold<arith::IndexCastOp>(loc, b.getIndexType(), size);
      createSizeCheck(b, loc, isNonNegative(b, loc, size),
                      message(op, "the target shape has a negative size"));
      if (!resultType.isDynamicDim(d))
        createSizeEqualityCheck(
            b, loc, size, b.getIndexAttr(resultType.getDimSize(d)),
            message(op, "the target shape disagrees with the result type"));
      sizes.push_back(resultType.isDynamicDim(d)
                          ? OpFoldResult(size)
                          : b.getIndexAttr(resultType.getDimSize(d)));
    }
    Value count = createNumElements(b, loc, reshape.getSource());
    createSizeEqualityCheck(b, loc, count, product(b, loc, sizes),
                            message(op, "the input and the target shape "
                                        "have different numbers of elements"));
  }
};

/// tensor.expand_shape: the output sizes are non-negative and each group
/// multiplies to the source dimension it expands.
struct ExpandShapeOpModel
    : RuntimeVerifiableOpInterface::ExternalModel<ExpandShapeOpModel,
                                                  tensor::ExpandShapeOp> {
  void generateRuntimeVerification(Operation *op, OpBuilder &b, Location loc,
                                   MessageFn message) const {
    auto expand = cast<tensor::ExpandShapeOp>(op);
    SmallVector<OpFoldResult> outputShape = expand.getMixedOutputShape();
    for (auto [d, group] : llvm::enumerate(expand.getReassociationIndices())) {
      SmallVector<OpFoldResult> sizes;
      for (int64_t i : group) {
        createSizeCheck(b, loc, isNonNegative(b, loc, outputShape[i]),
                        message(op, "an output size is negative"));
        sizes.push_back(outputShape[i]);
      }
      createSizeEqualityCheck(
          b, loc, tensor::getMixedSize(b, loc, expand.getSrc(), d),
          product(b, loc, sizes),
          message(op, "the output sizes of dimension " + std::to_string(d) +
                          " do not multiply to its size"));
    }
  }
};

/// tensor.concat: the inputs agree in every dimension but the concatenated
/// one.
struct ConcatOpModel
    : RuntimeVerifiableOpInterface::ExternalModel<ConcatOpModel,
                                                  tensor::ConcatOp> {
  void generateRuntimeVerification(Operation *op, OpBuilder &b, Location loc,
                                   MessageFn message) const {
    auto concat = cast<tensor::ConcatOp>(op);
    ValueRange inputs = concat.getInputs();
    int64_t rank = concat.getResultType().getRank();
    for (int64_t d = 0; d < rank; ++d) {
      if (d == static_cast<int64_t>(concat.getDim()))
        continue;
      OpFoldResult first = tensor::getMixedSize(b, loc, inputs.front(), d);
      for (auto [i, input] : llvm::enumerate(inputs.drop_front()))
        createSizeEqualityCheck(
            b, loc, tensor::getMixedSize(b, loc, input, d), first,
            message(op, "input " + std::to_string(i + 1) +
                            " differs from input 0 in dimension " +
                            std::to_string(d)));
    }
  }
};

/// tensor.insert_slice: the slice lies inside the destination, and a source
/// of the slice's rank has its sizes.
struct InsertSliceOpModel
    : RuntimeVerifiableOpInterface::ExternalModel<InsertSliceOpModel,
                                                  tensor::InsertSliceOp> {
  void generateRuntimeVerification(Operation *op, OpBuilder &b, Location loc,
                                   MessageFn message) const {
    auto insert = cast<tensor::InsertSliceOp>(op);
    SmallVector<OpFoldResult> offsets = insert.getMixedOffsets();
    SmallVector<OpFoldResult> sizes = insert.getMixedSizes();
    SmallVector<OpFoldResult> strides = insert.getMixedStrides();
    Value zero = b.createOrFold<arith::ConstantIndexOp>(loc, 0);
    Value one = b.createOrFold<arith::ConstantIndexOp>(loc, 1);
    for (int64_t d = 0, e = sizes.size(); d < e; ++d) {
      Value offset = asIndex(b, loc, offsets[d]);
      Value size = asIndex(b, loc, sizes[d]);
      Value stride = asIndex(b, loc, strides[d]);
      Value extent =
          asIndex(b, loc, tensor::getMixedSize(b, loc, insert.getDest(), d));
      // offset + (size - 1) * stride < extent, or size == 0 and
      // offset <= extent.
      Value last = b.createOrFold<arith::AddIOp>(
          loc, offset,
          b.createOrFold<arith::MulIOp>(
              loc, b.createOrFold<arith::SubIOp>(loc, size, one), stride));
      auto cmp = [&](arith::CmpIPredicate p, Value l, Value r) {
        return b.createOrFold<arith::CmpIOp>(loc, p, l, r);
      };
      Value nonEmptyFits = b.createOrFold<arith::AndIOp>(
          loc, cmp(arith::CmpIPredicate::sgt, size, zero),
          b.createOrFold<arith::AndIOp>(
              loc, cmp(arith::CmpIPredicate::sge, offset, zero),
              cmp(arith::CmpIPredicate::slt, last, extent)));
      Value emptyFits = b.createOrFold<arith::AndIOp>(
          loc, cmp(arith::CmpIPredicate::eq, size, zero),
          b.createOrFold<arith::AndIOp>(
              loc, cmp(arith::CmpIPredicate::sge, offset, zero),
              cmp(arith::CmpIPredicate::sle, offset, extent)));
      createSizeCheck(
          b, loc, b.createOrFold<arith::OrIOp>(loc, nonEmptyFits, emptyFits),
          message(op, "the slice runs out of the destination along "
                      "dimension " +
                          std::to_string(d)));
    }
    if (insert.getSourceType().getRank() ==
        static_cast<int64_t>(sizes.size())) {
      for (auto [d, size] : llvm::enumerate(sizes))
        createSizeEqualityCheck(
            b, loc, tensor::getMixedSize(b, loc, insert.getSource(), d), size,
            message(op, "the source's size differs from the slice's in "
                        "dimension " +
                            std::to_string(d)));
    }
  }
};

/// Integer division and remainder: the divisor is not zero, and a signed
/// division is not of the smallest value by -1 (both trap on x86).
template <typename OpTy, bool isSigned>
struct DivisionOpModel : RuntimeVerifiableOpInterface::ExternalModel<
                             DivisionOpModel<OpTy, isSigned>, OpTy> {
  void generateRuntimeVerification(Operation *op, OpBuilder &b, Location loc,
                                   MessageFn message) const {
    auto division = cast<OpTy>(op);
    Type type = division.getType();
    if (!type.isIntOrIndex())
      return;
    auto constant = [&](const APInt &v) -> Value {
      return b.createOrFold<arith::ConstantOp>(loc, b.getIntegerAttr(type, v));
    };
    unsigned width = type.isIndex() ? IndexType::kInternalStorageBitWidth
                                    : type.getIntOrFloatBitWidth();
    Value rhs = division.getRhs();
    createSizeCheck(b, loc,
                    b.createOrFold<arith::CmpIOp>(loc, arith::CmpIPredicate::ne,
                                                  rhs,
                                                  constant(APInt(width, 0))),
                    message(op, "division by zero"));
    if (!isSigned)
      return;
    Value overflows = b.createOrFold<arith::AndIOp>(
        loc,
        b.createOrFold<arith::CmpIOp>(
            loc, arith::CmpIPredicate::eq, division.getLhs(),
            constant(APInt::getSignedMinValue(width))),
        b.createOrFold<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, rhs,
                                      constant(APInt::getAllOnes(width))));
    createSizeCheck(
        b, loc,
        b.createOrFold<arith::XOrIOp>(
            loc, overflows,
            b.createOrFold<arith::ConstantOp>(loc, b.getBoolAttr(true))),
        message(op, "division overflow"));
  }
};

/// tensor.empty: no size is negative.
struct EmptyOpModel
    : RuntimeVerifiableOpInterface::ExternalModel<EmptyOpModel,
                                                  tensor::EmptyOp> {
  void generateRuntimeVerification(Operation *op, OpBuilder &b, Location loc,
                                   MessageFn message) const {
    for (Value size : cast<tensor::EmptyOp>(op).getDynamicSizes())
      createSizeCheck(b, loc, isNonNegative(b, loc, size),
                      message(op, "a computed size is negative"));
  }
};
} // namespace

void mlir::lstm::registerRuntimeVerifiableOpInterfaceExternalModels(
    DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *ctx, tensor::TensorDialect *) {
    tensor::ReshapeOp::attachInterface<ReshapeOpModel>(*ctx);
    tensor::ExpandShapeOp::attachInterface<ExpandShapeOpModel>(*ctx);
    tensor::ConcatOp::attachInterface<ConcatOpModel>(*ctx);
    tensor::InsertSliceOp::attachInterface<InsertSliceOpModel>(*ctx);
    tensor::EmptyOp::attachInterface<EmptyOpModel>(*ctx);
    ctx->loadDialect<arith::ArithDialect, cf::ControlFlowDialect>();
  });
  registry.addExtension(+[](MLIRContext *ctx, arith::ArithDialect *) {
    arith::DivSIOp::attachInterface<DivisionOpModel<arith::DivSIOp, true>>(
        *ctx);
    arith::DivUIOp::attachInterface<DivisionOpModel<arith::DivUIOp, false>>(
        *ctx);
    arith::RemSIOp::attachInterface<DivisionOpModel<arith::RemSIOp, true>>(
        *ctx);
    arith::RemUIOp::attachInterface<DivisionOpModel<arith::RemUIOp, false>>(
        *ctx);
    arith::CeilDivSIOp::attachInterface<
        DivisionOpModel<arith::CeilDivSIOp, true>>(*ctx);
    arith::CeilDivUIOp::attachInterface<
        DivisionOpModel<arith::CeilDivUIOp, false>>(*ctx);
    arith::FloorDivSIOp::attachInterface<
        DivisionOpModel<arith::FloorDivSIOp, true>>(*ctx);
    ctx->loadDialect<cf::ControlFlowDialect>();
  });
}
