//===- CUDARuntime.cpp - MLIR's GPU runtime on CUDA's driver ---*- C++ -*-===//
//
// The host code MLIR's gpu-to-llvm conversion generates calls mgpu*
// functions; Debian's MLIR does not ship the library that defines them, and
// it would need the driver at link time. This one opens libcuda.so.1 with
// dlopen on first use and records errors instead of aborting: the first
// failed call of a thread is kept, later calls in the thread do nothing,
// and lstm_cuda_end reports it. Kernel modules are loaded when the model is
// loaded (by its global constructor); a failure there is reported by the
// model's runs, which find no kernels.
//
//===----------------------------------------------------------------------===//

#include "lstm/Runtime/lstm_cuda.h"

#include <dlfcn.h>

#include <climits>
#include <cstdint>
#include <cstdlib>
#include <mutex>
#include <string>

namespace {
// The driver API's types, as cuda.h declares them.
using CUresult = int;
using CUdevice = int;
using CUdeviceptr = unsigned long long;
using CUcontext = struct CUctx_st *;
using CUmodule = struct CUmod_st *;
using CUfunction = struct CUfunc_st *;
using CUstream = struct CUstream_st *;
using CUevent = struct CUevent_st *;
constexpr CUresult CUDA_SUCCESS = 0;
constexpr unsigned CU_MEM_ATTACH_GLOBAL = 1;
constexpr int CU_JIT_OPTIMIZATION_LEVEL = 7;

/// The driver's entry points, resolved once.
struct Driver {
  CUresult (*cuInit)(unsigned);
  CUresult (*cuDeviceGet)(CUdevice *, int);
  CUresult (*cuDevicePrimaryCtxRetain)(CUcontext *, CUdevice);
  CUresult (*cuCtxSetCurrent)(CUcontext);
  CUresult (*cuGetErrorString)(CUresult, const char **);
  CUresult (*cuModuleLoadData)(CUmodule *, const void *);
  CUresult (*cuModuleLoadDataEx)(CUmodule *, const void *, unsigned, int *,
                                 void **);
  CUresult (*cuModuleUnload)(CUmodule);
  CUresult (*cuModuleGetFunction)(CUfunction *, CUmodule, const char *);
  CUresult (*cuLaunchKernel)(CUfunction, unsigned, unsigned, unsigned, unsigned,
                             unsigned, unsigned, unsigned, CUstream, void **,
                             void **);
  CUresult (*cuStreamCreate)(CUstream *, unsigned);
  CUresult (*cuStreamDestroy)(CUstream);
  CUresult (*cuStreamSynchronize)(CUstream);
  CUresult (*cuStreamWaitEvent)(CUstream, CUevent, unsigned);
  CUresult (*cuEventCreate)(CUevent *, unsigned);
  CUresult (*cuEventDestroy)(CUevent);
  CUresult (*cuEventSynchronize)(CUevent);
  CUresult (*cuEventRecord)(CUevent, CUstream);
  CUresult (*cuMemAlloc)(CUdeviceptr *, size_t);
  CUresult (*cuMemAllocManaged)(CUdeviceptr *, size_t, unsigned);
  CUresult (*cuMemFree)(CUdeviceptr);
  CUresult (*cuMemcpyAsync)(CUdeviceptr, CUdeviceptr, size_t, CUstream);
  CUresult (*cuMemsetD32Async)(CUdeviceptr, unsigned, size_t, CUstream);
  CUresult (*cuMemsetD16Async)(CUdeviceptr, unsigned short, size_t, CUstream);

