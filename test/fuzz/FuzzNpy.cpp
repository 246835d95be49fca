//===- FuzzNpy.cpp - libFuzzer harness of lstm-run's .npy reader ----------===//
//
// Any bytes, as a .npy file: the reader either reports an error or returns
// an array whose data holds exactly what its shape and element type say.
//
//===----------------------------------------------------------------------===//

#include "Npy.h"

#include "lstm/Runtime/lstm_runtime.h"

#include <cstdint>
#include <cstdlib>
#include <string>
#include <sys/mman.h>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  // The reader takes a path; a memory file behaves as a regular one.
  int fd = memfd_create("fuzz.npy", MFD_CLOEXEC);
  if (fd < 0)
    std::abort();
  if (write(fd, data, size) != static_cast<ssize_t>(size))
    std::abort();
  std::string path = "/proc/self/fd/" + std::to_string(fd);
  lstm::npy::Array array;
  std::string error;
  if (lstm::npy::read(path, array, error)) {
    size_t bytes = lstm_dtype_size(array.dtype);
    for (int64_t d : array.shape)
      bytes *= d; // the reader has checked that this cannot overflow
    // The data holds the elements, which the file held.
    if (array.data.size() != bytes || !array.data.data() || bytes > size)
      std::abort();
  } else if (error.empty()) {
    std::abort();
  }
  close(fd);
  return 0;
}
