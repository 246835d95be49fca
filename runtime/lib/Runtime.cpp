//===- Runtime.cpp - Load and run compiled lstmc models ---------*- C++ -*-===//
//
// Everything a compiled model trusts is checked here: presence, element
// types, ranks, static sizes, the agreement of named dynamic sizes, and the
// range of sequence lengths. Omitted optional inputs are materialized.
//
//===----------------------------------------------------------------------===//

#include "lstm/Runtime/lstm_runtime.h"

#include <dlfcn.h>

#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <stdexcept>
#include <string>
#include <vector>

struct lstm_status_s {
  lstm_status_code_t code;
  std::string message;
};

struct lstm_model_s {
  const lstm_abi_model_t *abi = nullptr;
  void *library = nullptr; // dlopen handle, or null for wrapped models
};

namespace {
/// Reported when there is no memory for a status of its own; never freed.
lstm_status_s outOfMemoryStatus{LSTM_OUT_OF_MEMORY, "out of memory"};

__attribute__((format(printf, 2, 3))) lstm_status_t
makeStatus(lstm_status_code_t code, const char *format, ...) {
  char buffer[1024];
  va_list args;
  va_start(args, format);
  vsnprintf(buffer, sizeof(buffer), format, args);
  va_end(args);
  auto *status = new (std::nothrow) lstm_status_s{code, buffer};
  return status ? status : &outOfMemoryStatus;
}

std::string formatDims(const lstm_abi_model_t *abi,
                       const lstm_abi_tensor_info_t &info, bool batched) {
  std::string text = "[";
  bool first = true;
  for (int32_t d = 0; d < info.rank; ++d) {
    int64_t dim = info.dims[d];
    if (!batched && dim == -(abi->batch_symbol + 1))
      continue;
    text += first ? "" : ", ";
    first = false;
    text += dim >= 0 ? std::to_string(dim) : abi->symbols[-dim - 1];
  }
  return text + "]";
}

std::string formatShape(const int64_t *shape, int32_t rank) {
  std::string text = "[";
  for (int32_t d = 0; d < rank; ++d)
    text += (d ? ", " : "") + std::to_string(shape[d]);
  return text + "]";
}

/// The number of elements of `shape`, of sizes >= 0; false if it, or its
/// size in bytes of `elementSize` each, does not fit in int64_t.
bool countElements(const int64_t *shape, size_t rank, size_t elementSize,
                   int64_t &count) {
  int64_t n = 1, bytes;
  for (size_t d = 0; d < rank; ++d)
    if (__builtin_mul_overflow(n, shape[d], &n))
      return false;
  if (__builtin_mul_overflow(n, static_cast<int64_t>(elementSize), &bytes))
    return false;
  count = n;
  return true;
}

/// The checked form of one call's tensors.
class CallShapes {
public:
  explicit CallShapes(const lstm_abi_model_t *abi)
      : abi(abi), symbolValues(abi->num_symbols, -1),
        symbolSource(abi->num_symbols) {}

  lstm_status_t check(const lstm_tensor_t *inputs);
  /// The full (batched) shape of an output; valid after check().
  std::vector<int64_t> outputShape(int32_t index) const {
    return resolve(abi->outputs[index]);
  }
  /// The full shape of an input as the model sees it.
  std::vector<int64_t> inputShape(int32_t index) const {
    return resolve(abi->inputs[index]);
  }
  int64_t symbolValue(int32_t symbol) const { return symbolValues[symbol]; }
  /// Whether dimension `d` of `info` is dropped in an unbatched call.
  bool isDropped(const lstm_abi_tensor_info_t &info, int32_t d) const {
    return !batched && info.dims[d] == -(abi->batch_symbol + 1);
  }
  int32_t callRank(const lstm_abi_tensor_info_t &info) const;

private:
  std::vector<int64_t> resolve(const lstm_abi_tensor_info_t &info) const {
    std::vector<int64_t> shape;
    for (int32_t d = 0; d < info.rank; ++d) {
      int64_t dim = info.dims[d];
      shape.push_back(dim >= 0 ? dim : symbolValues[-dim - 1]);
    }
    return shape;
  }
  bool usesBatch(const lstm_abi_tensor_info_t &info) const;
  lstm_status_t bind(const lstm_abi_tensor_info_t &info,
                     const lstm_tensor_t &tensor);

