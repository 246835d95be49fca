/*===- lstm_abi.h - The ABI of models compiled by lstm-compile ----*- C -*-===*\
|*                                                                            *|
|* A compiled model exports two symbols, named after its prefix P:            *|
|*   const lstm_abi_model_t P_model;  its signature and entry point, and      *|
|*   int32_t P_run(inputs, outputs, num_threads);  the entry point itself.    *|
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

#define LSTM_ABI_VERSION 1

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

/* Runs the model on valid, contiguous tensors: every input present, shapes
   as the signature says, outputs allocated by the caller with the shapes the
   signature implies. num_threads <= 0 uses OpenMP's default. Returns 0 on
   success. The function does not validate its arguments; the runtime
   (lstm_runtime.h) does. */
typedef int32_t (*lstm_abi_run_fn)(const lstm_abi_buffer_t *inputs,
                                   const lstm_abi_buffer_t *outputs,
                                   int32_t num_threads);

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
} lstm_abi_model_t;

#ifdef __cplusplus
}
#endif

#endif /* LSTM_RUNTIME_LSTM_ABI_H */
