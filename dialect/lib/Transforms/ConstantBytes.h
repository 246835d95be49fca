//===- ConstantBytes.h - The data of constant tensors -----------*- C++ -*-===//
//
// The patterns that evaluate ops on constant weights at compile time read
// and write the bytes of `dense` and `dense_resource` constants directly
// (upstream folders never look into blobs).
//
//===----------------------------------------------------------------------===//

#ifndef LSTM_LIB_TRANSFORMS_CONSTANTBYTES_H
#define LSTM_LIB_TRANSFORMS_CONSTANTBYTES_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <optional>
#include <vector>

namespace mlir::lstm {

/// The bytes of a constant tensor with byte-sized elements, and how to make
/// a constant of the same kind.
struct ConstantBytes {
  ArrayRef<char> bytes;
  RankedTensorType type;
  /// The blob's handle when the constant is a dense_resource.
  std::optional<DenseResourceElementsHandle> resource;
  /// The elements of a splat, which `bytes` refers to.
  std::vector<char> splatStorage;

  int64_t elementSize() const { return type.getElementTypeBitWidth() / 8; }

  /// The same data under another shape of as many elements.
  Attribute reshaped(RankedTensorType newType, Attribute original) const;

  /// A constant of this kind holding `data` (taken) as `newType`.
  Attribute create(RankedTensorType newType, AsmResourceBlob data) const;
};

/// Returns the bytes of `value` when it is a constant tensor whose elements
/// are whole bytes; `attr` is set to the constant's attribute. The blobs'
/// sizes must have been checked (verifyResourceSizes).
std::optional<ConstantBytes> matchConstantBytes(Value value, Attribute &attr);

/// A mutable blob of `size` bytes.
AsmResourceBlob allocateBlob(int64_t size, int64_t alignment);

} // namespace mlir::lstm

#endif // LSTM_LIB_TRANSFORMS_CONSTANTBYTES_H