  const lstm_abi_model_t *abi;
  bool batched = true;
  std::vector<int64_t> symbolValues;
  std::vector<std::string> symbolSource;
};

bool CallShapes::usesBatch(const lstm_abi_tensor_info_t &info) const {
  if (abi->batch_symbol < 0)
    return false;
  for (int32_t d = 0; d < info.rank; ++d)
    if (info.dims[d] == -(abi->batch_symbol + 1))
      return true;
  return false;
}

int32_t CallShapes::callRank(const lstm_abi_tensor_info_t &info) const {
  return info.rank - (!batched && usesBatch(info) ? 1 : 0);
}

lstm_status_t CallShapes::bind(const lstm_abi_tensor_info_t &info,
                               const lstm_tensor_t &tensor) {
  if (tensor.dtype != info.dtype)
    return makeStatus(
        LSTM_INVALID_ARGUMENT, "input '%s': expected %s elements, got %s",
        info.name, lstm_dtype_name(info.dtype), lstm_dtype_name(tensor.dtype));
  int32_t rank = callRank(info);
  if (tensor.rank != rank || (rank > 0 && !tensor.shape))
    return makeStatus(
        LSTM_INVALID_ARGUMENT, "input '%s': expected %d dimensions %s, got %d",
        info.name, rank, formatDims(abi, info, batched).c_str(), tensor.rank);
  int32_t given = 0;
  for (int32_t d = 0; d < info.rank; ++d) {
    if (isDropped(info, d))
      continue;
    int64_t size = tensor.shape[given++];
    int64_t dim = info.dims[d];
    std::string shape = formatShape(tensor.shape, tensor.rank);
    if (size < 0)
      return makeStatus(LSTM_INVALID_ARGUMENT,
                        "input '%s': negative size in shape %s", info.name,
                        shape.c_str());
    if (dim >= 0) {
      if (size != dim)
        return makeStatus(
            LSTM_INVALID_ARGUMENT,
            "input '%s': expected shape %s, got %s (dimension %d must be "
            "%lld)",
            info.name, formatDims(abi, info, batched).c_str(), shape.c_str(),
            given - 1, (long long)dim);
      continue;
    }
    int32_t symbol = -dim - 1;
    if (symbolValues[symbol] < 0) {
      symbolValues[symbol] = size;
      symbolSource[symbol] = info.name;
    } else if (symbolValues[symbol] != size) {
      return makeStatus(
          LSTM_INVALID_ARGUMENT,
          "input '%s': dimension %s is %lld, but input '%s' has %s = %lld",
          info.name, abi->symbols[symbol], (long long)size,
          symbolSource[symbol].c_str(), abi->symbols[symbol],
          (long long)symbolValues[symbol]);
    }
  }
  int64_t count;
  if (!countElements(tensor.shape, tensor.rank, lstm_dtype_size(info.dtype),
                     count))
    return makeStatus(LSTM_INVALID_ARGUMENT,
                      "input '%s': shape %s has more elements than fit in "
                      "memory",
                      info.name,
                      formatShape(tensor.shape, tensor.rank).c_str());
  return nullptr;
}

lstm_status_t CallShapes::check(const lstm_tensor_t *inputs) {
  if (abi->num_inputs > 0 && !inputs)
    return makeStatus(LSTM_INVALID_ARGUMENT, "inputs is NULL");
  // An unbatched call leaves the batch dimension out of the first input
  // that has one.
  if (abi->batch_symbol >= 0) {
    for (int32_t i = 0; i < abi->num_inputs; ++i) {
      const lstm_abi_tensor_info_t &info = abi->inputs[i];
      if (inputs[i].data && usesBatch(info)) {
        batched = inputs[i].rank != info.rank - 1;
        if (!batched)
          symbolValues[abi->batch_symbol] = 1;
        break;
      }
    }
  }
  for (int32_t i = 0; i < abi->num_inputs; ++i) {
    const lstm_abi_tensor_info_t &info = abi->inputs[i];
    if (!inputs[i].data) {
      if (!(info.flags & LSTM_ABI_OPTIONAL))
        return makeStatus(LSTM_INVALID_ARGUMENT, "missing required input '%s'",
                          info.name);
      continue;
    }
    if (info.lengths_of >= 0 && !batched)
      return makeStatus(LSTM_INVALID_ARGUMENT,
                        "input '%s': sequence lengths need batched input",
                        info.name);
    if (lstm_status_t status = bind(info, inputs[i]))
      return status;
  }
  // Omitted inputs and outputs take their sizes from the inputs given.
  auto checkBound = [&](const lstm_abi_tensor_info_t &info,
                        const char *kind) -> lstm_status_t {
    for (int32_t d = 0; d < info.rank; ++d)
      if (info.dims[d] < 0 && symbolValues[-info.dims[d] - 1] < 0)
        return makeStatus(LSTM_INVALID_ARGUMENT,
                          "the inputs given do not determine dimension %s of "
                          "%s '%s'",
                          abi->symbols[-info.dims[d] - 1], kind, info.name);
    return nullptr;
  };
  for (int32_t i = 0; i < abi->num_inputs; ++i) {
    const lstm_abi_tensor_info_t &info = abi->inputs[i];
    if (inputs[i].data)
      continue;
    if (lstm_status_t status = checkBound(info, "input"))
      return status;
    if (info.lengths_of >= 0 && symbolValues[info.lengths_of] < 0)
      return makeStatus(LSTM_INVALID_ARGUMENT,
                        "the inputs given do not determine %s, the full "
                        "length for omitted input '%s'",
                        abi->symbols[info.lengths_of], info.name);
  }
  for (int32_t i = 0; i < abi->num_outputs; ++i)
    if (lstm_status_t status = checkBound(abi->outputs[i], "output"))
      return status;
  // Sequence lengths must lie in [1, extent].
  for (int32_t i = 0; i < abi->num_inputs; ++i) {
    const lstm_abi_tensor_info_t &info = abi->inputs[i];
    if (info.lengths_of < 0 || !inputs[i].data)
      continue;
    int64_t limit = symbolValues[info.lengths_of];
    int64_t count = inputs[i].shape[0];
    for (int64_t j = 0; j < count; ++j) {
      int64_t value = info.dtype == LSTM_ABI_INT64
                          ? static_cast<const int64_t *>(inputs[i].data)[j]
                          : static_cast<const int32_t *>(inputs[i].data)[j];
      if (value < 1 || value > limit)
        return makeStatus(LSTM_INVALID_ARGUMENT,
                          "input '%s': %s[%lld] = %lld is not a sequence "
                          "length in [1, %s = %lld]",
                          info.name, info.name, (long long)j, (long long)value,
                          abi->symbols[info.lengths_of], (long long)limit);
    }
  }
  return nullptr;
}

/// The names of the features in `missing`, a mask over abi->cpu_features.
std::string listFeatures(const lstm_abi_model_t *abi, uint64_t missing) {
  std::string names;
  for (int32_t i = 0; i < abi->num_cpu_features && i < 64; ++i)
    if (missing & (uint64_t(1) << i))
      names += (names.empty() ? "" : ", ") + std::string(abi->cpu_features[i]);
  return names;
}

lstm_status_t unsupportedCPU(const lstm_abi_model_t *abi, uint64_t missing) {
  return makeStatus(LSTM_UNAVAILABLE,
                    "the model was compiled for CPU '%s' and uses features "
                    "this CPU lacks: %s; compile it with --mcpu for this CPU "
                    "(or an older one, e.g. x86-64-v3)",
                    abi->target_cpu ? abi->target_cpu : "?",
                    listFeatures(abi, missing).c_str());
}

/// Refuses a model whose code the CPU cannot run.
lstm_status_t checkCPU(const lstm_abi_model_t *abi) {
  if (!abi->missing_cpu_features)
    return nullptr;
  if (uint64_t missing = abi->missing_cpu_features())
    return unsupportedCPU(abi, missing);
  return nullptr;
}

lstm_status_t checkModel(const lstm_model_t *model) {
  if (!model || !model->abi)
    return makeStatus(LSTM_INVALID_ARGUMENT, "model is NULL");
  return nullptr;
}
} // namespace

