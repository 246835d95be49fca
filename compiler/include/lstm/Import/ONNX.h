//===- ONNX.h - Import ONNX models ------------------------------*- C++ -*-===//
//
// Turns an ONNX model into a module with one public function on tensors: the
// graph's inputs (those without initializers) become arguments named after
// them, its outputs results, its initializers `dense_resource` constants,
// LSTM nodes `lstm.layer` ops and everything else upstream dialects.
//
//===----------------------------------------------------------------------===//

#ifndef LSTM_IMPORT_ONNX_H
#define LSTM_IMPORT_ONNX_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace mlir::lstm {

/// Imports the ONNX model file at `path`. Errors (a file that is not a
/// model, an unsupported operator or attribute) are reported as diagnostics
/// located at the node, and yield a null module.
OwningOpRef<ModuleOp> importONNXFile(StringRef path, MLIRContext *context);

/// Imports a serialized ONNX model held in memory; `modelPath` names it in
/// errors and locates its external data.
OwningOpRef<ModuleOp> importONNXBuffer(StringRef bytes, StringRef modelPath,
                                       MLIRContext *context);

/// Registers the dialects the importer creates ops of.
void registerONNXImportDialects(DialectRegistry &registry);

} // namespace mlir::lstm

#endif // LSTM_IMPORT_ONNX_H
