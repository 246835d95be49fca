//===- bench_model.cpp - Time a compiled model in process -------*- C++ -*-===//
//
//   lstm-bench-model MODEL.so T B RUNS THREADS
//
// Runs the model's `input` of shape (T, B, features) (other inputs omitted)
// once to warm up, then RUNS times, through the runtime, and prints one time
// in milliseconds per line.
//
//===----------------------------------------------------------------------===//

#include "lstm/Runtime/lstm_runtime.h"

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <vector>

static int check(lstm_status_t status) {
  if (!status)
    return 0;
  std::fprintf(stderr, "lstm-bench-model: %s\n", lstm_status_message(status));
  lstm_status_free(status);
  return 1;
}

int main(int argc, char **argv) {
  if (argc != 6) {
    std::fprintf(stderr, "usage: lstm-bench-model MODEL.so T B RUNS THREADS\n");
    return 2;
  }
  int64_t T = std::atol(argv[2]), B = std::atol(argv[3]);
  int runs = std::atoi(argv[4]);
  lstm_run_options_t options{std::atoi(argv[5])};
  lstm_model_t *model = nullptr;
  if (check(lstm_model_load(argv[1], &model)))
    return 1;
  const lstm_abi_model_t *sig = lstm_model_signature(model);
  int64_t features = sig->inputs[0].dims[2];
  std::vector<int64_t> inputShape = {T, B, features};
  std::vector<float> input(T * B * features);
  for (size_t i = 0; i < input.size(); ++i)
    input[i] = std::sin(0.1 * i);
  std::vector<lstm_tensor_t> inputs(sig->num_inputs, lstm_tensor_t{});
  inputs[0] = {LSTM_ABI_FLOAT32, 3, inputShape.data(), input.data()};

  std::vector<std::vector<int64_t>> shapes(sig->num_outputs,
                                           std::vector<int64_t>(8));
  std::vector<std::vector<float>> storage(sig->num_outputs);
  std::vector<lstm_tensor_t> outputs(sig->num_outputs);
  for (int i = 0; i < sig->num_outputs; ++i) {
    int32_t rank;
    if (check(lstm_model_output_shape(model, inputs.data(), i,
                                      shapes[i].data(), 8, &rank)))
      return 1;
    int64_t count = 1;
    for (int d = 0; d < rank; ++d)
      count *= shapes[i][d];
    storage[i].resize(count);
    outputs[i] = {LSTM_ABI_FLOAT32, rank, shapes[i].data(),
                  storage[i].data()};
  }
  for (int run = -1; run < runs; ++run) {
    auto start = std::chrono::steady_clock::now();
    if (check(lstm_model_run(model, inputs.data(), outputs.data(), &options)))
      return 1;
    std::chrono::duration<double, std::milli> ms =
        std::chrono::steady_clock::now() - start;
    if (run >= 0)
      std::printf("%.6f\n", ms.count());
  }
  lstm_model_free(model);
  return 0;
}