extern "C" {

lstm_status_code_t lstm_status_code(lstm_status_t status) {
  return status ? status->code : LSTM_OK;
}

const char *lstm_status_message(lstm_status_t status) {
  return status ? status->message.c_str() : "";
}

void lstm_status_free(lstm_status_t status) {
  if (status != &outOfMemoryStatus)
    delete status;
}

const char *lstm_dtype_name(int32_t dtype) {
  switch (dtype) {
  case LSTM_ABI_FLOAT32:
    return "float32";
  case LSTM_ABI_INT64:
    return "int64";
  case LSTM_ABI_INT32:
    return "int32";
  }
  return "unknown";
}

size_t lstm_dtype_size(int32_t dtype) {
  switch (dtype) {
  case LSTM_ABI_FLOAT32:
  case LSTM_ABI_INT32:
    return 4;
  case LSTM_ABI_INT64:
    return 8;
  }
  return 0;
}

lstm_status_t lstm_model_wrap(const lstm_abi_model_t *abi,
                              lstm_model_t **out_model) {
  if (!abi || !out_model)
    return makeStatus(LSTM_INVALID_ARGUMENT, "abi and out_model must not be "
                                             "NULL");
  *out_model = nullptr;
  if (abi->abi_version != LSTM_ABI_VERSION)
    return makeStatus(LSTM_NOT_A_MODEL,
                      "the model was compiled for ABI version %u; this "
                      "runtime supports version %d",
                      abi->abi_version, LSTM_ABI_VERSION);
  if (lstm_status_t status = checkCPU(abi))
    return status;
  auto *model = new (std::nothrow) lstm_model_s;
  if (!model)
    return makeStatus(LSTM_OUT_OF_MEMORY, "out of memory");
  model->abi = abi;
  *out_model = model;
  return nullptr;
}

lstm_status_t lstm_model_load(const char *path, lstm_model_t **out_model) {
  if (!path || !out_model)
    return makeStatus(LSTM_INVALID_ARGUMENT,
                      "path and out_model must not be NULL");
  *out_model = nullptr;
  if (FILE *file = fopen(path, "rb"))
    fclose(file);
  else
    return makeStatus(LSTM_NOT_FOUND, "cannot open '%s': %s", path,
                      strerror(errno));
  // dlopen searches the library path for names without a slash; a model
  // path always means a file.
  std::string file = std::strchr(path, '/') ? path : std::string("./") + path;
  void *library = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library) {
    std::string reason = dlerror();
    // lstm-compile --sanitize=address models need the sanitizer's runtime.
    const char *hint = reason.find("__asan_") != std::string::npos
                           ? " (a model compiled with --sanitize=address runs "
                             "only in a program built with -fsanitize=address)"
                           : "";
    return makeStatus(LSTM_NOT_A_MODEL, "cannot load '%s' as a model: %s%s",
                      path, reason.c_str(), hint);
  }
  auto *abi =
      static_cast<const lstm_abi_model_t *>(dlsym(library, "lstm_abi_model"));
  if (!abi) {
    dlclose(library);
    return makeStatus(LSTM_NOT_A_MODEL,
                      "'%s' is not a model compiled by lstm-compile (it has "
                      "no lstm_abi_model symbol)",
                      path);
  }
  lstm_status_t status = lstm_model_wrap(abi, out_model);
  if (status) {
    dlclose(library);
    return status;
  }
  (*out_model)->library = library;
  return nullptr;
}

