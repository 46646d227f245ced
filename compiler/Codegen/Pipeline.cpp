//===- Pipeline.cpp - The shared front of codegen -------------------------===//

#include "compiler/Codegen/Passes.h"

#include "mlir/Dialect/Bufferization/Transforms/OneShotAnalysis.h"
#include "mlir/Dialect/Bufferization/Transforms/Passes.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

using namespace mlir;

namespace kiln {

void buildCommonCodegenPipeline(OpPassManager &pm,
                                const CommonCodegenOptions &options) {
  pm.addPass(createBindKernelsPass());
  OpPassManager &func = pm.nest<func::FuncOp>();
  if (options.beforeWorkgroupTiling)
    options.beforeWorkgroupTiling(func);
  TileWorkgroupsPassOptions tiling;
  tiling.maxWorkgroups = options.maxWorkgroups;
  tiling.minWorkPerWorkgroup = options.minWorkPerWorkgroup;
  tiling.minTile = options.minTile;
  tiling.maxContractionWorkgroups = options.maxContractionWorkgroups;
  tiling.filterTileMultiple = options.filterTileMultiple;
  tiling.wholeWindowPlanes = options.wholeWindowPlanes;
  func.addPass(createTileWorkgroupsPass(tiling));
  func.addPass(createCanonicalizerPass());
  func.addPass(createCSEPass());
  if (options.beforeBufferization) {
    options.beforeBufferization(func);
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

void buildCommonCodegenPipeline(
    OpPassManager &pm,
    llvm::function_ref<void(OpPassManager &)> beforeBufferization) {
  CommonCodegenOptions options;
  if (beforeBufferization)
    options.beforeBufferization = [&](OpPassManager &func) {
      beforeBufferization(func);
    };
  buildCommonCodegenPipeline(pm, options);
}

} // namespace kiln
