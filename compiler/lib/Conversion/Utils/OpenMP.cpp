//===- OpenMP.cpp - Parallel regions for CPU lowerings ----------*- C++ -*-===//

#include "lstm/Conversion/Utils/OpenMP.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/SymbolTable.h"

using namespace mlir;

/// Returns the symbol of the `() -> i32` runtime function `name`, declaring
/// it in `module` if needed.
static FlatSymbolRefAttr getOrDeclareQuery(RewriterBase &rewriter,
                                           ModuleOp module, StringRef name) {
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

void lstm::createParallelRegion(
    RewriterBase &rewriter, Location loc,
    function_ref<void(OpBuilder &, Value, Value)> body) {
  auto module =
      rewriter.getInsertionBlock()->getParentOp()->getParentOfType<ModuleOp>();
  FlatSymbolRefAttr threadNum =
      getOrDeclareQuery(rewriter, module, "omp_get_thread_num");
  FlatSymbolRefAttr numThreads =
      getOrDeclareQuery(rewriter, module, "omp_get_num_threads");

  OpBuilder::InsertionGuard guard(rewriter);
  auto parallel = omp::ParallelOp::create(rewriter, loc);
  rewriter.createBlock(&parallel.getRegion());
  auto query = [&](FlatSymbolRefAttr fn) -> Value {
    Value id = func::CallOp::create(rewriter, loc, fn, rewriter.getI32Type(),
                                    ValueRange{})
                   .getResult(0);
    return arith::IndexCastOp::create(rewriter, loc, rewriter.getIndexType(),
                                      id);
  };
  Value threadId = query(threadNum);
  Value count = query(numThreads);
  body(rewriter, threadId, count);
  omp::TerminatorOp::create(rewriter, loc);
}

Value lstm::getThreadStart(OpBuilder &b, Location loc, int64_t size,
                           Value threadId, Value numThreads) {
  Value scaled = arith::MulIOp::create(
      b, loc, threadId, arith::ConstantIndexOp::create(b, loc, size));
  return arith::DivUIOp::create(b, loc, scaled, numThreads);
}

void lstm::buildLoop(OpBuilder &b, Location loc, Value lb, Value ub,
                     int64_t step, function_ref<void(OpBuilder &, Value)> body) {
  scf::ForOp::create(b, loc, lb, ub,
                     arith::ConstantIndexOp::create(b, loc, step), ValueRange{},
                     [&](OpBuilder &nested, Location, Value iv, ValueRange) {
                       body(nested, iv);
                       scf::YieldOp::create(nested, loc);
                     });
}
