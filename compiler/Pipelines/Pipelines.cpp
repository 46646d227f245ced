//===- Pipelines.cpp - Kiln's named pass pipelines ------------------------===//

#include "compiler/Pipelines/Pipelines.h"

#include "compiler/Conversion/Passes.h"
#include "dialects/Dispatch/Transforms/Passes.h"
#include "dialects/Graph/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

namespace kiln {

void buildGraphPipeline(mlir::OpPassManager &pm,
                        const GraphPipelineOptions &options) {
  mlir::OpPassManager &func = pm.nest<mlir::func::FuncOp>();
  func.addPass(graph::createGraphInferShapesPass());
  func.addPass(mlir::createCanonicalizerPass());
  func.addPass(mlir::createCSEPass());
  // Clean-up for exported models: whole ops from decomposed chains, fewer
  // ops where one does.
  func.addPass(graph::createGraphFoldBatchNormPass());
  func.addPass(graph::createGraphRecognizeLayerNormPass());
  func.addPass(graph::createGraphRecognizeGeluPass());
  if (options.fuseAttention)
    func.addPass(graph::createGraphRecognizeAttentionPass());
  func.addPass(graph::createGraphFuseMatMulAddPass());
  func.addPass(mlir::createCanonicalizerPass());
  func.addPass(mlir::createCSEPass());
  func.addPass(graph::createGraphInferShapesPass());
}

void buildDispatchPipeline(mlir::OpPassManager &pm,
                           const DispatchPipelineOptions &options) {
  pm.addPass(createConvertGraphToLinalgPass());
  pm.addNestedPass<mlir::func::FuncOp>(mlir::createCanonicalizerPass());
  pm.addNestedPass<mlir::func::FuncOp>(mlir::createCSEPass());
  pm.addNestedPass<mlir::func::FuncOp>(
      dispatch::createDispatchPropagateReshapesPass());
  pm.addNestedPass<mlir::func::FuncOp>(
      dispatch::createDispatchFuseElementwisePass());
  pm.addNestedPass<mlir::func::FuncOp>(mlir::createCanonicalizerPass());
  pm.addNestedPass<mlir::func::FuncOp>(mlir::createCSEPass());
  // After the reshapes and elementwise chains have settled around the
  // convolutions, so that those passes see the convolutions as such.
  if (options.winogradPanel > 0) {
    dispatch::DispatchWinogradConvPassOptions winograd;
    winograd.panel = options.winogradPanel;
    pm.addNestedPass<mlir::func::FuncOp>(
        dispatch::createDispatchWinogradConvPass(winograd));
  }
  if (options.convFilterPanel > 1) {
    dispatch::DispatchPackConvWeightsPassOptions pack;
    pack.panel = options.convFilterPanel;
    pm.addNestedPass<mlir::func::FuncOp>(
        dispatch::createDispatchPackConvWeightsPass(pack));
  }
  if (options.matmulPanel > 1) {
    dispatch::DispatchPackMatmulWeightsPassOptions pack;
    pack.panel = options.matmulPanel;
    pm.addNestedPass<mlir::func::FuncOp>(
        dispatch::createDispatchPackMatmulWeightsPass(pack));
  }
  pm.addNestedPass<mlir::func::FuncOp>(
      dispatch::createDispatchFormRegionsPass());
  pm.addPass(dispatch::createDispatchOutlineRegionsPass());
  pm.addPass(mlir::createCanonicalizerPass());
  pm.addPass(mlir::createCSEPass());
}

void registerPipelines() {
  mlir::PassPipelineRegistration<>(
      "kiln-graph-pipeline",
      "The graph stage: shape inference, folding, canonicalization, CSE",
      [](mlir::OpPassManager &pm) { buildGraphPipeline(pm); });
  mlir::PassPipelineRegistration<>(
      "kiln-dispatch-pipeline",
      "The dispatch stage: lower to linalg, form and outline dispatches",
      [](mlir::OpPassManager &pm) { buildDispatchPipeline(pm); });
}

} // namespace kiln
