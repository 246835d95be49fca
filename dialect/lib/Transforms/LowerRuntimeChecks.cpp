//===- LowerRuntimeChecks.cpp - Run-time checks to the error channel ------===//
//
// A compiled model reports a failed check to its caller instead of aborting
// as cf.assert's own lowering does. Each public function gets a last
// argument, memref<i32>, that holds 0 or 1 + the index of the first check
// that failed; the module's `lstm.runtime_checks` lists the checks'
// messages by index. The size checks that lstm-insert-runtime-checks put at
// the start of the function guard the rest of it, which runs only if they
// all hold; value checks record their failure and let the call go on.
//
//===----------------------------------------------------------------------===//

#include "lstm/Dialect/LSTM/IR/RuntimeChecks.h"
#include "lstm/Dialect/LSTM/Transforms/Passes.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlowOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::lstm {
#define GEN_PASS_DEF_LSTMLOWERRUNTIMECHECKS
#include "lstm/Dialect/LSTM/Transforms/Passes.h.inc"
} // namespace mlir::lstm

using namespace mlir;
using namespace mlir::lstm;

/// Whether `op` and the ops nested in it only compute scalars and assert:
/// the start of a function that lstm-insert-runtime-checks left.
static bool isCheckPrologueOp(Operation *op) {
  return !op->walk([](Operation *nested) {
              if (isa<cf::AssertOp>(nested) || isMemoryEffectFree(nested) ||
                  (nested->getNumRegions() > 0 &&
                   nested->hasTrait<OpTrait::HasRecursiveMemoryEffects>()))
                return WalkResult::advance();
              return WalkResult::interrupt();
            }).wasInterrupted();
}

/// Replaces `check` by a store of `index + 1` into `record` when its
/// condition is false and no earlier check failed.
static void recordFailure(cf::AssertOp check, Value record, int64_t index) {
  OpBuilder b(check);
  Location loc = check.getLoc();
  Value failed = arith::XOrIOp::create(
      b, loc, check.getArg(),
      arith::ConstantOp::create(b, loc, b.getBoolAttr(true)));
  scf::IfOp::create(b, loc, failed, [&](OpBuilder &b, Location loc) {
    Value previous = memref::LoadOp::create(b, loc, record);
    Value zero = arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(0));
    Value first =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, previous, zero);
    Value id =
        arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(index + 1));
    memref::StoreOp::create(
        b, loc, arith::SelectOp::create(b, loc, first, id, previous), record);
    scf::YieldOp::create(b, loc);
  });
  check.erase();
}

static LogicalResult lowerChecks(func::FuncOp func,
                                 SmallVectorImpl<Attribute> &messages) {
  MLIRContext *context = func.getContext();
  Block &entry = func.getBody().front();
  auto recordType = MemRefType::get({}, IntegerType::get(context, 32));
  if (failed(func.insertArgument(
          func.getNumArguments(), recordType,
          DictionaryAttr::get(
              context,
              {NamedAttribute(StringAttr::get(context, "lstm.check_record"),
                              UnitAttr::get(context))}),
          func.getLoc())))
    return failure();
  Value record = entry.getArguments().back();

  Operation *terminator = entry.getTerminator();
  Operation *bodyStart = terminator;
  for (Operation &op : entry.without_terminator())
    if (!isCheckPrologueOp(&op)) {
      bodyStart = &op;
      break;
    }
  bool guarded = false;
  SmallVector<cf::AssertOp> checks;
  func.walk([&](cf::AssertOp check) { checks.push_back(check); });
  for (cf::AssertOp check : checks) {
    Operation *root = entry.findAncestorOpInBlock(*check);
    bool inPrologue = root && root->isBeforeInBlock(bodyStart);
    if (!inPrologue && !isValueCheck(check))
      return check.emitError() << "size check '" << check.getMsg()
                               << "' is not at the start of the function; run "
                                  "lstm-insert-runtime-checks on tensors first";
    guarded |= inPrologue;
    messages.push_back(StringAttr::get(
        context, formatCheckMessage(check.getLoc(), check.getMsg())));
    recordFailure(check, record, messages.size() - 1);
  }
  if (!guarded || bodyStart == terminator)
    return success();

  // The body runs only when every size check held.
  for (Value operand : terminator->getOperands())
    if (Operation *def = operand.getDefiningOp();
        def && def->getBlock() == &entry && !def->isBeforeInBlock(bodyStart))
      return func.emitError("run-time checks in a function that returns "
                            "values computed after them are not supported; "
                            "turn results into out-parameters first");
  OpBuilder b(bodyStart);
  Location loc = func.getLoc();
  Value status = memref::LoadOp::create(b, loc, record);
  Value passed = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::eq, status,
      arith::ConstantOp::create(b, loc, b.getI32IntegerAttr(0)));
  auto guard = scf::IfOp::create(b, loc, passed, /*withElseRegion=*/false);
  Block *body = guard.thenBlock();
  body->getOperations().splice(body->begin(), entry.getOperations(),
                               bodyStart->getIterator(),
                               terminator->getIterator());
  return success();
}

namespace {
struct LSTMLowerRuntimeChecks
    : lstm::impl::LSTMLowerRuntimeChecksBase<LSTMLowerRuntimeChecks> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<Attribute> messages;
    for (auto func : module.getOps<func::FuncOp>()) {
      if (func.isExternal())
        continue;
      if (func.isPrivate()) {
        WalkResult found = func.walk([](cf::AssertOp check) {
          check.emitError("run-time checks are supported in public "
                          "functions (the model's entry point) only");
          return WalkResult::interrupt();
        });
        if (found.wasInterrupted())
          return signalPassFailure();
        continue;
      }
      if (failed(lowerChecks(func, messages)))
        return signalPassFailure();
    }
    module->setAttr(kRuntimeChecksAttrName,
                    ArrayAttr::get(&getContext(), messages));
  }
};
} // namespace
