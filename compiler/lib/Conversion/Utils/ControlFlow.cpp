//===- ControlFlow.cpp - Structured control flow builders -------*- C++ -*-===//

#include "lstm/Conversion/Utils/ControlFlow.h"

#include "mlir/Dialect/SCF/IR/SCF.h"

using namespace mlir;

void lstm::emitIf(OpBuilder &b, Location loc, Value cond,
                  function_ref<void(OpBuilder &)> thenBody,
                  function_ref<void(OpBuilder &)> elseBody) {
  auto region = [&](function_ref<void(OpBuilder &)> body) {
    return [=](OpBuilder &nested, Location loc) {
      body(nested);
      scf::YieldOp::create(nested, loc);
    };
  };
  if (elseBody)
    scf::IfOp::create(b, loc, cond, region(thenBody), region(elseBody));
  else
    scf::IfOp::create(b, loc, cond, region(thenBody));
}
