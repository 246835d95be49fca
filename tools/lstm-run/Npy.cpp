//===- Npy.cpp - NumPy .npy files -------------------------------*- C++ -*-===//
//
// The header is the repr of a Python dict with exactly the keys 'descr',
// 'fortran_order' and 'shape'; it is parsed as such, strictly (numpy's
// np.lib.format.read_array_header does the same with ast.literal_eval), and
// the data's size is checked against the file's before anything is
// allocated.
//
//===----------------------------------------------------------------------===//

#include "Npy.h"

#include "lstm/Runtime/lstm_runtime.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <limits>
#include <sys/stat.h>
#include <unistd.h>

using namespace lstm;

static const char magic[] = "\x93NUMPY";

static int32_t dtypeFromDescr(const std::string &descr) {
  if (descr == "<f4")
    return LSTM_ABI_FLOAT32;
  if (descr == "<i8")
    return LSTM_ABI_INT64;
  if (descr == "<i4")
    return LSTM_ABI_INT32;
  return 0;
}

static const char *descrFromDtype(int32_t dtype) {
  switch (dtype) {
  case LSTM_ABI_FLOAT32:
    return "<f4";
  case LSTM_ABI_INT64:
    return "<i8";
  case LSTM_ABI_INT32:
    return "<i4";
  }
  return nullptr;
}

namespace {
/// A parser of the header's dict literal.
class HeaderParser {
public:
  explicit HeaderParser(const std::string &text) : text(text) {}

  /// Parses the whole header into `descr`, `fortranOrder` and `shape`;
  /// false with `error` set otherwise.
  bool parse(std::string &descr, bool &fortranOrder,
             std::vector<int64_t> &shape, std::string &error) {
    bool haveDescr = false, haveOrder = false, haveShape = false;
    if (!expect('{'))
      return fail(error, "the header is not a dict");
    while (true) {
      skipSpace();
      if (peek() == '}')
        break;
      std::string key;
      if (!parseString(key) || !expect(':'))
        return fail(error, "the header's keys must be quoted strings");
      if (key == "descr") {
        if (haveDescr || !parseString(descr))
          return fail(error, "'descr' must be given once, as a string");
        haveDescr = true;
      } else if (key == "fortran_order") {
        skipSpace();
        if (haveOrder)
          return fail(error, "'fortran_order' is given twice");
        if (consumeWord("True"))
          fortranOrder = true;
        else if (consumeWord("False"))
          fortranOrder = false;
        else
          return fail(error, "'fortran_order' must be True or False");
        haveOrder = true;
      } else if (key == "shape") {
        if (haveShape || !parseShape(shape, error))
          return error.empty()
                     ? fail(error, "'shape' must be given once, as a tuple "
                                   "of non-negative integers")
                     : false;
        haveShape = true;
      } else {
        return fail(error, "the header has an unknown key '" + key + "'");
      }
      skipSpace();
      if (peek() == ',') {
        ++pos;
        continue;
      }
      if (peek() != '}')
        return fail(error, "the header's entries must be separated by ','");
    }
    ++pos;
    skipSpace();
    if (pos != text.size())
      return fail(error, "the header has text after its dict");
    if (!haveDescr || !haveOrder || !haveShape)
      return fail(error, "the header lacks 'descr', 'fortran_order' or "
                         "'shape'");
    return true;
  }

private:
  static bool fail(std::string &error, const std::string &message) {
    error = message;
    return false;
  }
  char peek() const { return pos < text.size() ? text[pos] : '\0'; }
  void skipSpace() {
    while (pos < text.size() &&
           (text[pos] == ' ' || text[pos] == '\t' || text[pos] == '\n'))
      ++pos;
  }
  bool expect(char c) {
    skipSpace();
    if (peek() != c)
      return false;
    ++pos;
    return true;
  }
  bool consumeWord(const char *word) {
    size_t n = std::strlen(word);
    if (text.compare(pos, n, word) != 0)
      return false;
    pos += n;
    return true;
  }
  /// A quoted string without escapes, as numpy writes keys and dtypes.
  bool parseString(std::string &out) {
    skipSpace();
    char quote = peek();
    if (quote != '\'' && quote != '"')
      return false;
    size_t end = text.find(quote, pos + 1);
    if (end == std::string::npos)
      return false;
    out = text.substr(pos + 1, end - pos - 1);
    if (out.find('\\') != std::string::npos)
      return false;
    pos = end + 1;
    return true;
  }
  /// A tuple of decimal integers: (), (3,), (3, 4), (3, 4,).
  bool parseShape(std::vector<int64_t> &shape, std::string &error) {
    shape.clear();
    if (!expect('('))
      return false;
    while (true) {
      skipSpace();
      if (peek() == ')')
        break;
      if (peek() < '0' || peek() > '9')
        return false;
      int64_t value = 0;
      while (peek() >= '0' && peek() <= '9') {
        if (__builtin_mul_overflow(value, 10, &value) ||
            __builtin_add_overflow(value, peek() - '0', &value))
          return fail(error, "a dimension of 'shape' does not fit in int64");
        ++pos;
      }
      shape.push_back(value);
      skipSpace();
      if (peek() == ',') {
        ++pos;
        continue;
      }
      if (peek() != ')')
        return false;
    }
    ++pos;
    // A one-element tuple needs its comma in Python; numpy always writes it.
    return true;
  }

