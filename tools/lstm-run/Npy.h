//===- Npy.h - NumPy .npy files ---------------------------------*- C++ -*-===//
//
// Reads and writes version 1-3 .npy files of little-endian float32, int32 and
// int64 arrays in C order: what np.save writes for the tensors models take.
//
//===----------------------------------------------------------------------===//

#ifndef LSTM_TOOLS_LSTM_RUN_NPY_H
#define LSTM_TOOLS_LSTM_RUN_NPY_H

#include <cstdint>
#include <string>
#include <vector>

namespace lstm::npy {

struct Array {
  int32_t dtype = 0; // LSTM_ABI_FLOAT32, ...
  std::vector<int64_t> shape;
  std::vector<char> data;
};

/// Reads `path`; on failure returns false and describes why in `error`.
/// Every size is checked against the file before anything is allocated.
bool read(const std::string &path, Array &array, std::string &error);

/// Writes `array` to `path`, which is removed again if writing fails.
bool write(const std::string &path, const Array &array, std::string &error);

} // namespace lstm::npy

#endif // LSTM_TOOLS_LSTM_RUN_NPY_H
