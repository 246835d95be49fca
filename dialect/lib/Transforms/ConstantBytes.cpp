//===- ConstantBytes.cpp - The data of constant tensors ---------*- C++ -*-===//

#include "ConstantBytes.h"

#include "mlir/IR/Matchers.h"

using namespace mlir;
using namespace mlir::lstm;

Attribute ConstantBytes::reshaped(RankedTensorType newType,
                                  Attribute original) const {
  if (resource)
    return DenseResourceElementsAttr::get(newType, *resource);
  return cast<DenseElementsAttr>(original).reshape(newType);
}

Attribute ConstantBytes::create(RankedTensorType newType,
                                AsmResourceBlob data) const {
  if (resource)
    return DenseResourceElementsAttr::get(newType, resource->getKey(),
                                          std::move(data));
  return DenseElementsAttr::getFromRawBuffer(newType, data.getData());
}

std::optional<ConstantBytes> mlir::lstm::matchConstantBytes(Value value,
                                                            Attribute &attr) {
  if (!matchPattern(value, m_Constant(&attr)))
    return std::nullopt;
  auto type = dyn_cast<RankedTensorType>(value.getType());
  if (!type || !type.hasStaticShape() ||
      !type.getElementType().isIntOrFloat() ||
      type.getElementTypeBitWidth() % 8 != 0)
    return std::nullopt;
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob)
      return std::nullopt;
    return ConstantBytes{blob->getData(), type, resource.getRawHandle(), {}};
  }
  auto dense = dyn_cast<DenseElementsAttr>(attr);
  if (!dense)
    return std::nullopt;
  if (!dense.isSplat())
    return ConstantBytes{dense.getRawData(), type, std::nullopt, {}};
  ConstantBytes splat{{}, type, std::nullopt, {}};
  ArrayRef<char> element = dense.getRawData();
  for (int64_t i = 0, e = type.getNumElements(); i < e; ++i)
    llvm::append_range(splat.splatStorage, element);
  splat.bytes = splat.splatStorage;
  return splat;
}

AsmResourceBlob mlir::lstm::allocateBlob(int64_t size, int64_t alignment) {
  return HeapAsmResourceBlob::allocate(size, std::max<int64_t>(alignment, 1),
                                       /*dataIsMutable=*/true);
}
