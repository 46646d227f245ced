//===- Registration.cpp - Every Kiln dialect, pass and pipeline -----------===//

#include "compiler/Pipelines/Registration.h"
#include "compiler/Pipelines/Pipelines.h"

#include "compiler/Codegen/Passes.h"
#include "compiler/Conversion/Passes.h"
#include "dialects/Dispatch/IR/DispatchDialect.h"
#include "dialects/Dispatch/Transforms/Passes.h"
#include "dialects/Exec/IR/ExecDialect.h"
#include "dialects/Exec/Transforms/Passes.h"
#include "dialects/Graph/IR/GraphDialect.h"
#include "dialects/Graph/Transforms/Passes.h"
#include "targets/RegisterTargets.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"

namespace kiln {

void registerAllDialects(mlir::DialectRegistry &registry) {
  registry.insert<graph::GraphDialect, dispatch::DispatchDialect,
                  exec::ExecDialect>();
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
}

void registerAllPasses() {
  mlir::registerAllPasses();
  graph::registerGraphPasses();
  dispatch::registerDispatchPasses();
  registerConversionPasses();
  registerCodegenPasses();
  exec::registerExecPasses();
  registerAllTargets();
  registerPipelines();
}

} // namespace kiln
