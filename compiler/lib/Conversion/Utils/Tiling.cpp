//===- Tiling.cpp - Register tile schedules ---------------------*- C++ -*-===//

#include "lstm/Conversion/Utils/Tiling.h"
#include "lstm/Conversion/Utils/OpenMP.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "llvm/ADT/bit.h"

using namespace mlir;

/// The end of the longest prefix of [begin, end) made of whole chunks.
static Value getChunkedEnd(OpBuilder &b, Location loc, Value begin, Value end,
                           int64_t chunk) {
  Value size = arith::ConstantIndexOp::create(b, loc, chunk);
  Value count = arith::SubIOp::create(b, loc, end, begin);
  Value chunks = arith::DivUIOp::create(b, loc, count, size);
  return arith::AddIOp::create(b, loc, begin,
                               arith::MulIOp::create(b, loc, chunks, size));
}

/// Chunk sizes from `largest` down: largest, then the powers of two below it.
static SmallVector<int64_t> getChunkSizes(int64_t largest) {
  SmallVector<int64_t> sizes = {largest};
  for (int64_t size = llvm::PowerOf2Ceil(largest) / 2; size >= 1; size /= 2)
    if (size < largest)
      sizes.push_back(size);
  return sizes;
}

void lstm::forEachRegisterTile(OpBuilder &b, Location loc, Value rowBegin,
                               Value rowEnd, Value blockBegin, Value blockEnd,
                               int64_t rowsPerTile, int64_t vectorsPerBlock,
                               int64_t accumulators, TileEmitter tile) {
  SmallVector<int64_t> heights = getChunkSizes(rowsPerTile);
  Value rowsDone = rowBegin;
  for (int64_t height : heights) {
    Value rowsEnd = getChunkedEnd(b, loc, rowsDone, rowEnd, height);
    // Powers of two split the usual power-of-two block counts evenly.
    int64_t maxBlocks =
        height == rowsPerTile
            ? 1
            : llvm::bit_floor<uint64_t>(std::max<int64_t>(
                  1, accumulators / (height * vectorsPerBlock)));
    Value blocksDone = blockBegin;
    for (int64_t blocks : getChunkSizes(maxBlocks)) {
      Value blocksEnd = getChunkedEnd(b, loc, blocksDone, blockEnd, blocks);
      Value rowStart = rowsDone;
      buildLoop(b, loc, blocksDone, blocksEnd, blocks,
                [&](OpBuilder &b, Value block) {
                  buildLoop(b, loc, rowStart, rowsEnd, height,
                            [&](OpBuilder &b, Value row) {
                              tile(b, row, height, block, blocks);
                            });
                });
      blocksDone = blocksEnd;
    }
    rowsDone = rowsEnd;
  }
}
