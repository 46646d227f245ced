//===- Passes.td - Kiln conversion passes ------------------*- tablegen -*-===//

#ifndef KILN_COMPILER_CONVERSION_PASSES_TD
#define KILN_COMPILER_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertGraphToLinalgPass : Pass<"convert-graph-to-linalg", "::mlir::ModuleOp"> {
  let summary = "Lowers graph ops to linalg, tensor, arith, math and scf";
  let description = [{
    Converts every graph op of every function to upstream ops on tensors,
    with signless element types. Each function argument and result keeps
    its graph type in a `graph.type` attribute, so that the artifact's
    signature still says `uint8` where the kernels see `i8`. An op with no
    lowering (or one whose shapes are not static where the lowering needs
    them) is reported at its ONNX node.
  }];
  let dependentDialects = [
    "::mlir::arith::ArithDialect",
    "::mlir::linalg::LinalgDialect",
    "::mlir::math::MathDialect",
    "::mlir::scf::SCFDialect",
    "::mlir::tensor::TensorDialect",
  ];
}

#endif // KILN_COMPILER_CONVERSION_PASSES_TD
