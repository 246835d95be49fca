//===- FuzzRuntime.cpp - libFuzzer harness of the runtime's checks --------===//
//
// Fuzzed calls of a compiled model (test/tools/Inputs/tiny.mlir, compiled
// with --sanitize=address, so that its code's accesses are checked too):
// element types, ranks, shapes, omitted inputs, sequence lengths and the
// outputs' shapes come from the input. Calls whose tensors are small get
// buffers of exactly their shapes and run; larger ones only ask for output
// shapes. Whatever the runtime accepts must run without an invalid access.
//
//===----------------------------------------------------------------------===//

#include "lstm/Runtime/lstm_runtime.h"

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace {
/// Reads the fuzzer's bytes as a stream of small values.
struct Reader {
  const uint8_t *data;
  size_t size;
  uint8_t byte() {
    if (!size)
      return 0;
    --size;
    return *data++;
  }
  int64_t dim() {
    // Mostly small sizes, sometimes huge or negative ones.
    uint8_t kind = byte();
    if (kind < 200)
      return kind % 8;
    if (kind < 230)
      return static_cast<int64_t>(byte()) - 128;
    int64_t v = 0;
    for (int i = 0; i < 8; ++i)
      v = (v << 8) | byte();
    return v;
  }
};

struct Tensor {
  lstm_tensor_t view;
  std::vector<int64_t> shape;
  std::vector<char> storage;
};

int32_t fuzzDtype(Reader &in) {
  switch (in.byte() % 8) {
  case 0:
    return LSTM_ABI_INT64;
  case 1:
    return LSTM_ABI_INT32;
  case 2:
    return 77; // unknown
  default:
    return LSTM_ABI_FLOAT32;
  }
}

/// A tensor of fuzzed type and shape; `fits` says whether it was small
/// enough for a buffer of its own.
Tensor makeTensor(Reader &in, int32_t expectedDtype, bool &fits) {
  Tensor t;
  t.view.dtype = in.byte() % 4 == 0 ? fuzzDtype(in) : expectedDtype;
  int32_t rank = in.byte() % 5;
  for (int32_t d = 0; d < rank; ++d)
    t.shape.push_back(in.dim());
  t.view.rank = rank;
  t.view.shape = t.shape.data();
  int64_t count = 1;
  bool small = true;
  for (int64_t d : t.shape) {
    if (d < 0 || d > 64 || (count *= d) > 4096)
      small = false;
  }
  size_t element = lstm_dtype_size(t.view.dtype);
  if (small && element) {
    t.storage.assign(count * element + 1, 0);
    // Integer inputs (lengths) get fuzzed values.
    for (size_t i = 0; i < t.storage.size() - 1; ++i)
      t.storage[i] = static_cast<char>(in.byte());
    if (t.view.dtype == LSTM_ABI_FLOAT32)
      for (int64_t i = 0; i < count; ++i)
        reinterpret_cast<float *>(t.storage.data())[i] = 0.25f;
  } else {
    fits = false;
  }
  t.view.data = t.storage.empty() ? nullptr : t.storage.data();
  return t;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static lstm_model_t *model = [] {
    lstm_model_t *model = nullptr;
    if (lstm_status_t status = lstm_model_load(LSTMC_FUZZ_MODEL, &model)) {
      std::fprintf(stderr, "%s\n", lstm_status_message(status));
      std::abort();
    }
    return model;
  }();
  const lstm_abi_model_t *abi = lstm_model_signature(model);
  Reader in{data, size};
  bool fits = true;
  std::vector<Tensor> inputs, outputs;
  for (int32_t i = 0; i < abi->num_inputs; ++i) {
    Tensor t = makeTensor(in, abi->inputs[i].dtype, fits);
    // Optional inputs may be omitted.
    if ((abi->inputs[i].flags & LSTM_ABI_OPTIONAL) && in.byte() % 2)
      t.view.data = nullptr;
    inputs.push_back(std::move(t));
  }
  std::vector<lstm_tensor_t> inputViews;
  for (Tensor &t : inputs)
    inputViews.push_back(t.view);

  // Outputs: mostly the shapes the runtime asks for, sometimes fuzzed.
  for (int32_t i = 0; i < abi->num_outputs; ++i) {
    int64_t shape[8];
    int32_t rank = 0;
    lstm_status_t status =
        lstm_model_output_shape(model, inputViews.data(), i, shape, 8, &rank);
    Tensor t;
    if (!status && in.byte() % 8) {
      t.shape.assign(shape, shape + rank);
      t.view = {abi->outputs[i].dtype, rank, t.shape.data(), nullptr};
      int64_t count = 1;
      bool small = true;
      for (int64_t d : t.shape)
        if ((count *= d) > 4096 || d > 4096)
          small = false;
      if (small) {
        t.storage.assign(count * lstm_dtype_size(t.view.dtype) + 1, 0);
        t.view.data = t.storage.data();
      } else {
        fits = false;
      }
    } else {
      t = makeTensor(in, abi->outputs[i].dtype, fits);
    }
    lstm_status_free(status);
    outputs.push_back(std::move(t));
  }
  if (!fits)
    return 0;
  std::vector<lstm_tensor_t> outputViews;
  for (Tensor &t : outputs)
    outputViews.push_back(t.view);
  lstm_run_options_t options{1};
  lstm_status_free(
      lstm_model_run(model, inputViews.data(), outputViews.data(), &options));
  return 0;
}
