/*===- lstm_cuda.h - What CUDA models call in the lstmc runtime ----*- C
-*-===*\
|*                                                                            *|
|* Models compiled with `lstm-compile --target=cuda` link liblstm_cuda. Their *|
|* host code calls MLIR's GPU runtime ABI (mgpuModuleLoad, mgpuLaunchKernel,  *|
|* mgpuMemcpy, ...), which liblstm_cuda implements on the CUDA driver API,    *|
|* opened with dlopen: building or loading a CUDA model needs no driver, and  *|
|* without one a run fails with a status instead of crashing. Their P_run     *|
|* brackets the body with the two calls below.                                *|
|*                                                                            *|
\*===----------------------------------------------------------------------===*/

#ifndef LSTM_RUNTIME_LSTM_CUDA_H
#define LSTM_RUNTIME_LSTM_CUDA_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Makes the CUDA driver and device 0's primary context ready for this
   thread and clears its error. Returns 0, or LSTM_UNAVAILABLE (4) when there
   is no driver, no device or the model's kernels could not be loaded; the
   run must then be skipped. */
int32_t lstm_cuda_begin(void);

/* Returns 0 if every GPU call of this thread since lstm_cuda_begin
   succeeded, else LSTM_INTERNAL (6). After a failed call the later ones do
   nothing. */
int32_t lstm_cuda_end(void);

/* The first error of this thread's last run or begin, or of loading the
   kernels; "" if none. */
const char *lstm_cuda_error_message(void);

#ifdef __cplusplus
}
#endif

#endif /* LSTM_RUNTIME_LSTM_CUDA_H */
