// RUN: kiln-opt %s -split-input-file \
// RUN:   -pass-pipeline='builtin.module(func.func(graph-fold-batch-norm,graph-recognize-layer-norm,graph-recognize-gelu,graph-fuse-matmul-add,canonicalize))' \
// RUN:   | FileCheck %s
// The graph clean-up passes on the chains torch 1.13 exports.

// nn.GELU(): Div by sqrt(2), Erf, Add 1, Mul x, Mul 0.5.
// CHECK-LABEL: func @gelu_erf
// CHECK-NEXT: %[[G:.+]] = graph.gelu %arg0 : (tensor<2x16xf32>) -> tensor<2x16xf32>
// CHECK-NEXT: return %[[G]]
func.func @gelu_erf(%x: tensor<2x16xf32>) -> tensor<2x16xf32> {
  %half = graph.constant dense<5.000000e-01> : tensor<f32>
  %one = graph.constant dense<1.000000e+00> : tensor<f32>
  %sqrt2 = graph.constant dense<1.41421354> : tensor<f32>
  %0 = graph.div %x, %sqrt2 : (tensor<2x16xf32>, tensor<f32>) -> tensor<2x16xf32>
  %1 = graph.erf %0 : (tensor<2x16xf32>) -> tensor<2x16xf32>
  %2 = graph.add %1, %one : (tensor<2x16xf32>, tensor<f32>) -> tensor<2x16xf32>
  %3 = graph.mul %x, %2 : (tensor<2x16xf32>, tensor<2x16xf32>) -> tensor<2x16xf32>
  %4 = graph.mul %3, %half : (tensor<2x16xf32>, tensor<f32>) -> tensor<2x16xf32>
  return %4 : tensor<2x16xf32>
}

// -----

// nn.GELU(approximate="tanh"): the cube, scale, Tanh, Add 1, Mul x, Mul 0.5.
// CHECK-LABEL: func @gelu_tanh
// CHECK-NEXT: graph.gelu %arg0 {approximate = "tanh"}
func.func @gelu_tanh(%x: tensor<2x16xf32>) -> tensor<2x16xf32> {
  %half = graph.constant dense<5.000000e-01> : tensor<f32>
  %one = graph.constant dense<1.000000e+00> : tensor<f32>
  %s = graph.constant dense<0.797884583> : tensor<f32>
  %k = graph.constant dense<4.471500e-02> : tensor<f32>
  %0 = graph.mul %x, %x : (tensor<2x16xf32>, tensor<2x16xf32>) -> tensor<2x16xf32>
  %1 = graph.mul %x, %0 : (tensor<2x16xf32>, tensor<2x16xf32>) -> tensor<2x16xf32>
  %2 = graph.mul %k, %1 : (tensor<f32>, tensor<2x16xf32>) -> tensor<2x16xf32>
  %3 = graph.add %x, %2 : (tensor<2x16xf32>, tensor<2x16xf32>) -> tensor<2x16xf32>
  %4 = graph.mul %s, %3 : (tensor<f32>, tensor<2x16xf32>) -> tensor<2x16xf32>
  %5 = graph.tanh %4 : (tensor<2x16xf32>) -> tensor<2x16xf32>
  %6 = graph.add %one, %5 : (tensor<f32>, tensor<2x16xf32>) -> tensor<2x16xf32>
  %7 = graph.mul %x, %6 : (tensor<2x16xf32>, tensor<2x16xf32>) -> tensor<2x16xf32>
  %8 = graph.mul %half, %7 : (tensor<f32>, tensor<2x16xf32>) -> tensor<2x16xf32>
  return %8 : tensor<2x16xf32>
}

// -----

// A GELU-like chain with the wrong constant is left alone.
// CHECK-LABEL: func @not_gelu
// CHECK-NOT: graph.gelu
// CHECK: graph.erf
func.func @not_gelu(%x: tensor<2x16xf32>) -> tensor<2x16xf32> {
  %half = graph.constant dense<5.000000e-01> : tensor<f32>
  %one = graph.constant dense<1.000000e+00> : tensor<f32>
  %two = graph.constant dense<2.000000e+00> : tensor<f32>
  %0 = graph.div %x, %two : (tensor<2x16xf32>, tensor<f32>) -> tensor<2x16xf32>
  %1 = graph.erf %0 : (tensor<2x16xf32>) -> tensor<2x16xf32>
  %2 = graph.add %1, %one : (tensor<2x16xf32>, tensor<f32>) -> tensor<2x16xf32>
  %3 = graph.mul %x, %2 : (tensor<2x16xf32>, tensor<2x16xf32>) -> tensor<2x16xf32>
  %4 = graph.mul %3, %half : (tensor<2x16xf32>, tensor<f32>) -> tensor<2x16xf32>
  return %4 : tensor<2x16xf32>
}

// -----

// nn.LayerNorm exported at opset 14 (the weight of ones folded away, the
// bias of zeros kept) becomes one LayerNormalization over the last axis.
// CHECK-LABEL: func @layer_norm
// CHECK: %[[Y:.+]], %{{.+}}, %{{.+}} = graph.layer_normalization %arg0, %{{.+}}, %arg1 {axis = 2 : i64}
// CHECK-NEXT: return %[[Y]]
func.func @layer_norm(%x: tensor<2x4x16xf32>, %bias: tensor<16xf32>) -> tensor<2x4x16xf32> {
  %eps = graph.constant dense<9.99999974E-6> : tensor<f32>
  %two = graph.constant dense<2.000000e+00> : tensor<f32>
  %0 = graph.reduce_mean %x {axes = array<i64: -1>} : (tensor<2x4x16xf32>) -> tensor<2x4x1xf32>
  %1 = graph.sub %x, %0 : (tensor<2x4x16xf32>, tensor<2x4x1xf32>) -> tensor<2x4x16xf32>
  %2 = graph.pow %1, %two : (tensor<2x4x16xf32>, tensor<f32>) -> tensor<2x4x16xf32>
  %3 = graph.reduce_mean %2 {axes = array<i64: -1>} : (tensor<2x4x16xf32>) -> tensor<2x4x1xf32>
  %4 = graph.add %3, %eps : (tensor<2x4x1xf32>, tensor<f32>) -> tensor<2x4x1xf32>
  %5 = graph.sqrt %4 : (tensor<2x4x1xf32>) -> tensor<2x4x1xf32>
  %6 = graph.div %1, %5 : (tensor<2x4x16xf32>, tensor<2x4x1xf32>) -> tensor<2x4x16xf32>
  %7 = graph.add %6, %bias : (tensor<2x4x16xf32>, tensor<16xf32>) -> tensor<2x4x16xf32>
  return %7 : tensor<2x4x16xf32>
}

