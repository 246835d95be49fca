//===- lstm-run.cpp - Run a compiled model on .npy files --------*- C++ -*-===//
//
// lstm-run MODEL.so --input NAME=FILE.npy ... [--output-dir DIR] [--bench N]
//                   [--threads K]
//
// Writes one NAME.npy per output. Omitted optional inputs behave as in
// PyTorch (zero states, full-length sequences), and inputs without their
// batch dimension run as one unbatched sequence. With --bench N, the model
// runs once to warm up, then N times, and the last line printed is
// `bench: median_ms=<x> min_ms=<y> runs=<N>`.
//
//===----------------------------------------------------------------------===//

#include "Npy.h"

#include "lstm/Runtime/lstm_runtime.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <new>
#include <set>
#include <stdexcept>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace {
int fail(const std::string &message) {
  std::fprintf(stderr, "lstm-run: error: %s\n", message.c_str());
  return 1;
}

int usage() {
  std::fprintf(
      stderr,
      "usage: lstm-run MODEL.so --input NAME=FILE.npy ... [--output-dir DIR]\n"
      "                [--bench N] [--threads K]\n"
      "Runs a model compiled by lstm-compile and writes NAME.npy for each "
      "output.\n");
  return 1;
}

/// Parses a positive integer option value.
bool parseCount(const char *text, long &value) {
  char *end = nullptr;
  errno = 0;
  value = std::strtol(text, &end, 10);
  return errno == 0 && end != text && *end == '\0' && value > 0;
}

/// Frees a model and reports a status when leaving scope.
struct Cleanup {
  lstm_model_t *model = nullptr;
  ~Cleanup() { lstm_model_free(model); }
};

int check(lstm_status_t status) {
  if (!status)
    return 0;
  int rc = fail(lstm_status_message(status));
  lstm_status_free(status);
  return rc;
}

/// The file name an output is written to: its name with every character
/// outside [A-Za-z0-9._-] replaced by '_', never starting with '.' (so that
/// no name reaches outside the output directory or hides its file).
std::string getOutputFileName(const std::string &name) {
  std::string file;
  for (char c : name)
    file += std::isalnum(static_cast<unsigned char>(c)) || c == '.' ||
                    c == '_' || c == '-'
                ? c
                : '_';
  if (file.empty() || file[0] == '.')
    file.insert(file.begin(), '_');
  return file + ".npy";
}

double checksum(const lstm::npy::Array &array) {
  double sum = 0;
  size_t count = 1;
  for (int64_t d : array.shape)
    count *= d;
  for (size_t i = 0; i < count; ++i) {
    if (array.dtype == LSTM_ABI_FLOAT32)
      sum += reinterpret_cast<const float *>(array.data.data())[i];
    else if (array.dtype == LSTM_ABI_INT64)
      sum += reinterpret_cast<const int64_t *>(array.data.data())[i];
    else
      sum += reinterpret_cast<const int32_t *>(array.data.data())[i];
  }
  return sum;
}
} // namespace

int run(int argc, char **argv);

int main(int argc, char **argv) {
  try {
    return run(argc, argv);
  } catch (const std::bad_alloc &) {
    return fail("out of memory");
  } catch (const std::length_error &) {
    return fail("out of memory");
  }
}

