/* Links a compiled model's object file directly into a C program:
 *
 *   lstm-compile model.mlir -o bilstm.o     (and -o bilstm.h)
 *   cc link_object.c bilstm.o -lomp -o link_object
 *
 * Runs the bundled 2-layer bidirectional model on a batch of 3 sequences of
 * 5 steps and prints the outputs' shapes and checksums. Nothing checks the
 * arguments on this path: every input, including h0, c0 and lengths, is
 * passed explicitly with the shapes the header documents.
 */
#include "bilstm.h"

#include <stdio.h>
#include <stdlib.h>

enum { T = 5, N = 3, I = 8, D_LAYERS = 4, H_OUT = 8, H = 16 };

static double checksum(const float *data, size_t count) {
  double sum = 0;
  for (size_t i = 0; i < count; ++i)
    sum += data[i];
  return sum;
}

int main(void) {
  static float input[T][N][I], h0[D_LAYERS][N][H_OUT], c0[D_LAYERS][N][H];
  static float output[T][N][2 * H_OUT], h_n[D_LAYERS][N][H_OUT],
      c_n[D_LAYERS][N][H];
  int64_t lengths[N] = {T, 3, 1};
  for (int t = 0; t < T; ++t)
    for (int n = 0; n < N; ++n)
      for (int i = 0; i < I; ++i)
        input[t][n][i] = (float)((t * N + n) * I + i) / (T * N * I) - 0.5f;

  int64_t input_shape[] = {T, N, I}, h_shape[] = {D_LAYERS, N, H_OUT},
          c_shape[] = {D_LAYERS, N, H}, lengths_shape[] = {N},
          output_shape[] = {T, N, 2 * H_OUT};
  lstm_abi_buffer_t inputs[] = {{input, input_shape},
                                {h0, h_shape},
                                {c0, c_shape},
                                {lengths, lengths_shape}};
  lstm_abi_buffer_t outputs[] = {
      {output, output_shape}, {h_n, h_shape}, {c_n, c_shape}};
  lstm_abi_error_t error;
  /* A sequence length past T is refused, with nothing read out of bounds. */
  int64_t length = lengths[1];
  lengths[1] = T + 1;
  if (bilstm_run(inputs, outputs, 0, &error) != LSTM_ABI_CHECK_FAILED) {
    fprintf(stderr, "bilstm_run accepted a length past the input's end\n");
    return 1;
  }
  printf("refused: %s\n", bilstm_model.checks[error.check]);
  lengths[1] = length;
  int32_t status = bilstm_run(inputs, outputs, 0, &error);
  if (status == LSTM_ABI_CHECK_FAILED) {
    fprintf(stderr, "bilstm_run: %s\n", bilstm_model.checks[error.check]);
    return 1;
  }
  if (status != LSTM_ABI_OK) {
    fprintf(stderr, "bilstm_run failed with status %d\n", (int)status);
    return 1;
  }

  printf("output [%d, %d, %d] checksum=%.6f\n", T, N, 2 * H_OUT,
         checksum(&output[0][0][0], sizeof(output) / sizeof(float)));
  printf("h_n [%d, %d, %d] checksum=%.6f\n", D_LAYERS, N, H_OUT,
         checksum(&h_n[0][0][0], sizeof(h_n) / sizeof(float)));
  printf("c_n [%d, %d, %d] checksum=%.6f\n", D_LAYERS, N, H,
         checksum(&c_n[0][0][0], sizeof(c_n) / sizeof(float)));
  /* Steps past a sequence's length give zero output rows. */
  for (int i = 0; i < 2 * H_OUT; ++i)
    if (output[T - 1][2][i] != 0.0f) {
      fprintf(stderr, "output past the end of sequence 2 is not zero\n");
      return 1;
    }
  return 0;
}
