/*===- lstm_abi.h - The ABI of models compiled by lstm-compile ----*- C -*-===*\
|*                                                                            *|
|* A compiled model exports two symbols, named after its prefix P:            *|
|*   const lstm_abi_model_t P_model;  its signature and entry point, and      *|
|*   int32_t P_run(inputs, outputs, num_threads, error);  the entry point.    *|
|* A model built as a shared library also exports P_model as                  *|
|* `lstm_abi_model`, which is what the runtime looks up.                      *|
|*                                                                            *|
|* This header is copied verbatim into every header lstm-compile generates,   *|
|* so it is plain C with no dependencies.                                     *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef LSTM_RUNTIME_LSTM_ABI_H
#define LSTM_RUNTIME_LSTM_ABI_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LSTM_ABI_VERSION 2

/* The most threads a run may ask for (num_threads). */
#define LSTM_ABI_MAX_THREADS 1024

/* Element types of model inputs and outputs. */
enum {
  LSTM_ABI_FLOAT32 = 1,
  LSTM_ABI_INT64 = 2,
  LSTM_ABI_INT32 = 3,
};

/* Flags of an input. */
enum {
  /* The input may be omitted; the runtime then passes zeros, or for a
     lengths input (lengths_of >= 0) the full extent of that dimension. */
  LSTM_ABI_OPTIONAL = 1,
};

/* One contiguous, row-major tensor passed to or filled by a model. */
typedef struct lstm_abi_buffer {
  void *data;
  const int64_t *shape; /* as many sizes as the tensor's rank */
} lstm_abi_buffer_t;

/* The static description of one input or output. */
typedef struct lstm_abi_tensor_info {
  const char *name;
  int32_t dtype; /* LSTM_ABI_FLOAT32, ... */
  int32_t rank;
  /* Per dimension: a size >= 0, or -(s + 1) for the dynamic size named by
     symbols[s]; dimensions with the same symbol must agree. */
  const int64_t *dims;
  int32_t flags; /* LSTM_ABI_OPTIONAL */
  /* For sequence lengths: the symbol s whose extent bounds every value to
     [1, extent of s]; otherwise -1. */
  int32_t lengths_of;
} lstm_abi_tensor_info_t;

/* What a model's run function returns. */
enum {
  LSTM_ABI_OK = 0,
  /* A check of the call's sizes or values failed; error->check is the index
     of its message in lstm_abi_model_t.checks. The outputs hold nothing
     meaningful. */
  LSTM_ABI_CHECK_FAILED = 1,
  /* The CPU lacks instruction-set features the model's code uses; nothing
     ran. error->missing_cpu_features says which. */
  LSTM_ABI_UNSUPPORTED_CPU = 2,
  /* A CUDA model found no usable driver or GPU; nothing ran. */
  LSTM_ABI_UNAVAILABLE = 4,
  /* A CUDA model's work on the GPU failed. */
  LSTM_ABI_DEVICE_FAILED = 6,
};

/* Why a run failed, filled in by the run function when it fails. */
typedef struct lstm_abi_error {
  /* LSTM_ABI_CHECK_FAILED: the failed check's index in checks; else -1. */
  int32_t check;
  int32_t reserved;
  /* LSTM_ABI_UNSUPPORTED_CPU: bit i set for each cpu_features[i] the CPU
     lacks. */
  uint64_t missing_cpu_features;
} lstm_abi_error_t;

/* Runs the model on contiguous tensors: every input present (optional ones
   as zeros), outputs allocated by the caller with the shapes the signature
   implies. num_threads <= 0 uses OpenMP's default; a CPU model refuses more
   than LSTM_ABI_MAX_THREADS (a CUDA model ignores it). Returns LSTM_ABI_OK,
   or another LSTM_ABI_* status with the details in *error (which may be
   NULL). The function checks what it relies on (element counts, static and
   shared sizes, the sizes its layers relate, index and length values)
   before it reads the tensors; it cannot check ranks, element types or the
   size of a buffer, which the runtime (lstm_runtime.h) also checks. */
typedef int32_t (*lstm_abi_run_fn)(const lstm_abi_buffer_t *inputs,
                                   const lstm_abi_buffer_t *outputs,
                                   int32_t num_threads,
                                   lstm_abi_error_t *error);

/* Returns the cpu_features this CPU lacks, bit i for cpu_features[i]; 0
   when the model can run here. Safe to call on any CPU of the model's
   architecture. */
typedef uint64_t (*lstm_abi_cpu_check_fn)(void);

typedef struct lstm_abi_model {
  uint32_t abi_version; /* LSTM_ABI_VERSION */
  int32_t num_inputs;
  int32_t num_outputs;
  int32_t num_symbols;
  const lstm_abi_tensor_info_t *inputs;
  const lstm_abi_tensor_info_t *outputs;
  const char *const *symbols;
  /* The symbol of the batch dimension, which callers may leave out of every
     input and output to run one unbatched sequence; -1 if none. */
  int32_t batch_symbol;
  lstm_abi_run_fn run;
  /* The messages of the run function's checks, by index. */
  int32_t num_checks;
  const char *const *checks;
  /* The CPU the model was compiled for (lstm-compile --mcpu), and the
     instruction-set features its code uses, by LLVM's names ("avx2",
     "avx512f", ...); at most 64. */
  const char *target_cpu;
  int32_t num_cpu_features;
  const char *const *cpu_features;
  lstm_abi_cpu_check_fn missing_cpu_features;
} lstm_abi_model_t;

#ifdef __cplusplus
}
#endif

#endif /* LSTM_RUNTIME_LSTM_ABI_H */
