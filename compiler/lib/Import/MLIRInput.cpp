//===- MLIRInput.cpp - Read models written as MLIR --------------*- C++ -*-===//
//
// MLIR 22's custom parsers of linalg.transpose, linalg.broadcast and
// linalg.reduce store whatever DenseI64ArrayAttr::parse returns, null when
// their `permutation` or `dimensions` is malformed, and then crash on it;
// its verifier crashes on a linalg.transpose of a 0-d tensor (`permutation
// = []`). The fuzzers found both. Such inputs are reported here before the
// parser sees them.
//
//===----------------------------------------------------------------------===//

#include "lstm/Import/MLIR.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/Parser/Parser.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/SourceMgr.h"

using namespace mlir;
using namespace mlir::lstm;

namespace {
/// Scans MLIR text for the array attribute of the ops above.
class ArrayAttrScanner {
public:
  explicit ArrayAttrScanner(StringRef text) : text(text) {}

  /// The offset of the first malformed array, or npos; `problem` says
  /// what is wrong with it.
  size_t findMalformed(std::string &problem) {
    bool pendingArray = false;
    while (pos < text.size()) {
      char c = text[pos];
      if (c == '"') {
        skipString();
      } else if (c == '/' && peek(1) == '/') {
        pos = text.find('\n', pos);
      } else if (startsOp()) {
        // The op's array is the next `permutation =` or `dimensions =`.
        pendingArray = true;
      } else if (pendingArray &&
                 (startsWord("permutation") || startsWord("dimensions"))) {
        pendingArray = false;
        size_t start = pos;
        bool empty = false;
        if (!isArrayWellFormed(empty)) {
          problem = "expected an array of integers, e.g. [1, 0], after '='";
          return start;
        }
        if (empty && transpose) {
          problem = "a linalg.transpose of a 0-d tensor is not supported "
                    "(MLIR 22 cannot verify it); it is the identity";
          return start;
        }
      } else {
        ++pos;
      }
    }
    return StringRef::npos;
  }

private:
  char peek(size_t ahead) const {
    return pos + ahead < text.size() ? text[pos + ahead] : '\0';
  }
  void skipString() {
    for (++pos; pos < text.size() && text[pos] != '"'; ++pos)
      if (text[pos] == '\\')
        ++pos;
    ++pos;
  }
  void skipSpace() {
    while (pos < text.size() && llvm::isSpace(text[pos]))
      ++pos;
  }
  bool startsWord(StringRef word) const {
    bool before = pos == 0 || !(llvm::isAlnum(text[pos - 1]) ||
                                text[pos - 1] == '_' || text[pos - 1] == '.');
    size_t end = pos + word.size();
    bool after =
        end >= text.size() || !(llvm::isAlnum(text[end]) || text[end] == '_');
    return before && after && text.substr(pos).starts_with(word);
  }
  bool startsOp() {
    for (StringRef op :
         {"linalg.transpose", "linalg.broadcast", "linalg.reduce"})
      if (startsWord(op)) {
        pos += op.size();
        transpose = op == "linalg.transpose";
        return true;
      }
    return false;
  }
  /// At `permutation` or `dimensions`: whether `= [i, j, ...]` follows, as
  /// the ops' parsers need, and whether it is `[]`; advances past it.
  bool isArrayWellFormed(bool &empty) {
    size_t start = pos;
    while (pos < text.size() && llvm::isAlpha(text[pos]))
      ++pos;
    skipSpace();
    if (peek(0) != '=') {
      // Not the custom form's keyword; leave it to the parser.
      return true;
    }
    ++pos;
    skipSpace();
    if (peek(0) != '[')
      return pos = start, false;
    ++pos;
    skipSpace();
    if (peek(0) == ']')
      return ++pos, empty = true;
    while (true) {
      if (peek(0) == '-')
        ++pos;
      if (!llvm::isDigit(peek(0)))
        return pos = start, false;
      while (llvm::isDigit(peek(0)))
        ++pos;
      skipSpace();
      if (peek(0) == ']')
        return ++pos, true;
      if (peek(0) != ',')
        return pos = start, false;
      ++pos;
      skipSpace();
    }
  }

  StringRef text;
  size_t pos = 0;
  /// Whether the last op found is a linalg.transpose.
  bool transpose = false;
};
} // namespace

OwningOpRef<ModuleOp> mlir::lstm::parseMLIRInput(llvm::SourceMgr &sourceMgr,
                                                 MLIRContext *context) {
  const llvm::MemoryBuffer *buffer =
      sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
  StringRef text = buffer->getBuffer();
  std::string problem;
  size_t malformed = ArrayAttrScanner(text).findMalformed(problem);
  if (malformed != StringRef::npos) {
    llvm::SMLoc at = llvm::SMLoc::getFromPointer(text.data() + malformed);
    auto [line, column] = sourceMgr.getLineAndColumn(at);
    emitError(FileLineColLoc::get(context, buffer->getBufferIdentifier(), line,
                                  column))
        << problem;
    return nullptr;
  }
  return parseSourceFile<ModuleOp>(sourceMgr, context);
}
