//===- RegisterTile.cpp - Register-tiled vector products --------*- C++ -*-===//

#include "lstm/Conversion/Utils/RegisterTile.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"

using namespace mlir;

SmallVector<Value> lstm::emitRegisterTile(OpBuilder &b, Location loc,
                                          VectorType vectorType, int64_t rows,
                                          int64_t vectors, Value lb, Value ub,
                                          TileScalarLoader loadA,
                                          TileVectorLoader loadB) {
  Value zero = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(vectorType, b.getZeroAttr(
                                                     vectorType.getElementType())));
  SmallVector<Value> init(rows * vectors, zero);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  auto loop = scf::ForOp::create(
      b, loc, lb, ub, one, init,
      [&](OpBuilder &b, Location loc, Value k, ValueRange acc) {
        SmallVector<Value> columns;
        for (int64_t v = 0; v < vectors; ++v)
          columns.push_back(loadB(b, loc, k, v));
        SmallVector<Value> updated(acc);
        for (int64_t r = 0; r < rows; ++r) {
          Value a = vector::BroadcastOp::create(b, loc, vectorType,
                                                loadA(b, loc, k, r));
          for (int64_t v = 0; v < vectors; ++v) {
            int64_t i = r * vectors + v;
            updated[i] =
                vector::FMAOp::create(b, loc, a, columns[v], acc[i]);
          }
        }
        scf::YieldOp::create(b, loc, updated);
      });
  return SmallVector<Value>(loop.getResults());
}
