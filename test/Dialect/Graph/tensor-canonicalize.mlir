// RUN: kiln-opt %s -canonicalize -split-input-file | FileCheck %s
// Canonicalizations of the data movement ops: chains of reshapes and of
// transposes collapse into one op.

// A reshape of a reshape-like op reshapes the original input.
// CHECK-LABEL: func @reshape_of_reshape
// CHECK-SAME: (%[[X:.+]]: tensor<2x3x4xf32>
func.func @reshape_of_reshape(%x: tensor<2x3x4xf32>) -> tensor<4x6xf32> {
  %f = graph.flatten %x : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
  %s = graph.constant dense<[4, -1]> : tensor<2xi64>
  // CHECK-NOT: graph.flatten
  // CHECK: graph.reshape %[[X]], %{{.*}} : (tensor<2x3x4xf32>, tensor<2xi64>) -> tensor<4x6xf32>
  %y = graph.reshape %f, %s : (tensor<2x12xf32>, tensor<2xi64>) -> tensor<4x6xf32>
  return %y : tensor<4x6xf32>
}

// -----

// A 0 entry copies a dimension of the intermediate shape, so the inner op
// stays.
// CHECK-LABEL: func @reshape_of_reshape_copy
// CHECK-SAME: (%[[X:.+]]: tensor<2x3x4xf32>
func.func @reshape_of_reshape_copy(%x: tensor<2x3x4xf32>) -> tensor<2x4x3xf32> {
  // CHECK: %[[F:.+]] = graph.flatten %[[X]]
  %f = graph.flatten %x : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
  %s = graph.constant dense<[0, 4, -1]> : tensor<3xi64>
  // CHECK: graph.reshape %[[F]]
  %y = graph.reshape %f, %s : (tensor<2x12xf32>, tensor<3xi64>) -> tensor<2x4x3xf32>
  return %y : tensor<2x4x3xf32>
}

// -----

// A reshape whose result type is static gets a constant shape (with
// allowzero, so a static 0 stays 0), and the arithmetic behind the old one
// goes.
// CHECK-LABEL: func @reshape_static_result
func.func @reshape_static_result(%x: tensor<?x4xf32>, %s: tensor<2xi64>) -> tensor<2x6xf32> {
  // CHECK: %[[S:.+]] = graph.constant dense<[2, 6]> : tensor<2xi64>
  // CHECK: graph.reshape %{{.*}}, %[[S]] {allowzero = 1 : i64}
  %y = graph.reshape %x, %s : (tensor<?x4xf32>, tensor<2xi64>) -> tensor<2x6xf32>
  return %y : tensor<2x6xf32>
}

// -----

// Two transposes become one with the composed permutation.
// CHECK-LABEL: func @transpose_of_transpose
func.func @transpose_of_transpose(%x: tensor<2x3x4xf32>) -> tensor<4x2x3xf32> {
  // CHECK: graph.transpose %{{.*}} {perm = array<i64: 2, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  // CHECK-NOT: graph.transpose
  %a = graph.transpose %x {perm = array<i64: 1, 2, 0>} : (tensor<2x3x4xf32>) -> tensor<3x4x2xf32>
  %b = graph.transpose %a {perm = array<i64: 1, 2, 0>} : (tensor<3x4x2xf32>) -> tensor<4x2x3xf32>
  return %b : tensor<4x2x3xf32>
}

// -----

// Transposes that undo each other disappear.
// CHECK-LABEL: func @transpose_roundtrip
// CHECK-SAME: (%[[X:.+]]: tensor<2x3xf32>)
func.func @transpose_roundtrip(%x: tensor<2x3xf32>) -> tensor<2x3xf32> {
  // CHECK-NOT: graph.transpose
  // CHECK: return %[[X]]
  %a = graph.transpose %x : (tensor<2x3xf32>) -> tensor<3x2xf32>
  %b = graph.transpose %a : (tensor<3x2xf32>) -> tensor<2x3xf32>
  return %b : tensor<2x3xf32>
}
