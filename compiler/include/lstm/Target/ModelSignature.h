//===- ModelSignature.h - What a compiled model takes and gives -*- C++ -*-===//
//
// The names, element types and shapes of a model's inputs and outputs, read
// from the `lstm.*` attributes of its entry function before it is lowered:
//
//   arguments and results:
//     lstm.name = "input"             the name users and .npy files use
//     lstm.dynamic_dims = ["T", "N"]  one symbol per `?` dimension; equal
//                                     symbols must have equal sizes
//   arguments only:
//     lstm.optional                   may be omitted (zeros)
//     lstm.lengths_of = "T"           sequence lengths in [1, T]; when
//                                     omitted, every sequence is T long
//   the function:
//     lstm.batch_dim = "N"            may be dropped to run unbatched
//
//===----------------------------------------------------------------------===//

#ifndef LSTM_TARGET_MODELSIGNATURE_H
#define LSTM_TARGET_MODELSIGNATURE_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <string>

namespace mlir::lstm {

/// One input or output of a compiled model.
struct TensorSignature {
  std::string name;
  /// One of the LSTM_ABI_* element types of lstm_abi.h.
  int32_t dtype = 0;
  /// A size >= 0, or -(s + 1) for dynamic symbol s.
  SmallVector<int64_t> dims;
  bool optional = false;
  /// The symbol bounding the values of a lengths input, or -1.
  int32_t lengthsOf = -1;
};

struct ModelSignature {
  SmallVector<std::string> symbols;
  SmallVector<TensorSignature> inputs, outputs;
  int32_t batchSymbol = -1;

  /// Reads the signature of `entry`; reports errors at its location.
  static FailureOr<ModelSignature> fromFunction(func::FuncOp entry);

  /// The symbol's index, added if new.
  int32_t getOrAddSymbol(StringRef name);
};

/// The function a model's entry point runs: the only public function with a
/// body in `module`. Reports an error when there is none or more than one.
FailureOr<func::FuncOp> findEntryFunction(ModuleOp module);

} // namespace mlir::lstm

#endif // LSTM_TARGET_MODELSIGNATURE_H
