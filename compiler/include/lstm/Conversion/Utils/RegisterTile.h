//===- RegisterTile.h - Register-tiled vector products ----------*- C++ -*-===//
//
// The inner kernel of every product lstmc generates for CPUs: a tile of
// accumulators that stays in vector registers while a loop over the reduction
// dimension broadcasts one scalar of A per row and loads one vector of B per
// column group:
//
//   for k in [lb, ub): acc[r][v] = fma(broadcast(A(r, k)), B(k, v), acc[r][v])
//
// B is expected in packed panels, so that the vectors of one k are adjacent.
//
//===----------------------------------------------------------------------===//

#ifndef LSTM_CONVERSION_UTILS_REGISTERTILE_H
#define LSTM_CONVERSION_UTILS_REGISTERTILE_H

#include "mlir/IR/Builders.h"

namespace mlir::lstm {

/// Loads the scalar A(row, k) of the tile's row `row`.
using TileScalarLoader =
    function_ref<Value(OpBuilder &, Location, Value k, int64_t row)>;
/// Loads the vector B(k, v) of the tile's vector column `vector`.
using TileVectorLoader =
    function_ref<Value(OpBuilder &, Location, Value k, int64_t vector)>;

/// Emits the k loop of a `rows` x `vectors` register tile starting from
/// zeros, and returns the accumulators, row-major: result[r * vectors + v].
SmallVector<Value> emitRegisterTile(OpBuilder &b, Location loc,
                                    VectorType vectorType, int64_t rows,
                                    int64_t vectors, Value lb, Value ub,
                                    TileScalarLoader loadA,
                                    TileVectorLoader loadB);

} // namespace mlir::lstm

#endif // LSTM_CONVERSION_UTILS_REGISTERTILE_H
