//===- CPUPipeline.cpp - The lstm-to-llvm pipeline --------------*- C++ -*-===//

#include "lstm/Conversion/Passes.h"
#include "lstm/Dialect/LSTM/Transforms/Passes.h"
#include "lstm/Pipelines/Pipelines.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void lstm::buildLSTMToLLVMPipeline(OpPassManager &pm,
                                   const CPUPipelineOptions &options) {
  // Tensors: one recurrence per layer and direction, weights packed at
  // compile time.
  pm.addPass(createLSTMDecompose());
  pm.addPass(createLSTMPackWeights({options.blockSize}));
  pm.addPass(createLSTMFoldConstantLayouts());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // The layers around the LSTMs: elementwise chains fused, then vectorized.
  pm.addPass(createLinalgElementwiseOpFusionPass());
  pm.addPass(createConvertLinalgToVector(
      {options.blockSize, /*maxVectorSize=*/4 * options.blockSize}));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());

  // Buffers, with identity layouts and out-parameters at the entry point so
  // that callers pass plain contiguous arrays.
  pm.addPass(bufferization::createEmptyTensorEliminationPass());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = true;
  bufferize.functionBoundaryTypeConversion =
      bufferization::LayoutMapOption::IdentityLayoutMap;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  bufferization::BufferResultsToOutParamsPassOptions outParams;
  outParams.hoistStaticAllocs = true;
  outParams.hoistDynamicAllocs = true;
  outParams.modifyPublicFunctions = true;
  pm.addPass(bufferization::createBufferResultsToOutParamsPass(outParams));
  bufferization::buildBufferDeallocationPipeline(pm);

  // Loops and vectors.
  pm.addPass(createConvertLSTMToVector(
      {options.rowsPerTile, options.accumulators, options.rowsPerChunk}));
  pm.addPass(createConvertMemRefCopyToLinalg());
  pm.addPass(createConvertLinalgToLoopsPass());
  pm.addPass(createConvertMathToPolynomial());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createLoopInvariantCodeMotionPass());

  // LLVM.
  pm.addPass(createConvertVectorToSCFPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
  pm.addPass(createConvertVectorToLLVMPass());
  pm.addPass(createConvertMathToLLVMPass());
  pm.addPass(createFinalizeMemRefToLLVMConversionPass());
  pm.addPass(createArithToLLVMConversionPass());
  pm.addPass(createConvertIndexToLLVMPass());
  pm.addPass(createConvertControlFlowToLLVMPass());
  pm.addPass(createConvertOpenMPToLLVMPass());
  pm.addPass(createConvertFuncToLLVMPass());
  pm.addPass(createUBToLLVMConversionPass());
  pm.addPass(createReconcileUnrealizedCastsPass());
}

void lstm::registerLSTMPipelines() {
  PassPipelineRegistration<CPUPipelineOptions>(
      "lstm-to-llvm",
      "Compile lstm models on tensors to the LLVM dialect for CPUs",
      buildLSTMToLLVMPipeline);
}
