//===- RuntimeTest.cpp - Tests of the lstmc runtime C API -------*- C++ -*-===//
//
// Runs against test/tools/Inputs/tiny.mlir compiled to a shared library:
// nn.LSTM(4, 8) with inputs input [T, N, 4], h0/c0 [1, N, 8] (optional),
// lengths [N] (optional) and outputs output [T, N, 8], h_n, c_n [1, N, 8].
//
//===----------------------------------------------------------------------===//

#include "Status.h"

#include "lstm/Runtime/lstm_runtime.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <thread>
#include <vector>

namespace {

using lstm::test::Status;

/// A float32 tensor with its storage.
struct Tensor {
  Tensor(std::vector<int64_t> shape, float fill = 0.0f) : shape(shape) {
    size_t count = 1;
    for (int64_t d : shape)
      count *= d;
    data.assign(count, fill);
  }
  lstm_tensor_t view() {
    return {LSTM_ABI_FLOAT32, static_cast<int32_t>(shape.size()), shape.data(),
            data.data()};
  }
  std::vector<int64_t> shape;
  std::vector<float> data;
};

class RuntimeTest : public ::testing::Test {
protected:
  void SetUp() override {
    Status status(lstm_model_load(LSTMC_TEST_MODEL, &model));
    ASSERT_EQ(status.code(), LSTM_OK) << status.message();
  }
  void TearDown() override { lstm_model_free(model); }

  /// Inputs with `input` only, the rest omitted.
  std::vector<lstm_tensor_t> inputsWith(Tensor &input) {
    std::vector<lstm_tensor_t> inputs(4, lstm_tensor_t{});
    inputs[0] = input.view();
    return inputs;
  }

  /// Runs on `input` (T, N, 4) and returns `output`.
  Tensor run(Tensor &input, int32_t threads = 1) {
    Tensor output({input.shape[0], input.shape[1], 8});
    Tensor hN({1, input.shape[1], 8}), cN({1, input.shape[1], 8});
    std::vector<lstm_tensor_t> inputs = inputsWith(input);
    lstm_tensor_t outputs[] = {output.view(), hN.view(), cN.view()};
    lstm_run_options_t options{threads};
    Status status(lstm_model_run(model, inputs.data(), outputs, &options));
    EXPECT_EQ(status.code(), LSTM_OK) << status.message();
    return output;
  }

  static Tensor ramp(std::vector<int64_t> shape, float scale) {
    Tensor t(shape);
    for (size_t i = 0; i < t.data.size(); ++i)
      t.data[i] = scale * std::sin(0.37f * i);
    return t;
  }

