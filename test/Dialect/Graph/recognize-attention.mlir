// RUN: kiln-opt %s -split-input-file \
// RUN:   -pass-pipeline='builtin.module(func.func(graph-recognize-attention,canonicalize))' \
// RUN:   | FileCheck %s
// Attention as torch 1.13 exports it becomes one graph.attention.

// A GPT-2 block: heads split by Transposes, the scores divided by sqrt(d)
// and masked by Where, the result's heads moved back by a Transpose.
// CHECK-LABEL: func @gpt2_causal
// CHECK-SAME: (%[[Q:.+]]: tensor<1x8x2x4xf32>, %[[K:.+]]: tensor<1x8x2x4xf32>, %[[V:.+]]: tensor<1x8x2x4xf32>, %[[M:.+]]: tensor<1x1x8x8xi1>)
// CHECK: %[[N:.+]] = graph.none
// CHECK-NEXT: %[[A:.+]] = graph.attention %[[Q]], %[[K]], %[[V]], %[[N]], %[[M]]
// CHECK-SAME: k_perm = array<i64: 0, 2, 3, 1>
// CHECK-SAME: mask_value = -3.40282347E+38 : f32
// CHECK-SAME: out_perm = array<i64: 0, 2, 1, 3>
// CHECK-SAME: q_perm = array<i64: 0, 2, 1, 3>
// CHECK-SAME: scale = 5.000000e-01 : f32
// CHECK-SAME: v_perm = array<i64: 0, 2, 1, 3>
// CHECK-SAME: -> tensor<1x8x2x4xf32>
// CHECK-NEXT: return %[[A]]
// CHECK-NOT: graph.softmax
func.func @gpt2_causal(%q: tensor<1x8x2x4xf32>, %k: tensor<1x8x2x4xf32>, %v: tensor<1x8x2x4xf32>, %mask: tensor<1x1x8x8xi1>) -> tensor<1x8x2x4xf32> {
  %sqrt_d = graph.constant dense<2.0> : tensor<f32>
  %min = graph.constant dense<-3.40282347E+38> : tensor<f32>
  %qt = graph.transpose %q {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x8x2x4xf32>) -> tensor<1x2x8x4xf32>
  %kt = graph.transpose %k {perm = array<i64: 0, 2, 3, 1>} : (tensor<1x8x2x4xf32>) -> tensor<1x2x4x8xf32>
  %vt = graph.transpose %v {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x8x2x4xf32>) -> tensor<1x2x8x4xf32>
  %s = graph.mat_mul %qt, %kt : (tensor<1x2x8x4xf32>, tensor<1x2x4x8xf32>) -> tensor<1x2x8x8xf32>
  %d = graph.div %s, %sqrt_d : (tensor<1x2x8x8xf32>, tensor<f32>) -> tensor<1x2x8x8xf32>
  %w = graph.where %mask, %min, %d : (tensor<1x1x8x8xi1>, tensor<f32>, tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32>
  %p = graph.softmax %w : (tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32>
  %o = graph.mat_mul %p, %vt : (tensor<1x2x8x8xf32>, tensor<1x2x8x4xf32>) -> tensor<1x2x8x4xf32>
  %y = graph.transpose %o {perm = array<i64: 0, 2, 1, 3>} : (tensor<1x2x8x4xf32>) -> tensor<1x8x2x4xf32>
  return %y : tensor<1x8x2x4xf32>
}

// -----

// nn.MultiheadAttention: Q divided by sqrt(d) before the first MatMul, an
// additive mask; no transposes around it.
// CHECK-LABEL: func @mha_scaled_query
// CHECK-SAME: (%[[Q:.+]]: tensor<4x16x8xf32>, %[[KT:.+]]: tensor<4x8x16xf32>, %[[V:.+]]: tensor<4x16x8xf32>, %[[B:.+]]: tensor<16x16xf32>)
// CHECK: graph.attention %[[Q]], %[[KT]], %[[V]], %[[B]], %{{.+}} {scale = 2.500000e-01 : f32}
// CHECK-NOT: graph.mat_mul
func.func @mha_scaled_query(%q: tensor<4x16x8xf32>, %kt: tensor<4x8x16xf32>, %v: tensor<4x16x8xf32>, %bias: tensor<16x16xf32>) -> tensor<4x16x8xf32> {
  %c = graph.constant dense<4.0> : tensor<f32>
  %qs = graph.div %q, %c : (tensor<4x16x8xf32>, tensor<f32>) -> tensor<4x16x8xf32>
  %s = graph.mat_mul %qs, %kt : (tensor<4x16x8xf32>, tensor<4x8x16xf32>) -> tensor<4x16x16xf32>
  %a = graph.add %s, %bias : (tensor<4x16x16xf32>, tensor<16x16xf32>) -> tensor<4x16x16xf32>
  %p = graph.softmax %a {axis = 2 : i64} : (tensor<4x16x16xf32>) -> tensor<4x16x16xf32>
  %o = graph.mat_mul %p, %v : (tensor<4x16x16xf32>, tensor<4x16x8xf32>) -> tensor<4x16x8xf32>
  return %o : tensor<4x16x8xf32>
}

// -----

// The probabilities are also returned: the chain stays as it is.
// CHECK-LABEL: func @probabilities_used_twice
// CHECK-NOT: graph.attention
// CHECK: graph.softmax
func.func @probabilities_used_twice(%q: tensor<2x4x8xf32>, %kt: tensor<2x8x4xf32>, %v: tensor<2x4x8xf32>) -> (tensor<2x4x8xf32>, tensor<2x4x4xf32>) {
  %s = graph.mat_mul %q, %kt : (tensor<2x4x8xf32>, tensor<2x8x4xf32>) -> tensor<2x4x4xf32>
  %p = graph.softmax %s : (tensor<2x4x4xf32>) -> tensor<2x4x4xf32>
  %o = graph.mat_mul %p, %v : (tensor<2x4x4xf32>, tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  return %o, %p : tensor<2x4x8xf32>, tensor<2x4x4xf32>
}

// -----

// A softmax over another axis is not attention.
// CHECK-LABEL: func @softmax_over_queries
// CHECK-NOT: graph.attention
func.func @softmax_over_queries(%q: tensor<2x4x8xf32>, %kt: tensor<2x8x4xf32>, %v: tensor<2x4x8xf32>) -> tensor<2x4x8xf32> {
  %s = graph.mat_mul %q, %kt : (tensor<2x4x8xf32>, tensor<2x8x4xf32>) -> tensor<2x4x4xf32>
  %p = graph.softmax %s {axis = 1 : i64} : (tensor<2x4x4xf32>) -> tensor<2x4x4xf32>
  %o = graph.mat_mul %p, %v : (tensor<2x4x4xf32>, tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  return %o : tensor<2x4x8xf32>
}

// -----

// Keys shared by every batch (a broadcast MatMul) stay with the MatMuls.
// CHECK-LABEL: func @broadcast_keys
// CHECK-NOT: graph.attention
func.func @broadcast_keys(%q: tensor<2x4x8xf32>, %kt: tensor<8x4xf32>, %v: tensor<2x4x8xf32>) -> tensor<2x4x8xf32> {
  %s = graph.mat_mul %q, %kt : (tensor<2x4x8xf32>, tensor<8x4xf32>) -> tensor<2x4x4xf32>
  %p = graph.softmax %s : (tensor<2x4x4xf32>) -> tensor<2x4x4xf32>
  %o = graph.mat_mul %p, %v : (tensor<2x4x4xf32>, tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  return %o : tensor<2x4x8xf32>
}
