//===- Tiling.h - Register tile schedules -----------------------*- C++ -*-===//
//
// How the CPU lowerings cover a (rows x blocks) product with register tiles
// of static sizes when the number of rows (the batch) is only known at run
// time: full-height tiles first, one block each, iterating rows inside
// blocks so that a block's weights stay in cache while every row passes;
// then the rows left over in shorter tiles that span several blocks, so
// that a tile still has enough independent accumulators to hide the FMA
// latency (batch 1 is the common inference case).
//
//===----------------------------------------------------------------------===//

#ifndef LSTM_CONVERSION_UTILS_TILING_H
#define LSTM_CONVERSION_UTILS_TILING_H

#include "mlir/IR/Builders.h"

namespace mlir::lstm {

/// Emits one register tile: rows [row, row + rows) by blocks
/// [block, block + blocks).
using TileEmitter = function_ref<void(OpBuilder &, Value row, int64_t rows,
                                      Value block, int64_t blocks)>;

/// Covers rows [rowBegin, rowEnd) by blocks [blockBegin, blockEnd) with
/// register tiles of at most `accumulators` vectors, each block being
/// `vectorsPerBlock` vectors wide: tiles of `rowsPerTile` rows and one block,
/// then for the remaining rows, tiles of the powers of two below
/// `rowsPerTile` rows that span as many blocks (a power of two) as fit.
void forEachRegisterTile(OpBuilder &b, Location loc, Value rowBegin,
                         Value rowEnd, Value blockBegin, Value blockEnd,
                         int64_t rowsPerTile, int64_t vectorsPerBlock,
                         int64_t accumulators, TileEmitter tile);

} // namespace mlir::lstm

#endif // LSTM_CONVERSION_UTILS_TILING_H
