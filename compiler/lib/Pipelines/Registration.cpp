//===- Registration.cpp - lstm-opt's pipelines ------------------*- C++ -*-===//

#include "lstm/Pipelines/Pipelines.h"

#include "mlir/Pass/PassRegistry.h"

using namespace mlir;

void lstm::registerLSTMPipelines() {
  PassPipelineRegistration<CPUPipelineOptions>(
      "lstm-to-buffers",
      "The front half of lstm-to-llvm: lstm models on tensors to "
      "lstm.recurrence on buffers, with run-time checks",
      buildLSTMToBuffersPipeline);
  PassPipelineRegistration<CPUPipelineOptions>(
      "lstm-to-llvm",
      "Compile lstm models on tensors to the LLVM dialect for CPUs",
      buildLSTMToLLVMPipeline);
  PassPipelineRegistration<GPUPipelineOptions>(
      "lstm-to-nvvm",
      "Compile lstm models on tensors to host LLVM dialect and NVVM kernels "
      "serialized as a gpu.binary",
      buildLSTMToNVVMPipeline);
}