// -----

// The same chain with a weight and the mean used elsewhere is not
// replaced: a partial result escapes.
// CHECK-LABEL: func @layer_norm_escape
// CHECK-NOT: graph.layer_normalization
func.func @layer_norm_escape(%x: tensor<2x16xf32>) -> (tensor<2x16xf32>, tensor<2x1xf32>) {
  %eps = graph.constant dense<9.99999974E-6> : tensor<f32>
  %two = graph.constant dense<2.000000e+00> : tensor<f32>
  %0 = graph.reduce_mean %x {axes = array<i64: -1>} : (tensor<2x16xf32>) -> tensor<2x1xf32>
  %1 = graph.sub %x, %0 : (tensor<2x16xf32>, tensor<2x1xf32>) -> tensor<2x16xf32>
  %2 = graph.pow %1, %two : (tensor<2x16xf32>, tensor<f32>) -> tensor<2x16xf32>
  %3 = graph.reduce_mean %2 {axes = array<i64: -1>} : (tensor<2x16xf32>) -> tensor<2x1xf32>
  %4 = graph.add %3, %eps : (tensor<2x1xf32>, tensor<f32>) -> tensor<2x1xf32>
  %5 = graph.sqrt %4 : (tensor<2x1xf32>) -> tensor<2x1xf32>
  %6 = graph.div %1, %5 : (tensor<2x16xf32>, tensor<2x1xf32>) -> tensor<2x16xf32>
  return %6, %0 : tensor<2x16xf32>, tensor<2x1xf32>
}

// -----

// A 2-D Linear exported as MatMul + Add(bias, product) becomes a Gemm.
// CHECK-LABEL: func @matmul_add
// CHECK: %[[G:.+]] = graph.gemm %arg0, %arg1, %arg2 : (tensor<4x16xf32>, tensor<16x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
// CHECK-NEXT: return %[[G]]
func.func @matmul_add(%a: tensor<4x16xf32>, %b: tensor<16x8xf32>, %bias: tensor<8xf32>) -> tensor<4x8xf32> {
  %0 = graph.mat_mul %a, %b : (tensor<4x16xf32>, tensor<16x8xf32>) -> tensor<4x8xf32>
  %1 = graph.add %bias, %0 : (tensor<8xf32>, tensor<4x8xf32>) -> tensor<4x8xf32>
  return %1 : tensor<4x8xf32>
}

// -----

// A batched (3-D) MatMul stays: Gemm is 2-D only.
// CHECK-LABEL: func @matmul_add_3d
// CHECK: graph.mat_mul
// CHECK: graph.add
func.func @matmul_add_3d(%a: tensor<2x4x16xf32>, %b: tensor<16x8xf32>, %bias: tensor<8xf32>) -> tensor<2x4x8xf32> {
  %0 = graph.mat_mul %a, %b : (tensor<2x4x16xf32>, tensor<16x8xf32>) -> tensor<2x4x8xf32>
  %1 = graph.add %bias, %0 : (tensor<8xf32>, tensor<2x4x8xf32>) -> tensor<2x4x8xf32>
  return %1 : tensor<2x4x8xf32>
}

// -----

// Conv followed by inference BatchNormalization: the statistics fold into
// the weights and bias (scale 2, shift 1, mean 0.5, var 3, eps 1: s = 1,
// so W is unchanged and B' = (0 - 0.5) * 1 + 1 = 0.5).
// CHECK-LABEL: func @conv_batch_norm
// CHECK-DAG: %[[W:.+]] = graph.constant dense<1.000000e+00> : tensor<2x1x1x1xf32>
// CHECK-DAG: %[[B:.+]] = graph.constant dense<5.000000e-01> : tensor<2xf32>
// CHECK: %[[C:.+]] = graph.conv %arg0, %[[W]], %[[B]]
// CHECK-NEXT: return %[[C]]
func.func @conv_batch_norm(%x: tensor<1x1x4x4xf32>) -> tensor<1x2x4x4xf32> {
  %w = graph.constant dense<1.0> : tensor<2x1x1x1xf32>
  %none = graph.none
  %scale = graph.constant dense<2.0> : tensor<2xf32>
  %shift = graph.constant dense<1.0> : tensor<2xf32>
  %mean = graph.constant dense<0.5> : tensor<2xf32>
  %var = graph.constant dense<3.0> : tensor<2xf32>
  %0 = graph.conv %x, %w, %none : (tensor<1x1x4x4xf32>, tensor<2x1x1x1xf32>, none) -> tensor<1x2x4x4xf32>
  %y, %rm, %rv = graph.batch_normalization %0, %scale, %shift, %mean, %var {epsilon = 1.0 : f32} : (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> (tensor<1x2x4x4xf32>, tensor<2xf32>, tensor<2xf32>)
  return %y : tensor<1x2x4x4xf32>
}