  const std::string &text;
  size_t pos = 0;
};
} // namespace

bool npy::read(const std::string &path, Array &array, std::string &error) {
  // Before opening: opening a FIFO waits for a writer.
  struct stat info;
  if (stat(path.c_str(), &info) != 0) {
    error = "cannot open '" + path + "': " + std::strerror(errno);
    return false;
  }
  if (!S_ISREG(info.st_mode)) {
    error = "'" + path + "' is not a regular file";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = "cannot open '" + path + "': " + std::strerror(errno);
    return false;
  }
  auto truncated = [&] {
    error = "'" + path + "' is truncated or not a .npy file";
    return false;
  };
  char prefix[8];
  if (!in.read(prefix, 8) || std::memcmp(prefix, magic, 6) != 0) {
    error = "'" + path + "' is not a .npy file";
    return false;
  }
  int major = static_cast<unsigned char>(prefix[6]);
  uint64_t headerLength = 0;
  unsigned char length[4] = {0, 0, 0, 0};
  size_t preamble = 8;
  if (major == 1) {
    if (!in.read(reinterpret_cast<char *>(length), 2))
      return truncated();
    headerLength = length[0] | (length[1] << 8);
    preamble += 2;
  } else if (major == 2 || major == 3) {
    if (!in.read(reinterpret_cast<char *>(length), 4))
      return truncated();
    headerLength = length[0] | (length[1] << 8) | (length[2] << 16) |
                   (uint64_t(length[3]) << 24);
    preamble += 4;
  } else {
    error =
        "'" + path + "' has unsupported .npy version " + std::to_string(major);
    return false;
  }
  uint64_t fileSize = info.st_size;
  if (headerLength > (1u << 20) || preamble + headerLength > fileSize)
    return truncated();
  std::string header(headerLength, '\0');
  if (!in.read(header.data(), headerLength))
    return truncated();

  std::string descr, reason;
  bool fortranOrder = false;
  if (!HeaderParser(header).parse(descr, fortranOrder, array.shape, reason)) {
    error = "'" + path + "' has an invalid .npy header: " + reason;
    return false;
  }
  array.dtype = dtypeFromDescr(descr);
  if (!array.dtype) {
    error = "'" + path + "' holds dtype '" + descr +
            "'; supported: float32 (<f4), int64 (<i8), int32 (<i4)";
    return false;
  }
  if (fortranOrder) {
    error = "'" + path +
            "' is Fortran-ordered; save a C-ordered array "
            "(np.save(f, np.ascontiguousarray(a)))";
    return false;
  }
  int64_t bytes = lstm_dtype_size(array.dtype);
  for (int64_t d : array.shape)
    if (__builtin_mul_overflow(bytes, d, &bytes)) {
      error = "'" + path +
              "' has a shape with more elements than fit in "
              "memory";
      return false;
    }
  // The data must be in the file before any of it is allocated.
  uint64_t available = fileSize - preamble - headerLength;
  if (static_cast<uint64_t>(bytes) > available) {
    error = "'" + path + "' is truncated: its shape needs " +
            std::to_string(bytes) + " bytes of data, the file has " +
            std::to_string(available);
    return false;
  }
  if (!array.data.allocate(bytes)) {
    error = "out of memory reading '" + path + "' (" + std::to_string(bytes) +
            " bytes)";
    return false;
  }
  if (!in.read(array.data.data(), bytes))
    return truncated();
  return true;
}

bool npy::write(const std::string &path, const Array &array,
                std::string &error) {
  std::string header = "{'descr': '";
  header += descrFromDtype(array.dtype);
  header += "', 'fortran_order': False, 'shape': (";
  size_t count = 1;
  for (int64_t d : array.shape) {
    header += std::to_string(d) + ", ";
    count *= d;
  }
  if (array.shape.size() > 1)
    header.resize(header.size() - 2);
  else if (array.shape.size() == 1)
    header.resize(header.size() - 1);
  header += "), }";
  // Pad so that the data starts 64-byte aligned, ending with a newline.
  size_t total = 10 + header.size() + 1;
  header.append((64 - total % 64) % 64, ' ');
  header += '\n';

  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    error = "cannot write '" + path + "': " + std::strerror(errno);
    return false;
  }
  FILE *out = fdopen(fd, "wb");
  unsigned char version[4] = {1, 0, static_cast<unsigned char>(header.size()),
                              static_cast<unsigned char>(header.size() >> 8)};
  size_t bytes = count * lstm_dtype_size(array.dtype);
  bool ok =
      out && std::fwrite(magic, 1, 6, out) == 6 &&
      std::fwrite(version, 1, 4, out) == 4 &&
      std::fwrite(header.data(), 1, header.size(), out) == header.size() &&
      std::fwrite(array.data.data(), 1, bytes, out) == bytes;
  int savedErrno = errno;
  ok = (out ? std::fclose(out) == 0 : (close(fd), false)) && ok;
  if (!ok) {
    error = "cannot write '" + path + "': " + std::strerror(savedErrno);
    std::remove(path.c_str());
  }
  return ok;
}
