//===- GPUPipeline.cpp - The lstm-to-nvvm pipeline --------------*- C++ -*-===//

#include "Stages.h"

#include "lstm/Conversion/Passes.h"
#include "lstm/Pipelines/Pipelines.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void lstm::buildLSTMToNVVMPipeline(OpPassManager &pm,
                                   const GPUPipelineOptions &options) {
  buildBufferStage(pm, options.blockSize, options.hostVectorSize);
  pm.addPass(createConvertLSTMToGPU({options.hostLoops}));
  if (options.hostLoops) {
    buildLoopStage(pm);
    buildLLVMStage(pm);
    return;
  }
  pm.addPass(createGpuKernelOutliningPass());
  // Host and kernels alike: loops, then the kernels to NVVM.
  buildLoopStage(pm);
  GpuNVVMAttachTargetOptions target;
  target.chip = options.chip;
  target.features = options.features;
  target.optLevel = 3;
  pm.addPass(createGpuNVVMAttachTarget(target));
  pm.addNestedPass<gpu::GPUModuleOp>(createConvertGpuOpsToNVVMOps());
  pm.addNestedPass<gpu::GPUModuleOp>(createCanonicalizerPass());
  pm.addNestedPass<gpu::GPUModuleOp>(createCSEPass());
  pm.addNestedPass<gpu::GPUModuleOp>(createReconcileUnrealizedCastsPass());
  // The host: launches and copies become calls to the mgpu* functions of
  // lstmc's CUDA runtime.
  pm.addPass(createGpuToLLVMConversionPass());
  buildLLVMStage(pm);
  GpuModuleToBinaryPassOptions binary;
  binary.toolkitPath = options.toolkit;
  binary.compilationTarget = options.format;
  pm.addPass(createGpuModuleToBinaryPass(binary));
}
