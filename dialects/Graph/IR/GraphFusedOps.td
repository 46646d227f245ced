//===- GraphFusedOps.td - Ops Kiln recognizes in graphs ----*- tablegen -*-===//
//
// Exporters spell some operations as chains of primitive ops (GELU as
// Div, Erf, Add, Mul, Mul). The graph clean-up passes recognize those
// chains and replace them with one op defined here, so that later stages
// see the operation whole. Each op states the ONNX op it corresponds to
// where one exists in a later opset.
//
//===----------------------------------------------------------------------===//

#ifndef KILN_DIALECTS_GRAPH_IR_GRAPHFUSEDOPS_TD
#define KILN_DIALECTS_GRAPH_IR_GRAPHFUSEDOPS_TD

include "dialects/Graph/IR/GraphBase.td"

def Graph_GeluOp : Graph_PureOp<"gelu", [SameOperandsAndResultType]> {
  let summary = "The Gaussian error linear unit";
  let description = [{
    `x * 0.5 * (1 + erf(x / sqrt(2)))`, or with `approximate = "tanh"`,
    `x * 0.5 * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))`: ONNX's Gelu
    of opset 20. Opsets 1 to 17 have no such op; `graph-recognize-gelu`
    builds it from the chains torch exports.

    ```mlir
    %y = graph.gelu %x : (tensor<2x8xf32>) -> tensor<2x8xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$X,
                       Graph_StrAttr<"none">:$approximate);
  let results = (outs Graph_FloatTensor:$Y);
}

#endif // KILN_DIALECTS_GRAPH_IR_GRAPHFUSEDOPS_TD
