//===- CPUPipeline.cpp - The lstm-to-llvm pipeline --------------*- C++ -*-===//

#include "Stages.h"

#include "lstm/Conversion/Passes.h"
#include "lstm/Pipelines/Pipelines.h"

#include "mlir/Pass/PassManager.h"

using namespace mlir;

void lstm::buildLSTMToBuffersPipeline(OpPassManager &pm,
                                      const CPUPipelineOptions &options) {
  buildBufferStage(pm, options.blockSize, options.blockSize);
}

void lstm::buildLSTMToLLVMPipeline(OpPassManager &pm,
                                   const CPUPipelineOptions &options) {
  buildLSTMToBuffersPipeline(pm, options);
  pm.addPass(createConvertLSTMToVector(
      {options.rowsPerTile, options.accumulators, options.rowsPerChunk}));
  buildLoopStage(pm);
  buildLLVMStage(pm);
}
