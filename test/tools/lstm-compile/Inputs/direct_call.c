/* Calls tiny_run, linked from tiny.o, as a program using the generated
   header does, and prints its status, with the missing CPU features when it
   refuses the CPU. With the argument "short", the input buffer is one
   element shorter than its shape says, which the run function cannot see. */
#include "tiny.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
  enum { T = 5, N = 2 };
  int shortInput = argc > 1 && strcmp(argv[1], "short") == 0;
  float *input = calloc(T * N * 4 - shortInput, sizeof(float));
  float *h0 = calloc(N * 8, sizeof(float)), *c0 = calloc(N * 8, sizeof(float));
  float *output = calloc(T * N * 8, sizeof(float));
  float *hN = calloc(N * 8, sizeof(float)), *cN = calloc(N * 8, sizeof(float));
  int64_t lengths[N] = {T, T};
  int64_t inputShape[] = {T, N, 4}, stateShape[] = {1, N, 8},
          lengthsShape[] = {N}, outputShape[] = {T, N, 8};
  lstm_abi_buffer_t inputs[] = {{input, inputShape},
                                {h0, stateShape},
                                {c0, stateShape},
                                {lengths, lengthsShape}};
  lstm_abi_buffer_t outputs[] = {
      {output, outputShape}, {hN, stateShape}, {cN, stateShape}};
  lstm_abi_error_t error;
  int32_t status = tiny_run(inputs, outputs, 1, &error);
  printf("status %d\n", (int)status);
  if (status == LSTM_ABI_UNSUPPORTED_CPU)
    for (int32_t i = 0; i < tiny_model.num_cpu_features; ++i)
      if (error.missing_cpu_features & ((uint64_t)1 << i))
        printf("missing %s\n", tiny_model.cpu_features[i]);
  free(input);
  free(h0);
  free(c0);
  free(output);
  free(hN);
  free(cN);
  return status == LSTM_ABI_OK ? 0 : 2;
}
