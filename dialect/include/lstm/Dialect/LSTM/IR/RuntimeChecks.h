//===- RuntimeChecks.h - Checks a compiled model makes at run time -*- C++ -*-//
//
// A compiled model checks at run time what its graph only promises. Checks
// are `cf.assert` ops, created by the ops' RuntimeVerifiableOpInterface
// implementations (upstream's for linalg and tensor, the lstm dialect's for
// its own ops) and turned into the model's error channel by
// lstm-lower-runtime-checks. There are two kinds:
//
// - Size checks relate the sizes of tensors. lstm-insert-runtime-checks
//   moves them, with the arithmetic on sizes they need, to the start of the
//   function, so a call whose sizes disagree fails before it touches memory.
// - Value checks test tensor contents (indices, sequence lengths). They stay
//   where they are; a failing one makes the call fail once it returns, so
//   the op it guards must stay in bounds whatever the values are.
//
//===----------------------------------------------------------------------===//

#ifndef LSTM_DIALECT_LSTM_IR_RUNTIMECHECKS_H
#define LSTM_DIALECT_LSTM_IR_RUNTIMECHECKS_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpDefinition.h"

#include <utility>

namespace mlir::lstm {

/// The unit attribute that marks a `cf.assert` as a value check.
constexpr StringLiteral kValueCheckAttrName = "lstm.value_check";

/// The module attribute where lstm-lower-runtime-checks lists the messages
/// of the checks, by index.
constexpr StringLiteral kRuntimeChecksAttrName = "lstm.runtime_checks";

/// Whether `assertOp` (a cf.assert) is a value check.
bool isValueCheck(Operation *assertOp);

/// Asserts a relation between sizes; nothing is created when `condition`
/// folds to true.
void createSizeCheck(OpBuilder &b, Location loc, Value condition,
                     const Twine &message);

/// Asserts a property of tensor contents.
void createValueCheck(OpBuilder &b, Location loc, Value condition,
                      const Twine &message);

/// Asserts that `actual` equals `expected` (index values or attributes);
/// nothing is created when they are the same value or equal constants.
void createSizeEqualityCheck(OpBuilder &b, Location loc, OpFoldResult actual,
                             OpFoldResult expected, const Twine &message);

/// The smallest and largest elements of an integer tensor, as i64 values;
/// INT64_MAX and INT64_MIN for an empty tensor. One pass over the data.
std::pair<Value, Value> createMinMax(OpBuilder &b, Location loc, Value tensor);

/// Whether `predicate` holds for every element of a ranked tensor, as an
/// i1 value (true for an empty tensor). One pass over the data.
Value createAllElements(
    OpBuilder &b, Location loc, Value tensor,
    function_ref<Value(OpBuilder &, Location, Value)> predicate);

/// The number of elements of a ranked tensor, as an index value.
Value createNumElements(OpBuilder &b, Location loc, Value tensor);

/// A check's message for its user: `message` after the layer `loc` names.
/// The importers locate each layer's ops at fused<"Kind">["name"], which
/// reads "'name' (Kind)"; a bare name or a file position is used as it is.
std::string formatCheckMessage(Location loc, StringRef message);

} // namespace mlir::lstm

#endif // LSTM_DIALECT_LSTM_IR_RUNTIMECHECKS_H
