/* Calls tiny_run with an input buffer shorter than its shape says, which
   the run function cannot see: the model's code reads past it. */
#include "tiny.h"

#include <stdlib.h>

int main(void) {
  enum { T = 5, N = 2 };
  float *input = calloc(T * N * 4 - 1, sizeof(float)); /* one short */
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
  return tiny_run(inputs, outputs, 1, NULL);
}
