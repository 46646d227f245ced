//===- Pipeline.cpp - The shared front of codegen -------------------------===//

#include "compiler/Codegen/Passes.h"

#include "mlir/Dialect/Bufferization/Transforms/OneShotAnalysis.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace kiln {

void buildCommonCodegenPipeline(
    OpPassManager &pm,
    llvm::function_ref<void(OpPassManager &)> beforeBufferization) {
  pm.addPass(createBindKernelsPass());
  OpPassManager &func = pm.nest<func::FuncOp>();
  func.addPass(createTileWorkgroupsPass());
  func.addPass(createCanonicalizerPass());
  func.addPass(createCSEPass());
  if (beforeBufferization) {
    beforeBufferization(func);
    func.addPass(createCanonicalizerPass());
    func.addPass(createCSEPass());
  }
  pm.addPass(bufferization::createEmptyTensorEliminationPass());
  bufferization::OneShotBufferizePassOptions bufferize;
  bufferize.bufferizeFunctionBoundaries = false;
  // Loops whose state is not updated in place (ONNX Loop and Scan bodies
  // compute new tensors) get fresh buffers per iteration.
  bufferize.allowReturnAllocsFromLoops = true;
  pm.addPass(bufferization::createOneShotBufferizePass(bufferize));
  OpPassManager &after = pm.nest<func::FuncOp>();
  after.addPass(createCanonicalizerPass());
  after.addPass(createCSEPass());
  after.addPass(createDistributeWorkgroupsPass());
  after.addPass(createCanonicalizerPass());
}

} // namespace kiln
