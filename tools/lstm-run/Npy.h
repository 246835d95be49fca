//===- Npy.h - NumPy .npy files ---------------------------------*- C++ -*-===//
//
// Reads and writes version 1-3 .npy files of little-endian float32, int32 and
// int64 arrays in C order: what np.save writes for the tensors models take.
//
//===----------------------------------------------------------------------===//

#ifndef LSTM_TOOLS_LSTM_RUN_NPY_H
#define LSTM_TOOLS_LSTM_RUN_NPY_H

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

namespace lstm::npy {

/// Zeroed bytes, allocated without exceptions so that a size too large for
/// memory is an error to report (also under AddressSanitizer, whose
/// operator new aborts instead of throwing).
class Buffer {
public:
  /// Allocates `size` bytes and one more, so that data() is never null.
  bool allocate(size_t size) {
    bytes.reset(
        static_cast<char *>(size + 1 ? std::calloc(size + 1, 1) : nullptr));
    length = bytes ? size : 0;
    return bytes != nullptr;
  }
  char *data() const { return bytes.get(); }
  /// The size asked for (without the extra byte).
  size_t size() const { return length; }

private:
  struct Free {
    void operator()(char *p) const { std::free(p); }
  };
  std::unique_ptr<char, Free> bytes;
  size_t length = 0;
};

struct Array {
  int32_t dtype = 0; // LSTM_ABI_FLOAT32, ...
  std::vector<int64_t> shape;
  Buffer data;
};

/// Reads `path`; on failure returns false and describes why in `error`.
/// Every size is checked against the file before anything is allocated.
bool read(const std::string &path, Array &array, std::string &error);

/// Writes `array` to `path`, which is removed again if writing fails.
bool write(const std::string &path, const Array &array, std::string &error);

} // namespace lstm::npy

#endif // LSTM_TOOLS_LSTM_RUN_NPY_H
