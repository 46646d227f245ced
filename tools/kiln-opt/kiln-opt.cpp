//===- kiln-opt.cpp - Run any Kiln pass or pipeline on MLIR ---------------===//
//
// The opt tool of Kiln: every Kiln dialect, pass and named pipeline, and the
// upstream ones the pipeline uses. Used by the lit tests and for exploring
// the IR of any stage.
//
//===----------------------------------------------------------------------===//

#include "compiler/Pipelines/Registration.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  kiln::registerAllPasses();
  mlir::DialectRegistry registry;
  kiln::registerAllDialects(registry);
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "Kiln optimizer driver\n", registry));
}
