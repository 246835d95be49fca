//===- InsertRuntimeChecks.cpp - Check at run time what sizes promise -----===//
//
// Every op whose correctness depends on run-time sizes or values says what
// it needs through RuntimeVerifiableOpInterface. This pass asks each op of
// a function on tensors for its checks, simplifies them (most fold away on
// static shapes), and moves every size check, with the scalar arithmetic it
// needs, to the start of the function, where it runs before the model
// touches any memory. Value checks stay in place (RuntimeChecks.h).
//
//===----------------------------------------------------------------------===//

#include "lstm/Dialect/LSTM/IR/RuntimeChecks.h"
#include "lstm/Dialect/LSTM/Transforms/Passes.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/Index/IR/IndexDialect.h"
#include "mlir/Dialect/Index/IR/IndexOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/Matchers.h"
#include "mlir/Interfaces/RuntimeVerifiableOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ValueBoundsOpInterface.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::lstm {
#define GEN_PASS_DEF_LSTMINSERTRUNTIMECHECKS
#include "lstm/Dialect/LSTM/Transforms/Passes.h.inc"
} // namespace mlir::lstm

using namespace mlir;
using namespace mlir::lstm;

/// A check's message: what failed, and the op that checks it. The layer it
/// comes from is added by lstm-lower-runtime-checks, as for every check.
static std::string describeCheck(Operation *op, StringRef text) {
  return text.str() + " (" + op->getName().getStringRef().str() + ")";
}

/// Whether `op` and the ops nested in it compute scalars from sizes: no
/// shaped results but constants, no shaped operands but those of shape
/// queries (tensor contents are not sizes), no memory effects but
/// assertions'.
static bool isCheckComputation(Operation *op) {
  WalkResult result = op->walk([](Operation *nested) {
    if (isa<cf::AssertOp>(nested))
      return WalkResult::advance();
    if (matchPattern(nested, m_Constant()))
      return WalkResult::advance();
    if (llvm::any_of(nested->getResultTypes(), llvm::IsaPred<ShapedType>))
      return WalkResult::interrupt();
    if (!isa<tensor::DimOp, tensor::RankOp>(nested) &&
        llvm::any_of(nested->getOperandTypes(), llvm::IsaPred<ShapedType>))
      return WalkResult::interrupt();
    if (nested->getNumRegions() == 0 && !isMemoryEffectFree(nested))
      return WalkResult::interrupt();
    if (nested->getNumRegions() > 0 &&
        !nested->hasTrait<OpTrait::HasRecursiveMemoryEffects>())
      return WalkResult::interrupt();
    return WalkResult::advance();
  });
  return !result.wasInterrupted();
}

/// The value-bounds comparison of a signed integer predicate, if any.
static std::optional<ValueBoundsConstraintSet::ComparisonOperator>
getComparison(arith::CmpIPredicate predicate) {
  using Bounds = ValueBoundsConstraintSet;
  switch (predicate) {
  case arith::CmpIPredicate::eq:
    return Bounds::EQ;
  case arith::CmpIPredicate::sge:
    return Bounds::GE;
  case arith::CmpIPredicate::sgt:
    return Bounds::GT;
  case arith::CmpIPredicate::sle:
    return Bounds::LE;
  case arith::CmpIPredicate::slt:
    return Bounds::LT;
  default:
    return std::nullopt;
  }
}

// The index dialect numbers its predicates as arith does.
static_assert(static_cast<int>(index::IndexCmpPredicate::EQ) ==
                  static_cast<int>(arith::CmpIPredicate::eq) &&
              static_cast<int>(index::IndexCmpPredicate::SLT) ==
                  static_cast<int>(arith::CmpIPredicate::slt) &&
              static_cast<int>(index::IndexCmpPredicate::SLE) ==
                  static_cast<int>(arith::CmpIPredicate::sle) &&
              static_cast<int>(index::IndexCmpPredicate::SGT) ==
                  static_cast<int>(arith::CmpIPredicate::sgt) &&
              static_cast<int>(index::IndexCmpPredicate::SGE) ==
                  static_cast<int>(arith::CmpIPredicate::sge));

/// Whether `condition` compares sizes in a way that holds whatever the
/// inputs' sizes are (e.g. `dim >= 0`), by upstream's value-bounds analysis.
static bool holdsForAllSizes(Value condition) {
  Value lhs, rhs;
  std::optional<arith::CmpIPredicate> predicate;
  if (auto cmp = condition.getDefiningOp<arith::CmpIOp>()) {
    lhs = cmp.getLhs();
    rhs = cmp.getRhs();
    predicate = cmp.getPredicate();
  } else if (auto cmp = condition.getDefiningOp<index::CmpOp>()) {
    lhs = cmp.getLhs();
    rhs = cmp.getRhs();
    predicate = static_cast<arith::CmpIPredicate>(cmp.getPred());
  }
  if (!predicate || !lhs.getType().isIndex())
    return false;
  std::optional<ValueBoundsConstraintSet::ComparisonOperator> comparison =
      getComparison(*predicate);
  return comparison && ValueBoundsConstraintSet::compare(lhs, *comparison, rhs);
}

