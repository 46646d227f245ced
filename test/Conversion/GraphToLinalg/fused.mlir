// RUN: kiln-opt %s -convert-graph-to-linalg -split-input-file | FileCheck %s

// GELU (erf form) is one elementwise generic: x * 0.5 * (1 + erf(x / sqrt 2)).
// CHECK-LABEL: func @gelu
// CHECK: linalg.generic
// CHECK: math.erf
// CHECK-NOT: linalg.generic
func.func @gelu(%x: tensor<4x8xf32>) -> tensor<4x8xf32> {
  %0 = graph.gelu %x : (tensor<4x8xf32>) -> tensor<4x8xf32>
  return %0 : tensor<4x8xf32>
}

// -----

// f16 GELU (tanh form) computes in f32 and truncates the result.
// CHECK-LABEL: func @gelu_tanh_f16
// CHECK: arith.extf %{{.*}} : f16 to f32
// CHECK: math.tanh %{{.*}} : f32
// CHECK: arith.truncf %{{.*}} : f32 to f16
func.func @gelu_tanh_f16(%x: tensor<8xf16>) -> tensor<8xf16> {
  %0 = graph.gelu %x {approximate = "tanh"} : (tensor<8xf16>) -> tensor<8xf16>
  return %0 : tensor<8xf16>
}