void lstm_model_free(lstm_model_t *model) {
  if (!model)
    return;
  if (model->library)
    dlclose(model->library);
  delete model;
}

const lstm_abi_model_t *lstm_model_signature(const lstm_model_t *model) {
  return model ? model->abi : nullptr;
}

static lstm_status_t findTensor(const lstm_abi_tensor_info_t *infos,
                                int32_t count, const char *kind,
                                const char *name, int32_t *out_index) {
  if (!name || !out_index)
    return makeStatus(LSTM_INVALID_ARGUMENT,
                      "name and out_index must not be NULL");
  std::string known;
  for (int32_t i = 0; i < count; ++i) {
    if (std::strcmp(infos[i].name, name) == 0) {
      *out_index = i;
      return nullptr;
    }
    known += (i ? ", " : "") + std::string(infos[i].name);
  }
  return makeStatus(LSTM_NOT_FOUND, "the model has no %s '%s' (it has: %s)",
                    kind, name, known.c_str());
}

lstm_status_t lstm_model_find_input(const lstm_model_t *model, const char *name,
                                    int32_t *out_index) {
  if (lstm_status_t status = checkModel(model))
    return status;
  return findTensor(model->abi->inputs, model->abi->num_inputs, "input", name,
                    out_index);
}

lstm_status_t lstm_model_find_output(const lstm_model_t *model,
                                     const char *name, int32_t *out_index) {
  if (lstm_status_t status = checkModel(model))
    return status;
  return findTensor(model->abi->outputs, model->abi->num_outputs, "output",
                    name, out_index);
}

