//===- Registration.cpp - Every Kiln dialect, pass and pipeline -----------===//

#include "compiler/Pipelines/Registration.h"
#include "compiler/Pipelines/Pipelines.h"

#include "dialects/Graph/IR/GraphDialect.h"
#include "dialects/Graph/Transforms/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"

namespace kiln {

void registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<graph::GraphDialect>();
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
}

void registerAllPasses() {
  mlir::registerAllPasses();
  graph::registerGraphPasses();
  registerPipelines();
}

} // namespace kiln
