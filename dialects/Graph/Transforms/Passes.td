//===- Passes.td - Graph dialect passes --------------------*- tablegen -*-===//

#ifndef KILN_DIALECTS_GRAPH_TRANSFORMS_PASSES_TD
#define KILN_DIALECTS_GRAPH_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def GraphInferShapesPass : Pass<"graph-infer-shapes", "::mlir::func::FuncOp"> {
  let summary = "Propagates argument types through the graph and folds";
  let description = [{
    Walks the function in order, re-runs each op's shape inference with
    the now-known operand types, takes the inferred type where it is more
    precise, and folds ops whose operands became constant. With static
    argument types this leaves every value static. The function's result
    types are updated to match the returned values.
  }];
  let dependentDialects = ["::kiln::graph::GraphDialect"];
}

#endif // KILN_DIALECTS_GRAPH_TRANSFORMS_PASSES_TD
