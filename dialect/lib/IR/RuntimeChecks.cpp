//===- RuntimeChecks.cpp - Checks a compiled model makes at run time ------===//

#include "lstm/Dialect/LSTM/IR/RuntimeChecks.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/Matchers.h"

#include <limits>

using namespace mlir;
using namespace mlir::lstm;

bool mlir::lstm::isValueCheck(Operation *assertOp) {
  return assertOp->hasAttr(kValueCheckAttrName);
}

void mlir::lstm::createSizeCheck(OpBuilder &b, Location loc, Value condition,
                                 const Twine &message) {
  if (matchPattern(condition, m_One()))
    return;
  cf::AssertOp::create(b, loc, condition, message.str());
}

void mlir::lstm::createValueCheck(OpBuilder &b, Location loc, Value condition,
                                  const Twine &message) {
  if (matchPattern(condition, m_One()))
    return;
  auto check = cf::AssertOp::create(b, loc, condition, message.str());
  check->setAttr(kValueCheckAttrName, b.getUnitAttr());
}

void mlir::lstm::createSizeEqualityCheck(OpBuilder &b, Location loc,
                                         OpFoldResult actual,
                                         OpFoldResult expected,
                                         const Twine &message) {
  if (isEqualConstantIntOrValue(actual, expected))
    return;
  Value equal = b.createOrFold<arith::CmpIOp>(
      loc, arith::CmpIPredicate::eq,
      getValueOrCreateConstantIndexOp(b, loc, actual),
      getValueOrCreateConstantIndexOp(b, loc, expected));
  createSizeCheck(b, loc, equal, message);
}

std::pair<Value, Value> mlir::lstm::createMinMax(OpBuilder &b, Location loc,
                                                 Value tensor) {
  auto type = cast<RankedTensorType>(tensor.getType());
  Type i64 = b.getI64Type();
  auto filled = [&](int64_t v) {
    Value empty = tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{}, i64);
    Value init = arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(v));
    return linalg::FillOp::create(b, loc, init, empty).getResult(0);
  };
  Value inits[] = {filled(std::numeric_limits<int64_t>::max()),
                   filled(std::numeric_limits<int64_t>::min())};
  SmallVector<int64_t> dims =
      llvm::to_vector(llvm::seq<int64_t>(0, type.getRank()));
  auto reduce = linalg::ReduceOp::create(
      b, loc, ValueRange{tensor, tensor}, ValueRange(inits), dims,
      [&](OpBuilder &b, Location loc, ValueRange args) {
        Value x = args[0];
        if (x.getType() != i64)
          x = arith::ExtSIOp::create(b, loc, i64, x);
        linalg::YieldOp::create(
            b, loc,
            ValueRange{arith::MinSIOp::create(b, loc, x, args[2]),
                       arith::MaxSIOp::create(b, loc, x, args[3])});
      });
  return {tensor::ExtractOp::create(b, loc, reduce.getResult(0), ValueRange{}),
          tensor::ExtractOp::create(b, loc, reduce.getResult(1), ValueRange{})};
}

Value mlir::lstm::createAllElements(
    OpBuilder &b, Location loc, Value tensor,
    function_ref<Value(OpBuilder &, Location, Value)> predicate) {
  auto type = cast<RankedTensorType>(tensor.getType());
  Value empty =
      tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{}, b.getI1Type());
  Value allTrue = arith::ConstantOp::create(b, loc, b.getBoolAttr(true));
  Value init = linalg::FillOp::create(b, loc, allTrue, empty).getResult(0);
  SmallVector<int64_t> dims =
      llvm::to_vector(llvm::seq<int64_t>(0, type.getRank()));
  auto reduce = linalg::ReduceOp::create(
      b, loc, ValueRange{tensor}, ValueRange{init}, dims,
      [&](OpBuilder &b, Location loc, ValueRange args) {
        linalg::YieldOp::create(
            b, loc,
            ValueRange{arith::AndIOp::create(b, loc, predicate(b, loc, args[0]),
                                             args[1])});
      });
  return tensor::ExtractOp::create(b, loc, reduce.getResult(0), ValueRange{});
}

static std::string describeLocation(Location loc) {
  if (auto fused = dyn_cast<FusedLoc>(loc)) {
    std::string name;
    for (Location part : fused.getLocations())
      if (auto named = dyn_cast<NameLoc>(part)) {
        name = "'" + named.getName().str() + "'";
        break;
      }
    if (auto kind = dyn_cast_if_present<StringAttr>(fused.getMetadata()))
      return name.empty() ? kind.str() : name + " (" + kind.str() + ")";
    if (!name.empty())
      return name;
    return fused.getLocations().empty()
               ? ""
               : describeLocation(fused.getLocations().front());
  }
  if (auto named = dyn_cast<NameLoc>(loc))
    return "'" + named.getName().str() + "'";
  if (auto callSite = dyn_cast<CallSiteLoc>(loc))
    return describeLocation(callSite.getCallee());
  if (auto file = dyn_cast<FileLineColLoc>(loc)) {
    if (file.getLine() == 0)
      return "";
    return (file.getFilename().strref() + ":" + Twine(file.getLine()) + ":" +
            Twine(file.getColumn()))
        .str();
  }
  return "";
}

std::string mlir::lstm::formatCheckMessage(Location loc, StringRef message) {
  std::string where = describeLocation(loc);
  return where.empty() ? message.str() : where + ": " + message.str();
}

Value mlir::lstm::createNumElements(OpBuilder &b, Location loc, Value tensor) {
  Value count = arith::ConstantIndexOp::create(b, loc, 1);
  for (OpFoldResult size : tensor::getMixedSizes(b, loc, tensor))
    count = b.createOrFold<arith::MulIOp>(
        loc, count, getValueOrCreateConstantIndexOp(b, loc, size));
  return count;
}