lstm_status_t lstm_model_output_shape(const lstm_model_t *model,
                                      const lstm_tensor_t *inputs,
                                      int32_t index, int64_t *out_shape,
                                      int32_t capacity, int32_t *out_rank) {
  if (lstm_status_t status = checkModel(model))
    return status;
  const lstm_abi_model_t *abi = model->abi;
  if (index < 0 || index >= abi->num_outputs)
    return makeStatus(LSTM_INVALID_ARGUMENT,
                      "output index %d is out of range [0, %d)", index,
                      abi->num_outputs);
  if (!out_shape || !out_rank)
    return makeStatus(LSTM_INVALID_ARGUMENT,
                      "out_shape and out_rank must not be NULL");
  CallShapes shapes(abi);
  if (lstm_status_t status = shapes.check(inputs))
    return status;
  const lstm_abi_tensor_info_t &info = abi->outputs[index];
  int32_t rank = shapes.callRank(info);
  if (rank > capacity)
    return makeStatus(LSTM_INVALID_ARGUMENT,
                      "output '%s' has %d dimensions, more than capacity %d",
                      info.name, rank, capacity);
  std::vector<int64_t> shape = shapes.outputShape(index);
  int32_t written = 0;
  for (int32_t d = 0; d < info.rank; ++d)
    if (!shapes.isDropped(info, d))
      out_shape[written++] = shape[d];
  *out_rank = rank;
  return nullptr;
}

