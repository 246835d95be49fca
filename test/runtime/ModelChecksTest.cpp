//===- ModelChecksTest.cpp - What models and the runtime refuse -*- C++ -*-===//
//
// The error channel of compiled models (lstm_abi.h): their run function's
// own checks, called directly as a program that links the object would,
// and the runtime's translation of them into statuses; the CPU-feature
// record; sizes whose element counts overflow.
//
// The compiled model is test/tools/Inputs/tiny.mlir: nn.LSTM(4, 8), inputs
// input [T, N, 4], h0/c0 [1, N, 8], lengths [N]; outputs output [T, N, 8],
// h_n, c_n [1, N, 8].
//
//===----------------------------------------------------------------------===//

#include "Status.h"

#include "lstm/Runtime/lstm_runtime.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

namespace {

using lstm::test::Status;

/// Buffers for one direct call of tiny's run function.
struct DirectCall {
  DirectCall(int64_t t, int64_t n)
      : inputShape{t, n, 4}, stateShape{1, n, 8}, lengthsShape{n},
        outputShape{t, n, 8}, input(t * n * 4, 0.5f), h0(n * 8), c0(n * 8),
        lengths(n, t), output(t * n * 8, -1.0f), hN(n * 8), cN(n * 8) {}

  int32_t run(const lstm_abi_model_t *abi, lstm_abi_error_t *error,
              int32_t threads = 1) {
    lstm_abi_buffer_t inputs[] = {{input.data(), inputShape},
                                  {h0.data(), stateShape},
                                  {c0.data(), stateShape},
                                  {lengths.data(), lengthsShape}};
    lstm_abi_buffer_t outputs[] = {{output.data(), outputShape},
                                   {hN.data(), stateShape},
                                   {cN.data(), stateShape}};
    return abi->run(inputs, outputs, threads, error);
  }

  int64_t inputShape[3], stateShape[3], lengthsShape[1], outputShape[3];
  std::vector<float> input, h0, c0;
  std::vector<int64_t> lengths;
  std::vector<float> output, hN, cN;
};

class ModelChecksTest : public ::testing::Test {
protected:
  void SetUp() override {
    Status status(lstm_model_load(LSTMC_TEST_MODEL, &model));
    ASSERT_EQ(status.code(), LSTM_OK) << status.message();
    abi = lstm_model_signature(model);
  }
  void TearDown() override { lstm_model_free(model); }

  /// The message of the check that `error` names.
  std::string checkMessage(const lstm_abi_error_t &error) {
    EXPECT_GE(error.check, 0);
    EXPECT_LT(error.check, abi->num_checks);
    if (error.check < 0 || error.check >= abi->num_checks)
      return "";
    return abi->checks[error.check];
  }

