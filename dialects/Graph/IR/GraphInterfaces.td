//===- GraphInterfaces.td - Graph op interfaces ------------*- tablegen -*-===//
//
// The interface through which every graph op infers its result types.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECTS_GRAPH_IR_GRAPHINTERFACES_TD
#define KILN_DIALECTS_GRAPH_IR_GRAPHINTERFACES_TD

include "mlir/IR/OpBase.td"

def Graph_ShapeInferenceOpInterface : OpInterface<"ShapeInferenceOpInterface"> {
  let cppNamespace = "::kiln::graph";
  let description = [{
    Computes an op's result types from its operands' types, its attributes
    and the values of its constant operands. The importer calls it on every
    op it creates; `graph-infer-shapes` calls it to propagate refined input
    types; the verifier calls it and checks that each result type is the
    inferred one or a refinement of it (static where inference gave `?`).

    An op whose operands or attributes do not fit its definition emits an
    error at its own location and returns failure.
  }];
  let methods = [
    InterfaceMethod<[{
        Appends one inferred type per result to `inferred`, or emits an
        error and returns failure.
      }],
      "::mlir::LogicalResult", "inferResultTypes",
      (ins "::llvm::SmallVectorImpl<::mlir::Type> &":$inferred)>,
  ];
  let verify = [{
    return ::kiln::graph::detail::verifyInferredResultTypes($_op);
  }];
}

#endif // KILN_DIALECTS_GRAPH_IR_GRAPHINTERFACES_TD