  lstm_model_t *model = nullptr;
};

TEST(RuntimeLoad, MissingFile) {
  lstm_model_t *model = reinterpret_cast<lstm_model_t *>(1);
  Status status(lstm_model_load("/no/such/model.so", &model));
  EXPECT_EQ(status.code(), LSTM_NOT_FOUND);
  EXPECT_NE(status.message().find("/no/such/model.so"), std::string::npos);
  EXPECT_EQ(model, nullptr);
}

TEST(RuntimeLoad, NotAModel) {
  lstm_model_t *model = nullptr;
  Status status(lstm_model_load(LSTMC_NOT_A_MODEL, &model));
  EXPECT_EQ(status.code(), LSTM_NOT_A_MODEL);
  EXPECT_NE(status.message().find("no lstm_abi_model symbol"),
            std::string::npos)
      << status.message();
  EXPECT_EQ(model, nullptr);
}

TEST(RuntimeLoad, NullArguments) {
  lstm_model_t *model;
  EXPECT_EQ(Status(lstm_model_load(nullptr, &model)).code(),
            LSTM_INVALID_ARGUMENT);
  EXPECT_EQ(Status(lstm_model_load(LSTMC_TEST_MODEL, nullptr)).code(),
            LSTM_INVALID_ARGUMENT);
  EXPECT_EQ(Status(lstm_model_wrap(nullptr, &model)).code(),
            LSTM_INVALID_ARGUMENT);
  lstm_model_free(nullptr);
  lstm_status_free(nullptr);
  EXPECT_EQ(lstm_status_code(nullptr), LSTM_OK);
  EXPECT_STREQ(lstm_status_message(nullptr), "");
}

TEST(RuntimeLoad, WrongABIVersion) {
  lstm_abi_model_t abi{};
  abi.abi_version = LSTM_ABI_VERSION + 1;
  lstm_model_t *model = nullptr;
  Status status(lstm_model_wrap(&abi, &model));
  EXPECT_EQ(status.code(), LSTM_NOT_A_MODEL);
  EXPECT_EQ(model, nullptr);
}

TEST_F(RuntimeTest, Signature) {
  const lstm_abi_model_t *sig = lstm_model_signature(model);
  ASSERT_NE(sig, nullptr);
  EXPECT_EQ(sig->abi_version, static_cast<uint32_t>(LSTM_ABI_VERSION));
  ASSERT_EQ(sig->num_inputs, 4);
  ASSERT_EQ(sig->num_outputs, 3);
  EXPECT_STREQ(sig->inputs[0].name, "input");
  EXPECT_EQ(sig->inputs[0].dtype, LSTM_ABI_FLOAT32);
  ASSERT_EQ(sig->inputs[0].rank, 3);
  EXPECT_STREQ(sig->symbols[-sig->inputs[0].dims[0] - 1], "T");
  EXPECT_STREQ(sig->symbols[-sig->inputs[0].dims[1] - 1], "N");
  EXPECT_EQ(sig->inputs[0].dims[2], 4);
  EXPECT_EQ(sig->inputs[0].flags & LSTM_ABI_OPTIONAL, 0);
  EXPECT_TRUE(sig->inputs[1].flags & LSTM_ABI_OPTIONAL);
  EXPECT_EQ(sig->inputs[3].dtype, LSTM_ABI_INT64);
  EXPECT_STREQ(sig->symbols[sig->inputs[3].lengths_of], "T");
  EXPECT_STREQ(sig->symbols[sig->batch_symbol], "N");
  EXPECT_STREQ(sig->outputs[2].name, "c_n");

  int32_t index = -1;
  EXPECT_EQ(Status(lstm_model_find_input(model, "lengths", &index)).code(),
            LSTM_OK);
  EXPECT_EQ(index, 3);
  EXPECT_EQ(Status(lstm_model_find_output(model, "h_n", &index)).code(),
            LSTM_OK);
  EXPECT_EQ(index, 1);
  Status missing(lstm_model_find_input(model, "x", &index));
  EXPECT_EQ(missing.code(), LSTM_NOT_FOUND);
  EXPECT_EQ(missing.message(),
            "the model has no input 'x' (it has: input, h0, c0, lengths)");
}

TEST_F(RuntimeTest, OutputShapes) {
  Tensor input({6, 2, 4});
  std::vector<lstm_tensor_t> inputs = inputsWith(input);
  int64_t shape[3];
  int32_t rank;
  ASSERT_EQ(
      Status(lstm_model_output_shape(model, inputs.data(), 0, shape, 3, &rank))
          .code(),
      LSTM_OK);
  EXPECT_EQ(rank, 3);
  EXPECT_EQ(shape[0], 6);
  EXPECT_EQ(shape[1], 2);
  EXPECT_EQ(shape[2], 8);
  // Unbatched input: the batch dimension is left out of the outputs too.
  Tensor unbatched({6, 4});
  inputs = inputsWith(unbatched);
  ASSERT_EQ(
      Status(lstm_model_output_shape(model, inputs.data(), 2, shape, 3, &rank))
          .code(),
      LSTM_OK);
  EXPECT_EQ(rank, 2);
  EXPECT_EQ(shape[0], 1);
  EXPECT_EQ(shape[1], 8);
  EXPECT_EQ(
      Status(lstm_model_output_shape(model, inputs.data(), 3, shape, 3, &rank))
          .code(),
      LSTM_INVALID_ARGUMENT);
  EXPECT_EQ(
      Status(lstm_model_output_shape(model, inputs.data(), 0, shape, 1, &rank))
          .code(),
      LSTM_INVALID_ARGUMENT);
}

TEST_F(RuntimeTest, BadInputs) {
  Tensor output({5, 3, 8}), hN({1, 3, 8}), cN({1, 3, 8});
  lstm_tensor_t outputs[] = {output.view(), hN.view(), cN.view()};
  auto runWith = [&](std::vector<lstm_tensor_t> inputs) {
    return Status(lstm_model_run(model, inputs.data(), outputs, nullptr));
  };

  Tensor input({5, 3, 4});
  std::vector<lstm_tensor_t> inputs = inputsWith(input);
  EXPECT_EQ(runWith(inputs).code(), LSTM_OK);

  std::vector<lstm_tensor_t> none(4, lstm_tensor_t{});
  EXPECT_EQ(runWith(none).message(), "missing required input 'input'");

  Tensor features({5, 3, 5});
  Status shape = runWith(inputsWith(features));
  EXPECT_EQ(shape.code(), LSTM_INVALID_ARGUMENT);
  EXPECT_EQ(shape.message(), "input 'input': expected shape [T, N, 4], got "
                             "[5, 3, 5] (dimension 2 must be 4)");

  lstm_tensor_t wrongType = input.view();
  wrongType.dtype = LSTM_ABI_INT32;
  EXPECT_EQ(runWith({wrongType, {}, {}, {}}).message(),
            "input 'input': expected float32 elements, got int32");

  Tensor h0({1, 2, 8});
  inputs = inputsWith(input);
  inputs[1] = h0.view();
  EXPECT_EQ(runWith(inputs).message(),
            "input 'h0': dimension N is 2, but input 'input' has N = 3");

  int64_t lengthShape[] = {3};
  int64_t lengths[] = {5, 0, 1};
  inputs = inputsWith(input);
  inputs[3] = {LSTM_ABI_INT64, 1, lengthShape, lengths};
  EXPECT_EQ(runWith(inputs).message(),
            "input 'lengths': lengths[1] = 0 is not a sequence length in "
            "[1, T = 5]");

  // Outputs must match what the inputs imply.
  Tensor smallOutput({5, 2, 8});
  lstm_tensor_t badOutputs[] = {smallOutput.view(), hN.view(), cN.view()};
  inputs = inputsWith(input);
  Status outputShape(lstm_model_run(model, inputs.data(), badOutputs, nullptr));
  EXPECT_EQ(outputShape.code(), LSTM_INVALID_ARGUMENT);
  EXPECT_EQ(outputShape.message(),
            "output 'output': expected float32 [5, 3, 8], got float32 "
            "[5, 2, 8]");

  EXPECT_EQ(
      Status(lstm_model_run(nullptr, inputs.data(), outputs, nullptr)).code(),
      LSTM_INVALID_ARGUMENT);
  EXPECT_EQ(Status(lstm_model_run(model, nullptr, outputs, nullptr)).code(),
            LSTM_INVALID_ARGUMENT);
  EXPECT_EQ(
      Status(lstm_model_run(model, inputs.data(), nullptr, nullptr)).code(),
      LSTM_INVALID_ARGUMENT);
}

TEST_F(RuntimeTest, OmittedInputsAreZerosAndFullLength) {
  Tensor input = ramp({6, 3, 4}, 2.0f);
  Tensor expected = run(input);

  Tensor zeros({1, 3, 8});
  int64_t lengthShape[] = {3};
  int64_t lengths[] = {6, 6, 6};
  std::vector<lstm_tensor_t> inputs = {
      input.view(),
      zeros.view(),
      zeros.view(),
      {LSTM_ABI_INT64, 1, lengthShape, lengths}};
  Tensor output({6, 3, 8}), hN({1, 3, 8}), cN({1, 3, 8});
  lstm_tensor_t outputs[] = {output.view(), hN.view(), cN.view()};
  ASSERT_EQ(
      Status(lstm_model_run(model, inputs.data(), outputs, nullptr)).code(),
      LSTM_OK);
  EXPECT_EQ(output.data, expected.data);
  // The last step's output is h_n.
  for (int n = 0; n < 3; ++n)
    for (int u = 0; u < 8; ++u)
      EXPECT_EQ(hN.data[n * 8 + u], output.data[(5 * 3 + n) * 8 + u]);
}

TEST_F(RuntimeTest, ThreadCountDoesNotChangeResults) {
  Tensor input = ramp({9, 5, 4}, 1.5f);
  Tensor one = run(input, 1);
  for (int32_t threads : {2, 3, 4})
    EXPECT_EQ(run(input, threads).data, one.data) << threads << " threads";
}

// One loaded model, many threads running it at once on different inputs.
TEST_F(RuntimeTest, ConcurrentRuns) {
  constexpr int numThreads = 8, runsPerThread = 25;
  std::vector<Tensor> inputs, expected;
  for (int i = 0; i < numThreads; ++i) {
    inputs.push_back(ramp({4 + i, 1 + i % 3, 4}, 0.5f + i));
    expected.push_back(run(inputs.back()));
  }
  std::vector<int> mismatches(numThreads, 0);
  std::vector<std::thread> threads;
  for (int i = 0; i < numThreads; ++i)
    threads.emplace_back([&, i] {
      for (int r = 0; r < runsPerThread; ++r)
        if (run(inputs[i], 1 + r % 2).data != expected[i].data)
          ++mismatches[i];
    });
  for (std::thread &t : threads)
    t.join();
  for (int i = 0; i < numThreads; ++i)
    EXPECT_EQ(mismatches[i], 0) << "thread " << i;
}

} // namespace