  lstm_model_t *model = nullptr;
  const lstm_abi_model_t *abi = nullptr;
};

TEST_F(ModelChecksTest, RecordsItsCPU) {
  ASSERT_NE(abi->target_cpu, nullptr);
  EXPECT_GT(std::string(abi->target_cpu).size(), 0u);
  // Compiled for this machine, whose x86-64 CPU has at least SSE2.
  bool sse2 = false;
  for (int32_t i = 0; i < abi->num_cpu_features; ++i)
    sse2 |= std::string(abi->cpu_features[i]) == "sse2";
  EXPECT_TRUE(sse2);
  ASSERT_NE(abi->missing_cpu_features, nullptr);
  EXPECT_EQ(abi->missing_cpu_features(), 0u);
}

TEST_F(ModelChecksTest, DirectCallSucceeds) {
  DirectCall call(5, 3);
  lstm_abi_error_t error{-1, 0, 0};
  EXPECT_EQ(call.run(abi, &error), LSTM_ABI_OK);
  EXPECT_NE(call.output[0], -1.0f);
  // The error record is optional.
  EXPECT_EQ(call.run(abi, nullptr), LSTM_ABI_OK);
}

TEST_F(ModelChecksTest, DirectCallChecksStaticSizes) {
  DirectCall call(5, 3);
  call.inputShape[2] = 5;
  lstm_abi_error_t error{-1, 0, 0};
  EXPECT_EQ(call.run(abi, &error), LSTM_ABI_CHECK_FAILED);
  EXPECT_EQ(checkMessage(error), "input 'input': dimension 2 must be 4");
  EXPECT_EQ(call.run(abi, nullptr), LSTM_ABI_CHECK_FAILED);
}

TEST_F(ModelChecksTest, DirectCallChecksSharedSizes) {
  DirectCall call(5, 3);
  call.stateShape[1] = 2; // h0's batch differs from the input's
  lstm_abi_error_t error{-1, 0, 0};
  EXPECT_EQ(call.run(abi, &error), LSTM_ABI_CHECK_FAILED);
  EXPECT_EQ(checkMessage(error),
            "input 'h0': dimension 1 (N) differs from input 'input''s N");
}

TEST_F(ModelChecksTest, DirectCallChecksNegativeAndHugeSizes) {
  DirectCall call(5, 3);
  call.inputShape[0] = -1;
  lstm_abi_error_t error{-1, 0, 0};
  EXPECT_EQ(call.run(abi, &error), LSTM_ABI_CHECK_FAILED);
  EXPECT_EQ(checkMessage(error), "input 'input': dimension 0 (T) is negative");
  call.inputShape[0] = int64_t(1) << 62;
  EXPECT_EQ(call.run(abi, &error), LSTM_ABI_CHECK_FAILED);
  EXPECT_EQ(checkMessage(error),
            "input 'input' has more elements than fit in memory");
}

TEST_F(ModelChecksTest, DirectCallChecksData) {
  DirectCall call(5, 3);
  lstm_abi_buffer_t inputs[] = {{nullptr, call.inputShape},
                                {call.h0.data(), call.stateShape},
                                {call.c0.data(), call.stateShape},
                                {call.lengths.data(), call.lengthsShape}};
  lstm_abi_buffer_t outputs[] = {{call.output.data(), call.outputShape},
                                 {call.hN.data(), call.stateShape},
                                 {call.cN.data(), call.stateShape}};
  lstm_abi_error_t error{-1, 0, 0};
  EXPECT_EQ(abi->run(inputs, outputs, 1, &error), LSTM_ABI_CHECK_FAILED);
  EXPECT_EQ(checkMessage(error), "input 'input': the data is NULL");
}

TEST_F(ModelChecksTest, DirectCallChecksLengths) {
  // Lengths past T or below 1 fail the model's own value check; the
  // kernel stays inside the input all the same.
  for (int64_t bad : {int64_t(6), int64_t(0), int64_t(-5), int64_t(1000000000),
                      std::numeric_limits<int64_t>::min()}) {
    DirectCall call(5, 3);
    call.lengths[1] = bad;
    lstm_abi_error_t error{-1, 0, 0};
    EXPECT_EQ(call.run(abi, &error), LSTM_ABI_CHECK_FAILED) << bad;
    EXPECT_NE(checkMessage(error).find("Length of all samples"),
              std::string::npos)
        << checkMessage(error);
  }
}

TEST_F(ModelChecksTest, DirectCallChecksThreadCount) {
  // OpenMP aborts the process when it cannot start the threads.
  DirectCall call(5, 3);
  lstm_abi_error_t error{-1, 0, 0};
  EXPECT_EQ(call.run(abi, &error, LSTM_ABI_MAX_THREADS + 1),
            LSTM_ABI_CHECK_FAILED);
  EXPECT_EQ(checkMessage(error), "num_threads is more than 1024");
  EXPECT_EQ(call.run(abi, &error, std::numeric_limits<int32_t>::min()),
            LSTM_ABI_OK);
}

TEST_F(ModelChecksTest, RuntimeRefusesTooManyThreads) {
  int64_t inputShape[] = {2, 1, 4}, outputShape[] = {2, 1, 8},
          stateShape[] = {1, 1, 8};
  std::vector<float> input(8), output(16), hN(8), cN(8);
  lstm_tensor_t inputs[4] = {{LSTM_ABI_FLOAT32, 3, inputShape, input.data()}};
  lstm_tensor_t outputs[] = {{LSTM_ABI_FLOAT32, 3, outputShape, output.data()},
                             {LSTM_ABI_FLOAT32, 3, stateShape, hN.data()},
                             {LSTM_ABI_FLOAT32, 3, stateShape, cN.data()}};
  lstm_run_options_t options{100000};
  Status status(lstm_model_run(model, inputs, outputs, &options));
  EXPECT_EQ(status.code(), LSTM_INVALID_ARGUMENT);
  EXPECT_EQ(status.message(),
            "num_threads is 100000; at most 1024 threads can run a model");
}

TEST_F(ModelChecksTest, EmptyBatchRuns) {
  DirectCall call(5, 0);
  lstm_abi_error_t error{-1, 0, 0};
  EXPECT_EQ(call.run(abi, &error), LSTM_ABI_OK);
}

TEST_F(ModelChecksTest, EmptySequenceFails) {
  // As PyTorch: "Expected sequence length to be larger than 0".
  DirectCall call(0, 2);
  call.lengths.assign(2, 1);
  lstm_abi_error_t error{-1, 0, 0};
  EXPECT_EQ(call.run(abi, &error), LSTM_ABI_CHECK_FAILED);
  EXPECT_NE(checkMessage(error).find("sequence length to be larger than 0"),
            std::string::npos)
      << checkMessage(error);
}

TEST_F(ModelChecksTest, RuntimeReportsFailedChecks) {
  int64_t inputShape[] = {0, 2, 4};
  std::vector<float> input(1);
  int64_t outputShape[] = {0, 2, 8}, stateShape[] = {1, 2, 8};
  std::vector<float> output(1), hN(16), cN(16);
  lstm_tensor_t inputs[4] = {{LSTM_ABI_FLOAT32, 3, inputShape, input.data()}};
  lstm_tensor_t outputs[] = {{LSTM_ABI_FLOAT32, 3, outputShape, output.data()},
                             {LSTM_ABI_FLOAT32, 3, stateShape, hN.data()},
                             {LSTM_ABI_FLOAT32, 3, stateShape, cN.data()}};
  Status status(lstm_model_run(model, inputs, outputs, nullptr));
  // T = 0 is also outside the omitted lengths' [1, T]; either check names
  // the empty sequence.
  EXPECT_EQ(status.code(), LSTM_INVALID_ARGUMENT);
  EXPECT_EQ(status.message().rfind("the model's check failed: ", 0), 0u)
      << status.message();
}

TEST_F(ModelChecksTest, RuntimeRefusesOverflowingShapes) {
  int64_t inputShape[] = {1, int64_t(1) << 62, 4};
  float data = 0;
  lstm_tensor_t inputs[4] = {{LSTM_ABI_FLOAT32, 3, inputShape, &data}};
  int64_t shape[3];
  int32_t rank;
  Status status(lstm_model_output_shape(model, inputs, 0, shape, 3, &rank));
  EXPECT_EQ(status.code(), LSTM_INVALID_ARGUMENT);
  EXPECT_NE(status.message().find("more elements than fit in memory"),
            std::string::npos)
      << status.message();
}

TEST_F(ModelChecksTest, RuntimeReportsHugeOmittedInputs) {
  // An empty input whose batch makes the omitted zero states huge: an
  // error, never an abort.
  int64_t inputShape[] = {0, int64_t(1) << 40, 4};
  float data = 0;
  lstm_tensor_t inputs[4] = {{LSTM_ABI_FLOAT32, 3, inputShape, &data}};
  int64_t outputShape[] = {0, int64_t(1) << 40, 8};
  int64_t stateShape[] = {1, int64_t(1) << 40, 8};
  lstm_tensor_t outputs[] = {{LSTM_ABI_FLOAT32, 3, outputShape, &data},
                             {LSTM_ABI_FLOAT32, 3, stateShape, &data},
                             {LSTM_ABI_FLOAT32, 3, stateShape, &data}};
  Status status(lstm_model_run(model, inputs, outputs, nullptr));
  EXPECT_EQ(status.code(), LSTM_OUT_OF_MEMORY) << status.message();
}

/// A model whose CPU check and run function say what the test wants.
namespace fake {
uint64_t missing = 0;
int32_t status = LSTM_ABI_OK;
lstm_abi_error_t error = {-1, 0, 0};
uint64_t missingFeatures() { return missing; }
int32_t run(const lstm_abi_buffer_t *, const lstm_abi_buffer_t *, int32_t,
            lstm_abi_error_t *out) {
  if (status != LSTM_ABI_OK && out)
    *out = error;
  return status;
}
const char *const features[] = {"sse2", "avx2", "avx512f", "amx-tile"};
const char *const checks[] = {"'embed' (Gather): index out of range"};

lstm_abi_model_t model() {
  lstm_abi_model_t abi{};
  abi.abi_version = LSTM_ABI_VERSION;
  abi.batch_symbol = -1;
  abi.run = run;
  abi.num_checks = 1;
  abi.checks = checks;
  abi.target_cpu = "sapphirerapids";
  abi.num_cpu_features = 4;
  abi.cpu_features = features;
  abi.missing_cpu_features = missingFeatures;
  return abi;
}
} // namespace fake

TEST(ModelCPUFeatures, RefusedAtLoadNamingWhatIsMissing) {
  lstm_abi_model_t abi = fake::model();
  fake::missing = 0b1010; // avx2, amx-tile
  lstm_model_t *model = reinterpret_cast<lstm_model_t *>(1);
  Status status(lstm_model_wrap(&abi, &model));
  EXPECT_EQ(status.code(), LSTM_UNAVAILABLE);
  EXPECT_EQ(model, nullptr);
  EXPECT_NE(status.message().find("compiled for CPU 'sapphirerapids'"),
            std::string::npos)
      << status.message();
  EXPECT_NE(status.message().find("lacks: avx2, amx-tile;"), std::string::npos)
      << status.message();
  fake::missing = 0;
}

TEST(ModelCPUFeatures, RefusedAtRun) {
  // A CPU that changes under a loaded model (a migrated VM) still gets a
  // status, from the model's own check.
  lstm_abi_model_t abi = fake::model();
  fake::missing = 0;
  lstm_model_t *model = nullptr;
  ASSERT_EQ(Status(lstm_model_wrap(&abi, &model)).code(), LSTM_OK);
  fake::status = LSTM_ABI_UNSUPPORTED_CPU;
  fake::error = {-1, 0, 0b100};
  Status status(lstm_model_run(model, nullptr, nullptr, nullptr));
  EXPECT_EQ(status.code(), LSTM_UNAVAILABLE);
  EXPECT_NE(status.message().find("lacks: avx512f;"), std::string::npos)
      << status.message();
  fake::status = LSTM_ABI_OK;
  lstm_model_free(model);
}

TEST(ModelErrors, FailedCheckBecomesItsMessage) {
  lstm_abi_model_t abi = fake::model();
  lstm_model_t *model = nullptr;
  ASSERT_EQ(Status(lstm_model_wrap(&abi, &model)).code(), LSTM_OK);
  fake::status = LSTM_ABI_CHECK_FAILED;
  fake::error = {0, 0, 0};
  Status status(lstm_model_run(model, nullptr, nullptr, nullptr));
  EXPECT_EQ(status.code(), LSTM_INVALID_ARGUMENT);
  EXPECT_EQ(status.message(), "the model's check failed: 'embed' (Gather): "
                              "index out of range");
  // An index the model does not have is reported as such.
  fake::error = {7, 0, 0};
  Status unknown(lstm_model_run(model, nullptr, nullptr, nullptr));
  EXPECT_EQ(unknown.code(), LSTM_INVALID_ARGUMENT);
  EXPECT_EQ(unknown.message(), "the model's check 7 failed");
  fake::status = LSTM_ABI_OK;
  lstm_model_free(model);
}

} // namespace