int run(int argc, char **argv) {
  if (argc < 2)
    return usage();
  std::string modelPath, outputDir = ".";
  std::vector<std::pair<std::string, std::string>> inputFiles;
  long benchRuns = 0, threads = 0;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    auto value = [&](const char *option) -> const char * {
      if (i + 1 >= argc) {
        fail(std::string(option) + " needs a value");
        return nullptr;
      }
      return argv[++i];
    };
    if (arg == "--input") {
      const char *v = value("--input");
      if (!v)
        return 1;
      std::string spec = v;
      size_t eq = spec.find('=');
      if (eq == std::string::npos || eq == 0)
        return fail("--input takes NAME=FILE.npy, got '" + spec + "'");
      inputFiles.emplace_back(spec.substr(0, eq), spec.substr(eq + 1));
    } else if (arg == "--output-dir") {
      const char *v = value("--output-dir");
      if (!v)
        return 1;
      outputDir = v;
    } else if (arg == "--bench") {
      const char *v = value("--bench");
      if (!v || !parseCount(v, benchRuns))
        return fail("--bench takes a positive number of runs");
    } else if (arg == "--threads") {
      const char *v = value("--threads");
      if (!v || !parseCount(v, threads) || threads > LSTM_ABI_MAX_THREADS)
        return fail("--threads takes a number of threads from 1 to " +
                    std::to_string(LSTM_ABI_MAX_THREADS));
    } else if (arg == "-h" || arg == "--help") {
      usage();
      return 0;
    } else if (!arg.empty() && arg[0] == '-') {
      return fail("unknown option '" + arg + "'");
    } else if (modelPath.empty()) {
      modelPath = arg;
    } else {
      return fail("unexpected argument '" + arg + "'");
    }
  }
  if (modelPath.empty())
    return usage();

  Cleanup cleanup;
  if (int rc = check(lstm_model_load(modelPath.c_str(), &cleanup.model)))
    return rc;
  lstm_model_t *model = cleanup.model;
  const lstm_abi_model_t *signature = lstm_model_signature(model);

  // Inputs, by name.
  std::vector<lstm::npy::Array> inputArrays(signature->num_inputs);
  std::vector<lstm_tensor_t> inputs(signature->num_inputs, lstm_tensor_t{});
  for (const auto &[name, path] : inputFiles) {
    int32_t index;
    if (int rc = check(lstm_model_find_input(model, name.c_str(), &index)))
      return rc;
    if (inputs[index].data)
      return fail("input '" + name + "' is given twice");
    std::string error;
    if (!lstm::npy::read(path, inputArrays[index], error))
      return fail(error);
    const lstm::npy::Array &array = inputArrays[index];
    inputs[index] = {array.dtype, static_cast<int32_t>(array.shape.size()),
                     array.shape.data(), array.data.data()};
  }

  // Outputs, with the shapes the inputs imply.
  std::vector<lstm::npy::Array> outputArrays(signature->num_outputs);
  std::vector<lstm_tensor_t> outputs(signature->num_outputs);
  for (int32_t i = 0; i < signature->num_outputs; ++i) {
    lstm::npy::Array &array = outputArrays[i];
    int64_t shape[16];
    int32_t rank;
    if (int rc = check(
            lstm_model_output_shape(model, inputs.data(), i, shape, 16, &rank)))
      return rc;
    array.dtype = signature->outputs[i].dtype;
    array.shape.assign(shape, shape + rank);
    int64_t bytes = lstm_dtype_size(array.dtype);
    for (int64_t d : array.shape)
      if (__builtin_mul_overflow(bytes, d, &bytes))
        return fail("output '" + std::string(signature->outputs[i].name) +
                    "' would have more elements than fit in memory");
    if (!array.data.allocate(bytes))
      return fail("out of memory for output '" +
                  std::string(signature->outputs[i].name) + "' (" +
                  std::to_string(bytes) + " bytes)");
    outputs[i] = {array.dtype, rank, array.shape.data(), array.data.data()};
  }

  struct stat info;
  if (stat(outputDir.c_str(), &info) != 0)
    return fail("output directory '" + outputDir +
                "': " + std::strerror(errno));
  if (!S_ISDIR(info.st_mode))
    return fail("output directory '" + outputDir + "' is not a directory");
  std::vector<std::string> outputPaths;
  std::set<std::string> fileNames;
  for (int32_t i = 0; i < signature->num_outputs; ++i) {
    std::string file = getOutputFileName(signature->outputs[i].name);
    if (!fileNames.insert(file).second)
      return fail("outputs '" + std::string(signature->outputs[i].name) +
                  "' and another one would both be written to " + file);
    outputPaths.push_back(outputDir + "/" + file);
  }

  lstm_run_options_t options{static_cast<int32_t>(threads)};
  if (int rc =
          check(lstm_model_run(model, inputs.data(), outputs.data(), &options)))
    return rc;

  // All outputs or none: each is written to a temporary file first.
  std::vector<std::string> temps;
  auto removeTemps = [&] {
    for (const std::string &temp : temps)
      std::remove(temp.c_str());
  };
  for (int32_t i = 0; i < signature->num_outputs; ++i) {
    std::string temp = outputPaths[i] + ".tmp-XXXXXX";
    int fd = mkstemp(temp.data());
    if (fd < 0) {
      removeTemps();
      return fail("cannot write '" + outputPaths[i] +
                  "': " + std::strerror(errno));
    }
    close(fd);
    temps.push_back(temp);
    std::string error;
    if (!lstm::npy::write(temp, outputArrays[i], error)) {
      removeTemps();
      return fail(error);
    }
  }
  for (int32_t i = 0; i < signature->num_outputs; ++i) {
    if (std::rename(temps[i].c_str(), outputPaths[i].c_str()) != 0) {
      int saved = errno;
      removeTemps();
      return fail("cannot write '" + outputPaths[i] +
                  "': " + std::strerror(saved));
    }
    std::string shape;
    for (int64_t d : outputArrays[i].shape)
      shape += (shape.empty() ? "" : ", ") + std::to_string(d);
    std::printf("%s: %s [%s] checksum=%.6f -> %s\n", signature->outputs[i].name,
                lstm_dtype_name(outputArrays[i].dtype), shape.c_str(),
                checksum(outputArrays[i]), outputPaths[i].c_str());
  }

  if (benchRuns > 0) {
    std::vector<double> times;
    for (long run = 0; run < benchRuns; ++run) {
      auto start = std::chrono::steady_clock::now();
      if (int rc = check(
              lstm_model_run(model, inputs.data(), outputs.data(), &options)))
        return rc;
      std::chrono::duration<double, std::milli> elapsed =
          std::chrono::steady_clock::now() - start;
      times.push_back(elapsed.count());
    }
    std::sort(times.begin(), times.end());
    size_t n = times.size();
    double median =
        n % 2 ? times[n / 2] : 0.5 * (times[n / 2 - 1] + times[n / 2]);
    std::printf("bench: median_ms=%.4f min_ms=%.4f runs=%ld\n", median,
                times.front(), benchRuns);
  }
  return 0;
}
