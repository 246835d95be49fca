//===- OpenMP.cpp - Parallel regions for CPU lowerings ----------*- C++ -*-===//

#include "lstm/Conversion/Utils/OpenMP.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/OpenMP/OpenMPDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/SymbolTable.h"

using namespace mlir;

/// Spins before a waiting thread starts yielding its core.
static constexpr int64_t spinsBeforeYield = 2000;

/// Returns the symbol of the `() -> i32` C function `name`, declaring it in
/// `module` if needed.
static FlatSymbolRefAttr getOrDeclareFunction(RewriterBase &rewriter,
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

static Value constantI32(OpBuilder &b, Location loc, int32_t value) {
  return arith::ConstantIntOp::create(b, loc, value, 32);
}

void lstm::ThreadTeam::emitBarrier(OpBuilder &b, Location loc) const {
  using LLVM::AtomicOrdering;
  Type i32 = b.getI32Type();
  Value one = constantI32(b, loc, 1);
  // The generation before this barrier completes; only the last thread to
  // arrive can change it, and this thread has not arrived yet.
  Value seen =
      LLVM::LoadOp::create(b, loc, i32, generation, /*alignment=*/4, false,
                           false, false, false, AtomicOrdering::acquire);
  Value arrived = LLVM::AtomicRMWOp::create(
      b, loc, LLVM::AtomicBinOp::add, counter, one, AtomicOrdering::acq_rel);
  Value last = arith::CmpIOp::create(
      b, loc, arith::CmpIPredicate::eq, arrived,
      arith::SubIOp::create(
          b, loc, arith::IndexCastOp::create(b, loc, i32, numThreads), one));
  scf::IfOp::create(
      b, loc, last,
      [&](OpBuilder &b, Location loc) {
        LLVM::StoreOp::create(b, loc, constantI32(b, loc, 0), counter, 4, false,
                              false, false, AtomicOrdering::monotonic);
        LLVM::StoreOp::create(b, loc, arith::AddIOp::create(b, loc, seen, one),
                              generation, 4, false, false, false,
                              AtomicOrdering::release);
        scf::YieldOp::create(b, loc);
      },
      [&](OpBuilder &b, Location loc) {
        scf::WhileOp::create(
            b, loc, TypeRange{i32}, ValueRange{constantI32(b, loc, 0)},
            [&](OpBuilder &b, Location loc, ValueRange args) {
              Value now =
                  LLVM::LoadOp::create(b, loc, i32, generation, 4, false, false,
                                       false, false, AtomicOrdering::acquire);
              Value waiting = arith::CmpIOp::create(
                  b, loc, arith::CmpIPredicate::eq, now, seen);
              scf::ConditionOp::create(b, loc, waiting, args);
            },
            [&](OpBuilder &b, Location loc, ValueRange args) {
              Value spins = arith::AddIOp::create(b, loc, args[0], one);
              Value tired = arith::CmpIOp::create(
                  b, loc, arith::CmpIPredicate::sgt, spins,
                  constantI32(b, loc, spinsBeforeYield));
              scf::IfOp::create(b, loc, tired, [&](OpBuilder &b, Location loc) {
                func::CallOp::create(b, loc, "sched_yield", TypeRange{i32},
                                     ValueRange{});
                scf::YieldOp::create(b, loc);
              });
              scf::YieldOp::create(b, loc, spins);
            });
        scf::YieldOp::create(b, loc);
      });
}

void lstm::createParallelRegion(
    RewriterBase &rewriter, Location loc,
    function_ref<void(OpBuilder &, const ThreadTeam &)> body) {
  auto module =
      rewriter.getInsertionBlock()->getParentOp()->getParentOfType<ModuleOp>();
  FlatSymbolRefAttr threadNum =
      getOrDeclareFunction(rewriter, module, "omp_get_thread_num");
  FlatSymbolRefAttr numThreads =
      getOrDeclareFunction(rewriter, module, "omp_get_num_threads");
  getOrDeclareFunction(rewriter, module, "sched_yield");

  // The barrier's counter and generation, a cache line apart.
  Type i32 = rewriter.getI32Type();
  auto stateType = MemRefType::get({32}, i32);
  Value state = memref::AllocOp::create(rewriter, loc, stateType, ValueRange{},
                                        rewriter.getI64IntegerAttr(64));
  Value zero = constantI32(rewriter, loc, 0);
  for (int64_t slot : {0, 16})
    memref::StoreOp::create(
        rewriter, loc, zero, state,
        ValueRange{arith::ConstantIndexOp::create(rewriter, loc, slot)});
  Value address = arith::IndexCastOp::create(
      rewriter, loc, rewriter.getI64Type(),
      memref::ExtractAlignedPointerAsIndexOp::create(rewriter, loc, state));
  auto ptrType = LLVM::LLVMPointerType::get(rewriter.getContext());
  Value counter = LLVM::IntToPtrOp::create(rewriter, loc, ptrType, address);
  Value generation = LLVM::GEPOp::create(rewriter, loc, ptrType, i32, counter,
                                         ArrayRef<LLVM::GEPArg>{16});

  {
    OpBuilder::InsertionGuard guard(rewriter);
    auto parallel = omp::ParallelOp::create(rewriter, loc);
    rewriter.createBlock(&parallel.getRegion());
    auto query = [&](FlatSymbolRefAttr fn) -> Value {
      Value id = func::CallOp::create(rewriter, loc, fn, i32, ValueRange{})
                     .getResult(0);
      return arith::IndexCastOp::create(rewriter, loc, rewriter.getIndexType(),
                                        id);
    };
    Value threadId = query(threadNum);
    Value count = query(numThreads);
    body(rewriter, ThreadTeam(threadId, count, counter, generation));
    omp::TerminatorOp::create(rewriter, loc);
  }
  memref::DeallocOp::create(rewriter, loc, state);
}

Value lstm::getThreadStart(OpBuilder &b, Location loc, int64_t size,
                           Value threadId, Value numThreads) {
  Value scaled = arith::MulIOp::create(
      b, loc, threadId, arith::ConstantIndexOp::create(b, loc, size));
  return arith::DivUIOp::create(b, loc, scaled, numThreads);
}

void lstm::buildLoop(OpBuilder &b, Location loc, Value lb, Value ub,
                     int64_t step,
                     function_ref<void(OpBuilder &, Value)> body) {
  scf::ForOp::create(b, loc, lb, ub,
                     arith::ConstantIndexOp::create(b, loc, step), ValueRange{},
                     [&](OpBuilder &nested, Location, Value iv, ValueRange) {
                       body(nested, iv);
                       scf::YieldOp::create(nested, loc);
                     });
}
