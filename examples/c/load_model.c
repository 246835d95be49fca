/* Loads a compiled model shared library through the lstmc runtime, which
 * checks every shape and fills in omitted inputs:
 *
 *   lstm-compile model.mlir -o model.so
 *   cc load_model.c -llstm_runtime -o load_model && ./load_model model.so
 *
 * Prints the model's signature, then runs it on one unbatched sequence of 7
 * steps with h0, c0 and lengths left out, as PyTorch allows.
 */
#include "lstm/Runtime/lstm_runtime.h"

#include <stdio.h>
#include <stdlib.h>

static int fail(lstm_status_t status) {
  fprintf(stderr, "error: %s\n", lstm_status_message(status));
  lstm_status_free(status);
  return 1;
}

static void print_tensor_info(const lstm_abi_model_t *sig,
                              const lstm_abi_tensor_info_t *info) {
  printf("  %-8s %s [", info->name, lstm_dtype_name(info->dtype));
  for (int d = 0; d < info->rank; ++d) {
    int64_t dim = info->dims[d];
    if (dim >= 0)
      printf("%s%lld", d ? ", " : "", (long long)dim);
    else
      printf("%s%s", d ? ", " : "", sig->symbols[-dim - 1]);
  }
  printf("]%s\n", info->flags & LSTM_ABI_OPTIONAL ? " (optional)" : "");
}

int main(int argc, char **argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s MODEL.so\n", argv[0]);
    return 1;
  }
  lstm_model_t *model = NULL;
  lstm_status_t status = lstm_model_load(argv[1], &model);
  if (status)
    return fail(status);
  const lstm_abi_model_t *sig = lstm_model_signature(model);
  printf("inputs:\n");
  for (int i = 0; i < sig->num_inputs; ++i)
    print_tensor_info(sig, &sig->inputs[i]);
  printf("outputs:\n");
  for (int i = 0; i < sig->num_outputs; ++i)
    print_tensor_info(sig, &sig->outputs[i]);

  /* One unbatched sequence: input is (T, I) without the batch dimension. */
  int32_t input_index;
  if ((status = lstm_model_find_input(model, "input", &input_index)))
    return fail(status);
  int64_t features = sig->inputs[input_index].dims[2];
  int64_t input_shape[2] = {7, features};
  float *input = malloc(sizeof(float) * 7 * features);
  for (int64_t i = 0; i < 7 * features; ++i)
    input[i] = (float)(i % 11) / 11.0f - 0.5f;
  lstm_tensor_t *inputs = calloc(sig->num_inputs, sizeof(lstm_tensor_t));
  inputs[input_index] =
      (lstm_tensor_t){LSTM_ABI_FLOAT32, 2, input_shape, input};

  lstm_tensor_t *outputs = calloc(sig->num_outputs, sizeof(lstm_tensor_t));
  int64_t(*shapes)[8] = calloc(sig->num_outputs, sizeof *shapes);
  for (int i = 0; i < sig->num_outputs; ++i) {
    int32_t rank;
    if ((status = lstm_model_output_shape(model, inputs, i, shapes[i], 8,
                                          &rank)))
      return fail(status);
    int64_t count = 1;
    for (int d = 0; d < rank; ++d)
      count *= shapes[i][d];
    outputs[i] = (lstm_tensor_t){sig->outputs[i].dtype, rank, shapes[i],
                                 calloc(count, sizeof(float))};
  }
  lstm_run_options_t options = {.num_threads = 2};
  if ((status = lstm_model_run(model, inputs, outputs, &options)))
    return fail(status);
  for (int i = 0; i < sig->num_outputs; ++i) {
    int64_t count = 1;
    printf("%s [", sig->outputs[i].name);
    for (int d = 0; d < outputs[i].rank; ++d) {
      printf("%s%lld", d ? ", " : "", (long long)shapes[i][d]);
      count *= shapes[i][d];
    }
    double sum = 0;
    for (int64_t j = 0; j < count; ++j)
      sum += ((const float *)outputs[i].data)[j];
    printf("] checksum=%.6f\n", sum);
    free(outputs[i].data);
  }
  free(shapes);
  free(outputs);
  free(inputs);
  free(input);
  lstm_model_free(model);
  return 0;
}
