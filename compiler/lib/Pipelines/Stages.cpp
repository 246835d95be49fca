//===- Stages.cpp - Pipeline stages shared by the targets -------*- C++ -*-===//

#include "Stages.h"

#include "lstm/Conversion/Passes.h"
#include "lstm/Dialect/LSTM/Transforms/Passes.h"

#include "mlir/Conversion/Passes.h"
#include "mlir/Dialect/Bufferization/Pipelines/Passes.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Passes.h"
#include "mlir/Dialect/MemRef/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

void lstm::buildBufferStage(OpPassManager &pm, int64_t blockSize,
                            int64_t vectorSize) {
  pm.addPass(createLSTMFoldBatchNorm());
  // Run-time checks next, while every op still says what it relies on.
  pm.addNestedPass<func::FuncOp>(createLSTMInsertRuntimeChecks());
  pm.addPass(createLSTMLowerGather());
  pm.addPass(createConvertLayersToLinalg());
  pm.addPass(createLSTMDecompose());
  pm.addPass(createLSTMPackWeights({blockSize}));
  pm.addPass(createLSTMFoldConstantLayouts());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  // The layers around the LSTMs: elementwise chains fused, then vectorized.
  pm.addPass(createLSTMFuseElementwise());
  pm.addPass(createConvertLinalgToVector(
      {vectorSize, /*maxVectorSize=*/4 * vectorSize}));
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());

  pm.addNestedPass<func::FuncOp>(createLSTMDistinctResults());
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
  pm.addPass(createLSTMLowerRuntimeChecks());
  bufferization::buildBufferDeallocationPipeline(pm);
}

void lstm::buildLoopStage(OpPassManager &pm) {
  pm.addPass(createConvertMemRefCopyToLinalg());
  pm.addPass(createConvertLinalgToLoopsPass());
  pm.addPass(createConvertMathToPolynomial());
  pm.addPass(createCanonicalizerPass());
  pm.addPass(createCSEPass());
  pm.addPass(createLoopInvariantCodeMotionPass());
  pm.addPass(createConvertVectorToSCFPass());
  pm.addPass(memref::createExpandStridedMetadataPass());
  pm.addPass(createLowerAffinePass());
  pm.addPass(createSCFToControlFlowPass());
}

void lstm::buildLLVMStage(OpPassManager &pm) {
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
