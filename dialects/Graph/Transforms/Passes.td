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

def GraphFoldBatchNormPass : Pass<"graph-fold-batch-norm", "::mlir::func::FuncOp"> {
  let summary = "Folds inference BatchNormalization into the Conv before it";
  let description = [{
    `BatchNormalization(Conv(x, W, B))` with constant W, B and statistics,
    where the conv has no other user, becomes `Conv(x, W', B')` with
    `W'[f] = W[f] * s[f]`, `B'[f] = (B[f] - mean[f]) * s[f] + bias[f]` and
    `s = scale / sqrt(var + epsilon)`.
  }];
}

def GraphFuseMatMulAddPass : Pass<"graph-fuse-matmul-add", "::mlir::func::FuncOp"> {
  let summary = "Merges a 2-D MatMul and the Add of a bias into one Gemm";
  let description = [{
    `Add(MatMul(A, B), C)` (either operand order) with 2-D A and B and a
    bias C that broadcasts to the product, where the MatMul has no other
    user, becomes `Gemm(A, B, C)`.
  }];
}

def GraphRecognizeLayerNormPass : Pass<"graph-recognize-layer-norm", "::mlir::func::FuncOp"> {
  let summary = "Recognizes a decomposed layer normalization";
  let description = [{
    Exports before opset 17 spell LayerNorm as ReduceMean, Sub, Pow,
    ReduceMean, Add, Sqrt, Div, then Mul by the weight and Add of the bias.
    That chain over trailing axes becomes one `graph.layer_normalization`.
  }];
}

def GraphRecognizeGeluPass : Pass<"graph-recognize-gelu", "::mlir::func::FuncOp"> {
  let summary = "Recognizes GELU in its erf and tanh forms";
  let description = [{
    `x * (1 + erf(x / sqrt(2))) * 0.5` and
    `0.5 * x * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 * x^3)))`, as torch
    exports them, become one `graph.gelu` (with `approximate = "tanh"` for
    the second).
  }];
}

def GraphRecognizeAttentionPass : Pass<"graph-recognize-attention", "::mlir::func::FuncOp"> {
  let summary = "Recognizes scaled dot-product attention";
  let description = [{
    `MatMul(Q, Kt)`, an optional scale (Mul or Div by a scalar constant),
    an optional additive bias (Add), an optional mask
    (`Where(mask, constant, scores)`), `Softmax` over the last axis and a
    `MatMul` by V become one `graph.attention` when every value in between
    has no other use and the operands are f32 with the same batch
    dimensions. A scalar Mul or Div of Q joins the scale; Transposes that
    feed Q, Kt or V and one that consumes the result join as permutations,
    so that the op reads and writes the tensors where they are.
  }];
}

#endif // KILN_DIALECTS_GRAPH_TRANSFORMS_PASSES_TD
