//===- Pipelines.cpp - Kiln's named pass pipelines ------------------------===//

#include "compiler/Pipelines/Pipelines.h"

#include "dialects/Graph/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Transforms/Passes.h"

namespace kiln {

void buildGraphPipeline(mlir::OpPassManager &pm) {
  mlir::OpPassManager &func = pm.nest<mlir::func::FuncOp>();
  func.addPass(graph::createGraphInferShapesPass());
  func.addPass(mlir::createCanonicalizerPass());
  func.addPass(mlir::createCSEPass());
  func.addPass(graph::createGraphInferShapesPass());
}

void registerPipelines() {
  mlir::PassPipelineRegistration<>(
      "kiln-graph-pipeline",
      "The graph stage: shape inference, folding, canonicalization, CSE",
      buildGraphPipeline);
}

} // namespace kiln
