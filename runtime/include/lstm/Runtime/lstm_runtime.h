/*===- lstm_runtime.h - Load and run compiled lstmc models --------*- C -*-===*\
|*                                                                            *|
|* The lstmc runtime loads models built by `lstm-compile -o model.so` (or     *|
|* wraps models linked into the program), describes their inputs and          *|
|* outputs, and runs them on caller-owned tensors after checking every shape  *|
|* and element type.                                                          *|
|*                                                                            *|
|* Conventions: every fallible call returns an lstm_status_t, NULL on         *|
|* success; output parameters come last and are named out_*; objects made by  *|
|* a *_load/*_wrap call are released by the matching *_free. All calls are    *|
|* thread-safe, and one model may run on many threads at once.                *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef LSTM_RUNTIME_LSTM_RUNTIME_H
#define LSTM_RUNTIME_LSTM_RUNTIME_H

#include "lstm/Runtime/lstm_abi.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LSTM_RUNTIME_EXPORT __attribute__((visibility("default")))

/*===----------------------------------------------------------------------===*/
/* Status                                                                     */
/*===----------------------------------------------------------------------===*/

typedef enum lstm_status_code {
  LSTM_OK = 0,
  /* A null pointer, an index out of range, a shape or element type that does
     not match the model, a value out of range. */
  LSTM_INVALID_ARGUMENT = 1,
  /* A file or a named input/output that does not exist. */
  LSTM_NOT_FOUND = 2,
  /* A file that is not a model compiled by lstm-compile, or one compiled for
     another ABI version. */
  LSTM_NOT_A_MODEL = 3,
  /* The hardware or driver the model needs is not there. */
  LSTM_UNAVAILABLE = 4,
  LSTM_OUT_OF_MEMORY = 5,
  LSTM_INTERNAL = 6,
} lstm_status_code_t;

/* An error: a code and a message. NULL means success. */
typedef struct lstm_status_s *lstm_status_t;

/* The status's code; LSTM_OK for NULL. */
LSTM_RUNTIME_EXPORT lstm_status_code_t lstm_status_code(lstm_status_t status);
/* The status's message, owned by the status; "" for NULL. */
LSTM_RUNTIME_EXPORT const char *lstm_status_message(lstm_status_t status);
/* Releases a status; NULL is allowed. */
LSTM_RUNTIME_EXPORT void lstm_status_free(lstm_status_t status);

/*===----------------------------------------------------------------------===*/
/* Models                                                                     */
/*===----------------------------------------------------------------------===*/

typedef struct lstm_model_s lstm_model_t;

/* Loads the model shared library at `path`. Release with lstm_model_free. */
LSTM_RUNTIME_EXPORT lstm_status_t lstm_model_load(const char *path,
                                                  lstm_model_t **out_model);

/* Wraps a model linked into the program: pass `&P_model` from the header
   lstm-compile generated. `abi` must outlive the model. Release with
   lstm_model_free. */
LSTM_RUNTIME_EXPORT lstm_status_t lstm_model_wrap(const lstm_abi_model_t *abi,
                                                  lstm_model_t **out_model);

/* Releases a model; NULL is allowed. No run may be in progress. */
LSTM_RUNTIME_EXPORT void lstm_model_free(lstm_model_t *model);

/* The model's signature: names, element types, shapes with named dynamic
   dimensions. Owned by the model. */
LSTM_RUNTIME_EXPORT const lstm_abi_model_t *
lstm_model_signature(const lstm_model_t *model);

/* The index of the input (or output) called `name`. */
LSTM_RUNTIME_EXPORT lstm_status_t lstm_model_find_input(
    const lstm_model_t *model, const char *name, int32_t *out_index);
LSTM_RUNTIME_EXPORT lstm_status_t lstm_model_find_output(
    const lstm_model_t *model, const char *name, int32_t *out_index);

/*===----------------------------------------------------------------------===*/
/* Running                                                                    */
/*===----------------------------------------------------------------------===*/

/* A contiguous, row-major tensor owned by the caller. */
typedef struct lstm_tensor {
  int32_t dtype; /* LSTM_ABI_FLOAT32, ... */
  int32_t rank;
  const int64_t *shape;
  void *data; /* NULL for an omitted optional input */
} lstm_tensor_t;

typedef struct lstm_run_options {
  /* Threads for this run; <= 0 uses all the cores OpenMP sees. At most
     LSTM_ABI_MAX_THREADS (lstm_abi.h). */
  int32_t num_threads;
} lstm_run_options_t;

/* Writes the shape of output `index` for these inputs (one tensor per model
   input, in order; omitted ones have data == NULL) to `out_shape`, which has
   room for `capacity` sizes, and its rank to `out_rank`. The inputs are
   checked as lstm_model_run checks them, but their data is not read. When
   the inputs leave out the batch dimension, so does the output. */
LSTM_RUNTIME_EXPORT lstm_status_t lstm_model_output_shape(
    const lstm_model_t *model, const lstm_tensor_t *inputs, int32_t index,
    int64_t *out_shape, int32_t capacity, int32_t *out_rank);

/* Runs the model: `inputs` has one tensor per model input, in order, with
   data == NULL for omitted optional inputs; `outputs` has one tensor per
   model output, allocated by the caller with the shapes
   lstm_model_output_shape gives. `options` may be NULL. Inputs whose batch
   dimension is left out run as one unbatched sequence. */
LSTM_RUNTIME_EXPORT lstm_status_t
lstm_model_run(const lstm_model_t *model, const lstm_tensor_t *inputs,
               const lstm_tensor_t *outputs, const lstm_run_options_t *options);

/* The name of an element type ("float32", ...). */
LSTM_RUNTIME_EXPORT const char *lstm_dtype_name(int32_t dtype);

/* The size in bytes of one element of `dtype`; 0 if unknown. */
LSTM_RUNTIME_EXPORT size_t lstm_dtype_size(int32_t dtype);

#ifdef __cplusplus
}
#endif

#endif /* LSTM_RUNTIME_LSTM_RUNTIME_H */