/// lstm_model_run, which may throw std::bad_alloc.
static lstm_status_t runModel(const lstm_model_t *model,
                              const lstm_tensor_t *inputs,
                              const lstm_tensor_t *outputs,
                              const lstm_run_options_t *options) {
  const lstm_abi_model_t *abi = model->abi;
  if (abi->num_outputs > 0 && !outputs)
    return makeStatus(LSTM_INVALID_ARGUMENT, "outputs is NULL");
  CallShapes shapes(abi);
  if (lstm_status_t status = shapes.check(inputs))
    return status;

  // Full shapes, as the compiled code sees them, for every tensor.
  std::vector<std::vector<int64_t>> inputShapes, outputShapes;
  // Storage for omitted inputs, allocated without exceptions: a size too
  // large for memory is an error to report.
  struct Free {
    void operator()(void *p) const { std::free(p); }
  };
  std::vector<std::unique_ptr<char, Free>> defaults;
  std::vector<lstm_abi_buffer_t> inputBuffers, outputBuffers;
  inputShapes.reserve(abi->num_inputs);
  outputShapes.reserve(abi->num_outputs);
  defaults.reserve(abi->num_inputs);
  for (int32_t i = 0; i < abi->num_inputs; ++i) {
    inputShapes.push_back(shapes.inputShape(i));
    void *data = inputs[i].data;
    if (!data) {
      const lstm_abi_tensor_info_t &info = abi->inputs[i];
      size_t size = lstm_dtype_size(info.dtype);
      int64_t count;
      if (!countElements(inputShapes.back().data(), inputShapes.back().size(),
                         size, count))
        return makeStatus(LSTM_INVALID_ARGUMENT,
                          "omitted input '%s' would have more elements than "
                          "fit in memory",
                          info.name);
      defaults.emplace_back(
          static_cast<char *>(std::calloc(count * size + 1, 1)));
      char *storage = defaults.back().get();
      if (!storage)
        return makeStatus(LSTM_OUT_OF_MEMORY,
                          "out of memory for omitted input '%s' (%lld bytes)",
                          info.name, (long long)(count * size));
      if (info.lengths_of >= 0) {
        // Omitted lengths: every sequence is full length.
        int64_t extent = shapes.symbolValue(info.lengths_of);
        for (int64_t k = 0; k < count; ++k) {
          if (info.dtype == LSTM_ABI_INT64)
            reinterpret_cast<int64_t *>(storage)[k] = extent;
          else
            reinterpret_cast<int32_t *>(storage)[k] =
                static_cast<int32_t>(extent);
        }
      }
      data = storage;
    }
    inputBuffers.push_back({data, inputShapes.back().data()});
  }
  for (int32_t i = 0; i < abi->num_outputs; ++i) {
    const lstm_abi_tensor_info_t &info = abi->outputs[i];
    outputShapes.push_back(shapes.outputShape(i));
    const lstm_tensor_t &given = outputs[i];
    std::vector<int64_t> expected;
    for (int32_t d = 0; d < info.rank; ++d)
      if (!shapes.isDropped(info, d))
        expected.push_back(outputShapes.back()[d]);
    bool matches = given.dtype == info.dtype &&
                   given.rank == static_cast<int32_t>(expected.size()) &&
                   (expected.empty() || given.shape);
    for (size_t d = 0; matches && d < expected.size(); ++d)
      matches = given.shape[d] == expected[d];
    if (!matches) {
      std::string want = formatShape(expected.data(), expected.size());
      std::string got = given.shape || given.rank == 0
                            ? formatShape(given.shape, given.rank)
                            : "(no shape)";
      return makeStatus(LSTM_INVALID_ARGUMENT,
                        "output '%s': expected %s %s, got %s %s", info.name,
                        lstm_dtype_name(info.dtype), want.c_str(),
                        lstm_dtype_name(given.dtype), got.c_str());
    }
    int64_t count;
    if (!countElements(expected.data(), expected.size(),
                       lstm_dtype_size(info.dtype), count))
      return makeStatus(LSTM_INVALID_ARGUMENT,
                        "output '%s' would have more elements than fit in "
                        "memory",
                        info.name);
    if (!given.data && count > 0)
      return makeStatus(LSTM_INVALID_ARGUMENT, "output '%s' has no data",
                        info.name);
    outputBuffers.push_back({given.data, outputShapes.back().data()});
  }
  int32_t threads = options ? options->num_threads : 0;
  if (threads > LSTM_ABI_MAX_THREADS)
    return makeStatus(LSTM_INVALID_ARGUMENT,
                      "num_threads is %d; at most %d threads can run a model",
                      threads, LSTM_ABI_MAX_THREADS);
  lstm_abi_error_t error = {-1, 0, 0};
  int32_t rc =
      abi->run(inputBuffers.data(), outputBuffers.data(), threads, &error);
  switch (rc) {
  case LSTM_ABI_OK:
    return nullptr;
  case LSTM_ABI_CHECK_FAILED:
    if (error.check >= 0 && error.check < abi->num_checks)
      return makeStatus(LSTM_INVALID_ARGUMENT, "the model's check failed: %s",
                        abi->checks[error.check]);
    return makeStatus(LSTM_INVALID_ARGUMENT, "the model's check %d failed",
                      error.check);
  case LSTM_ABI_UNSUPPORTED_CPU:
    return unsupportedCPU(abi, error.missing_cpu_features);
  default:
    break;
  }
  lstm_status_code_t code =
      rc == LSTM_ABI_UNAVAILABLE ? LSTM_UNAVAILABLE : LSTM_INTERNAL;
  // CUDA models say why through liblstm_cuda, which they link.
  using MessageFn = const char *(*)();
  auto message = reinterpret_cast<MessageFn>(
      dlsym(model->library ? model->library : RTLD_DEFAULT,
            "lstm_cuda_error_message"));
  if (message && *message())
    return makeStatus(code, "the model failed: %s", message());
  return makeStatus(code, "the model failed with status %d", rc);
}

lstm_status_t lstm_model_run(const lstm_model_t *model,
                             const lstm_tensor_t *inputs,
                             const lstm_tensor_t *outputs,
                             const lstm_run_options_t *options) {
  if (lstm_status_t status = checkModel(model))
    return status;
  try {
    return runModel(model, inputs, outputs, options);
  } catch (const std::bad_alloc &) {
    return makeStatus(LSTM_OUT_OF_MEMORY,
                      "out of memory for the run's shapes and omitted inputs");
  } catch (const std::length_error &) {
    return makeStatus(LSTM_OUT_OF_MEMORY,
                      "out of memory for the run's shapes and omitted inputs");
  }
}

} // extern "C"
