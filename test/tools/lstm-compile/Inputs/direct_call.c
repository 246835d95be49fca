/* Calls tiny_run, linked from tiny.o, as a program using the generated
   header does, and prints the status: 0 when it runs, the missing CPU
   features when it refuses to. */
#include "tiny.h"

#include <stdio.h>

int main(void) {
  enum { T = 5, N = 2 };
  float input[T][N][4] = {{{0}}}, h0[1][N][8] = {{{0}}}, c0[1][N][8] = {{{0}}};
  float output[T][N][8], hN[1][N][8], cN[1][N][8];
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
  return status == LSTM_ABI_OK ? 0 : 2;
}