  CUcontext context = nullptr;
  /// Why the driver cannot be used; empty if it can.
  std::string unavailable;
};

/// Opens the driver and retains device 0's primary context, once.
Driver &driver() {
  // Never destroyed: models unload their kernels from global destructors,
  // which may run after this function's statics would be.
  static Driver &d = *new Driver;
  static std::once_flag once;
  std::call_once(once, [] {
    // LSTMC_CUDA_DRIVER names another library, e.g. to test the path
    // where there is none.
    const char *name = std::getenv("LSTMC_CUDA_DRIVER");
    if (!name || !*name)
      name = "libcuda.so.1";
    void *library = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (!library) {
      d.unavailable = std::string("no CUDA driver: ") + dlerror();
      return;
    }
    bool missing = false;
    auto resolve = [&](auto &fn, const char *symbol) {
      fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(
          dlsym(library, symbol));
      if (!fn && !missing) {
        missing = true;
        d.unavailable =
            std::string("the CUDA driver has no ") + symbol + " (too old?)";
      }
    };
    resolve(d.cuInit, "cuInit");
    resolve(d.cuDeviceGet, "cuDeviceGet");
    resolve(d.cuDevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain");
    resolve(d.cuCtxSetCurrent, "cuCtxSetCurrent");
    resolve(d.cuGetErrorString, "cuGetErrorString");
    resolve(d.cuModuleLoadData, "cuModuleLoadData");
    resolve(d.cuModuleLoadDataEx, "cuModuleLoadDataEx");
    resolve(d.cuModuleUnload, "cuModuleUnload");
    resolve(d.cuModuleGetFunction, "cuModuleGetFunction");
    resolve(d.cuLaunchKernel, "cuLaunchKernel");
    resolve(d.cuStreamCreate, "cuStreamCreate");
    resolve(d.cuStreamDestroy, "cuStreamDestroy_v2");
    resolve(d.cuStreamSynchronize, "cuStreamSynchronize");
    resolve(d.cuStreamWaitEvent, "cuStreamWaitEvent");
    resolve(d.cuEventCreate, "cuEventCreate");
    resolve(d.cuEventDestroy, "cuEventDestroy_v2");
    resolve(d.cuEventSynchronize, "cuEventSynchronize");
    resolve(d.cuEventRecord, "cuEventRecord");
    resolve(d.cuMemAlloc, "cuMemAlloc_v2");
    resolve(d.cuMemAllocManaged, "cuMemAllocManaged");
    resolve(d.cuMemFree, "cuMemFree_v2");
    resolve(d.cuMemcpyAsync, "cuMemcpyAsync");
    resolve(d.cuMemsetD32Async, "cuMemsetD32Async");
    resolve(d.cuMemsetD16Async, "cuMemsetD16Async");
    if (missing)
      return;
    auto describe = [&](const char *what, CUresult result) {
      const char *text = nullptr;
      d.cuGetErrorString(result, &text);
      d.unavailable = std::string(what) + ": " + (text ? text : "error") +
                      " (" + std::to_string(result) + ")";
    };
    if (CUresult r = d.cuInit(0)) {
      describe("cuInit failed", r);
      return;
    }
    CUdevice device;
    if (CUresult r = d.cuDeviceGet(&device, 0)) {
      describe("no CUDA device", r);
      return;
    }
    if (CUresult r = d.cuDevicePrimaryCtxRetain(&d.context, device))
      describe("cannot create a CUDA context", r);
  });
  return d;
}

/// The first error of this thread since lstm_cuda_begin.
thread_local std::string threadError;
/// Why the last kernel module that failed to load did. Modules load from
/// the global constructors of models, on no run's thread; a failed load
/// leaves a null module, which the runs of that model then report.
std::mutex loadMutex;
std::string loadError;

/// Whether the driver works; makes its context current for this thread.
bool usable() {
  Driver &d = driver();
  if (!d.unavailable.empty())
    return false;
  d.cuCtxSetCurrent(d.context);
  return true;
}

/// Whether calls may go ahead: the driver works and this thread has no
/// error.
bool ready() {
  if (!usable()) {
    if (threadError.empty())
      threadError = driver().unavailable;
    return false;
  }
  return threadError.empty();
}

std::string describe(CUresult result, const char *call) {
  const char *text = nullptr;
  driver().cuGetErrorString(result, &text);
  return std::string(call) + " failed: " + (text ? text : "error") + " (" +
         std::to_string(result) + ")";
}

/// Records `result` of `call` if it is an error; returns whether it is not.
bool check(CUresult result, const char *call) {
  if (result == CUDA_SUCCESS)
    return true;
  if (threadError.empty())
    threadError = describe(result, call);
  return false;
}

CUmodule loadModule(const void *data, bool jit, int optLevel) {
  std::string error = driver().unavailable;
  if (usable()) {
    Driver &d = driver();
    CUmodule module = nullptr;
    CUresult result;
    if (jit) {
      int options[] = {CU_JIT_OPTIMIZATION_LEVEL};
      void *values[] = {
          reinterpret_cast<void *>(static_cast<intptr_t>(optLevel))};
      result = d.cuModuleLoadDataEx(&module, data, 1, options, values);
    } else {
      result = d.cuModuleLoadData(&module, data);
    }
    if (result == CUDA_SUCCESS)
      return module;
    error = describe(result, jit ? "cuModuleLoadDataEx" : "cuModuleLoadData");
  }
  std::lock_guard<std::mutex> lock(loadMutex);
  loadError = error;
  return nullptr;
}
} // namespace

//===----------------------------------------------------------------------===//
// What compiled models' P_run calls.
//===----------------------------------------------------------------------===//

extern "C" int32_t lstm_cuda_begin(void) {
  threadError.clear();
  if (ready())
    return 0;
  return 4; // LSTM_UNAVAILABLE
}

extern "C" int32_t lstm_cuda_end(void) { return threadError.empty() ? 0 : 6; }

extern "C" const char *lstm_cuda_error_message(void) {
  return threadError.c_str();
}

//===----------------------------------------------------------------------===//
// MLIR's GPU runtime ABI (see mlir/lib/ExecutionEngine/CudaRuntimeWrappers.cpp
// for the reference implementation and the signatures).
//===----------------------------------------------------------------------===//

extern "C" CUmodule mgpuModuleLoad(void *data, size_t /*size*/) {
  return loadModule(data, /*jit=*/false, 0);
}

extern "C" CUmodule mgpuModuleLoadJIT(void *data, int optLevel) {
  return loadModule(data, /*jit=*/true, optLevel);
}

extern "C" void mgpuModuleUnload(CUmodule module) {
  if (module && usable())
    driver().cuModuleUnload(module);
}

extern "C" CUfunction mgpuModuleGetFunction(CUmodule module, const char *name) {
  if (!ready())
    return nullptr;
  if (!module) {
    std::lock_guard<std::mutex> lock(loadMutex);
    threadError = "cannot load the model's kernels: " + loadError;
    return nullptr;
  }
  CUfunction function = nullptr;
  check(driver().cuModuleGetFunction(&function, module, name),
        "cuModuleGetFunction");
  return function;
}

extern "C" void mgpuLaunchKernel(CUfunction function, intptr_t gridX,
                                 intptr_t gridY, intptr_t gridZ,
                                 intptr_t blockX, intptr_t blockY,
                                 intptr_t blockZ, int32_t smem, CUstream stream,
                                 void **params, void **extra,
                                 size_t /*paramsCount*/) {
  if (!function || !ready())
    return;
  // An empty grid (a batch of 0) launches nothing.
  if (gridX == 0 || gridY == 0 || gridZ == 0)
    return;
  if (gridX > INT32_MAX || gridY > 65535 || gridZ > 65535) {
    threadError = "a kernel grid of " + std::to_string(gridX) + " x " +
                  std::to_string(gridY) + " x " + std::to_string(gridZ) +
                  " blocks is larger than CUDA allows";
    return;
  }
  check(driver().cuLaunchKernel(function, gridX, gridY, gridZ, blockX, blockY,
                                blockZ, smem, stream, params, extra),
        "cuLaunchKernel");
}

extern "C" CUstream mgpuStreamCreate() {
  CUstream stream = nullptr;
  if (ready())
    check(driver().cuStreamCreate(&stream, /*CU_STREAM_NON_BLOCKING=*/1),
          "cuStreamCreate");
  return stream;
}

// Streams and events are synchronized and destroyed even after an error,
// so that nothing leaks.
extern "C" void mgpuStreamDestroy(CUstream stream) {
  if (stream && usable())
    check(driver().cuStreamDestroy(stream), "cuStreamDestroy");
}

extern "C" void mgpuStreamSynchronize(CUstream stream) {
  if (stream && usable())
    check(driver().cuStreamSynchronize(stream), "cuStreamSynchronize");
}

extern "C" void mgpuStreamWaitEvent(CUstream stream, CUevent event) {
  if (stream && event && ready())
    check(driver().cuStreamWaitEvent(stream, event, 0), "cuStreamWaitEvent");
}

extern "C" CUevent mgpuEventCreate() {
  CUevent event = nullptr;
  if (ready())
    check(driver().cuEventCreate(&event, /*CU_EVENT_DISABLE_TIMING=*/2),
          "cuEventCreate");
  return event;
}

extern "C" void mgpuEventDestroy(CUevent event) {
  if (event && usable())
    check(driver().cuEventDestroy(event), "cuEventDestroy");
}

extern "C" void mgpuEventSynchronize(CUevent event) {
  if (event && usable())
    check(driver().cuEventSynchronize(event), "cuEventSynchronize");
}

extern "C" void mgpuEventRecord(CUevent event, CUstream stream) {
  if (event && ready())
    check(driver().cuEventRecord(event, stream), "cuEventRecord");
}

extern "C" void *mgpuMemAlloc(uint64_t sizeBytes, CUstream /*stream*/,
                              bool isHostShared) {
  CUdeviceptr ptr = 0;
  if (sizeBytes == 0 || !ready())
    return nullptr;
  if (isHostShared)
    check(driver().cuMemAllocManaged(&ptr, sizeBytes, CU_MEM_ATTACH_GLOBAL),
          "cuMemAllocManaged");
  else
    check(driver().cuMemAlloc(&ptr, sizeBytes), "cuMemAlloc");
  return reinterpret_cast<void *>(ptr);
}

extern "C" void mgpuMemFree(void *ptr, CUstream /*stream*/) {
  // Freeing is done even after an error, so that nothing leaks.
  if (ptr && usable()) {
    check(driver().cuMemFree(reinterpret_cast<CUdeviceptr>(ptr)), "cuMemFree");
  }
}

extern "C" void mgpuMemcpy(void *dst, void *src, size_t sizeBytes,
                           CUstream stream) {
  if (sizeBytes == 0 || !ready())
    return;
  check(driver().cuMemcpyAsync(reinterpret_cast<CUdeviceptr>(dst),
                               reinterpret_cast<CUdeviceptr>(src), sizeBytes,
                               stream),
        "cuMemcpyAsync");
}

extern "C" void mgpuMemset32(void *dst, unsigned value, size_t count,
                             CUstream stream) {
  if (count == 0 || !ready())
    return;
  check(driver().cuMemsetD32Async(reinterpret_cast<CUdeviceptr>(dst), value,
                                  count, stream),
        "cuMemsetD32Async");
}

extern "C" void mgpuMemset16(void *dst, unsigned short value, size_t count,
                             CUstream stream) {
  if (count == 0 || !ready())
    return;
  check(driver().cuMemsetD16Async(reinterpret_cast<CUdeviceptr>(dst), value,
                                  count, stream),
        "cuMemsetD16Async");
}

extern "C" void mgpuSetDefaultDevice(int32_t device) {
  if (device != 0 && threadError.empty())
    threadError = "lstmc runs CUDA models on device 0 only";
}
