//===- Header.h - C header of a compiled model ------------------*- C++ -*-===//

#ifndef LSTM_TARGET_HEADER_H
#define LSTM_TARGET_HEADER_H

#include "lstm/Target/ModelSignature.h"

#include "llvm/Support/raw_ostream.h"

namespace mlir::lstm {

/// Writes the self-contained C header declaring `prefix`_run and
/// `prefix`_model, with the signature and a usage example in its comment;
/// `library` is what a program that links the model's object links too.
void emitHeader(llvm::raw_ostream &os, const ModelSignature &signature,
                StringRef prefix, StringRef source, StringRef library);

/// Turns `name` into a C identifier usable as a symbol prefix.
std::string sanitizeSymbolPrefix(StringRef name);

} // namespace mlir::lstm

#endif // LSTM_TARGET_HEADER_H