namespace {
/// Moves size checks and what they compute from to the start of a block.
class CheckHoister {
public:
  explicit CheckHoister(Block &entry) : entry(entry) {}

  /// Moves `op`, a computation in `entry`, after the ops hoisted so far,
  /// with everything it uses. Fails, leaving `op` where it is, if it uses
  /// anything that cannot move.
  LogicalResult hoist(Operation *op) {
    if (hoisted.contains(op))
      return success();
    if (op->getBlock() != &entry || !isCheckComputation(op))
      return failure();
    SetVector<Value> used(op->operand_begin(), op->operand_end());
    getUsedValuesDefinedAbove(op->getRegions(), used);
    for (Value value : used) {
      if (auto arg = dyn_cast<BlockArgument>(value)) {
        if (arg.getOwner() == &entry)
          continue;
        return failure();
      }
      Operation *def = value.getDefiningOp();
      if (failed(hoist(def)))
        return failure();
    }
    if (last)
      op->moveAfter(last);
    else
      op->moveBefore(&entry, entry.begin());
    last = op;
    hoisted.insert(op);
    return success();
  }

private:
  Block &entry;
  Operation *last = nullptr;
  DenseSet<Operation *> hoisted;
};

struct LSTMInsertRuntimeChecks
    : lstm::impl::LSTMInsertRuntimeChecksBase<LSTMInsertRuntimeChecks> {
  LogicalResult initialize(MLIRContext *context) override {
    RewritePatternSet patterns(context);
    for (Dialect *dialect : context->getLoadedDialects())
      dialect->getCanonicalizationPatterns(patterns);
    for (RegisteredOperationName op : context->getRegisteredOperations())
      op.getCanonicalizationPatterns(patterns, context);
    // Sizes of intermediate tensors in terms of the function's arguments.
    memref::populateResolveRankedShapedTypeResultDimsPatterns(patterns);
    simplifications = std::move(patterns);
    return success();
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;

    // Ask every op for its checks; ops in the bodies of linalg ops compute
    // elements, and their operands are checked by the linalg op itself.
    SmallVector<RuntimeVerifiableOpInterface> verifiable;
    func.walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (auto iface = dyn_cast<RuntimeVerifiableOpInterface>(op))
        verifiable.push_back(iface);
      return isa<linalg::LinalgOp>(op) ? WalkResult::skip()
                                       : WalkResult::advance();
    });
    struct Collector : OpBuilder::Listener {
      void notifyOperationInserted(Operation *op,
                                   OpBuilder::InsertPoint) override {
        created.push_back(op);
      }
      SmallVector<Operation *> created;
    } collector;
    OpBuilder builder(&getContext(), &collector);
    for (RuntimeVerifiableOpInterface op : verifiable) {
      builder.setInsertionPoint(op);
      op.generateRuntimeVerification(builder, op->getLoc(), describeCheck);
    }
    if (collector.created.empty())
      return;
    // Sizes of intermediate tensors, the checks' and the ones the layers
    // already use, in terms of the function's arguments.
    func.walk([&](tensor::DimOp dim) { collector.created.push_back(dim); });
    GreedyRewriteConfig config;
    config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
    (void)applyOpPatternsGreedily(collector.created, simplifications, config);

    // Size checks first, in program order.
    Block &entry = func.getBody().front();
    CheckHoister hoister(entry);
    SmallVector<cf::AssertOp> checks;
    func.walk([&](cf::AssertOp check) { checks.push_back(check); });
    for (cf::AssertOp check : checks) {
      if (matchPattern(check.getArg(), m_Zero())) {
        check.emitError() << "the model fails on every input: "
                          << check.getMsg();
        return signalPassFailure();
      }
      if (isValueCheck(check))
        continue;
      if (holdsForAllSizes(check.getArg())) {
        check.erase();
        continue;
      }
      Operation *root = entry.findAncestorOpInBlock(*check);
      if (root && succeeded(hoister.hoist(root)))
        continue;
      check.emitError()
          << "the run-time check '" << check.getMsg()
          << "' compares sizes that the model computes, so it cannot run "
             "before the model does; this is not supported";
      return signalPassFailure();
    }
  }

  FrozenRewritePatternSet simplifications;
};
} // namespace
