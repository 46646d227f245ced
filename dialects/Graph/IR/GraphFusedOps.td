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

def Graph_AttentionOp : Graph_PureOp<"attention"> {
  let summary = "Scaled dot-product attention: softmax(Q K * scale, masked) V";
  let description = [{
    The attention of one or more heads, as exporters spell it: a MatMul of
    the queries by the transposed keys, a scale, an optional additive bias
    and an optional mask, a Softmax over the last axis and a MatMul by the
    values. `graph-recognize-attention` builds it from that chain, so that
    the whole computation becomes one kernel that never holds the full
    score matrix (it runs an online softmax over blocks of keys).

    With `Q'`, `K'` and `V'` the operands transposed by `q_perm`, `k_perm`
    and `v_perm` (an absent permutation is the identity):

    - `Q'` is `[B..., Lq, D]`, `K'` is `[B..., D, Lk]` (the keys already
      transposed, as the first MatMul's right operand), `V'` is
      `[B..., Lk, Dv]`, with the same batch dims `B...`;
    - `S = (Q' K') * scale`; then `S + bias` when `bias` is given, then
      `mask_value` wherever `mask` is true when `mask` is given (both
      broadcast to `[B..., Lq, Lk]`);
    - `Y' = softmax(S, axis = -1) V'`, `[B..., Lq, Dv]`, and the result is
      `Y'` transposed by `out_perm`.

    Opsets 1 to 17 have no such op (ONNX's Attention came in opset 23).

    ```mlir
    %y = graph.attention %q, %k, %v, %none, %none {scale = 0.125 : f32}
        : (tensor<4x128x64xf32>, tensor<4x64x128xf32>, tensor<4x128x64xf32>,
           none, none) -> tensor<4x128x64xf32>
    ```
  }];
  let arguments = (ins Graph_FloatTensor:$Q, Graph_FloatTensor:$K,
                       Graph_FloatTensor:$V,
                       Graph_Optional<Graph_FloatTensor>:$bias,
                       Graph_Optional<Graph_BoolTensor>:$mask,
                       Graph_FloatAttr<"1.0">:$scale,
                       Graph_FloatAttr<"0.0">:$mask_value,
                       Graph_OptIntsAttr:$q_perm,
                       Graph_OptIntsAttr:$k_perm,
                       Graph_OptIntsAttr:$v_perm,
                       Graph_OptIntsAttr:$out_perm);
  let results = (outs Graph_FloatTensor:$Y);
  let extraClassDeclaration = [{
    /// The shapes of Q', K' and V': the operands as the op reads them.
    ::llvm::SmallVector<int64_t> getLogicalShape(unsigned operand);
  }];
}

#endif // KILN_DIALECTS_GRAPH_IR_GRAPHFUSEDOPS_TD
