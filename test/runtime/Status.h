//===- Status.h - The runtime tests' view of lstm_status_t ------*- C++ -*-===//

#ifndef LSTM_TEST_RUNTIME_STATUS_H
#define LSTM_TEST_RUNTIME_STATUS_H

#include "lstm/Runtime/lstm_runtime.h"

#include <string>

namespace lstm::test {

/// Owns a status and tells its code and message.
struct Status {
  explicit Status(lstm_status_t status) : status(status) {}
  Status(const Status &) = delete;
  Status &operator=(const Status &) = delete;
  ~Status() { lstm_status_free(status); }
  lstm_status_code_t code() const { return lstm_status_code(status); }
  std::string message() const { return lstm_status_message(status); }
  lstm_status_t status;
};

} // namespace lstm::test

#endif // LSTM_TEST_RUNTIME_STATUS_H
