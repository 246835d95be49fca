//===- Npy.cpp - NumPy .npy files -------------------------------*- C++ -*-===//

#include "Npy.h"

#include "lstm/Runtime/lstm_runtime.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <regex>
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

bool npy::read(const std::string &path, Array &array, std::string &error) {
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
  uint32_t headerLength = 0;
  unsigned char length[4] = {0, 0, 0, 0};
  if (major == 1) {
    if (!in.read(reinterpret_cast<char *>(length), 2))
      return truncated();
    headerLength = length[0] | (length[1] << 8);
  } else if (major == 2 || major == 3) {
    if (!in.read(reinterpret_cast<char *>(length), 4))
      return truncated();
    headerLength = length[0] | (length[1] << 8) | (length[2] << 16) |
                   (uint32_t(length[3]) << 24);
  } else {
    error = "'" + path + "' has unsupported .npy version " +
            std::to_string(major);
    return false;
  }
  if (headerLength > (1u << 20))
    return truncated();
  std::string header(headerLength, '\0');
  if (!in.read(header.data(), headerLength))
    return truncated();

  std::smatch match;
  if (!std::regex_search(header, match,
                         std::regex("'descr'\\s*:\\s*'([^']*)'")))
    return truncated();
  std::string descr = match[1];
  array.dtype = dtypeFromDescr(descr);
  if (!array.dtype) {
    error = "'" + path + "' holds dtype '" + descr +
            "'; supported: float32 (<f4), int64 (<i8), int32 (<i4)";
    return false;
  }
  if (!std::regex_search(header, match,
                         std::regex("'fortran_order'\\s*:\\s*(True|False)")))
    return truncated();
  if (match[1] == "True") {
    error = "'" + path +
            "' is Fortran-ordered; save a C-ordered array "
            "(np.save(f, np.ascontiguousarray(a)))";
    return false;
  }
  if (!std::regex_search(header, match,
                         std::regex("'shape'\\s*:\\s*\\(([^)]*)\\)")))
    return truncated();
  array.shape.clear();
  std::string dims = match[1];
  std::regex number("\\d+");
  int64_t count = 1;
  for (auto it = std::sregex_iterator(dims.begin(), dims.end(), number);
       it != std::sregex_iterator(); ++it) {
    int64_t d = std::strtoll(it->str().c_str(), nullptr, 10);
    array.shape.push_back(d);
    count *= d;
  }
  size_t bytes = count * lstm_dtype_size(array.dtype);
  array.data.assign(bytes + 1, 0); // never empty, so data() is never null
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

  std::string temp = path + ".tmp-XXXXXX";
  int fd = mkstemp(temp.data());
  if (fd < 0) {
    error = "cannot write '" + path + "': " + std::strerror(errno);
    return false;
  }
  fchmod(fd, 0644);
  FILE *out = fdopen(fd, "wb");
  unsigned char version[4] = {1, 0, static_cast<unsigned char>(header.size()),
                              static_cast<unsigned char>(header.size() >> 8)};
  size_t bytes = count * lstm_dtype_size(array.dtype);
  bool ok = out && std::fwrite(magic, 1, 6, out) == 6 &&
            std::fwrite(version, 1, 4, out) == 4 &&
            std::fwrite(header.data(), 1, header.size(), out) == header.size() &&
            std::fwrite(array.data.data(), 1, bytes, out) == bytes;
  ok = (out ? std::fclose(out) == 0 : false) && ok;
  if (ok)
    ok = std::rename(temp.c_str(), path.c_str()) == 0;
  if (!ok) {
    error = "cannot write '" + path + "': " + std::strerror(errno);
    std::remove(temp.c_str());
  }
  return ok;
}
